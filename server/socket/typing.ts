// typing: ephemeral, and the first thing dropped under load (CONTRACT section 8). Never stored, never acked,
// relayed to the other participant's sockets only, with no database query per frame: the counterpart comes
// from what the socket knows of its conversations (participation.ts).
import type { TypingPayload } from '../../protocol';
import { counterpartIn } from './participation';
import { TokenBucket } from './rate-limit';
import { rooms } from './rooms';
import type { Scope } from './scope';
import type { InboxSocket } from './types';

/** Relayed per socket at most 2 a second, bursts of 4: a composer sends one every 3 s per conversation. */
const TYPING_PER_SECOND = 2;

const bucketOf = new WeakMap<InboxSocket, TokenBucket>();

export async function typingFrame(scope: Scope, payload: TypingPayload): Promise<void> {
  let bucket = bucketOf.get(scope.socket);
  if (!bucket) bucketOf.set(scope.socket, (bucket = new TokenBucket(TYPING_PER_SECOND)));
  // Over the limit: dropped without a word (an error frame would cost more than the typing).
  if (!bucket.take()) return;
  const conversationId = payload.conversation_id;
  // A conversation the socket does not know yet is looked up once (not_found as for any frame); the bucket
  // above bounds these lookups.
  const counterpartId = await counterpartIn(scope, conversationId);
  // volatile: a socket whose transport is still writing earlier output (a client that does not read, a
  // slow link) gets no typing; nothing is queued for it. The same flag travels through the Redis adapter.
  scope.ctx.io.to(rooms.user(counterpartId)).volatile.emit('typing', { conversation_id: conversationId, name: scope.user.name });
}
