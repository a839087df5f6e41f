// Scenario 10: how the inbox looks at desktop size and on a 375 px phone, attached to the report and
// saved under test-results/. The checks are the ones a person notices at once: the thread and composer
// fit on screen and nothing scrolls sideways.
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { CASEY, TITLES } from './support/inbox-page';

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test('screenshots at 1280×800 and 375 px', async ({ people }, testInfo) => {
  test.slow(); // two sign-ins and four screenshots
  const desktop = await people.enter('desktop', { email: CASEY });
  await snap(desktop.page, testInfo, 'inbox-1280x800-empty');
  await desktop.inbox.open(TITLES.sink);
  await expect(desktop.inbox.nav()).toBeInViewport();
  await expect(desktop.inbox.composer()).toBeInViewport();
  await expect(desktop.inbox.messages().last()).toBeInViewport();
  expect(await horizontalOverflow(desktop.page)).toBeLessThanOrEqual(0);
  await snap(desktop.page, testInfo, 'inbox-1280x800-thread');

  const phone = await people.enter('phone', { email: CASEY, viewport: { width: 375, height: 812 } });
  await expect(phone.inbox.nav()).toBeInViewport();
  expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
  await snap(phone.page, testInfo, 'inbox-375-list');
  await phone.inbox.open(TITLES.sink);
  await expect(phone.inbox.composer()).toBeInViewport();
  await expect(phone.inbox.messages().last()).toBeInViewport();
  expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
  await snap(phone.page, testInfo, 'inbox-375-thread');
  // Back returns to the list, as on any phone messenger.
  await phone.page.goBack();
  await expect(phone.inbox.nav()).toBeInViewport();
});
