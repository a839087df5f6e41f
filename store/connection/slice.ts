// The socket's state as the page shows it, and whether the server refused our session.
import { createSlice, isAnyOf } from '@reduxjs/toolkit';
import type { RootState } from '../reducer';
import { socketAuthFailed, socketConnected, socketDisconnected } from '../events';
import { inboxStarted, inboxStopped } from '../intents';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export type ConnectionSliceState = { state: ConnectionState; authFailed: boolean };

export const initialConnectionState: ConnectionSliceState = { state: 'connecting', authFailed: false };

const slice = createSlice({
  name: 'connection',
  initialState: initialConnectionState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(inboxStarted, (s) => {
        if (s.state === 'disconnected') s.state = 'connecting';
        if (s.authFailed) s.authFailed = false;
      })
      .addCase(socketConnected, () => ({ state: 'connected', authFailed: false }))
      .addCase(socketAuthFailed, () => ({ state: 'disconnected', authFailed: true }))
      .addMatcher(isAnyOf(socketDisconnected, inboxStopped), (s) => {
        if (s.state !== 'disconnected') s.state = 'disconnected';
      });
  },
});

export const connectionReducer = slice.reducer;

export const selectConnectionState = (state: RootState): ConnectionState => state.connection.state;
/** The server refused the session: the page should go to /login. */
export const selectAuthFailed = (state: RootState): boolean => state.connection.authFailed;
