// Scenarios 2, 3 and 5: a conversation's history is asked for once, kept, shown instantly on return, and
// kept current by the live `message` events, also for conversations that are not open.
import type { MessagesResponseEvent } from '../protocol';
import { expect, test, TITLES, uniqueText, type Frame } from './kit';

function responsesFor(frames: Frame[], id: number): MessagesResponseEvent[] {
  return frames.map((f) => f.payload as MessagesResponseEvent).filter((p) => p.conversation_id === id);
}

test('first open: one get_messages, one messages_response, the loading state, then the history in order', async ({
  casey,
}) => {
  const { inbox, net, dom } = casey;
  const before = net.mark();
  const domBefore = await dom.mark();

  const a = await inbox.open(TITLES.sink);
  await net.quiet();

  // One get_messages, for A, of the latest page (no before_seq); one answer.
  expect(net).toHaveSentOnce('get_messages', { conversation_id: a }, { since: before });
  expect(net).toHaveSent('get_messages', undefined, { since: before, times: 1 });
  expect(net.sentEvents('get_messages', before)[0]?.payload).not.toHaveProperty('before_seq');
  expect(net).toHaveReceivedOnce('messages_response', { conversation_id: a }, { since: before });
  expect(net).toHaveReceived('messages_response', undefined, { since: before, times: 1 });
  const answers = net.receivedEvents('messages_response', before);
  const answer = responsesFor(answers, a);
  const history = answer[0]?.messages ?? [];
  expect(history.length).toBeGreaterThanOrEqual(5);
  expect(history.map((m) => m.seq)).toEqual([...history.map((m) => m.seq)].sort((x, y) => x - y));

  await expect(inbox.messages()).toHaveCount(history.length);
  await expect(inbox.messages()).toContainText(history.map((m) => m.message_text));

  // The placeholder was in the DOM while the history was on its way: before the answer, before any message.
  const shown = await dom.since(domBefore);
  const loading = shown.find((e) => e.what === 'thread-loading');
  const firstMessage = shown.find((e) => e.what === 'message');
  expect(loading, 'thread-loading appeared').toBeDefined();
  expect(loading?.t).toBeLessThanOrEqual(firstMessage?.t ?? 0);
  expect(loading?.t).toBeLessThanOrEqual(answers[0]?.t ?? 0);
  await expect(inbox.loading()).toHaveCount(0);
});

test('return to a cached conversation: no frame at all, no loading state, the same messages', async ({ casey }) => {
  const { inbox, net, dom } = casey;
  const a = await inbox.open(TITLES.sink);
  const first = await inbox.messageTexts();
  await inbox.open(TITLES.fence);
  // Reading them sends mark_read: let that settle before the checkpoint.
  await expect(inbox.unreadBadge(TITLES.sink)).toHaveCount(0);
  await expect(inbox.unreadBadge(TITLES.fence)).toHaveCount(0);
  await net.quiet();
  const before = net.mark();
  const domBefore = await dom.mark();

  await inbox.link(TITLES.sink).click();
  await inbox.shows(a);
  expect(await inbox.messageTexts()).toEqual(first);
  await net.quiet();

  expect(net).toHaveSentNothingSince(before);
  const shown = await dom.since(domBefore);
  expect(shown.filter((e) => e.what === 'thread-loading'), 'loading state on return').toEqual([]);
});

test('a message in a conversation opened before is in its cache when Casey goes back to it', async ({ casey, wes }) => {
  const b = await casey.inbox.open(TITLES.fence);
  const countBefore = await casey.inbox.messages().count();
  const a = await casey.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.fence);
  await casey.net.quiet();
  const before = casey.net.mark();

  const text = uniqueText('Primer is on, second coat tomorrow.');
  await wes.inbox.send(text);
  await expect(() =>
    expect(casey.net).toHaveReceivedOnce('message', { conversation_id: b, message: { message_text: text } }, { since: before }),
  ).toPass();
  await expect(casey.inbox.thread()).toHaveAttribute('data-conversation-id', String(a));
  await expect(casey.inbox.link(TITLES.fence)).toContainText(text);

  const reopen = casey.net.mark();
  await casey.inbox.link(TITLES.fence).click();
  await casey.inbox.shows(b);
  await expect(casey.inbox.message(text)).toHaveCount(1);
  await expect(casey.inbox.messages()).toHaveCount(countBefore + 1);
  await casey.net.quiet();
  // No history asked for on reopening a cached conversation (a mark_read for Wes's message may go).
  expect(casey.net).not.toHaveSent('get_messages', undefined, { since: reopen });
  expect(casey.net).not.toHaveSent('sync', undefined, { since: reopen });
});

