// The open conversation lives in the address bar (/inbox or /inbox/{id}). The page changes it with
// history.pushState only, so switching never asks the server for anything.

const INBOX = '/inbox';

export function inboxPath(conversationId: number | null): string {
  return conversationId === null ? INBOX : `${INBOX}/${conversationId}`;
}

/** The conversation named by a path, or null for the bare inbox (or anything that is not an id). */
export function conversationIdFromPath(pathname: string): number | null {
  const match = /^\/inbox\/(\d{1,15})\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Puts the conversation in the address bar as a new history entry; false when it is already there. */
export function pushConversation(conversationId: number | null): boolean {
  const path = inboxPath(conversationId);
  if (window.location.pathname === path) return false;
  // Next.js wraps history.pushState to move its router along (a router update, a render and a second
  // history write per switch). The inbox routes itself, so it writes the entry with the browser's own
  // method; Next leaves entries without its state alone on Back/Forward, and the shell's popstate
  // listener opens them.
  History.prototype.pushState.call(window.history, null, '', path);
  return true;
}

/** A plain left click, which the page handles itself (modified clicks open a new tab as usual). */
export function isPlainClick(event: {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}): boolean {
  return (
    !event.defaultPrevented &&
    event.button === 0 &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}
