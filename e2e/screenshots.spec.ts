// Scenario 10: how the inbox looks at desktop size and on a 375 px phone, attached to the report and
// saved under test-results/: the inbox, and a thread with an edited and a deleted message, a message's
// actions, the editor, the delete dialog, the typing line and the presence header. The checks are the ones a person notices at once: the thread and composer
// fit on screen and nothing scrolls sideways.
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './fixtures';
import { CASEY, TITLES, WES, uniqueText } from './support/inbox-page';

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

test('screenshots of edits, deletes, typing and presence at 1280×800 and 375 px', async ({ people }, testInfo) => {
  test.setTimeout(180_000);
  const wes = await people.enter('wes', { email: WES });
  await wes.inbox.open(TITLES.sink);
  for (const [size, viewport] of [['1280x800', { width: 1280, height: 800 }], ['375', { width: 375, height: 812 }]] as const) {
    const casey = await people.enter(`casey-${size}`, { email: CASEY, viewport });
    const { page, inbox } = casey;
    await inbox.open(TITLES.sink);
    await expect(inbox.presence()).toHaveText('Online');
    const deleted = await inbox.deletedMessages().count();
    const [tuesday, part, oops] = [uniqueText('Could you come on Tuesday?'), uniqueText('I have the part here'), uniqueText('Wrong chat, sorry')];
    for (const text of [tuesday, part]) {
      await inbox.send(text);
      await expect(inbox.message(text)).toHaveAttribute('data-status', 'sent');
    }
    await wes.inbox.send(oops);
    await expect(inbox.message(oops)).toHaveCount(1);
    await wes.inbox.deleteMessage(oops);
    await expect(inbox.deletedMessages()).toHaveCount(deleted + 1);
    await inbox.editMessage(tuesday, `${tuesday} Or Wednesday morning.`);
    await expect(inbox.message(`${tuesday} Or Wednesday morning.`)).toContainText('edited');

    await inbox.message(part).hover();
    await expect(inbox.messageAction(part, 'Edit')).toBeVisible();
    await snap(page, testInfo, `parity-${size}-actions`);
    await inbox.messageAction(part, 'Edit').click();
    await expect(inbox.editor()).toBeFocused();
    await snap(page, testInfo, `parity-${size}-editor`);
    await page.keyboard.press('Escape');
    await inbox.message(part).hover();
    await inbox.messageAction(part, 'Delete').click();
    await expect(inbox.deleteDialog()).toBeVisible();
    await snap(page, testInfo, `parity-${size}-dialog`);
    await inbox.deleteDialog().getByRole('button', { name: 'Delete' }).click();
    await expect(inbox.deletedMessages()).toHaveCount(deleted + 2);

    await wes.inbox.composer().pressSequentially('See you');
    await expect(inbox.typing()).toBeVisible();
    await page.mouse.move(1, 1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await snap(page, testInfo, `parity-${size}-typing-presence`);
    if (size === '375') {
      await page.goBack();
      await expect(inbox.link(TITLES.sink)).toContainText('is typing');
      await snap(page, testInfo, `parity-${size}-list`);
      await page.goForward();
    }
    await wes.inbox.composer().fill('');
    await casey.context.close();
  }
  await wes.page.close();
});
