// Edits and deletes (CONTRACT section 9) in two browsers: live on the other side with no request, a
// delete made while Wes's tab was cut off or closed gone when he comes back (no ghost), a refusal rolled
// back with an alert, and the whole flow by keyboard, checked with axe at every step.
import type { Browser } from '@playwright/test';
import type { MessagesResponseEvent, MessageUpdatedEvent, SyncPayload } from '../protocol';
import type { ServerProcess } from '../test/support/server-process';
import { TcpProxy } from '../test/faults/support/tcp-proxy';
import { expectAccessible } from './support/axe';
import { expect, test, type Person } from './fixtures';
import { CASEY, InboxPage, TITLES, WES, uniqueText } from './support/inbox-page';
import { NetworkRecorder } from '../test/support/network-recorder';
import { signIn } from '../test/support/sign-in';
import { dumpIndexedDb, messagesOnDisk } from './support/indexed-db';
import { connectWire, historyOverWire } from './support/wire-client';

/** A signed-in person whose page reaches the server through a TCP proxy that can go offline. */
async function throughProxy(browser: Browser, server: ServerProcess, email: string) {
  const proxy = await TcpProxy.start(server.port);
  const context = await browser.newContext({ baseURL: proxy.url });
  const page = await context.newPage();
  const net = new NetworkRecorder(page);
  const inbox = new InboxPage(page);
  await inbox.signIn(email);
  return {
    proxy,
    page,
    net,
    inbox,
    close: async () => {
      await context.close();
      await proxy.close();
    },
  };
}

/** Casey sends `texts` in "Fix my sink" and waits until each is sent and shown to `other`. */
async function caseySays(casey: Person, other: InboxPage, texts: string[]): Promise<void> {
  for (const text of texts) {
    await casey.inbox.send(text);
    await expect(casey.inbox.message(text)).toHaveAttribute('data-status', 'sent');
    await expect(other.message(text)).toHaveCount(1);
  }
}

test('an edit and a delete show live on the other side, with no request', async ({ casey, wes }) => {
  const sink = await casey.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.sink);
  const [first, second] = [uniqueText('Tuesday at 9?'), uniqueText('I will bring the part')];
  await caseySays(casey, wes.inbox, [first, second]);
  await wes.net.quiet();
  const wesBefore = wes.net.mark();

  const changed = uniqueText('Wednesday at 9?');
  await casey.inbox.editMessage(first, changed);
  await expect(casey.inbox.message(changed)).toContainText('edited');
  await expect(wes.inbox.message(changed)).toHaveCount(1);
  await expect(wes.inbox.message(changed)).toContainText('edited');
  await expect(wes.inbox.message(first)).toHaveCount(0);

  await casey.inbox.deleteMessage(second);
  await expect(casey.inbox.deletedMessages()).toHaveCount(1);
  await expect(wes.inbox.deletedMessages()).toHaveCount(1);
  await expect(wes.inbox.deletedMessages()).toContainText('Message deleted');
  await expect(wes.inbox.deletedMessages()).toHaveAttribute('data-mine', 'false');
  await expect(wes.inbox.message(second)).toHaveCount(0);
  // The list's last message follows.
  await expect(wes.inbox.link(TITLES.sink)).toContainText('Message deleted');
  await expect(casey.inbox.link(TITLES.sink)).toContainText('Message deleted');
  expect(await wes.page.content()).not.toContain(second);

  await wes.net.quiet();
  const updates = wes.net.receivedEvents('message_updated', wesBefore).map((f) => f.payload as MessageUpdatedEvent);
  expect(updates.map((u) => [u.conversation_id, u.message.message_text, u.message.deleted])).toEqual([
    [sink, changed, false],
    [sink, '', true],
  ]);
  expect(wes.net.sentEvents(undefined, wesBefore).map((f) => f.event), 'frames Wes sent').toEqual([]);
  expect(wes.net.since(wesBefore).filter((f) => f.kind === 'event' && f.dir === 'received' && f.event === 'messages_response')).toEqual([]);
  expect(casey.net.sentEvents('edit_message').map((f) => f.payload)).toEqual([
    { conversation_id: sink, message_id: expect.any(String), message: changed },
  ]);
  expect(casey.net.sentEvents('delete_message')).toHaveLength(1);
  await expectAccessible(wes.page, 'thread with an edited and a deleted message');
  await expectAccessible(casey.page, 'my edited and deleted messages');
});

