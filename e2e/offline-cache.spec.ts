// CONTRACT section 7: the inbox kept in IndexedDB per user. A reload shows the open conversation from
// disk (no loading, no get_messages, one sync); what was missed while closed comes once; with the socket
// held off the list and the thread still show; a message typed offline survives a reload and is sent
// once; sign-out leaves nothing; another user never sees it; without IndexedDB nothing changes; two tabs.
import type { MessagesResponseEvent, SyncPayload } from '../protocol';
import { signIn } from '../test/support/sign-in';
import { expect, test, type Person } from './fixtures';
import { domEvents } from './support/dom-recorder';
import { dumpIndexedDb, holdSocketOff, messagesOnDisk, outboxOnDisk } from './support/indexed-db';
import { CASEY, TITLES, WES, uniqueText } from './support/inbox-page';
import { connectWire, sendOverWire } from './support/wire-client';

/** Opens a conversation and waits until the disk holds every message the page shows of it. */
async function openAndKeep(person: Person, title: string): Promise<{ id: number; texts: string[]; lastSeq: number; lastRev: number }> {
  const before = person.net.mark();
  const id = await person.inbox.open(title);
  const answer = person.net.receivedEvents('messages_response', before).map((f) => f.payload as MessagesResponseEvent).find((p) => p.conversation_id === id);
  const lastSeq = answer?.messages.at(-1)?.seq ?? 0;
  // The revision cursor kept with the thread: the latest edit or delete seen (0 when none was).
  const lastRev = Math.max(0, ...(answer?.messages.map((m) => m.rev) ?? []));
  const count = await person.inbox.messages().count();
  // The first open of a fresh profile's database can take seconds on a loaded machine.
  await expect.poll(async () => (await messagesOnDisk(person.page, id)).length, { message: 'the thread on disk', timeout: 30_000 }).toBe(count);
  const texts = (await messagesOnDisk(person.page, id)).map((m) => m.message_text);
  return { id, texts, lastSeq, lastRev };
}

test('a reload on /inbox/{id} shows the thread from disk: no loading state, no get_messages, one sync', async ({ casey }) => {
  const { inbox, net, page } = casey;
  const sink = await openAndKeep(casey, TITLES.sink);
  const shown = await inbox.messageTexts();

  // The debug line of the restore (CONTRACT sections 6 and 7), word for word.
  await page.evaluate(() => localStorage.setItem('stream-debug', '1'));
  const before = net.mark();
  await page.reload();
  await expect(inbox.thread()).toHaveAttribute('data-conversation-id', String(sink.id));
  await expect.poll(() => casey.console.map((line) => line.text)).toContain(`[Stream Controller] Restored 1 conversations from disk (${shown.length} messages)`);
  await expect(inbox.messages()).toHaveCount(shown.length);
  expect(await inbox.messageTexts()).toEqual(shown);
  await expect(inbox.connection()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await net.quiet();

  const dom = await domEvents(page); // since the reload
  expect(dom.filter((e) => e.what === 'thread-loading'), 'loading state after the reload').toEqual([]);
  // On screen before the socket connected.
  const firstRow = dom.find((e) => e.what === 'message');
  const connected = dom.find((e) => e.what === 'connection' && e.state === 'connected');
  expect(firstRow?.t).toBeLessThanOrEqual(connected?.t ?? 0);
  expect(net.sentEvents('get_messages', before), 'get_messages after the reload').toEqual([]);
  expect(net.sentEvents('sync', before).map((f) => f.payload)).toEqual([
    { conversations: [{ conversation_id: sink.id, after_seq: sink.lastSeq, after_rev: sink.lastRev }] } satisfies SyncPayload,
  ]);
});

test('a message Wes sent while Casey\'s tab was closed shows once when she opens it again', async ({ server, casey }) => {
  const sink = await openAndKeep(casey, TITLES.sink);
  await casey.page.close();

  const missed = uniqueText('Sent while your tab was closed');
  const wes = await connectWire(server.url, await signIn(server.url, WES));
  try {
    expect(await sendOverWire(wes, sink.id, missed)).toMatchObject({ ok: true });
  } finally {
    wes.close();
  }

  const page = await casey.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`/inbox/${sink.id}`);
  const thread = page.getByRole('log').and(page.getByTestId('thread'));
  await expect(thread.getByTestId('message').filter({ hasText: missed })).toHaveCount(1);
  await expect(thread.getByTestId('message')).toHaveCount(sink.texts.length + 1);
  await expect.poll(async () => (await messagesOnDisk(page, sink.id)).filter((m) => m.message_text === missed).length).toBe(1);
  expect(errors).toEqual([]);
});

