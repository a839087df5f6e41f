// Who is typing where (CONTRACT section 8): the other side's `typing` frames show "{name} is typing…"
// until `typingExpired` (LIMITS.typingShownMs after the last frame, see listeners.ts), their message, or
// the end of the connection. Ephemeral: never part of what the cache keeps.
import { createSlice, isAnyOf, type UnknownAction } from '@reduxjs/toolkit';
import { messageReceived, socketAuthFailed, socketDisconnected, typingExpired, typingReceived } from '../events';
import { inboxStopped } from '../intents';
import type { RootState } from '../reducer';

/** By conversation id: the name of the person typing there. */
export type TypingState = Record<number, { name: string }>;

export const initialTypingState: TypingState = {};

const slice = createSlice({
  name: 'typing',
  initialState: initialTypingState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(typingReceived, (state, { payload: p }) => {
        if (state[p.conversation_id]?.name !== p.name) state[p.conversation_id] = { name: p.name };
      })
      .addCase(typingExpired, (state, { payload: { conversationId: id } }) => {
        if (id in state) delete state[id];
      })
      // Their message is what they were typing.
      .addCase(messageReceived, (state, { payload: { conversation_id: id, message } }) => {
        if (!message.is_mine && id in state) delete state[id];
      })
      // Offline, nobody can be known to type.
      .addMatcher(isAnyOf(socketDisconnected, socketAuthFailed, inboxStopped), (state) =>
        Object.keys(state).length === 0 ? state : initialTypingState,
      );
  },
});

/** The slice's reducer; a message from nobody typing (nearly every frame) skips immer's draft. */
export function typingReducer(state: TypingState | undefined, action: UnknownAction): TypingState {
  if (state !== undefined && messageReceived.match(action) && !(action.payload.conversation_id in state)) return state;
  return slice.reducer(state, action);
}

/** The name of whoever is typing in this conversation now, if anyone. */
export const selectTyping = (state: RootState, id: number): string | undefined => state.typing[id]?.name;