test('a delete made while Wes was cut off, or had his tab closed, is gone when he comes back', async ({ browser, server, casey }) => {
  test.setTimeout(120_000);
  const wes = await throughProxy(browser, server, WES);
  try {
    const sink = await casey.inbox.open(TITLES.sink);
    await wes.inbox.open(TITLES.sink);
    const [kept, gone, alsoGone] = [uniqueText('Kept'), uniqueText('Gone while away'), uniqueText('Gone while closed')];
    await caseySays(casey, wes.inbox, [kept, gone, alsoGone]);

    // Cut off: the delete and an edit happen meanwhile; the reconnect's sync names after_rev and brings both.
    wes.proxy.goOffline();
    await expect(wes.inbox.connection()).toHaveAttribute('data-state', 'disconnected');
    const back = wes.net.mark();
    await casey.inbox.deleteMessage(gone);
    const keptEdited = uniqueText('Kept, and edited');
    await casey.inbox.editMessage(kept, keptEdited);
    await expect(casey.inbox.message(keptEdited)).toContainText('edited');
    await expect(wes.inbox.message(gone)).toHaveCount(1); // still cut off: the old copy
    wes.proxy.goOnline();
    await expect(wes.inbox.connection()).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    await expect(wes.inbox.message(gone)).toHaveCount(0);
    await expect(wes.inbox.deletedMessages()).toHaveCount(1);
    await expect(wes.inbox.message(keptEdited)).toContainText('edited');
    const sync = wes.net.sentEvents('sync', back).map((f) => f.payload as SyncPayload);
    expect(sync).toHaveLength(1);
    expect(sync[0]!.conversations).toEqual([{ conversation_id: sink, after_seq: expect.any(Number), after_rev: 0 }]);
    const answer = wes.net.receivedEvents('messages_response', back).map((f) => f.payload as MessagesResponseEvent);
    expect(answer.map((a) => a.after_seq)).toEqual([sync[0]!.conversations[0]!.after_seq]);
    expect(answer[0]!.messages.filter((m) => m.deleted).map((m) => m.message_text)).toEqual(['']);
    expect(wes.net.sentEvents('get_messages', back)).toEqual([]);

    // Closed: his next visit opens the thread from disk (no get_messages), and the sync that names the
    // revision kept on disk brings the delete made meanwhile: gone from the page and from IndexedDB.
    await expect.poll(async () => (await messagesOnDisk(wes.page, sink)).find((m) => m.message_text === keptEdited)?.rev ?? 0).toBeGreaterThan(0);
    await wes.page.close();
    await casey.inbox.deleteMessage(alsoGone);
    await expect(casey.inbox.deletedMessages()).toHaveCount(2);
    const again = await wes.page.context().newPage();
    const net = new NetworkRecorder(again);
    const inbox = new InboxPage(again);
    await again.goto(`/inbox/${sink}`);
    await inbox.shows(sink);
    await expect(inbox.deletedMessages()).toHaveCount(2);
    await expect(inbox.message(alsoGone)).toHaveCount(0);
    await expect(inbox.message(keptEdited)).toHaveCount(1);
    expect(await again.content()).not.toContain(alsoGone);
    expect(net.sentEvents('get_messages')).toEqual([]);
    const reopened = net.sentEvents('sync').map((f) => f.payload as SyncPayload);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.conversations).toContainEqual({ conversation_id: sink, after_seq: expect.any(Number), after_rev: 2 });
    await expect.poll(async () => (await messagesOnDisk(again, sink)).filter((m) => m.deleted).length).toBe(2);
    expect(JSON.stringify(await dumpIndexedDb(again))).not.toContain(alsoGone);
  } finally {
    await wes.close();
  }
});

