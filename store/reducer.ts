import { combineReducers } from '@reduxjs/toolkit';
import { connectionReducer } from './connection/slice';
import { conversationsReducer } from './conversations/slice';
import { createMessagesSlice, type MessagesConfig } from './messages/slice';
import { readsReducer } from './reads/slice';
import { typingReducer } from './typing/slice';

/** The root reducer of one store; `config` is the store's configuration, never part of the state. */
export function createRootReducer(config: MessagesConfig = {}) {
  return combineReducers({
    connection: connectionReducer,
    conversations: conversationsReducer,
    messages: createMessagesSlice(config).reducer,
    reads: readsReducer,
    typing: typingReducer,
  });
}

export type RootState = ReturnType<ReturnType<typeof createRootReducer>>;
