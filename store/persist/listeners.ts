// The browser cache's effects (CONTRACT section 7): after the restore, every change to the list, a kept
// thread or the outbox is handed to the writer, which writes it later in a batch; a message put in the
// outbox is written at once. A refused session stops the writes (the page then erases the database).
import { isAnyOf } from '@reduxjs/toolkit';
import { messageAcked, messageFailed, socketAuthFailed } from '../events';
import { conversationOpened, conversationPrefetched, inboxStopped, messageQueued, messageRetried } from '../intents';
import type { AppStartListening } from '../listenerMiddleware';
import { messageCount } from '../messages/thread';
import { cacheRestored } from './actions';

/** The outbox: on disk before anything else, so a closed tab does not lose it. */
const outboxChanged = isAnyOf(messageQueued, messageRetried, messageFailed, messageAcked);

export function addPersistListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: cacheRestored,
    effect: ({ payload }, api) => {
      const writer = api.extra.persist;
      if (writer === null) return;
      if (payload === null) return writer.startWhenOpen(api.getState);
      writer.start(api.getState(), payload.threads.map((t) => [t.conversationId, t.openedAt]));
      if (payload.threads.length === 0 && payload.list === null) return;
      const threads = api.getState().messages.byConversation;
      const messages = payload.threads.reduce((n, t) => n + (threads[t.conversationId] ? messageCount(threads[t.conversationId]!) : 0), 0);
      api.extra.log(`Restored ${payload.threads.length} conversations from disk (${messages} messages)`);
    },
  });

  startListening({
    matcher: isAnyOf(conversationOpened, conversationPrefetched),
    effect: ({ payload: { conversationId: id } }: { payload: { conversationId: number | null } }, api) => {
      if (id !== null) api.extra.persist?.opened(id, api.getState);
    },
  });

  // Any change to what is kept: cheap reference checks here, the comparison and the write later.
  startListening({
    predicate: (_action, state, before) =>
      state.messages.byConversation !== before.messages.byConversation ||
      state.conversations.byId !== before.conversations.byId ||
      state.conversations.order !== before.conversations.order,
    effect: (action, api) => api.extra.persist?.changed(api.getState, outboxChanged(action)),
  });

  startListening({
    actionCreator: inboxStopped,
    effect: (_, api) => api.extra.persist?.flush(api.getState),
  });

  startListening({
    actionCreator: socketAuthFailed,
    effect: (_, api) => api.extra.persist?.stop(),
  });
}
