// The outbox: sends the pending (optimistic) messages kept in the messages cache, one at a time per
// conversation, in send order, each until acked. An unanswered send is tried again with the same
// client_id (the server stores it once) with backoff, and is `failed` after `maxAttempts`; a refused one
// fails at once unless it was only `rate_limited`. Sending happens in a session per connection (queues.ts):
// a disconnect cancels it, and the next connect starts over from what is still pending.
import { isAnyOf, type ForkedTaskAPI } from '@reduxjs/toolkit';
import { messageAcked, messageFailed } from '../events';
import { messageQueued, messageRetried } from '../intents';
import type { AppStartListening, ListenerExtra } from '../listenerMiddleware';
import { pendingMessages } from '../messages/thread';
import type { RootState } from '../reducer';
import { sendQueues } from './queues';
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

type Pending = { conversationId: number; clientId: string };

/**
 * Sends one message until it is acked, refused or out of tries. Null when it stopped being pending
 * meanwhile (a sync brought it, or it is gone); `offline` when the connection went (the next one sends it).
 */
async function deliver(task: ForkedTaskAPI<RootState>, { link, outbox }: ListenerExtra, { conversationId, clientId }: Pending) {
  const answer = await untilAnswered(task, outbox, () => {
    const thread = task.getState().messages.byConversation[conversationId];
    const message = pendingMessages(thread).find((m) => m.id === clientId);
    if (message === undefined) return null;
    const payload = { conversation_id: conversationId, message: message.message_text, type: 'TEXT' as const, client_id: clientId };
    return link.request('send_message', payload, outbox.ackTimeoutMs);
  });
  if (answer === null || answer === 'offline') return answer;
  if (answer.ok) return messageAcked({ conversationId, clientId, message: answer.message });
  return messageFailed({ conversationId, clientId, error: answer.error });
}

export function addOutboxListeners(startListening: AppStartListening): void {
  sendQueues<Pending>(startListening, {
    wakeOn: isAnyOf(messageQueued, messageRetried),
    conversations: conversationsToSend,
    next: (state, conversationId) => {
      const first = pendingMessages(state.messages.byConversation[conversationId])[0];
      return first === undefined ? undefined : { conversationId, clientId: first.id };
    },
    deliver,
  });
}
