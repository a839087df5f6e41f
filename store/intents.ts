// What the user (through the UI) asks for: past-tense events the reducers and the listeners react to.
// Components dispatch only these; they never touch the socket.
import { createAction } from '@reduxjs/toolkit';

export const inboxStarted = createAction('inbox/started');
export const inboxStopped = createAction('inbox/stopped');

/** `null`: no conversation open. */
export const conversationOpened = createAction<{ conversationId: number | null }>(
  'inbox/conversationOpened',
);

/**
 * The pointer rested on a conversation's link, or the keyboard focused it: load its history in the
 * background, so that opening it finds it cached (CONTRACT section 7).
 */
export const conversationPrefetched = createAction<{ conversationId: number }>('inbox/conversationPrefetched');

/**
 * A message was written and put in the outbox: shown at once as `pending` until its ack. Makes the
 * client_id and the local timestamp here, so the reducers stay pure.
 */
export const messageQueued = createAction(
  'messages/queued',
  (input: { conversationId: number; text: string }) => ({
    payload: { ...input, clientId: newClientId(), createdAt: queuedAt() },
  }),
);

let lastQueuedAt = 0;

/**
 * The local time of a queued message, strictly later than the one queued before it: the outbox is kept on
 * disk by client_id and put back in order by this time after a reload, so two messages written in the same
 * millisecond must not tie.
 */
function queuedAt(): string {
  lastQueuedAt = Math.max(Date.now(), lastQueuedAt + 1);
  return new Date(lastQueuedAt).toISOString();
}

export const messageRetried = createAction<{ conversationId: number; clientId: string }>(
  'messages/retried',
);
export const olderMessagesRequested = createAction<{ conversationId: number }>(
  'messages/olderRequested',
);
/** The user asked to mark the conversation's job complete (done once `markCompleteAcked`). */
export const markCompleteRequested = createAction<{ conversationId: number }>(
  'conversations/markCompleteRequested',
);
/** The user has seen the conversation up to `upToSeq`. */
export const conversationRead = createAction<{ conversationId: number; upToSeq: number }>(
  'conversations/read',
);

/**
 * A change of one of my messages gets its own id (so a late ack of an earlier edit does not settle it)
 * and its time here, so the reducers stay pure.
 */
function change<T extends { conversationId: number; messageId: string }>(input: T) {
  return { payload: { ...input, changeId: newClientId(), at: new Date().toISOString() } };
}

/** The user saved a new text for one of their sent messages: shown at once, sent until acked. */
export const messageEditRequested = createAction(
  'messages/editRequested',
  change<{ conversationId: number; messageId: string; text: string }>,
);

/** The user confirmed deleting one of their sent messages: shown deleted at once, sent until acked. */
export const messageDeleteRequested = createAction(
  'messages/deleteRequested',
  change<{ conversationId: number; messageId: string }>,
);

/** The user has read why an edit or delete was refused. */
export const messageChangeDismissed = createAction<{ conversationId: number; messageId: string }>(
  'messages/changeDismissed',
);

/** The composer of this conversation holds text the user is typing (the other side may be told). */
export const composerTyped = createAction<{ conversationId: number }>('composer/typed');

// crypto.randomUUID exists only in secure contexts; a page served over plain http from a LAN address
// is not one, so fall back to a v4 UUID from getRandomValues.
function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
