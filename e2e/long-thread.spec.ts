// CONTRACT section 5: a thread of more than 200 cached messages may draw only the rows near the view, and
// always its newest 50. Ours draws its newest 200 until the reader scrolls up, then 100 more at a time from
// the cache (no frame), and comes back at its newest end after a switch: a cached switch then restyles 200
// rows, not thousands (issue 15's long-thread figure).
import type { Page } from '@playwright/test';
import { seedInDatabase } from '../bench/seed';
import { expect, test } from './fixtures';
import { CASEY, TITLES, WES } from './support/inbox-page';

const SEEDED = 300;

/** Scrolls the open thread to its top until "Beginning of the conversation" shows; the rows drawn then. */
async function scrollToBeginning(page: Page): Promise<number> {
  const thread = page.getByTestId('thread');
  await expect(async () => {
    await thread.evaluate((el) => (el.scrollTop = 0));
    await expect(thread.getByText('Beginning of the conversation')).toBeVisible({ timeout: 200 });
  }).toPass({ timeout: 30_000 });
  return thread.getByTestId('message').count();
}

test('a long thread draws its newest 200 rows after a switch, and the rest from the cache as the reader scrolls up', async ({
  casey,
  server,
}) => {
  const sink = await casey.inbox.conversationId(TITLES.sink);
  await seedInDatabase(server.dbPath, [CASEY, WES], [sink], SEEDED);
  await casey.page.reload(); // the list and its last message as they are now
  await casey.inbox.open(TITLES.sink);
  const all = await scrollToBeginning(casey.page); // paged in 50 at a time: every row is drawn
  expect(all).toBeGreaterThan(SEEDED);

  await casey.inbox.open(TITLES.fence);
  await casey.net.quiet();
  const back = casey.net.mark();
  await casey.inbox.open(TITLES.sink);
  // The newest 200, at the newest end, at once from the cache.
  await expect(casey.inbox.messages()).toHaveCount(200);
  await expect(casey.inbox.messages().last()).toContainText(`(${SEEDED})`);
  await expect(casey.inbox.messages().last()).toBeInViewport();
  await expect(casey.inbox.thread().getByText('Beginning of the conversation')).toHaveCount(0);

  // Up to the top again: drawn from the cache, 100 rows at a time, with no frame sent.
  expect(await scrollToBeginning(casey.page)).toBe(all);
  await casey.net.quiet();
  expect(casey.net).toHaveSentNothingSince(back);
});
