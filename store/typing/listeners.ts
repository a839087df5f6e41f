// Typing (CONTRACT section 8), both ways. Out: while the composer holds text, `typing` goes out at most
// once every LIMITS.typingEveryMs per conversation, and only on a connected socket: it is never queued
// (a session per connection, like the outbox's; a disconnect ends it). In: each `typing` frame starts a
// wait of LIMITS.typingShownMs; another frame for the same conversation, or the line cleared meanwhile
// (their message, the connection or the inbox ended), ends that wait early, else it ends in
// `typingExpired`.
import { isAnyOf } from '@reduxjs/toolkit';
import { LIMITS } from '../../protocol/types';
import { typingExpired, typingReceived } from '../events';
import { composerTyped, messageQueued } from '../intents';
import { duringEveryConnection, type AppStartListening } from '../listenerMiddleware';

export function addTypingListeners(startListening: AppStartListening): void {
  duringEveryConnection(startListening, async (api) => {
    /** By conversation: when `typing` last went out on this connection. */
    const sentAt = new Map<number, number>();
    for (;;) {
      const [typed] = await api.take(isAnyOf(composerTyped, messageQueued));
      const id = typed.payload.conversationId;
      // A message sent ends the typing it announced: the next keystroke announces anew.
      if (messageQueued.match(typed)) {
        sentAt.delete(id);
        continue;
      }
      const now = Date.now();
      if (now - (sentAt.get(id) ?? -Infinity) < LIMITS.typingEveryMs) continue;
      if (api.extra.link.send('typing', { conversation_id: id })) sentAt.set(id, now);
    }
  });

  startListening({
    actionCreator: typingReceived,
    effect: async ({ payload: { conversation_id: id } }, api) => {
      const ended = await api.condition(
        (action, state) =>
          (typingReceived.match(action) && action.payload.conversation_id === id) || state.typing[id] === undefined,
        LIMITS.typingShownMs,
      );
      if (!ended) api.dispatch(typingExpired({ conversationId: id }));
    },
  });
}
