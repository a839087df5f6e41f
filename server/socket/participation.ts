// Which conversations a socket's user is in, and the counterpart in each: in memory, so that a send or a
// typing frame does not ask the database. Loaded with the conversation list on connect, added to on this
// process when the admin API creates a conversation for the user, and on first use of one created elsewhere
// (another process, or between the list and the join). Nobody ever leaves a conversation, and a job's changes
// change neither who is in it nor who the counterpart is, so what a socket knows stays true.
import type { AppContext } from '../context';
import { rooms } from './rooms';
import { requireConversation, type Scope } from './scope';
import type { InboxSocket } from './types';

type Joined = { conversationId: number; counterpartId: number };

const counterpartsOf = new WeakMap<InboxSocket, Map<number, number>>();

function known(socket: InboxSocket): Map<number, number> {
  let counterparts = counterpartsOf.get(socket);
  if (!counterparts) {
    counterparts = new Map();
    counterpartsOf.set(socket, counterparts);
  }
  return counterparts;
}

/** On connect: each conversation of the socket's user and its counterpart's user id. */
export function rememberConversations(socket: InboxSocket, conversations: Iterable<Joined>): void {
  const counterparts = known(socket);
  for (const { conversationId, counterpartId } of conversations) counterparts.set(conversationId, counterpartId);
}

/** A conversation created for `userId`: every socket of theirs on this process knows it from now on. */
export function rememberJoined(ctx: AppContext, userId: number, joined: Joined): void {
  for (const id of ctx.io.of('/').adapter.rooms.get(rooms.user(userId)) ?? []) {
    const socket = ctx.io.of('/').sockets.get(id);
    if (socket) rememberConversations(socket, [joined]);
  }
}

/**
 * The counterpart of the socket's user in the conversation; `not_found` alike for a missing one and one the
 * user is not in (looked up in the database then, and remembered once found).
 */
export async function counterpartIn(scope: Scope, conversationId: number): Promise<number> {
  const counterparts = known(scope.socket);
  const remembered = counterparts.get(conversationId);
  if (remembered !== undefined) return remembered;
  const { counterpartId } = await requireConversation(scope, conversationId);
  counterparts.set(conversationId, counterpartId);
  return counterpartId;
}
