// Figure 6, the cache on disk (CONTRACT section 7), in Chromium against the production build:
// - reload → the open thread's newest message painted, from disk (a conversation opened before in that
//   profile) against from the network (one never opened there, the page's scripts already in the HTTP
//   cache, so only the data path differs), the socket's first frame held 300 ms to stand for a network;
// - the restore of `restore.conversations` × `restore.messages` kept messages (open, read, into the
//   store), against getting the same histories over a local socket (one `sync` from seq 0);
// - long tasks (over 50 ms, the Long Tasks API) while a burst of messages arrives and is written, against
//   the same burst in a page without IndexedDB;
// - the disk used for those messages (navigator.storage.estimate), against their JSON size.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { MessagesResponseEvent } from '../../protocol';
import { dumpIndexedDb, messagesOnDisk } from '../../e2e/support/indexed-db';
import { addUser, mapLimit, signIn, type Inbox } from '../inbox';
import { addConversations, seedInDatabase } from '../seed';
import type { Sizes } from '../sizes';
import { connectClient } from '../socket';
import { median } from '../stats';

/** The network's stand-in: the socket's first frame from the server reaches the page this much later. */
const FIRST_FRAME_DELAY_MS = 300;

/**
 * window.__benchPainted: ms from navigation start to the frame after the open thread first showed the
 * message whose text is localStorage["bench-newest"]. window.__benchLongTasks: every long task's start
 * and duration.
 */
const PROBES = `
(() => {
  window.__benchLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__benchLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const newest = localStorage.getItem('bench-newest');
  if (!newest) return;
  const shown = () => {
    const rows = document.querySelectorAll('[data-testid="thread"] [data-testid="message"]');
    return rows.length > 0 && (rows[rows.length - 1].textContent || '').includes(newest);
  };
  const observer = new MutationObserver(() => {
    if (!shown()) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__benchPainted = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true });
})();
`;

async function context(browser: Browser, inbox: Inbox, email: string, options: { delayFirstFrame: boolean; noIndexedDb?: boolean }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: inbox.url, viewport: { width: 1280, height: 800 } });
  const [name, ...value] = (await signIn(inbox, email)).split('=');
  await ctx.addCookies([{ name: name!, value: value.join('='), url: inbox.url }]);
  if (options.noIndexedDb) await ctx.addInitScript({ content: `Object.defineProperty(window, 'indexedDB', { value: undefined });` });
  await ctx.addInitScript({ content: PROBES });
  if (options.delayFirstFrame) {
    await ctx.routeWebSocket(/\/ws\/inbox\//, (ws) => {
      const server = ws.connectToServer();
      let gate: Promise<void> | null = null;
      server.onMessage((message) => {
        gate ??= new Promise((resolve) => setTimeout(resolve, FIRST_FRAME_DELAY_MS));
        void gate.then(() => ws.send(message));
      });
    });
  }
  return ctx;
}

async function paintedAfter(page: Page, navigate: () => Promise<unknown>): Promise<number> {
  await navigate();
  await page.waitForFunction(() => (window as { __benchPainted?: number }).__benchPainted !== undefined, null, { timeout: 30_000 });
  return (await page.evaluate(() => (window as { __benchPainted?: number }).__benchPainted)) as number;
}

const newestLine = (messages: number) => `(${messages})`;

/** Until the disk holds `count` messages of the conversation (the writer's batch has landed). */
async function kept(page: Page, conversationId: number, count: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await messagesOnDisk(page, conversationId)).length >= count) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`conversation ${conversationId} not on disk`);
}

export type ReloadResult = { fromDisk: number[]; fromNetwork: number[] };

export async function reloadToPaint(browser: Browser, inbox: Inbox, sizes: Sizes['persist']): Promise<ReloadResult> {
  const reader = await addUser(inbox, 'reader@persist.bench', 'Riley Reader');
  const writer = await addUser(inbox, 'writer@persist.bench', 'Wyatt Writer');
  const ids = await addConversations(inbox, reader, writer, sizes.reloads + 1);
  await seedInDatabase(inbox.databaseFile, [writer, reader], ids, sizes.messages);
  const ctx = await context(browser, inbox, reader, { delayFirstFrame: true });
  const page = await ctx.newPage();
  try {
    // Warm the HTTP cache with the page's scripts (and the list on disk).
    await page.goto('/inbox');
    await page.evaluate((text) => localStorage.setItem('bench-newest', text), newestLine(sizes.messages));
    await paintedAfter(page, () => page.goto(`/inbox/${ids[0]}`));
    await kept(page, ids[0]!, sizes.messages);
    const fromDisk: number[] = [];
    const fromNetwork: number[] = [];
    for (const id of ids.slice(1)) {
      fromNetwork.push(await paintedAfter(page, () => page.goto(`/inbox/${id}`)));
      await kept(page, id, sizes.messages);
      fromDisk.push(await paintedAfter(page, () => page.reload()));
    }
    return { fromDisk, fromNetwork };
  } finally {
    await ctx.close();
  }
}

export type RestoreResult = { restoreMs: number; syncMs: number; messages: number; diskBytes: number; jsonBytes: number };

/** Opens every conversation and pages its history in until its beginning, so the cache holds all of it. */
async function loadEverything(page: Page, ids: number[], messages: number): Promise<void> {
  for (const id of ids) {
    await page.evaluate((i) => document.querySelector<HTMLElement>(`[data-testid="conversation-${i}"]`)?.click(), id);
    await page.locator(`[data-testid="thread"][data-conversation-id="${id}"] [data-testid="message"]`).first().waitFor();
    for (let tries = 0; tries < 200; tries++) {
      const count = await page.locator('[data-testid="thread"] [data-testid="message"]').count();
      if (count >= messages) break;
      await page.evaluate(() => document.querySelector('[data-testid="thread"]')?.scrollTo(0, 0));
      await page.waitForTimeout(30);
    }
  }
}