test('a refused edit is rolled back and says why', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const casey = await throughProxy(browser, server, CASEY);
  try {
    const sink = await casey.inbox.open(TITLES.sink);
    const text = uniqueText('Deleted in another tab');
    await casey.inbox.send(text);
    await expect(casey.inbox.message(text)).toHaveAttribute('data-status', 'sent');
    casey.proxy.goOffline();
    await expect(casey.inbox.connection()).toHaveAttribute('data-state', 'disconnected');
    // Her other tab deletes it while this one is cut off; this one edits it.
    const other = await connectWire(server.url, await signIn(server.url, CASEY));
    try {
      const message = (await historyOverWire(other, sink)).messages.find((m) => m.message_text === text)!;
      const ack = await other.timeout(10_000).emitWithAck('delete_message', { conversation_id: sink, message_id: message.id });
      expect(ack).toMatchObject({ ok: true });
    } finally {
      other.close();
    }
    const edited = uniqueText('Too late');
    await casey.inbox.editMessage(text, edited);
    await expect(casey.inbox.message(edited)).toHaveCount(1); // shown at once, while offline
    casey.proxy.goOnline();
    const alert = casey.inbox.thread().getByRole('alert');
    await expect(alert).toHaveText('Your edit was not saved: this message can no longer be changed.', { timeout: 30_000 });
    await expect(casey.inbox.message(edited)).toHaveCount(0);
    await expect(casey.inbox.deletedMessages()).toHaveCount(1);
    await expectAccessible(casey.page, 'a refused edit');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
  } finally {
    await casey.close();
  }
});

test('keyboard: Edit, Escape, Edit, Enter; Delete, Escape, Delete, Delete; focus where it belongs', async ({ casey }) => {
  test.setTimeout(90_000);
  const { page, inbox } = casey;
  await inbox.open(TITLES.sink);
  const text = uniqueText('Typed by keyboard');
  await inbox.composer().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await expect(inbox.message(text)).toHaveAttribute('data-status', 'sent');
  const edit = inbox.messageAction(text, 'Edit');
  const remove = inbox.messageAction(text, 'Delete');

  // From the composer, Shift+Tab reaches the newest message's actions: Delete, then Edit.
  await page.keyboard.press('Shift+Tab');
  await expect(remove).toBeFocused();
  await expect(remove).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(edit).toBeFocused();

  // Edit: the editor holds the text and has the focus; Escape cancels, the focus returns to Edit.
  await page.keyboard.press('Enter');
  await expect(inbox.editor()).toBeFocused();
  await expect(inbox.editor()).toHaveValue(text);
  await expectAccessible(page, 'the edit editor');
  await page.keyboard.type(' and more');
  await page.keyboard.press('Escape');
  await expect(inbox.editor()).toHaveCount(0);
  await expect(inbox.message(text)).not.toContainText('and more');
  await expect(edit).toBeFocused();
  expect(casey.net.sentEvents('edit_message')).toEqual([]);

  // Edit again: Shift+Enter is a new line, Enter saves.
  await page.keyboard.press('Enter');
  await expect(inbox.editor()).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  await page.keyboard.press('Enter');
  await expect(inbox.editor()).toHaveCount(0);
  await expect(inbox.message(text)).toContainText('second line');
  await expect(inbox.message(text)).toContainText('edited');
  await expect(edit).toBeFocused();
  await expect.poll(() => casey.net.sentEvents('edit_message').map((f) => (f.payload as { message: string }).message)).toEqual([`${text}\nsecond line`]);

  // Delete asks once: a labelled dialog, Delete focused, Tab stays inside, Escape gives the focus back.
  await page.keyboard.press('Tab');
  await expect(remove).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = inbox.deleteDialog();
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Delete' });
  const cancel = dialog.getByRole('button', { name: 'Cancel' });
  await expect(confirm).toBeFocused();
  await expectAccessible(page, 'the delete dialog');
  await page.keyboard.press('Tab');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(remove).toBeFocused();
  await expect(inbox.message(text)).toHaveAttribute('data-status', 'sent');

  await page.keyboard.press('Enter');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(inbox.deletedMessages()).toHaveCount(1);
  await expect(inbox.deletedMessages()).toHaveText(/Message deleted/);
  await expect(inbox.thread()).toBeFocused();
  await expect.poll(() => casey.net.sentEvents('delete_message').length).toBe(1);
  await expectAccessible(page, 'thread after keyboard edit and delete');
});
