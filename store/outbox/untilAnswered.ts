// The retry policy of every request that must reach the server (a send, an edit, a delete): sent on the
// connected socket and awaited; unanswered, tried again with backoff until the tries are spent; refused,
// done at once unless only `rate_limited`. A lost connection ends it: what is still recorded in the
// state goes out again on the next connect.
import type { ForkedTaskAPI } from '@reduxjs/toolkit';
import type { ProtocolError } from '../../protocol';
import { jittered } from '../listenerMiddleware';
import type { Answer } from '../socket/link';
import type { OutboxOptions } from './listeners';

const MAX_RETRY_DELAY_MS = 30_000;

type AnyAck = { ok: true } | { ok: false; error: ProtocolError };

/** Refused (`error`), or unanswered after every try (`error: null`). */
export type Refusal = { ok: false; error: ProtocolError | null };

/**
 * Sends what `request` sends until it is answered. `request` returns null when there is nothing left to
 * send (it stopped being pending meanwhile): then so does this. `offline`: the connection went.
 */
export async function untilAnswered<A extends AnyAck>(
  task: Pick<ForkedTaskAPI<unknown>, 'pause' | 'delay'>,
  options: OutboxOptions,
  request: () => Promise<Answer<A>> | null,
): Promise<Extract<A, { ok: true }> | Refusal | 'offline' | null> {
  for (let tries = 1; ; tries += 1) {
    const asked = request();
    if (asked === null) return null;
    const answer = await task.pause(asked);
    if (answer.kind === 'offline' || answer.kind === 'lost') return 'offline';
    const ack: AnyAck | null = answer.kind === 'ack' ? answer.ack : null;
    if (ack?.ok) return ack as Extract<A, { ok: true }>;
    const error = ack === null || ack.ok ? null : ack.error;
    const retryable = error === null || error.code === 'rate_limited';
    if (!retryable || (error === null && tries >= options.maxAttempts)) return { ok: false, error };
    await task.delay(jittered(Math.min(options.retryDelayMs * 2 ** (tries - 1), MAX_RETRY_DELAY_MS)));
  }
}
