// What the outbox and my edits and deletes share: a queue per conversation, sent during every connection,
// one item at a time and in order, each until it is settled. A disconnect cancels the session; the next
// connect starts over from what the state still holds.
import type { ForkedTaskAPI, UnknownAction } from '@reduxjs/toolkit';
import { duringEveryConnection, type AppStartListening, type ListenerExtra } from '../listenerMiddleware';
import type { RootState } from '../reducer';

export type Queues<T> = {
  /** An action that may have put something in a queue. */
  wakeOn: (action: UnknownAction) => boolean;
  /** The conversations whose queue holds something, the one to go first first. */
  conversations: (state: RootState) => number[];
  /** The next item of a conversation's queue, if any. */
  next: (state: RootState, conversationId: number) => T | undefined;
  /**
   * Sends one item until it is settled: the action that says how, null when it went away meanwhile,
   * `offline` when the connection went.
   */
  deliver: (task: ForkedTaskAPI<RootState>, extra: ListenerExtra, item: T) => Promise<UnknownAction | 'offline' | null>;
};

export function sendQueues<T>(startListening: AppStartListening, queues: Queues<T>): void {
  duringEveryConnection(startListening, async (api) => {
    /** Conversations whose queue is being sent in this session. */
    const sending = new Set<number>();
    const send = (id: number) => {
      if (sending.has(id)) return;
      sending.add(id);
      api.fork(async (task) => {
        for (;;) {
          const next = queues.next(task.getState(), id);
          if (next === undefined) return void sending.delete(id);
          const outcome = await queues.deliver(task, api.extra, next);
          if (outcome === 'offline') return void sending.delete(id);
          if (outcome !== null) task.dispatch(outcome);
        }
      });
    };
    queues.conversations(api.getState()).forEach(send);
    for (;;) {
      await api.take(queues.wakeOn);
      // From the state, not the action: two items queued in one turn wake this loop once.
      queues.conversations(api.getState()).forEach(send);
    }
  });
}
