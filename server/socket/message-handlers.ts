// get_messages, send_message and sync: reading and writing a conversation's messages.
import {
  checkMessageText,
  LIMITS,
  type GetMessagesPayload,
  type SendMessageAck,
  type SendMessagePayload,
  type SyncPayload,
} from '../../protocol';
import { messagesAfter, pageOfMessages, storeMessage, toMessage, type MessageRecord } from '../db/messages';
import { FrameError } from './frame-error';
import { rooms } from './rooms';
import { requireConversation, senderOf, type Scope } from './scope';

export async function getMessages(scope: Scope, payload: GetMessagesPayload): Promise<void> {
  const view = await requireConversation(scope, payload.conversation_id);
  const page = await pageOfMessages(scope.ctx.db, payload.conversation_id, {
    beforeSeq: payload.before_seq,
    limit: payload.limit ?? LIMITS.pageDefault,
  });
  scope.socket.emit('messages_response', {
    conversation_id: payload.conversation_id,
    messages: page.records.map((r) => toMessage(r, scope.user.userId)),
    conversation: view.conversation,
    has_more: page.hasMore,
  });
}

/** A new message reaches every other socket of both sides, each with its own `is_mine`. */
export function deliverMessage(scope: Scope, record: MessageRecord, counterpartId: number, toSender: 'others' | 'all') {
  const payload = (viewerId: number) => ({ conversation_id: record.conversationId, message: toMessage(record, viewerId) });
  const senderRoom = rooms.user(scope.user.userId);
  const mine = toSender === 'all' ? scope.ctx.io.to(senderRoom) : scope.socket.to(senderRoom);
  mine.emit('message', payload(scope.user.userId));
  scope.ctx.io.to(rooms.user(counterpartId)).emit('message', payload(counterpartId));
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
  if (stored.created) deliverMessage(scope, stored.record, view.counterpartId, 'others');
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
    scope.socket.emit('messages_response', {
      conversation_id: conversationId,
      messages: page.records.map((r) => toMessage(r, scope.user.userId)),
      conversation: view.conversation,
      has_more: page.hasMore,
    });
    return;
  }
  const records = await messagesAfter(scope.ctx.db, conversationId, afterSeq);
  scope.socket.emit('messages_response', {
    conversation_id: conversationId,
    messages: records.map((r) => toMessage(r, scope.user.userId)),
    conversation: view.conversation,
    has_more: Math.min(afterSeq, view.lastSeq) > 0,
    after_seq: afterSeq,
  });
}
