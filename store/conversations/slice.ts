// The conversation list: summaries from `conversations` frames, kept current by every message, ack,
// read mark and job update; `order` is newest activity first. Also this side's "Mark complete" requests
// on their way or refused, so the page can say so.
import { createSlice, current, isAnyOf, isDraft, type Draft, type UnknownAction } from '@reduxjs/toolkit';
import type { Conversation, ConversationSummary, Message, ProtocolError } from '../../protocol';
import {
  conversationUpdated,
  conversationsReceived,
  historyLoaded,
  markCompleteAcked,
  markCompleteFailed,
  messageAcked,
  messageChangeAcked,
  messageReceived,
  messageUpdated,
  olderPageLoaded,
  presenceChanged,
  readReceived,
  syncReceived,
} from '../events';
import { conversationRead, markCompleteRequested } from '../intents';
import { cacheRestored } from '../persist/actions';
import { withEntry } from '../records';

/** A `mark_complete` on its way (sent again on every connect until answered), or refused / unanswered. */
export type MarkCompleteRequest = { status: 'sending' } | { status: 'failed'; error: ProtocolError | null };

export type ConversationsState = {
  /** The first `conversations` frame has arrived. */
  loaded: boolean;
  byId: Record<number, ConversationSummary>;
  order: number[];
  /** By conversation id; none once acked. */
  markComplete: Record<number, MarkCompleteRequest>;
};

export const initialConversationsState: ConversationsState = { loaded: false, byId: {}, order: [], markComplete: {} };

function sameConversation(a: Conversation, b: Conversation): boolean {
  return (
    a.my_role === b.my_role &&
    a.counterpart.name === b.counterpart.name &&
    a.counterpart.avatar === b.counterpart.avatar &&
    a.job.id === b.job.id &&
    a.job.title === b.job.title &&
    a.job.status === b.job.status &&
    a.job.workerMarkedComplete === b.job.workerMarkedComplete &&
    a.job.clientMarkedComplete === b.job.clientMarkedComplete
  );
}

function applyConversation(state: ConversationsState, c: Conversation): void {
  const summary = state.byId[c.id];
  if (summary === undefined) {
    // What a conversation_updated does not carry (presence) stays as the last `conversations` said.
    state.byId[c.id] = { ...c, counterpart: { ...c.counterpart, online: false, last_seen_at: null }, last_message: null, unread_count: 0 };
    state.order.unshift(c.id);
  } else if (!sameConversation(summary, c)) {
    summary.my_role = c.my_role;
    summary.counterpart = { ...summary.counterpart, ...c.counterpart };
    summary.job = c.job;
  }
}

function markedByMe(c: Conversation): boolean {
  return c.my_role === 'CLIENT' ? c.job.clientMarkedComplete : c.job.workerMarkedComplete;
}

/**
 * The summary with message `m` noted, or null when it changes nothing: a newer message becomes the last
 * one (and its conversation moves to the top); a newer copy (`rev`) of the last one, edited or deleted,
 * replaces it. Pure, on plain objects.
 */
function withMessage(summary: ConversationSummary, m: Message, countsAsUnread: boolean): { summary: ConversationSummary; moved: boolean } | null {
  const last = summary.last_message;
  if (last !== null && last.id === m.id) {
    if (m.rev <= last.rev) return null;
    return { summary: { ...summary, last_message: { ...m, is_read: last.is_read || m.is_read } }, moved: false };
  }
  if ((last?.seq ?? 0) >= m.seq) return null;
  const unread = countsAsUnread ? summary.unread_count + 1 : summary.unread_count;
  return { summary: { ...summary, last_message: m, unread_count: unread }, moved: true };
}

/** `order` with `id` first (the same array when it already is). A loop: a third of the spreads' time. */
function movedToTop(order: number[], id: number): number[] {
  const at = order.indexOf(id);
  if (at <= 0) return order;
  const moved = new Array<number>(order.length);
  moved[0] = id;
  for (let i = 0; i < at; i++) moved[i + 1] = order[i]!;
  for (let i = at + 1; i < order.length; i++) moved[i] = order[i]!;
  return moved;
}

/** `noteMessage` on a draft (a page of history, after its conversation was applied to the draft). */
function noteMessage(state: ConversationsState, m: Message, countsAsUnread: boolean): void {
  const summary = state.byId[m.conversation_id];
  if (summary === undefined) return;
  const next = withMessage(plain(summary), m, countsAsUnread);
  if (next === null) return;
  state.byId[m.conversation_id] = next.summary;
  // On a plain copy of `order`: indexOf, splice and unshift on the draft go through immer's proxy trap
  // by trap, one per element moved.
  if (next.moved) state.order = movedToTop(plain(state.order), m.conversation_id);
}

/** A draft's current value; a plain object (put in the draft earlier) as it is. */
const plain = <T extends object>(value: T): T => (isDraft(value) ? (current(value as Draft<T>) as T) : value);