test('with the socket held off, a reload still shows the list and the thread, disconnected', async ({ casey }) => {
  const { inbox, page } = casey;
  await openAndKeep(casey, TITLES.fence);
  const sink = await openAndKeep(casey, TITLES.sink);
  const titles = await inbox.links().allInnerTexts();
  const shown = await inbox.messageTexts();

  await holdSocketOff(page);
  await page.reload();
  await expect(inbox.connection()).toHaveAttribute('data-state', 'disconnected', { timeout: 20_000 });
  await expect(inbox.links()).toHaveCount(titles.length);
  await expect(inbox.thread()).toHaveAttribute('data-conversation-id', String(sink.id));
  expect(await inbox.messageTexts()).toEqual(shown);
  await expect(inbox.loading()).toHaveCount(0);
  // The other kept conversation opens from disk too.
  await inbox.link(TITLES.fence).click();
  await expect(inbox.messages().first()).toBeVisible();
  await expect(inbox.loading()).toHaveCount(0);
  expect((await domEvents(page)).filter((e) => e.what === 'thread-loading')).toEqual([]);
});

test('a message typed offline survives a reload, shows pending again, and is delivered once', async ({ casey, wes }) => {
  test.slow();
  const { inbox, page } = casey;
  const sink = await openAndKeep(casey, TITLES.sink);
  const socket = await holdSocketOff(page);
  await page.reload();
  await expect(inbox.connection()).toHaveAttribute('data-state', 'disconnected', { timeout: 20_000 });

  const typed = uniqueText('Typed on the train');
  await inbox.send(typed);
  await expect(inbox.message(typed)).toHaveAttribute('data-status', 'pending');
  await expect.poll(() => outboxOnDisk(page), { message: 'the outbox on disk' }).toEqual([typed]);

  await page.reload();
  await expect(inbox.message(typed)).toHaveAttribute('data-status', 'pending');
  await expect(inbox.connection()).toHaveAttribute('data-state', 'disconnected');

  const before = casey.net.mark();
  socket.online();
  await expect(inbox.connection()).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(inbox.message(typed)).toHaveAttribute('data-status', 'sent');
  await expect(inbox.message(typed)).toHaveCount(1);
  await casey.net.quiet();
  expect(casey.net.sentEvents('send_message', before).filter((f) => JSON.stringify(f.payload).includes(typed))).toHaveLength(1);
  await expect.poll(() => outboxOnDisk(page)).toEqual([]);
  await expect.poll(async () => (await messagesOnDisk(page, sink.id)).filter((m) => m.message_text === typed).length).toBe(1);

  await wes.inbox.open(TITLES.sink);
  await expect(wes.inbox.message(typed)).toHaveCount(1);
});

test('sign-out leaves no message text in any IndexedDB database, and Wes signing in there sees nothing of Casey\'s', async ({ casey }) => {
  const { inbox, page } = casey;
  const sink = await openAndKeep(casey, TITLES.sink);
  const wardrobe = await openAndKeep(casey, TITLES.wardrobe);
  expect((await dumpIndexedDb(page)).length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  const left = JSON.stringify(await dumpIndexedDb(page));
  for (const text of [...sink.texts, ...wardrobe.texts, TITLES.wardrobe]) expect(left, `"${text}" still kept`).not.toContain(text);

  await inbox.signIn(WES);
  await expect(inbox.links()).toHaveCount(2);
  await expect(page.locator('body')).not.toContainText(TITLES.wardrobe);
  await page.goto(`/inbox/${wardrobe.id}`);
  await inbox.ready();
  await expect(page.locator('body')).not.toContainText(TITLES.wardrobe);
  await expect(page.getByTestId('message')).toHaveCount(0);
});

test('a session ended elsewhere (the socket refused as unauthorized) erases what was kept, then goes to /login', async ({ server, casey }) => {
  const sink = await openAndKeep(casey, TITLES.sink);
  const session = (await casey.context.cookies()).find((c) => c.name === 'session');
  // Signed out from another place with the same session: the server hangs up, the reconnect is refused.
  const res = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: `session=${session?.value}` } });
  expect(res.status).toBe(200);
  await expect(casey.page).toHaveURL(/\/login$/, { timeout: 30_000 });
  const left = JSON.stringify(await dumpIndexedDb(casey.page));
  for (const text of sink.texts) expect(left, `"${text}" still kept`).not.toContain(text);
});

