// Scenario 7: marking a job complete updates both headers live, completes the job only when both sides
// have marked, and invalidates the conversation's cache so that the next open asks exactly once afresh.
import type { ConversationUpdatedEvent, MessageEvent, MessagesResponseEvent } from '../protocol';
import { expect, test } from './fixtures';
import { TITLES } from './support/inbox-page';

test('marking complete: live on both sides, COMPLETED when both marked, the history asked for again once', async ({
  casey,
  wes,
}) => {
  await casey.inbox.open(TITLES.fence);
  const a = await casey.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.sink);
  await expect(casey.inbox.jobStatus()).toHaveText('IN_PROGRESS');
  await expect(wes.inbox.jobStatus()).toHaveText('IN_PROGRESS');
  await expect(wes.inbox.markCompleteButton()).toBeEnabled();
  const caseyCount = await casey.inbox.messages().count();
  const wesCount = await wes.inbox.messages().count();
  await casey.net.quiet();
  await wes.net.quiet();
  const caseyMarks = casey.net.mark();
  const wesSees = wes.net.mark();

  // Casey marks: her button is spent, the job is not complete yet, her thread keeps what it showed.
  await casey.inbox.markCompleteButton().click();
  await expect(casey.inbox.markCompleteButton()).toBeDisabled();
  await expect(casey.inbox.jobStatus()).toHaveText('IN_PROGRESS');
  await expect
    .poll(() => casey.net.sentEvents('mark_complete', caseyMarks).map((f) => f.payload))
    .toEqual([{ conversation_id: a }]);
  const [marked] = casey.net.sentEvents('mark_complete', caseyMarks);
  await expect.poll(() => marked && casey.net.ackFor(marked)?.payload).toMatchObject({
    ok: true,
    conversation: { id: a, job: { status: 'IN_PROGRESS', clientMarkedComplete: true, workerMarkedComplete: false } },
  });
  expect(await casey.inbox.messages().count()).toBeGreaterThanOrEqual(caseyCount);

  // Wes learns of it live: conversation_updated and the SYSTEM message, his button still his to press.
  await expect
    .poll(() =>
      wes.net
        .receivedEvents('conversation_updated', wesSees)
        .map((f) => (f.payload as ConversationUpdatedEvent).conversation.job),
    )
    .toContainEqual(expect.objectContaining({ clientMarkedComplete: true, status: 'IN_PROGRESS' }));
  await expect
    .poll(() =>
      wes.net.receivedEvents('message', wesSees).map((f) => (f.payload as MessageEvent).message.message_type),
    )
    .toEqual(['SYSTEM']);
  await expect(wes.inbox.messages()).toHaveCount(wesCount + 1);
  await expect(wes.inbox.jobStatus()).toHaveText('IN_PROGRESS');
  await expect(wes.inbox.markCompleteButton()).toBeEnabled();

  // Wes marks too: COMPLETED on both sides, live.
  await wes.inbox.markCompleteButton().click();
  await expect(wes.inbox.jobStatus()).toHaveText('COMPLETED');
  await expect(wes.inbox.markCompleteButton()).toBeDisabled();
  await expect(casey.inbox.jobStatus()).toHaveText('COMPLETED');

  // Casey leaves and comes back: exactly one fresh get_messages for A, none for the cached B.
  await casey.net.quiet();
  const again = casey.net.mark();
  await casey.inbox.open(TITLES.fence);
  await casey.inbox.link(TITLES.sink).click();
  await casey.inbox.shows(a);
  await casey.net.quiet();
  expect(casey.net.sentEvents('get_messages', again).map((f) => f.payload)).toEqual([
    expect.objectContaining({ conversation_id: a }),
  ]);
  await expect(casey.inbox.jobStatus()).toHaveText('COMPLETED');
  await expect(casey.inbox.markCompleteButton()).toBeDisabled();
  const fresh = casey.net
    .receivedEvents('messages_response', again)
    .map((f) => f.payload as MessagesResponseEvent)
    .filter((p) => p.conversation_id === a);
  expect(fresh).toHaveLength(1);
  const history = fresh[0]?.messages ?? [];
  expect(history.filter((m) => m.message_type === 'SYSTEM')).toHaveLength(2);
  expect(fresh[0]?.conversation.job.status).toBe('COMPLETED');
  await expect(casey.inbox.messages()).toHaveCount(history.length);
  await expect(casey.inbox.messages()).toContainText(history.map((m) => m.message_text));
});
