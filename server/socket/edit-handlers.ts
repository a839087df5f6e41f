// edit_message and delete_message: the sender changes their own text message; both sides' other sockets
// hear of it through `message_updated`, the acting socket from the ack.
import {
  checkMessageText,
  type DeleteMessagePayload,
  type EditMessagePayload,
  type MessageChangeAck,
} from '../../protocol';
import { changeMessage, type Change, type ChangeRefusal } from '../db/message-changes';
import { toMessage } from '../db/messages';
import { broadcastMessage } from './broadcast';
import { FrameError } from './frame-error';
import { requireConversation, type Scope } from './scope';

/** A deleted message cannot be edited: `forbidden`, like any other message the user may not change. */
const REFUSALS: Record<ChangeRefusal, [FrameError['code'], string]> = {
  not_found: ['not_found', 'message not found'],
  not_sender: ['forbidden', 'only the sender may change a message'],
  not_text: ['forbidden', 'only text messages can be changed'],
  deleted: ['forbidden', 'a deleted message cannot be edited'],
};

async function applyChange(scope: Scope, conversationId: number, messageId: string, change: Change): Promise<MessageChangeAck> {
  const view = await requireConversation(scope, conversationId);
  const { userId } = scope.user;
  const outcome = await changeMessage(scope.ctx, { conversationId, publicId: messageId, userId, change });
  if (!outcome.ok) throw new FrameError(...REFUSALS[outcome.refusal], conversationId);
  // A repeat (the same text again, a second delete) tells nobody anything new.
  if (outcome.changed) {
    broadcastMessage(scope.ctx.io, outcome.record, [userId, view.counterpartId], scope.socket, 'message_updated');
  }
  return { ok: true, message: toMessage(outcome.record, userId) };
}

export async function editMessageFrame(scope: Scope, payload: EditMessagePayload): Promise<MessageChangeAck> {
  const text = checkMessageText(payload.message);
  if (!text.ok) throw new FrameError(text.error.code, text.error.message, payload.conversation_id);
  return applyChange(scope, payload.conversation_id, payload.message_id, { kind: 'edit', text: text.data });
}

export async function deleteMessageFrame(scope: Scope, payload: DeleteMessagePayload): Promise<MessageChangeAck> {
  return applyChange(scope, payload.conversation_id, payload.message_id, { kind: 'delete' });
}
