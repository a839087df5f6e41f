// What the user has on screen.
import { createSlice } from '@reduxjs/toolkit';
import type { RootState } from '../reducer';
import { conversationOpened } from '../intents';

export type UiState = { openConversationId: number | null };

export const initialUiState: UiState = { openConversationId: null };

const slice = createSlice({
  name: 'ui',
  initialState: initialUiState,
  reducers: {},
  extraReducers: (builder) => {
    builder.addCase(conversationOpened, (s, { payload }) => {
      s.openConversationId = payload.conversationId;
    });
  },
});

export const uiReducer = slice.reducer;

export const selectOpenConversationId = (state: RootState): number | null => state.ui.openConversationId;
