import { combineReducers } from '@reduxjs/toolkit';
import { connectionReducer } from './connection/slice';
import { conversationsReducer } from './conversations/slice';
import { messagesReducer } from './messages/slice';
import { uiReducer } from './ui/slice';

export const rootReducer = combineReducers({
  connection: connectionReducer,
  ui: uiReducer,
  conversations: conversationsReducer,
  messages: messagesReducer,
});

export type RootState = ReturnType<typeof rootReducer>;
