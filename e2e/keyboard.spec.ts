// The whole chat without a mouse (issue 16): sign in, open a conversation, send, retry a failed message,
// mark the job complete, sign out, with nothing but page.keyboard (Tab, Shift+Tab, Enter, Space and
// typing), and the focus visible at every stop. The failed message is a send the server is made to
// refuse (SocketTap), so Retry shows at once instead of after the outbox's retries run out.
import type { Locator } from '@playwright/test';
import { canMarkAJob, CLIENT, expect, NEEDS_FRESH_JOB, test, TITLES, uniqueText } from './kit';
import { expectVisibleFocus } from './support/focus';
import { SocketTap } from './support/socket-tap';

/** Tab stops before giving up on reaching an element. */
const MAX_STOPS = 30;

test('keyboard only: sign in, open, send, retry a failed message, mark complete, sign out', async ({ people, jobs }, testInfo) => {
  test.slow(); // a sign-in, a send refused and retried, a marking, each stop checked
  // The job Casey marks: "Fix my sink" on a fresh server, a job of its own on a deployment.
  const job = canMarkAJob ? await jobs.unmarked() : null;
  const title = job ?? TITLES.sink;
  const casey = await people.enter('casey');
  const tap = await SocketTap.on(casey.page);
  const { page, inbox } = casey;
  const stops: string[] = [];

  /** Presses `key` until `target` has the focus, checking that every stop on the way shows it. */
  async function moveTo(target: Locator, key: 'Tab' | 'Shift+Tab'): Promise<void> {
    for (let i = 0; i < MAX_STOPS; i++) {
      await page.keyboard.press(key);
      const focus = await expectVisibleFocus(page);
      stops.push(`${key} → ${focus.what} (${focus.indicator})`);
      if (await target.evaluate((el) => el === document.activeElement)) return;
    }
    throw new Error(`${key} never reached ${target}`);
  }
  async function focusShows(target: Locator, how: string): Promise<void> {
    await expect(target).toBeFocused();
    const focus = await expectVisibleFocus(page);
    stops.push(`${how} → ${focus.what} (${focus.indicator})`);
  }

  // Sign in: the email field has the focus on arrival.
  await page.goto('/login');
  await focusShows(page.getByLabel('Email'), 'page load');
  await page.keyboard.type(CLIENT.email);
  await moveTo(page.getByLabel('Password'), 'Tab');
  await page.keyboard.type(CLIENT.password);
  await moveTo(page.getByRole('button', { name: 'Sign in' }), 'Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/inbox');
  await inbox.ready();

  // Open: Tab reaches the conversation, Enter opens it, the composer takes the focus.
  const sink = await inbox.conversationId(title);
  await moveTo(inbox.link(title), 'Tab');
  await page.keyboard.press('Enter');
  await inbox.shows(sink);
  await focusShows(inbox.composer(), 'Enter on the conversation');

  // Send: type, Enter.
  const hello = uniqueText('Typed without a mouse');
  await page.keyboard.type(hello);
  await page.keyboard.press('Enter');
  await expect(inbox.message(hello)).toHaveAttribute('data-status', 'sent');
  await focusShows(inbox.composer(), 'Enter in the composer');

  // Retry: a send the server refuses fails at once; Shift+Tab reaches its Retry, Enter sends it again,
  // and the focus stays in the thread when the button goes.
  const refused = uniqueText('Refused the first time');
  tap.refuseNextSend((text) => text === refused);
  await page.keyboard.type(refused);
  await page.keyboard.press('Enter');
  await expect(inbox.message(refused)).toHaveAttribute('data-status', 'failed');
  await moveTo(inbox.message(refused).getByRole('button', { name: 'Retry' }), 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(inbox.message(refused)).toHaveAttribute('data-status', 'sent');
  await expect(inbox.message(refused).getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await focusShows(inbox.thread(), 'Enter on Retry');
  expect(tap.refused).toBe(1);

  // Mark complete: Shift+Tab to it, Space; it disables itself and the focus goes to the thread.
  if (job !== null) {
    await moveTo(inbox.markCompleteButton(), 'Shift+Tab');
    await page.keyboard.press('Space');
    await expect(inbox.markCompleteButton()).toBeDisabled();
    await expect(inbox.messages().filter({ hasText: 'marked the job complete' })).toHaveCount(1);
    await expect(inbox.jobStatus()).toHaveText('IN_PROGRESS'); // Wes has not marked yet
    await focusShows(inbox.thread(), 'Space on Mark complete');
  } else {
    test.info().annotations.push({ type: 'not checked: marking by keyboard', description: NEEDS_FRESH_JOB });
  }

  // Sign out: back up past the list to the top bar.
  await moveTo(page.getByRole('button', { name: 'Sign out' }), 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/login');
  await expect(page.getByLabel('Email')).toBeVisible();

  await testInfo.attach('focus-stops.txt', { body: stops.join('\n'), contentType: 'text/plain' });
});
