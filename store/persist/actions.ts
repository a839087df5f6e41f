// What the browser's database reports to the store.
import { createAction } from '@reduxjs/toolkit';
import type { Snapshot } from './snapshot';

/**
 * What was kept for this user has been read back (null: nothing usable, or no cache at all). Comes before
 * the socket is started, so the list and the kept threads show before any frame.
 */
export const cacheRestored = createAction<Snapshot | null>('persist/restored');
