import { createSelector } from '@reduxjs/toolkit';
import type { RootState } from '../reducer';
import type { Thread, ThreadMessage } from './thread';

export type ThreadView = {
  /** Confirmed messages by seq, then the optimistic ones in send order. */
  messages: ThreadMessage[];
  loaded: boolean;
  /** The first history is on its way (show `thread-loading`). */
  loading: boolean;
  loadingOlder: boolean;
  hasMore: boolean;
};

const NO_THREAD: ThreadView = {
  messages: [],
  loaded: false,
  loading: false,
  loadingOlder: false,
  hasMore: false,
};

/**
 * One conversation's thread for the page. Memoized per id: createSelector's weakMapMemoize keys the
 * result on the thread object itself, so `selectThread(state, a)` returns the same object until thread
 * `a` changes, whatever happens to other conversations, for any number of ids at once.
 */
export const selectThread = createSelector(
  [(state: RootState, id: number): Thread | undefined => state.messages.byConversation[id]],
  (t): ThreadView =>
    t === undefined
      ? NO_THREAD
      : {
          messages: [...t.ids, ...t.localIds].map((id) => t.entities[id]!),
          loaded: t.loaded,
          // A history prefetched in the background is not something the user waits for.
          loading: t.loading && !t.prefetching,
          loadingOlder: t.loadingOlder,
          hasMore: t.hasMore,
        },
);

/** The conversation on screen, or null. */
export const selectOpenConversationId = (state: RootState): number | null => state.messages.openConversationId;
