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

/** The entry the address bar is about to get (its push waits for the switch's frame), or null. */
let pendingPath: string | null = null;
/** Back/Forward moves so far: a push scheduled before one is dropped (the reader has moved on). */
let moves = 0;
let countingMoves = false;

/**
 * Puts the conversation in the address bar as a new history entry, once the switch is on screen; false
 * when it is there already (or about to be). The browser's pushState took 1.9 ms of a cached switch's
 * click in Chromium's profile, the largest part of the script before React's commit; written after the
 * frame, the address changes a frame later, which nobody sees.
 */
export function pushConversation(conversationId: number | null): boolean {
  const path = inboxPath(conversationId);
  if ((pendingPath ?? window.location.pathname) === path) return false;
  if (!countingMoves) {
    countingMoves = true;
    window.addEventListener('popstate', () => {
      moves += 1;
      pendingPath = null;
    });
  }
  pendingPath = path;
  const scheduledAt = moves;
  afterNextFrame(() => {
    if (moves !== scheduledAt) return;
    // Next.js wraps history.pushState to move its router along (a router update, a render and a second
    // history write per switch). The inbox routes itself, so it writes the entry with the browser's own
    // method; Next leaves entries without its state alone on Back/Forward, and the shell's popstate
    // listener opens them.
    History.prototype.pushState.call(window.history, null, '', path);
    if (pendingPath === path) pendingPath = null;
  });
  return true;
}

/**
 * Runs `task` once, when the browser is idle after the next frame (a task posted from the frame would
 * run before that frame's own end: nothing may come between the switch and its paint), or after 200 ms
 * where no frame comes (a hidden page).
 */
function afterNextFrame(task: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    task();
  };
  requestAnimationFrame(() => (typeof requestIdleCallback === 'function' ? requestIdleCallback(once, { timeout: 100 }) : setTimeout(once, 16)));
  setTimeout(once, 200);
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
