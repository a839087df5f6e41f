// What the socket reports: one action per server frame or ack, dispatched only by the middleware.
import { createAction } from '@reduxjs/toolkit';
import type {
  Conversation,
  ConversationUpdatedEvent,
  ConversationsEvent,
  ErrorEvent,
  Message,
  MessageEvent,
  MessagesResponseEvent,
  ProtocolError,
  ReadEvent,
} from '../protocol';

export const socketConnected = createAction('socket/connected');
export const socketDisconnected = createAction('socket/disconnected');
export const socketAuthFailed = createAction('socket/authFailed');

export const conversationsReceived = createAction<ConversationsEvent>('socket/conversations');
export const messagesReceived = createAction<MessagesResponseEvent>('socket/messagesResponse');
/** `open`: the conversation is the one on screen, so its unread count does not rise. */
export const messageReceived = createAction(
  'socket/message',
  (frame: MessageEvent, open: boolean) => ({ payload: frame, meta: { open } }),
);
export const conversationUpdated = createAction<ConversationUpdatedEvent>(
  'socket/conversationUpdated',
);
export const readReceived = createAction<ReadEvent>('socket/read');
export const errorReceived = createAction<ErrorEvent>('socket/error');

export const messageAcked = createAction<{ conversationId: number; clientId: string; message: Message }>(
  'socket/messageAcked',
);
export const messageFailed = createAction<{
  conversationId: number;
  clientId: string;
  error: ProtocolError | null;
}>('socket/messageFailed');
export const markCompleteAcked = createAction<{ conversation: Conversation }>(
  'socket/markCompleteAcked',
);
