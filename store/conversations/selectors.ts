import { createSelector } from '@reduxjs/toolkit';
import type { ConversationSummary } from '../../protocol';
import type { RootState } from '../reducer';

export const selectConversationsLoaded = (state: RootState): boolean => state.conversations.loaded;

/** Newest activity first. */
export const selectConversationList = createSelector(
  [(state: RootState) => state.conversations.byId, (state: RootState) => state.conversations.order],
  (byId, order): ConversationSummary[] => order.flatMap((id) => byId[id] ?? []),
);

export const selectConversation = (state: RootState, id: number): ConversationSummary | undefined =>
  state.conversations.byId[id];
