// The frame table: every server event becomes one action that says what happened. Flat, like
// mattermost-redux's websocket handler table; the socket link dispatches what it returns.
import type { UnknownAction } from '@reduxjs/toolkit';
import type { MessagesResponseEvent, ServerEventName, ServerToClientEvents } from '../../protocol';
import {
  conversationUpdated,
  conversationsReceived,
  errorReceived,
  historyLoaded,
  messageReceived,
  olderPageLoaded,
  messageUpdated,
  presenceChanged,
  readReceived,
  syncReceived,
  typingReceived,
} from '../events';
import { selectOpenConversationId } from '../messages/selectors';
import { oldestSeq, type Thread } from '../messages/thread';
import type { RootState } from '../reducer';

type Payload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** A conversation open on a hidden page is not being read. */
const pageVisible = (): boolean => typeof document === 'undefined' || document.visibilityState === 'visible';

/** Whether what arrives in this conversation is read as it arrives: it is on screen. */
const isRead = (s: RootState, id: number): boolean => selectOpenConversationId(s) === id && pageVisible();

/**
 * Which question a `messages_response` answers. `after_seq` marks a `sync` answer. Otherwise it is a
 * page: an older one when the thread asked for one and the page ends before the cached messages (or is
 * empty); any other page is the latest, a first history or a `sync` that missed too much (CONTRACT: it
 * replaces the cache), even while an older page is on its way or messages arrived during a first load.
 */
export function messagesResponseAction(p: MessagesResponseEvent, t: Thread | undefined): UnknownAction {
  if (p.after_seq !== undefined) return syncReceived(p);
  const oldest = t === undefined ? undefined : oldestSeq(t);
  const newest = p.messages.at(-1)?.seq;
  const older = t?.loaded === true && oldest !== undefined && (newest === undefined ? t.loadingOlder : newest < oldest);
  return older ? olderPageLoaded(p) : historyLoaded(p);
}

/** Server event → action. */
export const frameActions: { [E in ServerEventName]: (p: Payload<E>, s: RootState) => UnknownAction } = {
  conversations: (p) => conversationsReceived(p),
  messages_response: (p, s) => messagesResponseAction(p, s.messages.byConversation[p.conversation_id]),
  message: (p, s) => messageReceived(p, isRead(s, p.conversation_id)),
  conversation_updated: (p) => conversationUpdated(p),
  read: (p) => readReceived(p),
  message_updated: (p, s) => messageUpdated(p, isRead(s, p.conversation_id)),
  typing: (p) => typingReceived(p),
  presence: (p) => presenceChanged(p),
  error: (p) => errorReceived(p),
};
