// The receiving browser reloaded at random moments while two senders write into its open conversation:
// every message shows once, in order, in the page, and is kept once, in order, in its IndexedDB. Reloads
// land in the middle of frames, of the cache's batched writes and of the catch-up syncs that follow them.
//
// A real Chromium (Playwright's library API, the e2e suite's flags) against the production build: the
// browser's own IndexedDB and page lifecycle are what is under test, so neither a fake nor Node can stand
// in. It lives here rather than in e2e/ to run at two sizes (CHAOS=full) and to share the fault tests'
// senders, seeds and exactly-once checks.
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import playwrightConfig from '../../playwright.config';
import { ensureBuild } from '../../scripts/next-build';
import { messageQueued, selectThread, type AppStore } from '../../store';
import { messagesOnDisk } from '../../e2e/support/indexed-db';
import { readDownToNewest, scrollToBeginning } from '../../e2e/support/thread-scroll';
import { ServerProcess } from '../support/server-process';
import { CASEY, signIn, WES } from '../support/sign-in';
import { conversationTitled, openThread, storeSet } from '../support/stores';
import { until } from '../support/until';
import { readConversation, reportFigures, sized, tally } from './support/exactly-once';
import { runSeed, seeded } from './support/prng';

const PER_SENDER = sized(60, 200);
const RELOADS = sized(4, 12);
const SETTLE_MS = sized(120_000, 600_000);

const stores = storeSet();
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  if (!ensureBuild()) throw new Error('next build failed');
  server = await ServerProcess.fresh({ web: true, env: { RATE_LIMIT_PER_SOCKET: '100000' } });
  await server.start();
  browser = await chromium.launch(playwrightConfig.use?.launchOptions);
}, 600_000);

afterAll(async () => {
  stores.stopAll();
  await browser?.close();
  await server?.dispose();
});

/** The text this test sent in a row's text, or "". */
const sentText = (row: string): string => /(wes|casey elsewhere) \d+ \(seed \d+\)/.exec(row)?.[0] ?? '';

it(`keeps 2×${PER_SENDER} messages once and in order, in the page and on disk, through ${RELOADS} reloads of the receiver`, async () => {
  const seed = runSeed();
  const random = seeded(seed);
  const caseyCookie = await signIn(server.url, CASEY);
  const senders: AppStore[] = [await stores.open(await signIn(server.url, WES), server.url), await stores.open(caseyCookie, server.url)];
  const sink = conversationTitled(senders[0]!, 'Fix my sink');
  for (const store of senders) await openThread(store, sink);

  const context = await browser.newContext({ baseURL: server.url });
  const [name, ...value] = caseyCookie.split('=');
  await context.addCookies([{ name: name!, value: value.join('='), url: server.url }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`/inbox/${sink}`);
  await page.locator('[data-testid="thread"] [data-testid="message"]').first().waitFor({ timeout: 30_000 });

  const sent: string[] = [];
  for (let i = 0; i < PER_SENDER; i++) {
    for (const [who, store] of [['wes', senders[0]!], ['casey elsewhere', senders[1]!]] as const) {
      const text = `${who} ${i} (seed ${seed})`;
      sent.push(text);
      store.dispatch(messageQueued({ conversationId: sink, text }));
    }
  }
  const wanted = new Set(sent);
  // Each sender's own messages, acked.
  const confirmed = () =>
    senders.reduce((n, s) => n + selectThread(s.getState(), sink).messages.filter((m) => m.is_mine && m.status === 'sent' && wanted.has(m.message_text)).length, 0);

  let reloads = 0;
  for (let r = 0; r < RELOADS; r++) {
    await new Promise((resolve) => setTimeout(resolve, 100 + random() * 900));
    await page.reload({ waitUntil: random() < 0.5 ? 'commit' : 'load' });
    reloads += 1;
  }
  await until(() => confirmed() === sent.length, 'every message acked', SETTLE_MS);

  const rows = readConversation(server.dbPath, sink);
  const truth = rows.filter((r) => wanted.has(r.text)).map((r) => r.text);
  expect(tally(sent, rows.map((r) => r.text)), 'the database').toEqual({ sent: sent.length, lost: 0, duplicated: 0 });

  // On the page, read from the start: each message once in every screenful of rows, each screenful in the
  // stored order, and every message met on the way.
  const position = new Map(truth.map((text, i) => [text, i]));
  await scrollToBeginning(page, SETTLE_MS); // a long absence brings the latest page only
  const snapshots = (await readDownToNewest(page)).map((rows) => rows.map(sentText).filter((t) => wanted.has(t)));
  for (const rows of snapshots) {
    expect(new Set(rows).size, 'a message twice on the page').toBe(rows.length);
    const order = rows.map((t) => position.get(t)!);
    expect(order, 'the order on the page').toEqual([...order].sort((a, b) => a - b));
  }
  const met = new Set(snapshots.flat());
  expect(tally(sent, [...met]), 'the page').toEqual({ sent: sent.length, lost: 0, duplicated: 0 });

  await until(async () => (await messagesOnDisk(page, sink)).filter((m) => wanted.has(m.message_text)).length >= sent.length, 'every message on disk', SETTLE_MS, 200);
  const kept = await messagesOnDisk(page, sink);
  expect(new Set(kept.map((m) => m.seq)).size, 'one record per seq').toBe(kept.length);
  const keptTexts = kept.filter((m) => wanted.has(m.message_text)).map((m) => m.message_text);
  expect(tally(sent, keptTexts), 'the disk').toEqual({ sent: sent.length, lost: 0, duplicated: 0 });
  expect(keptTexts, 'the order on disk').toEqual(truth);
  expect(errors, 'uncaught errors in the page').toEqual([]);
  reportFigures('receiver reloads', { seed, sent: sent.length, reloads, lost: 0, duplicated: 0 });
  await context.close();
}, sized(300_000, 1_200_000));