test('what Casey keeps is hers: Wes on the same browser, even offline, is shown none of it', async ({ server, casey }) => {
  const { inbox, page } = casey;
  const sink = await openAndKeep(casey, TITLES.sink);
  await openAndKeep(casey, TITLES.wardrobe);

  // Casey's cookie replaced by Wes's without a sign-out: her database stays.
  await casey.context.clearCookies();
  const [name, ...value] = (await signIn(server.url, WES)).split('=');
  await casey.context.addCookies([{ name: name!, value: value.join('='), url: server.url }]);
  const socket = await holdSocketOff(page);
  await page.goto(`/inbox/${sink.id}`);
  await expect(inbox.connection()).toHaveAttribute('data-state', 'disconnected', { timeout: 20_000 });
  await expect(page.getByText('Wes Worker')).toBeVisible();
  await expect(inbox.links()).toHaveCount(0);
  await expect(page.getByTestId('message')).toHaveCount(0);
  for (const text of sink.texts) await expect(page.locator('body')).not.toContainText(text);

  socket.online();
  await expect(inbox.connection()).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(inbox.links()).toHaveCount(2);
  await expect(page.locator('body')).not.toContainText(TITLES.wardrobe);
});

test('without IndexedDB (missing, or an open that throws) the inbox works as before, with a quiet console', async ({ people }) => {
  test.slow();
  const variants = {
    missing: () => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }),
    throws: () => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
    },
  };
  for (const [name, script] of Object.entries(variants)) {
    const person = await people.enter(`casey-${name}`);
    await person.context.addInitScript(script);
    await person.inbox.signIn(CASEY);
    const { inbox, net, page } = person;
    const sink = await inbox.open(TITLES.sink);
    const mine = uniqueText('No disk here');
    await inbox.send(mine);
    await expect(inbox.message(mine)).toHaveAttribute('data-status', 'sent');

    const before = net.mark();
    await page.reload();
    await inbox.ready();
    await inbox.shows(sink);
    await expect(inbox.message(mine)).toHaveCount(1);
    // As without persistence: the history is asked for again, with its loading state.
    expect(net.sentEvents('get_messages', before).map((f) => f.payload)).toEqual([{ conversation_id: sink }]);
    expect((await domEvents(page)).some((e) => e.what === 'thread-loading')).toBe(true);
    expect(person.console.filter((line) => line.type !== 'verbose'), `console (${name})`).toEqual([]);
  }
});

test('two tabs writing at once: after both close, a third shows each message once, in order', async ({ casey, wes }) => {
  test.slow();
  const tabA = casey;
  const sink = await openAndKeep(tabA, TITLES.sink);
  const tabB = await casey.context.newPage();
  await tabB.goto(`/inbox/${sink.id}`);
  const threadB = tabB.getByRole('log').and(tabB.getByTestId('thread'));
  await expect(threadB.getByTestId('message')).toHaveCount(sink.texts.length);
  await wes.inbox.open(TITLES.sink);

  const sent: string[] = [];
  for (let i = 0; i < 4; i++) {
    const fromA = uniqueText(`tab A ${i}`);
    const fromB = uniqueText(`tab B ${i}`);
    const fromWes = uniqueText(`Wes ${i}`);
    sent.push(fromA, fromB, fromWes);
    await tabA.inbox.send(fromA);
    await tabB.getByRole('textbox', { name: 'Message' }).fill(fromB);
    await tabB.getByRole('textbox', { name: 'Message' }).press('Enter');
    await wes.inbox.send(fromWes);
  }
  for (const text of sent) await expect(wes.inbox.message(text)).toHaveAttribute('data-status', 'sent');
  const order = await wes.inbox.messages().allInnerTexts();
  const total = order.length;
  for (const page of [tabA.page, tabB]) {
    await expect(page.getByRole('log').and(page.getByTestId('thread')).getByTestId('message')).toHaveCount(total);
  }
  await expect.poll(async () => (await messagesOnDisk(tabA.page, sink.id)).length, { timeout: 15_000 }).toBe(total);

  const third = await casey.context.newPage();
  await tabA.page.close();
  await tabB.close();
  await holdSocketOff(third); // only the disk speaks
  await third.goto(`/inbox/${sink.id}`);
  const rows = third.getByRole('log').and(third.getByTestId('thread')).getByTestId('message');
  await expect(rows).toHaveCount(total);
  for (const text of sent) await expect(rows.filter({ hasText: text })).toHaveCount(1);
  const kept = await messagesOnDisk(third, sink.id);
  expect(kept.map((m) => m.seq)).toEqual(kept.map((_, i) => i + 1));
  expect(new Set(kept.map((m) => m.id)).size).toBe(kept.length);
  const texts = kept.map((m) => m.message_text).filter((t) => sent.includes(t));
  expect(texts).toEqual(order.map((row) => sent.find((t) => row.includes(t))).filter((t) => t !== undefined));
});
