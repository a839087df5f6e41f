// The conversation list: summaries from `conversations` frames, kept current by every message, ack,
// read mark and job update; `order` is newest activity first.
import { createSlice, current } from '@reduxjs/toolkit';
import type { Conversation, ConversationSummary, Message } from '../../protocol';
import {
  conversationUpdated,
  conversationsReceived,
  markCompleteAcked,
  messageAcked,
  messageReceived,
  messagesReceived,
  readReceived,
} from '../events';
import { conversationRead } from '../intents';

export type ConversationsState = {
  /** The first `conversations` frame has arrived. */
  loaded: boolean;
  byId: Record<number, ConversationSummary>;
  order: number[];
};

export const initialConversationsState: ConversationsState = { loaded: false, byId: {}, order: [] };

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
    state.byId[c.id] = { ...c, last_message: null, unread_count: 0 };
    state.order.unshift(c.id);
  } else if (!sameConversation(summary, c)) {
    summary.my_role = c.my_role;
    summary.counterpart = c.counterpart;
    summary.job = c.job;
  }
}

/** A newer message becomes the last one and moves its conversation to the top. */
function noteMessage(state: ConversationsState, m: Message, countsAsUnread: boolean): void {
  const summary = state.byId[m.conversation_id];
  if (summary === undefined || (summary.last_message?.seq ?? 0) >= m.seq) return;
  summary.last_message = m;
  if (countsAsUnread) summary.unread_count += 1;
  moveToTop(state, m.conversation_id);
}

/**
 * Works on a plain copy of `order`: an indexOf, splice and unshift on the draft go through immer's proxy
 * trap by trap, one per element moved, which made a frame for a conversation low in a long list cost
 * milliseconds (bench figure 4).
 */
function moveToTop(state: ConversationsState, id: number): void {
  const order = current(state.order);
  const at = order.indexOf(id);
  if (at > 0) state.order = [id, ...order.slice(0, at), ...order.slice(at + 1)];
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
      .addCase(conversationsReceived, (_state, { payload }) => ({
        loaded: true,
        byId: Object.fromEntries(payload.conversations.map((c) => [c.id, c])),
        order: payload.conversations.map((c) => c.id),
      }))
      .addCase(conversationUpdated, (state, { payload }) => applyConversation(state, payload.conversation))
      .addCase(markCompleteAcked, (state, { payload }) => applyConversation(state, payload.conversation))
      .addCase(messagesReceived, (state, { payload }) => {
        if (state.byId[payload.conversation_id] === undefined) return;
        applyConversation(state, payload.conversation);
        const newest = payload.messages.at(-1);
        if (newest !== undefined) noteMessage(state, newest, false);
      })
      .addCase(messageReceived, (state, { payload, meta }) =>
        noteMessage(state, payload.message, !payload.message.is_mine && !meta.open),
      )
      .addCase(messageAcked, (state, { payload }) => noteMessage(state, payload.message, false))
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
      });
  },
});

export const conversationsReducer = slice.reducer;
