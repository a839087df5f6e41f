// My read marks on their way to the server. A mark goes out when the user has read a conversation
// further than the server was last told; it stays here until the server's `read` echo covers it, so a
// mark made while offline (or lost with the connection) is sent again on the next connect.
import { createSlice } from '@reduxjs/toolkit';
import { errorReceived, readReceived } from '../events';
import { conversationRead } from '../intents';
import type { RootState } from '../reducer';

export type ReadsState = {
  /** By conversation id: the mark to tell the server (sent, or to send on connect). */
  unconfirmed: Record<number, number>;
  /** By conversation id: the highest mark of mine the server has echoed. */
  confirmed: Record<number, number>;
};

export const initialReadsState: ReadsState = { unconfirmed: {}, confirmed: {} };

const slice = createSlice({
  name: 'reads',
  initialState: initialReadsState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(conversationRead, (state, { payload: { conversationId: id, upToSeq } }) => {
        const known = Math.max(state.unconfirmed[id] ?? 0, state.confirmed[id] ?? 0);
        if (upToSeq > known) state.unconfirmed[id] = upToSeq;
      })
      .addCase(readReceived, (state, { payload: p }) => {
        if (!p.reader_is_me) return;
        const id = p.conversation_id;
        if (p.up_to_seq > (state.confirmed[id] ?? 0)) state.confirmed[id] = p.up_to_seq;
        if ((state.unconfirmed[id] ?? Infinity) <= p.up_to_seq) delete state.unconfirmed[id];
      })
      .addCase(errorReceived, (state, { payload: p }) => {
        // Refused for good (not_found…): there is nothing to tell about this conversation.
        const id = p.conversation_id;
        if (id !== undefined && p.code !== 'rate_limited' && id in state.unconfirmed) delete state.unconfirmed[id];
      });
  },
});

export const readsReducer = slice.reducer;

/** The read mark of a conversation still to be confirmed by the server, if any. */
export const selectUnconfirmedRead = (state: RootState, id: number): number | undefined => state.reads.unconfirmed[id];