/**
 * A message frame (or an ack, or an edit) outside immer: a frame comes for every message of every
 * conversation, and immer's copy and finalisation of the 500-entry `byId` and `order` on each one cost
 * hundreds of µs (bench figure 4). Here a frame touches the one summary and copies the two containers
 * once. The same state when nothing changes.
 */
function messageNoted(state: ConversationsState, m: Message, countsAsUnread: boolean): ConversationsState {
  const summary = state.byId[m.conversation_id];
  if (summary === undefined) return state;
  const next = withMessage(summary, m, countsAsUnread);
  if (next === null) return state;
  return {
    ...state,
    byId: withEntry(state.byId, m.conversation_id, next.summary),
    order: next.moved ? movedToTop(state.order, m.conversation_id) : state.order,
  };
}

/** My read mark moved to `upToSeq`: what the list knows of the other side's messages up to it is read. */
function markMineRead(summary: ConversationSummary, upToSeq: number): void {
  const last = summary.last_message;
  if (last === null) return;
  if (last.seq <= upToSeq) {
    if (summary.unread_count !== 0) summary.unread_count = 0;
    if (!last.is_mine && !last.is_read) last.is_read = true;
  } else if (summary.unread_count > last.seq - upToSeq) {
    summary.unread_count = last.seq - upToSeq;
  }
}

const slice = createSlice({
  name: 'conversations',
  initialState: initialConversationsState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(conversationsReceived, (state, { payload }) => ({
        loaded: true,
        byId: Object.fromEntries(payload.conversations.map((c) => [c.id, c])),
        order: payload.conversations.map((c) => c.id),
        markComplete: state.markComplete,
      }))
      // The list as it was kept, until the server's `conversations` replaces it.
      .addCase(cacheRestored, (state, { payload }) => {
        if (payload?.list == null || state.loaded) return;
        return { ...state, loaded: true, byId: payload.list.byId, order: payload.list.order };
      })
      .addCase(conversationUpdated, (state, { payload: { conversation: c } }) => {
        applyConversation(state, c);
        // Marked by me (an ack that timed out may still have been stored): nothing is left to ask.
        if (c.id in state.markComplete && markedByMe(c)) delete state.markComplete[c.id];
      })
      .addCase(markCompleteRequested, (state, { payload: { conversationId: id } }) => {
        if (state.markComplete[id]?.status !== 'sending') state.markComplete[id] = { status: 'sending' };
      })
      .addCase(markCompleteAcked, (state, { payload }) => {
        if (payload.conversation.id in state.markComplete) delete state.markComplete[payload.conversation.id];
        applyConversation(state, payload.conversation);
      })
      .addCase(markCompleteFailed, (state, { payload: { conversationId: id, error } }) => {
        // Only a request still open can fail: a `conversation_updated` may have confirmed it meanwhile.
        if (state.markComplete[id]?.status === 'sending') state.markComplete[id] = { status: 'failed', error };
      })
      .addCase(presenceChanged, (state, { payload: p }) => {
        const counterpart = state.byId[p.conversation_id]?.counterpart;
        if (counterpart === undefined) return;
        if (counterpart.online !== p.online) counterpart.online = p.online;
        if (counterpart.last_seen_at !== p.last_seen_at) counterpart.last_seen_at = p.last_seen_at;
      })
      .addCase(readReceived, (state, { payload: p }) => {
        const summary = state.byId[p.conversation_id];
        if (summary === undefined) return;
        if (p.reader_is_me) return markMineRead(summary, p.up_to_seq);
        const last = summary.last_message;
        if (last !== null && last.is_mine && !last.is_read && last.seq <= p.up_to_seq) last.is_read = true;
      })
      .addCase(conversationRead, (state, { payload: p }) => {
        const summary = state.byId[p.conversationId];
        if (summary !== undefined) markMineRead(summary, p.upToSeq);
      })
      // Every page of history: the conversation's header as of now, its newest message, and the last
      // message as it is now (a sync answer carries the messages changed since the cache's revision).
      .addMatcher(isAnyOf(historyLoaded, olderPageLoaded, syncReceived), (state, { payload }) => {
        const summary = state.byId[payload.conversation_id];
        if (summary === undefined) return;
        applyConversation(state, payload.conversation);
        const last = payload.messages.find((m) => m.id === summary.last_message?.id);
        if (last !== undefined) noteMessage(state, last, false);
        const newest = payload.messages.at(-1);
        if (newest !== undefined) noteMessage(state, newest, false);
      });
  },
});

/** The list's reducer: message frames, acks and edits by `messageNoted`, everything else by the slice. */
export function conversationsReducer(state: ConversationsState | undefined, action: UnknownAction): ConversationsState {
  if (state === undefined) return slice.reducer(state, action);
  if (messageReceived.match(action) || messageUpdated.match(action)) {
    // A change that overtook the message it changes is that message's arrival.
    const m = action.payload.message;
    return messageNoted(state, m, !m.is_mine && !action.meta.open);
  }
  if (messageAcked.match(action) || messageChangeAcked.match(action)) return messageNoted(state, action.payload.message, false);
  return slice.reducer(state, action);
}
