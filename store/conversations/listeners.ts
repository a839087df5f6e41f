// "Mark complete": sends mark_complete for each request the reducer holds as `sending`, now if connected
// and again on every connect until it is answered. A refusal or a missing answer becomes
// `markCompleteFailed`, which the job header shows; the ack becomes `markCompleteAcked`.
import type { ForkedTaskAPI } from '@reduxjs/toolkit';
import { markCompleteAcked, markCompleteFailed, socketConnected } from '../events';
import { markCompleteRequested } from '../intents';
import type { AppStartListening, ListenerExtra } from '../listenerMiddleware';
import type { RootState } from '../reducer';

type Task = Pick<ForkedTaskAPI<RootState>, 'dispatch' | 'pause'>;

async function markComplete(task: Task, extra: ListenerExtra, conversationId: number): Promise<void> {
  const answer = await task.pause(
    extra.link.request('mark_complete', { conversation_id: conversationId }, extra.ackTimeoutMs),
  );
  // Not sent, or lost with the connection: still `sending`, so the next connect sends it again.
  if (answer.kind === 'offline' || answer.kind === 'lost') return;
  if (answer.kind === 'timeout') return void task.dispatch(markCompleteFailed({ conversationId, error: null }));
  const { ack } = answer;
  if (ack.ok) task.dispatch(markCompleteAcked({ conversation: ack.conversation }));
  else task.dispatch(markCompleteFailed({ conversationId, error: ack.error }));
}

export function addConversationsListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: markCompleteRequested,
    effect: async ({ payload: { conversationId: id } }, api) => {
      // A second click while the first is on its way asks nothing more.
      if (api.getOriginalState().conversations.markComplete[id]?.status === 'sending') return;
      await markComplete(api, api.extra, id);
    },
  });

  startListening({
    actionCreator: socketConnected,
    effect: (_, api) => {
      for (const [id, request] of Object.entries(api.getState().conversations.markComplete)) {
        if (request.status === 'sending') api.fork((task) => markComplete(task, api.extra, Number(id)));
      }
    },
  });
}
