// messagesByConversation: the history cache of every conversation, keyed by conversation id, plus the
// order in which conversations were opened (for eviction) and the one on screen (never evicted).
import { createSlice, type UnknownAction } from '@reduxjs/toolkit';
import type { Message } from '../../protocol';
import { checkMessageText } from '../../protocol/text';
import {
  conversationsReceived,
  errorReceived,
  historyLoaded,
  markCompleteAcked,
  messageAcked,
  messageChangeAcked,
  messageChangeFailed,
  messageFailed,
  messageReceived,
  messageUpdated,
  olderPageLoaded,
  readReceived,
  socketDisconnected,
  syncReceived,
} from '../events';
import {
  conversationOpened,
  conversationPrefetched,
  conversationRead,
  messageChangeDismissed,
  messageDeleteRequested,
  messageEditRequested,
  messageQueued,
  messageRetried,
  olderMessagesRequested,
} from '../intents';
import { changeAcked, changeDismissed, changeFailed, deleteRequested, editRequested, updateReceived } from './changes';
import {
  addLocal,
  advanceGaplessSeq,
  applyChange,
  catchUpRev,
  clearConfirmed,
  emptyThread,
  holdsHistory,
  insertArrived,
  insertConfirmed,
  isEmptyOutbox,
  markRead,
  noteGap,
  oldestSeq,
  releaseHeld,
  removeLocal,
  replaceConfirmed,
  type Thread,
  type ThreadMessage,
} from './thread';
import { cacheRestored } from '../persist/actions';
import { restoredThread } from '../persist/snapshot';
import { withEntry } from '../records';

export type MessagesState = {
  byConversation: Record<number, Thread>;
  /** Conversation ids, most recently opened first. */
  recent: number[];
  /** The conversation on screen: its thread is never evicted and, invalidated, keeps what it shows. */
  openConversationId: number | null;
};

export type MessagesConfig = {
  /** At most this many conversations keep a history (default 50). */
  cacheLimit?: number;
};

export const DEFAULT_CACHE_LIMIT = 50;
/** Histories loaded in the background at once (hover prefetch). */
export const MAX_PREFETCHES = 2;

export const initialMessagesState: MessagesState = { byConversation: {}, recent: [], openConversationId: null };

function threadOf(state: MessagesState, id: number): Thread {
  state.byConversation[id] ??= emptyThread();
  return state.byConversation[id];
}

/** Drops a conversation's history; a thread with messages still in the outbox stays for them. */
function forget(state: MessagesState, id: number): void {
  const t = state.byConversation[id];
  if (t === undefined) return;
  clearConfirmed(t);
  if (isEmptyOutbox(t)) delete state.byConversation[id];
  const at = state.recent.indexOf(id);
  if (at >= 0) state.recent.splice(at, 1);
}

function touch(state: MessagesState, id: number): void {
  if (state.recent[0] === id) return;
  const at = state.recent.indexOf(id);
  if (at >= 0) state.recent.splice(at, 1);
  state.recent.unshift(id);
}

/** Least recently opened first, the open one never. */
function evict(state: MessagesState, cacheLimit: number): void {
  const holders = state.recent.filter((id) => {
    const t = state.byConversation[id];
    return t !== undefined && holdsHistory(t);
  });
  for (let i = holders.length - 1; i >= 0 && holders.length > cacheLimit; i--) {
    const id = holders[i]!;
    if (id === state.openConversationId) continue;
    forget(state, id);
    holders.splice(i, 1);
  }
}

function localMessage(state: MessagesState, conversationId: number, clientId: string) {
  const m = state.byConversation[conversationId]?.entities[clientId];
  return m !== undefined && m.seq === null ? m : undefined;
}

/**
 * The common `message` frame outside immer: a message after every cached one, not cached yet, with no
 * optimistic copy here. Immer's drafts of the thread, its ids and every message the binary search reads,
 * and their finalisation, cost hundreds of µs a frame (bench figure 4); here the frame copies its own
 * thread's containers once and touches nothing else. Undefined for any other frame (the slice's case).
 */
function messageAppended(state: MessagesState, conversationId: number, m: Message): MessagesState | undefined {
  const t = state.byConversation[conversationId];
  if (t === undefined || !holdsHistory(t)) return state;
  const newest = t.ids.at(-1);
  const after = newest === undefined || t.entities[newest]!.seq! < m.seq;
  const ownCopy = m.client_id !== null && t.byClientId[m.client_id] !== undefined;
  if (!after || ownCopy || t.entities[m.id] !== undefined) return undefined;
  const next: Thread = {
    ...t,
    ids: [...t.ids, m.id],
    entities: withEntry<ThreadMessage>(t.entities, m.id, { ...m, status: 'sent' }),
    byClientId: m.client_id === null ? t.byClientId : withEntry(t.byClientId, m.client_id, m.id),
  };
  advanceGaplessSeq(next);
  noteGap(next);
  return { ...state, byConversation: withEntry(state.byConversation, conversationId, next) };
}

