import { createSelector, lruMemoize } from '@reduxjs/toolkit';
import type { RootState } from '../reducer';
import type { MessageChange, Thread, ThreadMessage } from './thread';

/** A message as the page shows it: with my edit or delete on its way applied, or refused and rolled back. */
export type ShownMessage = ThreadMessage & { change?: MessageChange };

export type ThreadView = {
  /** Confirmed messages by seq, then the optimistic ones in send order. */
  messages: ShownMessage[];
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

/** Per change: the cached copy it was last shown over, and the result (rows re-render only when either changes). */
const shownCache = new WeakMap<MessageChange, { base: ThreadMessage; shown: ShownMessage }>();

function shown(m: ThreadMessage, change: MessageChange | undefined): ShownMessage {
  if (change === undefined) return m;
  const cached = shownCache.get(change);
  if (cached?.base === m) return cached.shown;
  let result: ShownMessage = { ...m, change };
  if (change.status === 'sending' && change.kind === 'edit') {
    result = { ...result, message_text: change.text, edited_at: change.at };
  } else if (change.status === 'sending') {
    result = { ...result, message_text: '', deleted: true };
  }
  shownCache.set(change, { base: m, shown: result });
  return result;
}

/**
 * One conversation's thread for the page. Memoized per id: createSelector's weakMapMemoize keys the
 * result on the thread object itself, so `selectThread(state, a)` returns the same object until thread
 * `a` changes, whatever happens to other conversations, for any number of ids at once. The arguments
 * (state, id) are memoized for the last call only: keyed in weak maps, every state ever seen (a new one
 * per frame) × every id the page selects became an entry for the collector to sweep (bench figure 4),
 * where the lookup of the thread by id is a property read.
 */
export const selectThread = createSelector(
  [(state: RootState, id: number): Thread | undefined => state.messages.byConversation[id]],
  (t): ThreadView =>
    t === undefined
      ? NO_THREAD
      : {
          messages: [...t.ids, ...t.localIds].map((id) => shown(t.entities[id]!, t.changes[id])),
          loaded: t.loaded,
          // A history prefetched in the background is not something the user waits for.
          loading: t.loading && !t.prefetching,
          loadingOlder: t.loadingOlder,
          hasMore: t.hasMore,
        },
  { argsMemoize: lruMemoize },
);

/** The conversation on screen, or null. */
export const selectOpenConversationId = (state: RootState): number | null => state.messages.openConversationId;

/** My edit or delete on its way for the list's last message of a conversation, so the list follows it. */
export const selectLastMessageChange = (state: RootState, id: number): MessageChange | undefined => {
  const lastId = state.conversations.byId[id]?.last_message?.id;
  const change = lastId === undefined ? undefined : state.messages.byConversation[id]?.changes[lastId];
  return change?.status === 'sending' ? change : undefined;
};
