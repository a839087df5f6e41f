// mark_complete: one side marks its job complete.
import type { MarkCompleteAck, MarkCompletePayload } from '../../protocol';
import { markJobComplete } from '../db/jobs';
import { broadcastConversation, broadcastMessage } from './broadcast';
import { requireConversation, senderOf, type Scope } from './scope';

export async function markComplete(scope: Scope, payload: MarkCompletePayload): Promise<MarkCompleteAck> {
  const conversationId = payload.conversation_id;
  const view = await requireConversation(scope, conversationId);
  const system = await markJobComplete(scope.ctx, {
    conversationId,
    jobId: view.conversation.job.id,
    role: view.conversation.my_role,
    marker: senderOf(scope.user),
  });
  if (!system) return { ok: true, conversation: view.conversation };

  // The SYSTEM message goes to every socket of both sides, the marking one included.
  const participants = [scope.user.userId, view.counterpartId];
  broadcastMessage(scope.ctx.io, system, participants);
  const updated = await broadcastConversation(scope.ctx, conversationId, participants);
  return { ok: true, conversation: updated.get(scope.user.userId) ?? view.conversation };
}