export async function restore(browser: Browser, inbox: Inbox, sizes: Sizes['persist']): Promise<RestoreResult> {
  const reader = await addUser(inbox, 'keeper@persist.bench', 'Kim Keeper');
  const writer = await addUser(inbox, 'sender@persist.bench', 'Sam Sender');
  const ids = await addConversations(inbox, reader, writer, sizes.restoreConversations);
  await seedInDatabase(inbox.databaseFile, [writer, reader], ids, sizes.restoreMessages);
  const ctx = await context(browser, inbox, reader, { delayFirstFrame: false });
  const page = await ctx.newPage();
  try {
    await page.goto('/inbox');
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
    await loadEverything(page, ids, sizes.restoreMessages);
    await mapLimit(ids, 1, (id) => kept(page, id, sizes.restoreMessages));
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto('/inbox');
      await page.waitForFunction(() => performance.getEntriesByName('stream-inbox:restore').length > 0, null, { timeout: 30_000 });
      times.push((await page.evaluate(() => performance.getEntriesByName('stream-inbox:restore')[0]!.duration)) as number);
    }
    const usage = (await page.evaluate(() => navigator.storage.estimate())).usage ?? 0;
    const jsonBytes = JSON.stringify(await dumpIndexedDb(page)).length;

    // The same histories over a local socket with no delay: one sync from seq 0, until every answer is in.
    const socket = await connectClient(inbox.url, { cookie: await signIn(inbox, reader) });
    try {
      const started = performance.now();
      const answered = new Set<number>();
      await new Promise<void>((resolve) => {
        socket.on('messages_response', (p: MessagesResponseEvent) => {
          answered.add(p.conversation_id);
          if (answered.size === ids.length) resolve();
        });
        socket.emit('sync', { conversations: ids.map((id) => ({ conversation_id: id, after_seq: 0 })) });
      });
      const syncMs = performance.now() - started;
      return { restoreMs: median(times), syncMs, messages: ids.length * sizes.restoreMessages, diskBytes: usage, jsonBytes };
    } finally {
      socket.close();
    }
  } finally {
    await ctx.close();
  }
}

/** Messages already in the burst's conversation when it is opened. */
const HISTORY = 20;

export type BurstResult = { longTasks: number; longTasksWithoutDisk: number; burst: number };

/** Long tasks in a page open on a conversation while `burst` messages arrive (and, with the cache, are written). */
async function longTasksDuring(browser: Browser, inbox: Inbox, who: { reader: string; writer: string; id: number }, burst: number, noIndexedDb: boolean): Promise<number> {
  const ctx = await context(browser, inbox, who.reader, { delayFirstFrame: false, noIndexedDb });
  const page = await ctx.newPage();
  const socket = await connectClient(inbox.url, { cookie: await signIn(inbox, who.writer) });
  try {
    await page.goto(`/inbox/${who.id}`);
    await page.locator('[data-testid="thread"] [data-testid="message"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    const start = (await page.evaluate(() => performance.now())) as number;
    const tag = `burst-${noIndexedDb ? 'plain' : 'kept'}-`;
    let newest = { seq: 0, text: '' };
    await mapLimit(Array.from({ length: burst }, (_, k) => k), 32, async (k) => {
      const ack = await socket.timeout(60_000).emitWithAck('send_message', { conversation_id: who.id, message: `${tag}${k}`, type: 'TEXT', client_id: `${tag}${k}` });
      if (!ack.ok) throw new Error(`burst send refused: ${ack.error.code}`);
      if (ack.message.seq > newest.seq) newest = { seq: ack.message.seq, text: ack.message.message_text };
    });
    const total = HISTORY + burst;
    // The newest message is the thread's last row (a thread over 200 messages draws its newest 200).
    await page.waitForFunction(
      (text) => [...document.querySelectorAll('[data-testid="thread"] [data-testid="message"]')].at(-1)?.textContent?.includes(text) ?? false,
      newest.text,
      { timeout: 60_000 },
    );
    // Let the writer's batches land.
    if (!noIndexedDb) await kept(page, who.id, total);
    await page.waitForTimeout(1000);
    const tasks = (await page.evaluate('window.__benchLongTasks || []')) as { start: number; duration: number }[];
    return tasks.filter((t) => t.start >= start).length;
  } finally {
    socket.close();
    await ctx.close();
  }
}

export async function burstLongTasks(browser: Browser, inbox: Inbox, sizes: Sizes['persist']): Promise<BurstResult> {
  const reader = await addUser(inbox, 'busy@persist.bench', 'Bo Busy');
  const writer = await addUser(inbox, 'chatty@persist.bench', 'Cat Chatty');
  const [kept, plain] = await addConversations(inbox, reader, writer, 2);
  await seedInDatabase(inbox.databaseFile, [writer, reader], [kept!, plain!], HISTORY);
  const longTasks = await longTasksDuring(browser, inbox, { reader, writer, id: kept! }, sizes.burst, false);
  const longTasksWithoutDisk = await longTasksDuring(browser, inbox, { reader, writer, id: plain! }, sizes.burst, true);
  return { longTasks, longTasksWithoutDisk, burst: sizes.burst };
}
