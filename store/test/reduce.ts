import type { UnknownAction } from '@reduxjs/toolkit';
import { rootReducer, type RootState } from '../reducer';
import { deepFreeze } from './fixtures';

/** Applies actions through the root reducer, deep-freezing every input so a mutation throws. */
export function reduce(state?: RootState, ...actions: UnknownAction[]): RootState {
  return actions.reduce((s, a) => rootReducer(deepFreeze(s), a), state ?? rootReducer(undefined, { type: 'init' }));
}
