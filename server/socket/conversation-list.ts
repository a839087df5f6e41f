// The `conversations` event: every conversation of a user, newest activity first.
import type { AppContext } from '../context';
import { listConversationSummaries } from '../db/conversations';
import { rooms } from './rooms';

/** Sends a fresh list to every open socket of the user. */
export async function pushConversationList(ctx: AppContext, userId: number): Promise<void> {
  const conversations = await listConversationSummaries(ctx.db, userId);
  ctx.io.to(rooms.user(userId)).emit('conversations', { conversations });
}
