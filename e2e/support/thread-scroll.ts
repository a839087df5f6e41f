// Reading the open thread as a person scrolls it. A thread of over 200 messages draws only the rows near
// the view and its newest 50 (CONTRACT section 5), so reading it whole means scrolling through it.
import type { Page } from '@playwright/test';

const LOG = '[data-testid="thread"]';

/** Scrolls the open thread to its top until "Beginning of the conversation" shows: older pages paged in. */
export async function scrollToBeginning(page: Page, timeoutMs = 30_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    await page.locator(LOG).evaluate((log) => (log.scrollTop = 0));
    if (await page.locator(LOG).getByText('Beginning of the conversation').isVisible()) return;
    if (Date.now() > giveUp) throw new Error(`the beginning of the conversation not reached within ${timeoutMs} ms`);
    await page.waitForTimeout(200);
  }
}

/**
 * Scrolls the open thread down most of a screen at a time, from where it is to its newest message: the
 * texts of the message rows drawn at each step, in page order.
 */
export async function readDownToNewest(page: Page): Promise<string[][]> {
  const screens: string[][] = [];
  for (let step = 0; step < 2000; step++) {
    const { rows, atEnd } = await page.locator(LOG).evaluate((log) => {
      const rows = Array.from(log.querySelectorAll('[data-testid="message"]'), (row) => row.textContent ?? '');
      const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 1;
      log.scrollTop += log.clientHeight * 0.8;
      return { rows, atEnd };
    });
    screens.push(rows);
    if (atEnd) return screens;
    await page.waitForTimeout(20);
  }
  throw new Error('the thread never came to its newest message');
}
