// CONTRACT section 7, prefetch: a pointer resting on a never-loaded conversation (or a keyboard focus on
// it) loads its history in the background, so the click that follows finds it cached; a plain click
// still asks once and shows the loading state; a list re-ordering under a resting pointer loads nothing.
import { expect, test, type Person } from './fixtures';
import { domEventsSince, domMark } from './support/dom-recorder';
import { TITLES, uniqueText } from './support/inbox-page';

const asked = (person: Person, mark: ReturnType<Person['net']['mark']>) =>
  person.net.sentEvents('get_messages', mark).map((f) => f.payload);

test('resting the pointer on a never-loaded conversation loads it in the background; the click then shows no loading', async ({
  casey,
  wes,
}) => {
  // Something unread in the fence: a background load must not mark it read.
  await wes.inbox.open(TITLES.fence);
  await wes.inbox.send(uniqueText('Which colour?'));
  await expect(casey.inbox.unreadBadge(TITLES.fence)).toHaveCount(1);
  const fence = await casey.inbox.conversationId(TITLES.fence);
  await casey.net.quiet();

  const before = casey.net.mark();
  await casey.inbox.link(TITLES.fence).hover();
  await expect.poll(() => casey.net.receivedEvents('messages_response', before).length).toBe(1);
  await casey.net.quiet();
  expect(asked(casey, before)).toEqual([{ conversation_id: fence }]);
  expect(casey.net.sentEvents('mark_read', before), 'read marks sent by a prefetch').toEqual([]);
  await expect(casey.inbox.unreadBadge(TITLES.fence)).toHaveCount(1);
  await expect(casey.inbox.loading()).toHaveCount(0);

  const domBefore = await domMark(casey.page);
  await casey.inbox.link(TITLES.fence).click();
  await casey.inbox.shows(fence);
  await casey.net.quiet();
  expect((await domEventsSince(casey.page, domBefore)).filter((e) => e.what === 'thread-loading'), 'loading state').toEqual([]);
  expect(asked(casey, before), 'get_messages in all').toHaveLength(1);
  // Opened, it is read now.
  await expect(casey.inbox.unreadBadge(TITLES.fence)).toHaveCount(0);
});

test('focusing a conversation with the keyboard loads it in the background; Enter opens it without loading', async ({ casey }) => {
  const { page } = casey;
  await casey.net.quiet();
  const before = casey.net.mark();
  await page.getByLabel('Search jobs and people').focus();
  await page.keyboard.press('Tab');
  const testId = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
  const id = Number(/^conversation-(\d+)$/.exec(testId)?.[1]);
  expect(id, 'a conversation link has the focus').toBeGreaterThan(0);
  await expect.poll(() => casey.net.receivedEvents('messages_response', before).length).toBe(1);
  expect(asked(casey, before)).toEqual([{ conversation_id: id }]);

  const domBefore = await domMark(page);
  await page.keyboard.press('Enter');
  await casey.inbox.shows(id);
  expect((await domEventsSince(page, domBefore)).filter((e) => e.what === 'thread-loading')).toEqual([]);
  expect(asked(casey, before)).toHaveLength(1);
});

test('a plain click (no rest) asks exactly once and shows the loading state, as without prefetch', async ({ casey }) => {
  const { page } = casey;
  await casey.net.quiet();
  const wardrobe = await casey.inbox.conversationId(TITLES.wardrobe);
  const before = casey.net.mark();
  const domBefore = await domMark(page);
  await casey.inbox.link(TITLES.wardrobe).click();
  await casey.inbox.shows(wardrobe);
  await casey.net.quiet();
  expect(asked(casey, before)).toEqual([{ conversation_id: wardrobe }]);
  const answer = casey.net.receivedEvents('messages_response', before)[0];
  const loading = (await domEventsSince(page, domBefore)).find((e) => e.what === 'thread-loading');
  expect(loading, 'the loading state').toBeDefined();
  expect(loading!.t).toBeLessThanOrEqual(answer?.t ?? 0);
});

test('a list that re-orders under a resting pointer prefetches nothing; moving the pointer then does', async ({ casey, wes }) => {
  const { page } = casey;
  // The sink on top of Casey's list, loaded.
  await casey.inbox.open(TITLES.sink);
  await casey.inbox.send(uniqueText('Top of the list'));
  await expect(casey.inbox.links().first()).toContainText(TITLES.sink);
  const fence = await casey.inbox.conversationId(TITLES.fence);
  const box = (await casey.inbox.links().first().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await wes.inbox.open(TITLES.fence);
  await casey.net.quiet();

  const before = casey.net.mark();
  await wes.inbox.send(uniqueText('Now I am on top'));
  await expect(casey.inbox.links().first()).toContainText(TITLES.fence);
  await page.waitForTimeout(1000); // far longer than a rest
  expect(asked(casey, before), 'a prefetch under a pointer that did not move').toEqual([]);

  await page.mouse.move(box.x + box.width / 2 + 3, box.y + box.height / 2);
  await expect.poll(() => asked(casey, before)).toEqual([{ conversation_id: fence }]);
});
