// Edits and deletes of my messages (CONTRACT section 9). Every change the messages cache holds as
// `sending` goes out as `edit_message` or `delete_message`, one at a time per conversation in the order
// they were made (a message changed again meanwhile goes with its newest change), under the outbox's
// retry policy: acked → `messageChangeAcked`, refused or never answered → `messageChangeFailed` (rolled
// back, the error shown). The one offline policy: a session per connection sends what the state holds,
// a disconnect cancels it, the next connect starts over from the state. The messages listeners send their
// `sync` as the connection is reported, and these sends start in forked tasks after it, so a change that
// was stored before the connection dropped is in the cache before its second try is answered.
import { isAnyOf, type ForkedTaskAPI } from '@reduxjs/toolkit';
import { messageChangeAcked, messageChangeFailed } from '../events';
import { messageDeleteRequested, messageEditRequested } from '../intents';
import type { AppStartListening, ListenerExtra } from '../listenerMiddleware';
import { sendQueues } from '../outbox/queues';
import { untilAnswered } from '../outbox/untilAnswered';
import type { RootState } from '../reducer';

type Target = { conversationId: number; messageId: string };

/** The conversation's oldest change still to send: changes go out in the order they were made. */
function nextChange(state: RootState, conversationId: number): Target | undefined {
  const changes = Object.entries(state.messages.byConversation[conversationId]?.changes ?? {});
  const sending = changes.filter(([, c]) => c.status === 'sending').sort(([, a], [, b]) => a.at.localeCompare(b.at));
  const messageId = sending[0]?.[0];
  return messageId === undefined ? undefined : { conversationId, messageId };
}

/** Conversations with changes to send. */
const conversationsToSend = (state: RootState): number[] =>
  Object.keys(state.messages.byConversation)
    .map(Number)
    .filter((id) => nextChange(state, id) !== undefined);

const changeOf = (state: RootState, { conversationId, messageId }: Target) =>
  state.messages.byConversation[conversationId]?.changes[messageId];

/**
 * Sends a message's change until it is settled (acked, refused, out of tries, or replaced by a newer
 * change of the same message). `offline` when the connection went.
 */
async function deliver(task: ForkedTaskAPI<RootState>, { link, outbox }: ListenerExtra, target: Target) {
  const { conversationId: conversation_id, messageId: message_id } = target;
  const change = changeOf(task.getState(), target);
  if (change?.status !== 'sending') return null;
  const answer = await untilAnswered(task, outbox, () => {
    if (changeOf(task.getState(), target) !== change) return null; // replaced by a newer one: that one goes next
    return change.kind === 'edit'
      ? link.request('edit_message', { conversation_id, message_id, message: change.text }, outbox.ackTimeoutMs)
      : link.request('delete_message', { conversation_id, message_id }, outbox.ackTimeoutMs);
  });
  if (answer === 'offline' || answer === null) return answer;
  const settled = { ...target, changeId: change.id };
  return answer.ok ? messageChangeAcked({ ...settled, message: answer.message }) : messageChangeFailed({ ...settled, error: answer.error });
}

export function addChangesListeners(startListening: AppStartListening): void {
  sendQueues<Target>(startListening, {
    wakeOn: isAnyOf(messageEditRequested, messageDeleteRequested),
    conversations: conversationsToSend,
    next: nextChange,
    deliver,
  });
}
