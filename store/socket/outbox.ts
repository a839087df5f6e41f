// Sends the pending (optimistic) messages kept in the store: one at a time per conversation, in send
// order, each until acked. A silent ack is retried with the same client_id (the server is idempotent by
// it) with backoff, and gives up as `failed` after `maxAttempts`; a refused one fails at once unless it
// was only `rate_limited`. While disconnected nothing is sent; `flush` resumes on reconnect.
import type { UnknownAction } from '@reduxjs/toolkit';
import type { SendMessageAck } from '../../protocol';
import { messageAcked, messageFailed } from '../events';
import type { RootState } from '../reducer';
import type { InboxSocket } from './client';

export type OutboxOptions = { ackTimeoutMs: number; maxAttempts: number; retryDelayMs: number };

export const DEFAULT_OUTBOX: OutboxOptions = { ackTimeoutMs: 5000, maxAttempts: 4, retryDelayMs: 1000 };

const MAX_RETRY_DELAY_MS = 30_000;

type Deps = {
  getState: () => RootState;
  dispatch: (action: UnknownAction) => void;
  socket: () => InboxSocket | null;
};

type Attempt = { clientId: string; tries: number; timer?: ReturnType<typeof setTimeout> };

function pendingIn(state: RootState, conversationId: number) {
  const t = state.messages.byConversation[conversationId];
  return (t?.localIds ?? []).map((id) => t!.entities[id]!).filter((m) => m.status === 'pending');
}

export function createOutbox(deps: Deps, options: OutboxOptions) {
  /** The message on its way, per conversation. */
  const inFlight = new Map<number, Attempt>();

  function connectedSocket(): InboxSocket | null {
    const socket = deps.socket();
    return socket?.connected ? socket : null;
  }

  function pump(conversationId: number): void {
    if (inFlight.has(conversationId)) return;
    const next = pendingIn(deps.getState(), conversationId)[0];
    if (next !== undefined) send(conversationId, { clientId: next.id, tries: 0 });
  }

  function settle(conversationId: number, action?: UnknownAction): void {
    inFlight.delete(conversationId);
    if (action !== undefined) deps.dispatch(action);
    pump(conversationId);
  }

  function send(conversationId: number, attempt: Attempt): void {
    const socket = connectedSocket();
    const message = pendingIn(deps.getState(), conversationId).find((m) => m.id === attempt.clientId);
    // Disconnected: flush() starts over on reconnect. Gone or confirmed meanwhile: next one.
    if (socket === null) return void inFlight.delete(conversationId);
    if (message === undefined) return settle(conversationId);
    inFlight.set(conversationId, attempt);
    attempt.tries += 1;
    const payload = {
      conversation_id: conversationId,
      message: message.message_text,
      type: 'TEXT' as const,
      client_id: attempt.clientId,
    };
    socket.timeout(options.ackTimeoutMs).emit('send_message', payload, (err: Error | null, ack: SendMessageAck) => {
      // A stale attempt (suspended by a disconnect, or superseded) has nothing more to say.
      if (inFlight.get(conversationId) !== attempt || connectedSocket() === null) return;
      const { clientId } = attempt;
      if (err === null && ack.ok) return settle(conversationId, messageAcked({ conversationId, clientId, message: ack.message }));
      const error = err === null && !ack.ok ? ack.error : null;
      const retryable = error === null || error.code === 'rate_limited';
      if (!retryable || (error === null && attempt.tries >= options.maxAttempts)) {
        return settle(conversationId, messageFailed({ conversationId, clientId, error }));
      }
      const backoff = Math.min(options.retryDelayMs * 2 ** (attempt.tries - 1), MAX_RETRY_DELAY_MS);
      const delay = backoff * (0.5 + Math.random());
      attempt.timer = setTimeout(() => send(conversationId, attempt), delay);
    });
  }

  /** Starts every conversation's queue, the one with the oldest pending message first. */
  function flush(): void {
    const state = deps.getState();
    const firstPending = (id: number) => pendingIn(state, id)[0]?.created_at ?? '';
    Object.keys(state.messages.byConversation)
      .map(Number)
      .filter((id) => firstPending(id) !== '')
      .sort((a, b) => firstPending(a).localeCompare(firstPending(b)))
      .forEach(pump);
  }

  /** The connection dropped: every ack on its way is lost; the messages stay pending. */
  function suspend(): void {
    for (const attempt of inFlight.values()) clearTimeout(attempt.timer);
    inFlight.clear();
  }

  return { pump, flush, suspend };
}
