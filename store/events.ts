// What the socket reports: one action per server frame or ack, dispatched only by the frame table
// (socket/frames.ts), the socket link and the listeners that wait for acks.
import { createAction } from '@reduxjs/toolkit';
import type {
  Conversation,
  ConversationUpdatedEvent,
  ConversationsEvent,
  ErrorEvent,
  Message,
  MessageEvent,
  MessageUpdatedEvent,
  MessagesResponseEvent,
  PresenceEvent,
  ProtocolError,
  ReadEvent,
  TypingEvent,
} from '../protocol';

export const socketConnected = createAction('socket/connected');
/** `reason`: socket.io's disconnect reason, or `connect_error` for a refused (re)connection attempt. */
export const socketDisconnected = createAction<{ reason: string }>('socket/disconnected');
export const socketAuthFailed = createAction('socket/authFailed');

export const conversationsReceived = createAction<ConversationsEvent>('socket/conversations');

// A `messages_response` answers one of three questions; the frame table says which.
/** The latest page of a conversation: its first history, or a `sync` that missed too much to answer. */
export const historyLoaded = createAction<MessagesResponseEvent>('socket/historyLoaded');
/** A page from before the oldest cached message (`get_messages` with `before_seq`). */
export const olderPageLoaded = createAction<MessagesResponseEvent>('socket/olderPageLoaded');
/** Everything after a `sync` entry's `after_seq`. */
export const syncReceived = createAction<MessagesResponseEvent>('socket/syncReceived');

/** `open`: the conversation is the one on screen, so its unread count does not rise. */
export const messageReceived = createAction(
  'socket/message',
  (frame: MessageEvent, open: boolean) => ({ payload: frame, meta: { open } }),
);
export const conversationUpdated = createAction<ConversationUpdatedEvent>(
  'socket/conversationUpdated',
);
export const readReceived = createAction<ReadEvent>('socket/read');
/**
 * An edit or delete of a message (CONTRACT section 9). `open` as for `messageReceived`: a change can
 * overtake the message it changes, and then it is that message's arrival.
 */
export const messageUpdated = createAction(
  'socket/messageUpdated',
  (frame: MessageUpdatedEvent, open: boolean) => ({ payload: frame, meta: { open } }),
);
/** The other side is typing (section 8): ephemeral, shown for a few seconds. */
export const typingReceived = createAction<TypingEvent>('socket/typing');
/** No `typing` came for `LIMITS.typingShownMs`: the other side stopped. */
export const typingExpired = createAction<{ conversationId: number }>('socket/typingExpired');
/** The counterpart of a conversation came online or went offline (section 8). */
export const presenceChanged = createAction<PresenceEvent>('socket/presence');
export const errorReceived = createAction<ErrorEvent>('socket/error');

export const messageAcked = createAction<{ conversationId: number; clientId: string; message: Message }>(
  'socket/messageAcked',
);
/** The outbox gave up on a message: refused (`error`), or unanswered after every try (`error: null`). */
export const messageFailed = createAction<{
  conversationId: number;
  clientId: string;
  error: ProtocolError | null;
}>('socket/messageFailed');
export const markCompleteAcked = createAction<{ conversation: Conversation }>(
  'socket/markCompleteAcked',
);
/** My edit or delete (`changeId`) was acked: `message` is the message as the server now has it. */
export const messageChangeAcked = createAction<{
  conversationId: number;
  messageId: string;
  changeId: string;
  message: Message;
}>('socket/messageChangeAcked');
/** My edit or delete was refused (`error`), or unanswered after every try (`error: null`): rolled back. */
export const messageChangeFailed = createAction<{
  conversationId: number;
  messageId: string;
  changeId: string;
  error: ProtocolError | null;
}>('socket/messageChangeFailed');
/** `mark_complete` was refused (`error`) or not answered in time (`error: null`). */
export const markCompleteFailed = createAction<{ conversationId: number; error: ProtocolError | null }>(
  'socket/markCompleteFailed',
);
