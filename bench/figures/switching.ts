// Figure 1, switching in the browser: Casey's conversations, each opened once (the first, uncached opens
// that wait for the server), then switched among from the store's cache; socket.io frames sent counted.
import type { Browser, Page } from '@playwright/test';
import type { NetworkRecorder } from '../../test/support/network-recorder';
import { openInbox, settle, switchTo, type Switch } from '../browser';
import { addUser, type Inbox } from '../inbox';
import { addConversations, seedBySocket, seedInDatabase } from '../seed';
import type { Sizes } from '../sizes';

export type SwitchingResult = {
  first: Switch[];
  cached: Switch[];
  framesFirst: number;
  framesCached: number;
  /** Cached switches among the long conversations, their whole history paged in. */
  long: Switch[];
  /** How many message rows the long threads held in the DOM when they were all paged in. */
  longRows: number;
};

/** The i-th switch target: never the open one, every conversation in turn. */
function nextTarget(current: number, i: number, count: number): number {
  return (current + 1 + (i % (count - 1))) % count;
}

export async function switching(browser: Browser, inbox: Inbox, sizes: Sizes['switching']): Promise<SwitchingResult> {
  const casey = await addUser(inbox, 'casey@bench.test', 'Casey Client');
  const wes = await addUser(inbox, 'wes@bench.test', 'Wes Worker');
  const ids = await addConversations(inbox, casey, wes, sizes.conversations);
  await seedBySocket(inbox, [wes, casey], ids, sizes.messages);

  const { page, net } = await openInbox(browser, inbox, casey, ids.length);
  try {
    const sentSince = (mark: ReturnType<NetworkRecorder['mark']>) => net.since(mark).filter((f) => f.dir === 'sent').length;
    const firstMark = net.mark();
    const first: Switch[] = [];
    for (const id of ids) {
      first.push(await switchTo(page, id));
      await settle(page);
    }
    // Opening marked everything read; the cached switches start once the read marks are back.
    await page.waitForFunction(() => !document.querySelector('[data-testid="unread-count"]'), null, { timeout: 30_000 });
    const framesFirst = sentSince(firstMark);

    const cachedMark = net.mark();
    const cached = await cachedSwitches(page, ids, sizes.switches);
    const framesCached = sentSince(cachedMark);
    const { long, longRows } = await longSwitches(browser, inbox, sizes);
    return { first, cached, framesFirst, framesCached, long, longRows };
  } finally {
    await page.context().close();
  }
}

/** `count` switches among conversations already in the cache, in the order nextTarget picks. */
async function cachedSwitches(page: Page, ids: number[], count: number): Promise<Switch[]> {
  const switches: Switch[] = [];
  let current = ids.length - 1;
  for (let i = 0; i < count; i++) {
    current = nextTarget(current, i, ids.length);
    switches.push(await switchTo(page, ids[current]!));
    await settle(page);
  }
  return switches;
}

/**
 * Scrolls conversation `id`'s thread to its top until its whole history is in the cache ("Beginning of
 * the conversation" shows); resolves with the message rows in the DOM then.
 */
export const PAGE_IN = `async (id) => {
  const log = () => document.querySelector('[data-testid="thread"][data-conversation-id="' + id + '"]');
  const deadline = performance.now() + 300000;
  while (performance.now() < deadline) {
    const el = log();
    if (el && el.textContent.includes('Beginning of the conversation')) return el.querySelectorAll('[data-testid="message"]').length;
    if (el) el.scrollTop = 0;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('conversation ' + id + ' not paged in within 300 s');
}`;

async function longSwitches(browser: Browser, inbox: Inbox, sizes: Sizes['switching']): Promise<{ long: Switch[]; longRows: number }> {
  const lee = await addUser(inbox, 'lee@bench.test', 'Lee Client');
  const lou = await addUser(inbox, 'lou@bench.test', 'Lou Worker');
  const ids = await addConversations(inbox, lee, lou, sizes.longConversations);
  await seedInDatabase(inbox.databaseFile, [lou, lee], ids, sizes.longMessages);
  const { page } = await openInbox(browser, inbox, lee, ids.length);
  try {
    let longRows = 0;
    for (const id of ids) {
      await switchTo(page, id);
      await settle(page);
      longRows = Math.max(longRows, (await page.evaluate(`(${PAGE_IN})(${id})`)) as number);
      await settle(page);
    }
    const long = await cachedSwitches(page, ids, sizes.longSwitches);
    return { long, longRows };
  } finally {
    await page.context().close();
  }
}

/**
 * The setup of the trace and profile tools: Lee's page with `count` conversations of `messages` each,
 * written into the database, opened and paged into the cache whole.
 */
export async function pagedInPage(browser: Browser, inbox: Inbox, count: number, messages: number): Promise<{ page: Page; ids: number[] }> {
  const lee = await addUser(inbox, 'lee@trace.test', 'Lee Client');
  const lou = await addUser(inbox, 'lou@trace.test', 'Lou Worker');
  const ids = await addConversations(inbox, lee, lou, count);
  await seedInDatabase(inbox.databaseFile, [lou, lee], ids, messages);
  const { page } = await openInbox(browser, inbox, lee, ids.length);
  for (const id of ids) {
    await switchTo(page, id);
    await settle(page);
    await page.evaluate(`(${PAGE_IN})(${id})`);
    await settle(page);
  }
  return { page, ids };
}