/** The messages slice of one store; its configuration is the store's, not part of the state. */
export function createMessagesSlice({ cacheLimit = DEFAULT_CACHE_LIMIT }: MessagesConfig = {}) {
  const slice = createSlice({
    name: 'messages',
    initialState: initialMessagesState,
    reducers: {},
    extraReducers: (builder) => {
      builder
        .addCase(conversationOpened, (state, { payload: { conversationId: id } }) => {
          const previous = state.openConversationId;
          if (previous !== id) state.openConversationId = id;
          for (const key of Object.keys(state.byConversation)) {
            const other = Number(key);
            const leaving = other !== id || previous !== id;
            if (state.byConversation[other]!.stale && leaving) forget(state, other);
          }
          if (id === null) return;
          const t = threadOf(state, id);
          if (!t.loaded && !t.loading) t.loading = true;
          // Opened while its prefetch is on its way: now the user waits for it.
          if (t.prefetching) t.prefetching = false;
          touch(state, id);
          evict(state, cacheLimit);
        })
        .addCase(conversationPrefetched, (state, { payload: { conversationId: id } }) => {
          const known = state.byConversation[id];
          if (known !== undefined && (holdsHistory(known) || known.prefetching)) return;
          const inFlight = Object.keys(state.byConversation).filter((key) => state.byConversation[Number(key)]!.prefetching);
          if (inFlight.length >= MAX_PREFETCHES) return;
          const t = threadOf(state, id);
          t.loading = true;
          t.prefetching = true;
          touch(state, id);
          evict(state, cacheLimit);
        })
        .addCase(cacheRestored, (state, { payload }) => {
          if (payload === null) return;
          const locals: Record<number, ThreadMessage[]> = {};
          for (const m of payload.outbox) (locals[m.conversation_id] ??= []).push(m);
          for (const r of payload.threads) {
            const id = r.conversationId;
            const known = state.byConversation[id];
            if (known !== undefined && holdsHistory(known)) continue; // the network was first
            const own = known === undefined ? [] : known.localIds.map((local) => known.entities[local]!);
            state.byConversation[id] = restoredThread(r, [...own, ...(locals[id] ?? [])]);
            delete locals[id];
            if (!state.recent.includes(id)) state.recent.push(id);
          }
          // Messages waiting to be sent in conversations whose history is not kept.
          for (const [key, messages] of Object.entries(locals)) {
            const t = threadOf(state, Number(key));
            for (const m of messages) if (t.byClientId[m.id] === undefined) addLocal(t, m);
          }
          evict(state, cacheLimit);
        })
        // The list says how far each side has read: read marks missed while away (or closed) catch up.
        .addCase(conversationsReceived, (state, { payload }) => {
          for (const c of payload.conversations) {
            const t = state.byConversation[c.id];
            const last = c.last_message;
            if (t === undefined || last === null || t.ids.length === 0) continue;
            if (last.is_mine && last.is_read) markRead(t, last.seq, true);
            if (c.unread_count === 0) markRead(t, last.seq, false);
          }
        })
        .addCase(historyLoaded, (state, { payload: p }) => {
          const t = state.byConversation[p.conversation_id];
          if (t === undefined || !holdsHistory(t)) return;
          replaceConfirmed(t, p.messages);
          catchUpRev(t, p.rev);
          t.hasMore = p.has_more;
          t.loaded = true;
          t.loading = false;
          t.stale = false;
          if (t.prefetching) t.prefetching = false;
          // A loaded thread gets a latest page only in answer to a sync that missed too much.
          if (t.syncing) t.syncing = false;
          noteGap(t);
        })
        .addCase(olderPageLoaded, (state, { payload: p }) => {
          const t = state.byConversation[p.conversation_id];
          if (t === undefined || !t.loaded) return;
          // Asked for before a latest page replaced the cache (a reconnect that missed too much): it ends
          // short of the cache's oldest message (seqs have no gaps) and would leave a hole no sync fills.
          // Dropped; the next request starts from the new oldest.
          const newest = p.messages.at(-1)?.seq;
          const oldest = oldestSeq(t);
          if (newest !== undefined && oldest !== undefined && newest + 1 < oldest) {
            t.loadingOlder = false;
            t.held = {};
            return;
          }
          let added = false;
          for (const m of p.messages) added = insertConfirmed(t, m) || added;
          releaseHeld(t);
          t.hasMore = p.has_more;
          t.loadingOlder = false;
          if (added) noteGap(t);
        })
        .addCase(syncReceived, (state, { payload: p }) => {
          const t = state.byConversation[p.conversation_id];
          if (t === undefined) return;
          if (t.syncing) t.syncing = false;
          if (!holdsHistory(t)) return;
          // Everything after `after_seq`, and every message changed after the entry's `after_rev`.
          let added = false;
          for (const m of p.messages) added = applyChange(t, m) || added;
          advanceGaplessSeq(t);
          catchUpRev(t, p.rev);
          // Also when it added nothing: a gap that opened while it was on its way is still to be filled.
          noteGap(t);
        })
        .addCase(messageReceived, (state, { payload: { conversation_id, message } }) => {
          const t = state.byConversation[conversation_id];
          if (t === undefined || !holdsHistory(t)) return;
          if (!insertArrived(t, message)) return;
          advanceGaplessSeq(t);
          noteGap(t);
        })
        .addCase(messageQueued, (state, { payload: p }) => {
          const text = checkMessageText(p.text);
          if (!text.ok) return;
          addLocal(threadOf(state, p.conversationId), {
            id: p.clientId,
            seq: null,
            conversation_id: p.conversationId,
            client_id: p.clientId,
            sender_name: '',
            sender_avatar: '',
            message_text: text.data,
            message_type: 'TEXT',
            is_read: false,
            created_at: p.createdAt,
            is_mine: true,
            edited_at: null,
            deleted: false,
            rev: 0,
            status: 'pending',
          });
        })
        .addCase(messageAcked, (state, { payload: p }) => {
          const t = state.byConversation[p.conversationId];
          if (t === undefined) return;
          if (localMessage(state, p.conversationId, p.clientId) !== undefined) removeLocal(t, p.clientId);
          if (holdsHistory(t)) {
            // An own message past messages never received (they went while the connection did) shows the gap.
            if (insertArrived(t, p.message)) advanceGaplessSeq(t);
            noteGap(t);
          } else if (isEmptyOutbox(t)) delete state.byConversation[p.conversationId];
        })
        .addCase(messageFailed, (state, { payload: p }) => {
          const m = localMessage(state, p.conversationId, p.clientId);
          if (m !== undefined && m.status !== 'failed') m.status = 'failed';
        })
        .addCase(messageRetried, (state, { payload: p }) => {
          const m = localMessage(state, p.conversationId, p.clientId);
          if (m !== undefined && m.status === 'failed') m.status = 'pending';
        })
        .addCase(messageUpdated, updateReceived)
        .addCase(messageEditRequested, editRequested)
        .addCase(messageDeleteRequested, deleteRequested)
        .addCase(messageChangeAcked, changeAcked)
        .addCase(messageChangeFailed, changeFailed)
        .addCase(messageChangeDismissed, changeDismissed)
        .addCase(olderMessagesRequested, (state, { payload: { conversationId } }) => {
          const t = state.byConversation[conversationId];
          if (t?.loaded && t.hasMore && !t.loadingOlder && t.ids.length > 0) t.loadingOlder = true;
        })
        // A completed marking changes the conversation's history (its SYSTEM message): the cache goes.
        .addCase(markCompleteAcked, (state, { payload: { conversation } }) => {
          const id = conversation.id;
          const t = state.byConversation[id];
          if (t === undefined || (!holdsHistory(t) && t.ids.length === 0)) return;
          if (id !== state.openConversationId) return forget(state, id);
          t.loaded = false;
          t.loading = false;
          t.loadingOlder = false;
          t.syncing = false;
          t.stale = true;
        })
        .addCase(readReceived, (state, { payload: p }) => {
          const t = state.byConversation[p.conversation_id];
          if (t !== undefined) markRead(t, p.up_to_seq, !p.reader_is_me);
        })
        .addCase(conversationRead, (state, { payload: p }) => {
          const t = state.byConversation[p.conversationId];
          if (t !== undefined) markRead(t, p.upToSeq, false);
        })
        .addCase(errorReceived, (state, { payload: p }) => {
          // A refused sync must not block the next one.
          if (p.code === 'rate_limited') return clearSyncing(state);
          // A refused history request (not_found, forbidden…) must not leave the thread loading forever.
          const t = p.conversation_id === undefined ? undefined : state.byConversation[p.conversation_id];
          if (t === undefined) return;
          if (t.loading) t.loading = false;
          if (t.loadingOlder) t.loadingOlder = false;
          if (t.prefetching) t.prefetching = false;
        })
        .addCase(socketDisconnected, (state) => {
          // What was asked on the lost connection will never be answered; the next connect asks again
          // (after every change held for it has reached the server, so the new page carries them).
          for (const t of Object.values(state.byConversation)) {
            if (t.loadingOlder) t.loadingOlder = false;
            if (Object.keys(t.held).length > 0) t.held = {};
          }
          clearSyncing(state);
        });
    },
  });
  /** The slice's reducer, with the common `message` frame taken by `messageAppended`. */
  const reducer = (state: MessagesState | undefined, action: UnknownAction): MessagesState => {
    if (state !== undefined && messageReceived.match(action)) {
      const next = messageAppended(state, action.payload.conversation_id, action.payload.message);
      if (next !== undefined) return next;
    }
    return slice.reducer(state, action);
  };
  return { ...slice, reducer };
}

function clearSyncing(state: MessagesState): void {
  for (const t of Object.values(state.byConversation)) if (t.syncing) t.syncing = false;
}
