// typing: ephemeral, and the first thing dropped under load (CONTRACT section 8). Never stored, never acked,
// relayed to the other participant's sockets only, with no database query per frame: each socket keeps the
// conversations it may type in and their counterparts, loaded with its conversation list on connect.
import type { TypingPayload } from '../../protocol';
import { TokenBucket } from './rate-limit';
import { rooms } from './rooms';
import { requireConversation, type Scope } from './scope';
import type { InboxSocket } from './types';

/** Relayed per socket at most 2 a second, bursts of 4: a composer sends one every 3 s per conversation. */
const TYPING_PER_SECOND = 2;

type SocketTyping = { bucket: TokenBucket; counterparts: Map<number, number> };
const typingOf = new WeakMap<InboxSocket, SocketTyping>();

function stateOf(socket: InboxSocket): SocketTyping {
  let state = typingOf.get(socket);
  if (!state) {
    state = { bucket: new TokenBucket(TYPING_PER_SECOND), counterparts: new Map() };
    typingOf.set(socket, state);
  }
  return state;
}

/** On connect: each conversation of the socket's user and its counterpart's user id. */
export function rememberConversations(socket: InboxSocket, conversations: Iterable<{ conversationId: number; counterpartId: number }>): void {
  const { counterparts } = stateOf(socket);
  for (const { conversationId, counterpartId } of conversations) counterparts.set(conversationId, counterpartId);
}

export async function typingFrame(scope: Scope, payload: TypingPayload): Promise<void> {
  const state = stateOf(scope.socket);
  // Over the limit: dropped without a word (an error frame would cost more than the typing).
  if (!state.bucket.take()) return;
  const conversationId = payload.conversation_id;
  let counterpartId = state.counterparts.get(conversationId);
  if (counterpartId === undefined) {
    // A conversation added since connect (an admin live join, on any process), or none of the user's: looked
    // up once, and then known; not_found as for any frame. The bucket above bounds these lookups.
    counterpartId = (await requireConversation(scope, conversationId)).counterpartId;
    state.counterparts.set(conversationId, counterpartId);
  }
  // volatile: a socket whose transport is still writing earlier output (a client that does not read, a
  // slow link) gets no typing; nothing is queued for it. The same flag travels through the Redis adapter.
  scope.ctx.io.to(rooms.user(counterpartId)).volatile.emit('typing', { conversation_id: conversationId, name: scope.user.name });
}
