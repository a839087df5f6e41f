// mark_complete: one side marks its job complete.
import type { MarkCompleteAck, MarkCompletePayload } from '../../protocol';
import { findConversationView } from '../db/conversations';
import { markJobComplete } from '../db/jobs';
import { deliverMessage } from './message-handlers';
import { rooms } from './rooms';
import { requireConversation, senderOf, type Scope } from './scope';

export async function markComplete(scope: Scope, payload: MarkCompletePayload): Promise<MarkCompleteAck> {
  const conversationId = payload.conversation_id;
  const view = await requireConversation(scope, conversationId);
  const system = await markJobComplete(scope.ctx.db, {
    conversationId,
    jobId: view.conversation.job.id,
    role: view.conversation.my_role,
    marker: senderOf(scope.user),
  });
  if (!system) return { ok: true, conversation: view.conversation };

  deliverMessage(scope, system, view.counterpartId, 'all');
  const { io, db } = scope.ctx;
  let mine = view.conversation;
  for (const userId of [scope.user.userId, view.counterpartId]) {
    const updated = await findConversationView(db, userId, conversationId);
    if (!updated) continue;
    if (userId === scope.user.userId) mine = updated.conversation;
    io.to(rooms.user(userId)).emit('conversation_updated', { conversation_id: conversationId, conversation: updated.conversation });
  }
  return { ok: true, conversation: mine };
}
