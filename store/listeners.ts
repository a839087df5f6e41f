// The store's effects: one listener middleware per store, with every slice's listeners registered on it.
import { createListenerMiddleware, type Dispatch, type UnknownAction } from '@reduxjs/toolkit';
import { addChangesListeners } from './changes/listeners';
import { addConversationsListeners } from './conversations/listeners';
import type { AppStartListening, ListenerExtra } from './listenerMiddleware';
import { addMessagesListeners } from './messages/listeners';
import { addOutboxListeners } from './outbox/listeners';
import { addPersistListeners } from './persist/listeners';
import { addReadsListeners } from './reads/listeners';
import type { RootState } from './reducer';
import { addSocketListeners } from './socket/listeners';
import { addTypingListeners } from './typing/listeners';

export function createListeners(extra: ListenerExtra) {
  const listeners = createListenerMiddleware<RootState, Dispatch<UnknownAction>, ListenerExtra>({ extra });
  const startListening = listeners.startListening as AppStartListening;
  addSocketListeners(startListening);
  addMessagesListeners(startListening);
  addOutboxListeners(startListening);
  addConversationsListeners(startListening);
  addReadsListeners(startListening);
  addChangesListeners(startListening);
  addTypingListeners(startListening);
  // Without a browser cache there is nothing to restore or write (and the check for a change to write
  // would run on every frame).
  if (extra.persist !== null) addPersistListeners(startListening);
  return listeners;
}
