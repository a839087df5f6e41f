import type { UnknownAction } from '@reduxjs/toolkit';
import type { ServerEventName, ServerToClientEvents } from '../../protocol';
import type { MessagesConfig } from '../messages/slice';
import { createRootReducer, type RootState } from '../reducer';
import { frameActions } from '../socket/frames';
import { deepFreeze } from './fixtures';

/** An action, or a server frame that becomes one through the frame table given the state it meets. */
export type Step = UnknownAction | ((state: RootState) => UnknownAction);

/** A `reduce` over the root reducer of a store made with `config`. */
export function reducerWith(config: MessagesConfig) {
  const reducer = createRootReducer(config);
  /** Applies the steps in order, deep-freezing every input so a mutation throws. */
  return (state?: RootState, ...steps: Step[]): RootState =>
    steps.reduce<RootState>(
      (s, step) => reducer(deepFreeze(s), typeof step === 'function' ? step(s) : step),
      state ?? reducer(undefined, { type: 'init' }),
    );
}

export const reduce = reducerWith({});

/** A server frame as the socket delivers it: the frame table picks its action. */
export function frame<E extends ServerEventName>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]): Step {
  return (state) => (frameActions[event] as (p: typeof payload, s: RootState) => UnknownAction)(payload, state);
}
