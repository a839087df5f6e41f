// Edits and deletes of my messages (CONTRACT section 9). Every change the messages cache holds as
// `sending` goes out as `edit_message` or `delete_message`, one at a time per message, under the outbox's
// retry policy: acked → `messageChangeAcked`, refused or never answered → `messageChangeFailed` (rolled
// back, the error shown). The one offline policy: a session per connection sends what the state holds,
// a disconnect cancels it, the next connect starts over from the state. The messages listeners' `sync`
// goes out on connect before these, so a change that was stored before the connection dropped is in the
// cache before its second try is answered.
import { isAnyOf, type ForkedTaskAPI } from '@reduxjs/toolkit';
import { messageChangeAcked, messageChangeFailed } from '../events';
import { messageDeleteRequested, messageEditRequested } from '../intents';
import { duringEveryConnection, type AppStartListening, type ListenerExtra } from '../listenerMiddleware';
import type { RootState } from '../reducer';
import { untilAnswered } from '../outbox/untilAnswered';

type Target = { conversationId: number; messageId: string };

const keyOf = ({ conversationId, messageId }: Target) => `${conversationId}/${messageId}`;

/** Every change still to send, oldest first. */
function changesToSend(state: RootState): Target[] {
  return Object.entries(state.messages.byConversation)
    .flatMap(([id, t]) =>
      Object.entries(t.changes)
        .filter(([, c]) => c.status === 'sending')
        .map(([messageId, c]) => ({ conversationId: Number(id), messageId, at: c.at })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
}

const changeOf = (state: RootState, { conversationId, messageId }: Target) =>
  state.messages.byConversation[conversationId]?.changes[messageId];

/**
 * Sends the message's change until it is settled, then the next one if the user changed it again
 * meanwhile. `offline` when the connection went.
 */
async function deliver(task: ForkedTaskAPI<RootState>, { link, outbox }: ListenerExtra, target: Target) {
  const { conversationId: conversation_id, messageId: message_id } = target;
  for (;;) {
    const change = changeOf(task.getState(), target);
    if (change?.status !== 'sending') return;
    const answer = await untilAnswered(task, outbox, () => {
      if (changeOf(task.getState(), target) !== change) return null; // replaced by a newer one
      return change.kind === 'edit'
        ? link.request('edit_message', { conversation_id, message_id, message: change.text }, outbox.ackTimeoutMs)
        : link.request('delete_message', { conversation_id, message_id }, outbox.ackTimeoutMs);
    });
    if (answer === 'offline') return answer;
    if (answer === null) continue;
    const settled = { ...target, changeId: change.id };
    if (answer.ok) task.dispatch(messageChangeAcked({ ...settled, message: answer.message }));
    else task.dispatch(messageChangeFailed({ ...settled, error: answer.error }));
  }
}

export function addChangesListeners(startListening: AppStartListening): void {
  duringEveryConnection(startListening, async (api) => {
    /** Messages whose changes are being sent in this session. */
    const sending = new Set<string>();
    const send = (target: Target) => {
      const key = keyOf(target);
      if (sending.has(key)) return;
      sending.add(key);
      api.fork(async (task) => {
        await deliver(task, api.extra, target);
        sending.delete(key);
      });
    };
    changesToSend(api.getState()).forEach(send);
    for (;;) {
      await api.take(isAnyOf(messageEditRequested, messageDeleteRequested));
      changesToSend(api.getState()).forEach(send);
    }
  });
}
