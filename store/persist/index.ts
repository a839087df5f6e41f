// The browser cache as the page uses it: open the signed-in user's, restore it into the store before the
// inbox starts, erase it on sign-out. Everything is bounded in time and never throws: without IndexedDB
// (or when it fails) the inbox works as it does without a cache.
import type { Dispatch, UnknownAction } from '@reduxjs/toolkit';
import { cacheRestored } from './actions';
import type { InboxCache } from './db';

export { openInboxCache, type InboxCache } from './db';
export { cacheRestored } from './actions';

/** How long the page waits for the disk before it starts without it (an IndexedDB that hangs). */
export const RESTORE_TIMEOUT_MS = 1500;
/** How long a sign-out waits for the database to be deleted before it leaves anyway. */
const ERASE_TIMEOUT_MS = 2000;

/**
 * Reads what was kept into the store (`cacheRestored`), at most `timeoutMs`; resolves once it is there
 * (or given up on). Start the inbox after it, so that the socket comes second.
 */
export async function restoreCache(
  store: { dispatch: Dispatch<UnknownAction> },
  cache: InboxCache | null,
  timeoutMs = RESTORE_TIMEOUT_MS,
): Promise<void> {
  const started = typeof performance === 'undefined' ? 0 : performance.now();
  const snapshot = cache === null ? null : await cache.restore(timeoutMs);
  store.dispatch(cacheRestored(snapshot));
  // In the browser's performance timeline (DevTools, the benchmark): how long the restore took.
  if (snapshot !== null && typeof performance?.measure === 'function') {
    try {
      performance.measure('stream-inbox:restore', { start: started, end: performance.now() });
    } catch {
      // no user timing here
    }
  }
}

/** Deletes what was kept for this user (sign-out, a refused session); never rejects, bounded in time. */
export async function eraseCache(cache: InboxCache | null): Promise<void> {
  if (cache === null) return;
  await Promise.race([cache.erase(), new Promise((resolve) => setTimeout(resolve, ERASE_TIMEOUT_MS))]);
}