test('a message in a never-opened conversation updates the list; opening it asks once and shows it once', async ({
  casey,
  wes,
}) => {
  await casey.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.fence);
  await casey.net.quiet();
  const unreadBefore = await casey.inbox.unreadCount(TITLES.fence);

  const text = uniqueText('Which colour did you pick?');
  await wes.inbox.send(text);
  await expect(casey.inbox.link(TITLES.fence)).toContainText(text);
  await expect(casey.inbox.unreadBadge(TITLES.fence)).toHaveText(String(unreadBefore + 1));

  const before = casey.net.mark();
  const b = await casey.inbox.open(TITLES.fence);
  await casey.net.quiet();
  expect(casey.net).toHaveSentOnce('get_messages', { conversation_id: b }, { since: before });
  expect(casey.net).toHaveSent('get_messages', undefined, { since: before, times: 1 });
  const history = responsesFor(casey.net.receivedEvents('messages_response', before), b)[0]?.messages ?? [];
  expect(history.filter((m) => m.message_text === text)).toHaveLength(1);
  await expect(casey.inbox.messages()).toHaveCount(history.length);
  await expect(casey.inbox.messages()).toContainText(history.map((m) => m.message_text));
  await expect(casey.inbox.message(text)).toHaveCount(1);
  await expect(casey.inbox.unreadBadge(TITLES.fence)).toHaveCount(0);
});

test('return to a cached conversation: its messages are painted in the first frame, not a blank thread', async ({ casey }) => {
  const { inbox, page } = casey;
  const a = await inbox.open(TITLES.sink);
  await inbox.open(TITLES.fence);
  await expect(inbox.unreadBadge(TITLES.sink)).toHaveCount(0);

  // The browser paints a row it skips (`content-visibility: auto`, not yet found near the view) as an empty
  // box, and tells of each change of that state with a `contentvisibilityautostatechange` event after the
  // frame. So no row in view may change state from the click to two frames after the first: one unskipped
  // then was painted empty before. (With the kept threads hidden by `content-visibility: hidden`, every row
  // in view did, and the first frame showed an empty thread.)
  const firstFrame = await page.evaluate(
    (id) =>
      new Promise<{ changed: number; rowsInView: number }>((resolve) => {
        const log = () => document.querySelector<HTMLElement>(`[data-testid="thread"][data-conversation-id="${id}"]`);
        const inView = (row: Element, view: DOMRect) => {
          const box = row.getBoundingClientRect();
          return box.bottom > view.top && box.top < view.bottom;
        };
        let changed = 0;
        document.addEventListener(
          'contentvisibilityautostatechange',
          (event) => {
            const shown = log();
            if (shown?.contains(event.target as Node) && inView(event.target as Element, shown.getBoundingClientRect())) changed += 1;
          },
          true,
        );
        const observer = new MutationObserver(() => {
          const shown = log();
          if (!shown?.querySelector('[data-testid="message"]')) return;
          observer.disconnect();
          requestAnimationFrame(() => {
            const view = shown.getBoundingClientRect();
            const rowsInView = [...shown.querySelectorAll('[data-testid="message"]')].filter((row) => inView(row, view)).length;
            requestAnimationFrame(() => requestAnimationFrame(() => resolve({ changed, rowsInView })));
          });
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        document.querySelector<HTMLElement>(`[data-testid="conversation-${id}"]`)!.click();
      }),
    a,
  );
  expect(firstFrame.rowsInView).toBeGreaterThan(0);
  expect(firstFrame.changed, 'rows in view whose skipped state changed after the click').toBe(0);
});
