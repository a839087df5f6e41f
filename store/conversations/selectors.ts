import { createSelector } from '@reduxjs/toolkit';
import type { ConversationSummary } from '../../protocol';
import type { RootState } from '../reducer';
import type { MarkCompleteRequest } from './slice';

export const selectConversationsLoaded = (state: RootState): boolean => state.conversations.loaded;

/** Newest activity first. */
export const selectConversationList = createSelector(
  [(state: RootState) => state.conversations.byId, (state: RootState) => state.conversations.order],
  (byId, order): ConversationSummary[] => order.flatMap((id) => byId[id] ?? []),
);

export const selectConversation = (state: RootState, id: number): ConversationSummary | undefined =>
  state.conversations.byId[id];

/** This side's "Mark complete" on its way or refused; undefined when there is none. */
export const selectMarkCompleteRequest = (state: RootState, id: number): MarkCompleteRequest | undefined =>
  state.conversations.markComplete[id];
