// The outbox: sends the pending (optimistic) messages kept in the messages cache, one at a time per
// conversation, in send order, each until acked. An unanswered send is tried again with the same
// client_id (the server stores it once) with backoff, and is `failed` after `maxAttempts`; a refused one
// fails at once unless it was only `rate_limited`. Sending happens in a session per connection: a
// disconnect cancels it, and the next connect starts over from what is still pending.
import { isAnyOf, type ForkedTaskAPI } from '@reduxjs/toolkit';
import { messageAcked, messageFailed } from '../events';
import { messageQueued, messageRetried } from '../intents';
import { duringEveryConnection, type AppStartListening } from '../listenerMiddleware';
import { pendingMessages } from '../messages/thread';
import type { RootState } from '../reducer';
import type { SocketLink } from '../socket/link';
import { untilAnswered } from './untilAnswered';

export type OutboxOptions = {
  /** How long a send waits for its ack before it is tried again. */
  ackTimeoutMs: number;
  /** Unanswered tries before a message is `failed`. */
  maxAttempts: number;
  /** The first retry's delay; each next one doubles it (up to 30 s), jittered. */
  retryDelayMs: number;
};

export const DEFAULT_OUTBOX: OutboxOptions = { ackTimeoutMs: 5000, maxAttempts: 4, retryDelayMs: 1000 };

/** Conversations with messages to send, the one with the oldest pending message first. */
function conversationsToSend(state: RootState): number[] {
  const firstPending = (id: number) => pendingMessages(state.messages.byConversation[id])[0]?.created_at ?? '';
  return Object.keys(state.messages.byConversation)
    .map(Number)
    .filter((id) => firstPending(id) !== '')
    .sort((a, b) => firstPending(a).localeCompare(firstPending(b)));
}

type Task = ForkedTaskAPI<RootState>;

/**
 * Sends one message until it is acked, refused or out of tries. Null when it stopped being pending
 * meanwhile (a sync brought it, or it is gone); `offline` when the connection went (the next one sends it).
 */
async function deliver(task: Task, link: SocketLink, options: OutboxOptions, conversationId: number, clientId: string) {
  const answer = await untilAnswered(task, options, () => {
    const thread = task.getState().messages.byConversation[conversationId];
    const message = pendingMessages(thread).find((m) => m.id === clientId);
    if (message === undefined) return null;
    const payload = { conversation_id: conversationId, message: message.message_text, type: 'TEXT' as const, client_id: clientId };
    return link.request('send_message', payload, options.ackTimeoutMs);
  });
  if (answer === null || answer === 'offline') return answer;
  if (answer.ok) return messageAcked({ conversationId, clientId, message: answer.message });
  return messageFailed({ conversationId, clientId, error: answer.error });
}

export function addOutboxListeners(startListening: AppStartListening): void {
  // A session per connection: a disconnect cancels every send on its way.
  duringEveryConnection(startListening, async (api) => {
    const { link, outbox } = api.extra;
    /** Conversations whose queue is being sent in this session. */
    const sending = new Set<number>();
    const send = (id: number) => {
      if (sending.has(id)) return;
      sending.add(id);
      api.fork(async (task) => {
        for (;;) {
          const next = pendingMessages(task.getState().messages.byConversation[id])[0];
          if (next === undefined) return void sending.delete(id);
          const outcome = await deliver(task, link, outbox, id, next.id);
          if (outcome === 'offline') return void sending.delete(id);
          if (outcome !== null) task.dispatch(outcome);
        }
      });
    };
    conversationsToSend(api.getState()).forEach(send);
    for (;;) {
      await api.take(isAnyOf(messageQueued, messageRetried));
      // From the state, not the action: two messages queued in one turn wake this loop once.
      conversationsToSend(api.getState()).forEach(send);
    }
  });
}
