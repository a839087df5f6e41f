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
 * Starts reading what was kept, ahead of the page's first effects (the database opens while React
 * hydrates); `restoreCache` then finds it read, or waits for the rest.
 */
export function prefetchCache(cache: InboxCache | null, timeoutMs = RESTORE_TIMEOUT_MS): void {
  if (cache === null || typeof window === 'undefined') return; // not while rendering on the server
  mark(RESTORE_START);
  void cache.restore(timeoutMs);
}

/**
 * Reads what was kept into the store (`cacheRestored`), at most `timeoutMs`; resolves once it is there
 * (or given up on). Start the inbox after it, so that the socket comes second.
 */
export async function restoreCache(
  store: { dispatch: Dispatch<UnknownAction> },
  cache: InboxCache | null,
  timeoutMs = RESTORE_TIMEOUT_MS,
): Promise<void> {
  const snapshot = cache === null ? null : await cache.restore(timeoutMs);
  store.dispatch(cacheRestored(snapshot));
  // In the browser's performance timeline (DevTools, the benchmark): the restore, from its start to the
  // store holding it.
  if (snapshot !== null) measure('stream-inbox:restore', RESTORE_START);
}

const RESTORE_START = 'stream-inbox:restore-start';

function mark(name: string): void {
  try {
    if (performance.getEntriesByName(name).length === 0) performance.mark(name);
  } catch {
    // no user timing here
  }
}

function measure(name: string, from: string): void {
  try {
    if (performance.getEntriesByName(from).length === 0) return;
    performance.measure(name, from);
  } catch {
    // no user timing here
  }
}

/** Deletes what was kept for this user (sign-out, a refused session); never rejects, bounded in time. */
export async function eraseCache(cache: InboxCache | null): Promise<void> {
  if (cache === null) return;
  await Promise.race([cache.erase(), new Promise((resolve) => setTimeout(resolve, ERASE_TIMEOUT_MS))]);
}
