// CONTRACT section 5: a thread of more than 200 cached messages may draw only the rows near the view, and
// always its newest 50. Ours draws its newest 200 until the reader scrolls up; then a block of at most 200
// rows where the reader is (100 more at a time from the cache, no frame) and, below a gap, the newest 50; it
// comes back at its newest end after a switch. A cached switch then takes down and restyles a few hundred
// rows, however long the thread (issue 15's long-thread figure).
import type { Page } from '@playwright/test';
import { MAX, TAIL } from '../app/inbox/_components/threadWindow';
import { seedInDatabase } from '../bench/seed';
import { expect, test } from './fixtures';
import { CASEY, TITLES, uniqueText, WES } from './support/inbox-page';
import { liveEntries, recordLiveRegions } from './support/live-region';
import { readDownToNewest, scrollToBeginning } from './support/thread-scroll';
import { connectAs, sendOverWire } from './support/wire-client';

const SEEDED = 600;

/** Scrolls the open thread to its top; the rows drawn there. */
async function rowsAtBeginning(page: Page): Promise<number> {
  await scrollToBeginning(page);
  return page.getByTestId('thread').getByTestId('message').count();
}

/** Scrolls down to the newest message; the most rows drawn on the way. */
const mostRowsDownToNewest = async (page: Page): Promise<number> => Math.max(...(await readDownToNewest(page)).map((rows) => rows.length));

test('a long thread draws the rows near the view and its newest 50, from the cache as the reader scrolls', async ({ casey, server }) => {
  const sink = await casey.inbox.conversationId(TITLES.sink);
  await seedInDatabase(server.dbPath, [CASEY, WES], [sink], SEEDED);
  await casey.page.reload(); // the list and its last message as they are now
  await casey.inbox.open(TITLES.sink);
  const messages = casey.inbox.messages();

  // Paged in whole, 50 at a time: at the top, the first 200 and, below a gap, the newest 50.
  expect(await rowsAtBeginning(casey.page)).toBe(MAX + TAIL);
  await expect(messages.last()).toContainText(`(${SEEDED})`);
  await expect(casey.inbox.thread().getByText('Newer messages below')).toHaveCount(1);

  // Down again, from the cache alone: never more than 250 rows, and at the newest end the newest 200.
  await casey.net.quiet();
  const down = casey.net.mark();
  expect(await mostRowsDownToNewest(casey.page)).toBeLessThanOrEqual(MAX + TAIL);
  await expect(messages).toHaveCount(200);
  await expect(messages.last()).toContainText(`(${SEEDED})`);
  await casey.net.quiet();
  expect(casey.net).toHaveSentNothingSince(down);

  // Up to the top once more, away, and back: the newest 200, at the newest end.
  expect(await rowsAtBeginning(casey.page)).toBe(MAX + TAIL);
  await casey.inbox.open(TITLES.fence);
  await casey.net.quiet();
  const back = casey.net.mark();
  await casey.inbox.open(TITLES.sink);
  await expect(messages).toHaveCount(200);
  await expect(messages.last()).toContainText(`(${SEEDED})`);
  await expect(messages.last()).toBeInViewport();
  await expect(casey.inbox.thread().getByText('Beginning of the conversation')).toHaveCount(0);
  await casey.net.quiet();
  expect(casey.net).toHaveSentNothingSince(back);
});

test('a long thread read at its newest end reads out a new message, and never the rows drawn from the cache', async ({
  casey,
  server,
}) => {
  const sink = await casey.inbox.conversationId(TITLES.sink);
  await seedInDatabase(server.dbPath, [CASEY, WES], [sink], SEEDED);
  await recordLiveRegions(casey.page);
  await casey.page.reload();
  await casey.inbox.open(TITLES.sink);
  expect(await rowsAtBeginning(casey.page)).toBe(MAX + TAIL); // 600 rows drawn in all, from pages and the cache
  await readDownToNewest(casey.page);
  await expect(casey.inbox.messages()).toHaveCount(200);
  await expect(casey.inbox.thread()).toHaveAttribute('aria-live', 'polite');
  // At the newest end of a thread of over 200, a new message slides the 200 drawn down by one.
  const wes = await connectAs(server.url, WES);
  const live = uniqueText('Wes writes into a long thread');
  try {
    expect((await sendOverWire(wes, sink, live)).ok).toBe(true);
    await expect(casey.inbox.message(live)).toBeVisible();
  } finally {
    wes.close();
  }
  const rows = (await liveEntries(casey.page)).flatMap((e) => (e.kind === 'rows' ? e.texts.map((text) => ({ text, live: e.live })) : []));
  expect(rows.filter((r) => r.live !== 'off').map((r) => r.text), 'what the log read out').toEqual([
    expect.stringContaining(live),
  ]);
  expect(rows.length, 'rows put into the log, quietly but for one').toBeGreaterThan(SEEDED);
});
