// Fan-out: how an event reaches people. Every socket is in its user's room, so one emit to that room reaches
// all of the user's tabs, on every process (through the Redis adapter when there are several). What differs
// per viewer (`is_mine`, `reader_is_me`, `my_role`) is in the payload built for each user.
import type { Conversation, ServerEventName, ServerToClientEvents } from '../../protocol';
import type { AppContext } from '../context';
import { findConversationView, listConversations } from '../db/conversations';
import { toMessage, type MessageRecord } from '../db/messages';
import { OutageAwareAdapter } from './redis-outage';
import { rooms } from './rooms';
import type { InboxServer, InboxSocket } from './types';

type Payload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * Sends `event` to every socket of each user with that user's payload. `except`: the socket the event came
 * from, which learns of it otherwise (the sender's own socket gets its message in the ack).
 */
export function toEachUser<E extends ServerEventName>(
  io: InboxServer,
  event: E,
  payloads: Iterable<[userId: number, payload: Payload<E>]>,
  except?: InboxSocket,
): void {
  for (const [userId, payload] of payloads) {
    const name = rooms.user(userId);
    if (!heardBySomeone(io, name, except)) continue;
    const room = io.to(name);
    (except ? room.except(except.id) : room).emit(event, ...([payload] as Parameters<ServerToClientEvents[E]>));
  }
}

/**
 * False when an emit to `room` would reach no socket: on one process (no Redis adapter), the room holds
 * none but `except`. socket.io encodes a broadcast before it looks for its sockets, and a send's copy for
 * the sender's other tabs usually has none (half of the broadcasts' encoding at the fan-out's saturation).
 * With Redis, sockets of other processes may hear it: always emitted.
 */
function heardBySomeone(io: InboxServer, room: string, except?: InboxSocket): boolean {
  const adapter = io.sockets.adapter;
  if (adapter instanceof OutageAwareAdapter) return true;
  const sockets = adapter.rooms.get(room);
  if (!sockets) return false;
  return sockets.size > (except && sockets.has(except.id) ? 1 : 0);
}

/** A new message (or, as `message_updated`, a changed one) to each participant, with its own `is_mine`. */
export function broadcastMessage(
  io: InboxServer,
  record: MessageRecord,
  userIds: readonly number[],
  except?: InboxSocket,
  event: 'message' | 'message_updated' = 'message',
): void {
  const payloads = userIds.map((userId): [number, Payload<'message'>] => [
    userId,
    { conversation_id: record.conversationId, message: toMessage(record, userId) },
  ]);
  toEachUser(io, event, payloads, except);
}

/** `conversation_updated` to each participant, with the conversation as they see it; returns those views. */
export async function broadcastConversation(
  ctx: AppContext,
  conversationId: number,
  userIds: readonly number[],
): Promise<Map<number, Conversation>> {
  const views = new Map<number, Conversation>();
  for (const userId of userIds) {
    const view = await findConversationView(ctx.db, userId, conversationId);
    if (view) views.set(userId, view.conversation);
  }
  const payloads = [...views].map(([userId, conversation]): [number, Payload<'conversation_updated'>] => [
    userId,
    { conversation_id: conversationId, conversation },
  ]);
  toEachUser(ctx.io, 'conversation_updated', payloads);
  return views;
}

/**
 * A fresh `conversations` list to every socket of the user. Sockets on other processes would miss it while
 * Redis is down, and `sync` names only conversations a client knows: so it is sent again when Redis is back.
 */
export async function pushConversationList(ctx: AppContext, userId: number): Promise<void> {
  const conversations = await ctx.presence.summaries(await listConversations(ctx.db, userId));
  toEachUser(ctx.io, 'conversations', [[userId, { conversations }]]);
  ctx.keepForRedisReturn(`conversations:${userId}`, () => {
    pushConversationList(ctx, userId).catch((error: unknown) => ctx.log.error({ err: error, user: userId }, 'conversation list not sent'));
  });
}
