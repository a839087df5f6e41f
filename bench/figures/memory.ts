// Figure 3, memory: the server's resident memory per idle connected socket (ours and the bare relay), and
// the browser's JS heap after opening many conversations against after opening the cache's worth.
import type { Browser } from '@playwright/test';
import { openInbox, settle, switchTo } from '../browser';
import { addUser, mapLimit, signIn, type Inbox, type Served } from '../inbox';
import { addConversations, seedInDatabase } from '../seed';
import type { Sizes } from '../sizes';
import { connectClient, type Client } from '../socket';
import { processMemory } from '../../test/support/process-memory';

const WARM_SOCKETS = 20;

/** RSS and JS heap after a full collection: what the process keeps, not what it has yet to collect. */
async function kept(server: Served): Promise<{ rss: number; heap: number }> {
  await server.inspected.collectGarbage();
  // The collection returns pages to the system as it sweeps; a moment for RSS to follow.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { rss: processMemory(server.pid).rss, heap: await server.inspected.heapUsed() };
}

type PerSocket = { rss: number; heap: number };

/** Bytes each of `count` extra idle sockets costs, after a few warm-up sockets. */
async function perSocket(server: Served, who: () => { cookie?: string; conversations?: number[] }, count: number): Promise<PerSocket> {
  const sockets: Client[] = [];
  const open = async () => void sockets.push(await connectClient(server.url, who()));
  try {
    await mapLimit(Array.from({ length: WARM_SOCKETS }), 10, open);
    const before = await kept(server);
    await mapLimit(Array.from({ length: count }), 25, open);
    const after = await kept(server);
    return { rss: (after.rss - before.rss) / count, heap: (after.heap - before.heap) / count };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

/** Bytes per idle socket, RSS and JS heap, after a full collection. */
export type ServerMemoryResult = { ours: PerSocket; relay: PerSocket; sockets: number };

/** Sockets each signed-in user holds here: under the contract's 20 per user, as someone with many tabs. */
const SOCKETS_PER_USER = 10;

/** Run before any load, so the servers hold nothing but their idle sockets. */
export async function serverMemory(ours: Inbox, relay: Served, sizes: Sizes['memory']): Promise<ServerMemoryResult> {
  // Pairs of a client and a worker with one conversation each, enough that nobody passes the per-user cap.
  const pairs = Math.ceil((WARM_SOCKETS + sizes.idleSockets) / (2 * SOCKETS_PER_USER));
  const cookies = (
    await mapLimit(Array.from({ length: pairs }), 4, async (_, i) => {
      const client = await addUser(ours, `idle-client-${i}@bench.test`, `Idle Client ${i}`);
      const worker = await addUser(ours, `idle-worker-${i}@bench.test`, `Idle Worker ${i}`);
      await addConversations(ours, client, worker, 1);
      return Promise.all([signIn(ours, client), signIn(ours, worker)]);
    })
  ).flat();
  let n = 0;
  const mine = await perSocket(ours, () => ({ cookie: cookies[n++ % cookies.length] }), sizes.idleSockets);
  const theirs = await perSocket(relay, () => ({ conversations: [1] }), sizes.idleSockets);
  return { ours: mine, relay: theirs, sockets: sizes.idleSockets };
}

export type BrowserHeapResult = { baselineBytes: number; allBytes: number; opened: number; baseline: number };

export async function browserHeap(browser: Browser, inbox: Inbox, sizes: Sizes['memory']): Promise<BrowserHeapResult> {
  const morgan = await addUser(inbox, 'morgan@bench.test', 'Morgan Client');
  const wren = await addUser(inbox, 'wren@bench.test', 'Wren Worker');
  const ids = await addConversations(inbox, morgan, wren, sizes.conversations);
  await seedInDatabase(inbox.databaseFile, [wren, morgan], ids, sizes.messages);

  const { page } = await openInbox(browser, inbox, morgan, ids.length);
  try {
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await page.evaluate('performance.memory.usedJSHeapSize')) as number;
    };
    let baselineBytes = Number.NaN;
    for (const [i, id] of ids.entries()) {
      await switchTo(page, id);
      await settle(page);
      if (i + 1 === sizes.baselineConversations) baselineBytes = await heap();
    }
    return { baselineBytes, allBytes: await heap(), opened: ids.length, baseline: sizes.baselineConversations };
  } finally {
    await page.context().close();
  }
}
