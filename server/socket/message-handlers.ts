// get_messages, send_message and sync: reading and writing a conversation's messages.
import {
  checkMessageText,
  LIMITS,
  type GetMessagesPayload,
  type MessagesResponseEvent,
  type SendMessageAck,
  type SendMessagePayload,
  type SyncPayload,
} from '../../protocol';
import type { ConversationView } from '../db/conversations';
import { messagesAfter, pageOfMessages, storeMessage, toMessage, type MessageRecord } from '../db/messages';
import { broadcastMessage } from './broadcast';
import { FrameError } from './frame-error';
import { requireConversation, senderOf, type Scope } from './scope';

/** Answers with one `messages_response`: the records as this user sees them, and the conversation. */
function answerMessages(scope: Scope, view: ConversationView, records: MessageRecord[], hasMore: boolean, afterSeq?: number): void {
  const event: MessagesResponseEvent = {
    conversation_id: view.conversation.id,
    messages: records.map((r) => toMessage(r, scope.user.userId)),
    conversation: view.conversation,
    has_more: hasMore,
    rev: 0,
  };
  if (afterSeq !== undefined) event.after_seq = afterSeq;
  scope.socket.emit('messages_response', event);
}

export async function getMessages(scope: Scope, payload: GetMessagesPayload): Promise<void> {
  const view = await requireConversation(scope, payload.conversation_id);
  const page = await pageOfMessages(scope.ctx.db, payload.conversation_id, {
    beforeSeq: payload.before_seq,
    limit: payload.limit ?? LIMITS.pageDefault,
  });
  answerMessages(scope, view, page.records, page.hasMore);
}

export async function sendMessageFrame(scope: Scope, payload: SendMessagePayload): Promise<SendMessageAck> {
  const text = checkMessageText(payload.message);
  if (!text.ok) throw new FrameError(text.error.code, text.error.message, payload.conversation_id);
  const view = await requireConversation(scope, payload.conversation_id);
  const stored = await storeMessage(scope.ctx, {
    conversationId: payload.conversation_id,
    sender: senderOf(scope.user),
    clientId: payload.client_id,
    text: text.data,
    type: 'TEXT',
  });
  // Every other socket of both sides; the sending one learns of it from the ack. A repeat sends nothing.
  if (stored.created) broadcastMessage(scope.ctx.io, stored.record, [scope.user.userId, view.counterpartId], scope.socket);
  return { ok: true, message: toMessage(stored.record, scope.user.userId) };
}

export async function sync(scope: Scope, payload: SyncPayload): Promise<void> {
  for (const entry of payload.conversations) {
    try {
      await syncOne(scope, entry.conversation_id, entry.after_seq);
    } catch (error) {
      // One unknown conversation must not cost the client the catch-up of the others.
      if (!(error instanceof FrameError)) throw error;
      scope.socket.emit('error', error.toEvent());
    }
  }
}

async function syncOne(scope: Scope, conversationId: number, afterSeq: number): Promise<void> {
  const view = await requireConversation(scope, conversationId);
  const missed = view.lastSeq - afterSeq;
  if (missed > LIMITS.syncMaxGap) {
    // Too far behind: the latest page replaces the client's cache.
    const page = await pageOfMessages(scope.ctx.db, conversationId, { limit: LIMITS.pageDefault });
    return answerMessages(scope, view, page.records, page.hasMore);
  }
  const records = await messagesAfter(scope.ctx.db, conversationId, afterSeq);
  answerMessages(scope, view, records, Math.min(afterSeq, view.lastSeq) > 0, afterSeq);
}
