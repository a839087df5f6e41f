// What every handler works with: the app, the socket, and the signed-in user behind it.
import type { AppContext } from '../context';
import { findConversationView, type ConversationView } from '../db/conversations';
import type { SessionUser } from '../db/sessions';
import type { Sender } from '../db/messages';
import { notFound } from './frame-error';
import type { InboxSocket } from './types';

export type Scope = { ctx: AppContext; socket: InboxSocket; user: SessionUser };

/**
 * A frame's turn: a user's frames are handled one after another, each until its handler returns or calls
 * `ordered()`, saying that what must happen in the frames' order has happened (its write is in the
 * writer's queue). The frame still counts as waiting until it is answered.
 */
export type FrameTurn = { ordered: () => void };

/** The conversation as this user sees it; `not_found` alike for a missing one and one the user is not in. */
export async function requireConversation(scope: Scope, conversationId: number): Promise<ConversationView> {
  const view = await findConversationView(scope.ctx.db, scope.user.userId, conversationId);
  if (!view) throw notFound(conversationId);
  return view;
}

export function senderOf(user: SessionUser): Sender {
  return { userId: user.userId, name: user.name, avatar: user.avatar };
}
