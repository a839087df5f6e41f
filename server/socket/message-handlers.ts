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
import { countConversations, type ConversationView } from '../db/conversations';
import { messagesChangedAfter } from '../db/message-changes';
import { messagesAfter, pageOfMessages, storeMessage, toMessage, type MessageRecord } from '../db/messages';
import { broadcastMessage } from './broadcast';
import { FrameError } from './frame-error';
import { counterpartIn } from './participation';
import { requireConversation, senderOf, type FrameTurn, type Scope } from './scope';

/** Answers with one `messages_response`: the records as this user sees them, and the conversation. */
function answerMessages(scope: Scope, view: ConversationView, records: MessageRecord[], hasMore: boolean, afterSeq?: number): void {
  const event: MessagesResponseEvent = {
    conversation_id: view.conversation.id,
    messages: records.map((r) => toMessage(r, scope.user.userId)),
    conversation: view.conversation,
    has_more: hasMore,
    rev: view.rev,
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

export async function sendMessageFrame(scope: Scope, payload: SendMessagePayload, frame: FrameTurn): Promise<SendMessageAck> {
  const text = checkMessageText(payload.message);
  if (!text.ok) throw new FrameError(text.error.code, text.error.message, payload.conversation_id);
  // Who else is in it, from what the socket knows: no query before the write.
  const counterpartId = await counterpartIn(scope, payload.conversation_id);
  const storing = storeMessage(scope.ctx, {
    conversationId: payload.conversation_id,
    sender: senderOf(scope.user),
    clientId: payload.client_id,
    text: text.data,
    type: 'TEXT',
  });
  // Its seq is taken in the order of the writes: the user's next frame need not wait for this one's fsync.
  if (scope.ctx.writesInCallOrder) frame.ordered();
  const stored = await storing;
  // Every other socket of both sides; the sending one learns of it from the ack. A repeat sends nothing.
  if (stored.created) broadcastMessage(scope.ctx.io, stored.record, [scope.user.userId, counterpartId], scope.socket);
  return { ok: true, message: toMessage(stored.record, scope.user.userId) };
}

export async function sync(scope: Scope, payload: SyncPayload): Promise<void> {
  // Entries are distinct (the schema); more of them than the user has conversations is not a catch-up. One
  // entry (a thread that saw a gap) needs no count: it is answered on its own, not_found when not theirs.
  const entries = payload.conversations.length;
  if (entries > 1 && entries > (await countConversations(scope.ctx.db, scope.user.userId))) {
    throw new FrameError('bad_request', 'sync: conversations: more entries than conversations');
  }
  for (const entry of payload.conversations) {
    try {
      await syncOne(scope, entry);
    } catch (error) {
      // One unknown conversation must not cost the client the catch-up of the others.
      if (!(error instanceof FrameError)) throw error;
      scope.ctx.metrics.frameFailed('sync', error.code);
      scope.socket.emit('error', error.toEvent());
    }
  }
}

type SyncEntry = SyncPayload['conversations'][number];

/**
 * Every message after `after_seq`, and with `after_rev` also every message up to it changed since (edits and
 * deletes made while the client was away), in one answer, oldest first. More than 200 in all: the latest
 * page instead, which replaces the client's cache.
 */
async function syncOne(scope: Scope, entry: SyncEntry): Promise<void> {
  const { conversation_id: conversationId, after_seq: afterSeq, after_rev: afterRev } = entry;
  // The view (last_seq, rev) is read first: whatever commits meanwhile is answered again next time, never lost.
  const view = await requireConversation(scope, conversationId);
  const missed = Math.max(0, view.lastSeq - afterSeq);
  let changed: MessageRecord[] | null = [];
  if (missed <= LIMITS.syncMaxGap && afterRev !== undefined && afterRev < view.rev) {
    const limit = LIMITS.syncMaxGap - missed;
    changed = await messagesChangedAfter(scope.ctx.db, conversationId, { afterRev, upToSeq: afterSeq, limit });
  }
  if (missed > LIMITS.syncMaxGap || changed === null) {
    // Too far behind: the latest page replaces the client's cache.
    const page = await pageOfMessages(scope.ctx.db, conversationId, { limit: LIMITS.pageDefault });
    return answerMessages(scope, view, page.records, page.hasMore);
  }
  // Bounded even when messages arrived since the view was read: past the gap, the latest page as above.
  const records = await messagesAfter(scope.ctx.db, conversationId, afterSeq, LIMITS.syncMaxGap + 1);
  if (records.length > LIMITS.syncMaxGap) {
    const page = await pageOfMessages(scope.ctx.db, conversationId, { limit: LIMITS.pageDefault });
    return answerMessages(scope, view, page.records, page.hasMore);
  }
  answerMessages(scope, view, [...changed, ...records], Math.min(afterSeq, view.lastSeq) > 0, afterSeq);
}
