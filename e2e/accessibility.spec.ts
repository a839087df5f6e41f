// WCAG 2.1 AA on every screen (issue 16): axe-core on the sign-in page, the inbox, an open thread with a
// message in every state, the phone list and thread, in the light and the dark colour scheme; contrast
// measured where axe cannot look (bubble times drawn by CSS, placeholders, icons, the disabled "Mark
// complete"); reduced motion; reflow at 320 px and at 200% zoom; and a live log that reads out new
// messages only, never a history that is loaded, paged in or shown again.
import type { Locator } from '@playwright/test';
import {
  canMarkAJob,
  CASEY,
  connectAs,
  emailForAWrongPassword,
  expect,
  NEEDS_FRESH_JOB,
  sendOverWire,
  test,
  TITLES,
  uniqueText,
  WES,
  type Person,
} from './kit';
import { expectAccessible } from './support/axe';
import { contrastOf } from './support/contrast';
import { liveEntries, recordLiveRegions } from './support/live-region';
import { SocketTap } from './support/socket-tap';

const PHONE = { width: 375, height: 812 };
/** WCAG 2.1 AA: 4.5:1 for text this size, 3:1 for icons and other parts of a control. */
const TEXT = 4.5;
const ICON = 3;

/** Measures one colour pair, attaches it to the report's list, and holds it to the minimum. */
async function expectContrast(
  measured: string[],
  what: string,
  locator: Locator,
  min: number,
  pseudo?: '::before' | '::placeholder',
): Promise<void> {
  const { ratio, fg, bg } = await contrastOf(locator, pseudo);
  measured.push(`${what}: ${ratio}:1 (${fg} on ${bg}, at least ${min}:1)`);
  expect(ratio, `${what}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(min);
}

async function horizontalOverflow(person: Person): Promise<number> {
  return person.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} colour scheme`, () => {
    test('sign-in page, also with its error', async ({ people }) => {
      const visitor = await people.enter('visitor');
      await visitor.page.emulateMedia({ colorScheme });
      await visitor.page.goto('/login');
      await expect(visitor.page.getByRole('button', { name: /client@demo\.test/ })).toBeVisible();
      await expectAccessible(visitor.page, `sign-in ${colorScheme}`);
      await visitor.inbox.submitLogin(emailForAWrongPassword(), 'not-the-password');
      await expect(visitor.page.getByRole('alert').filter({ hasText: /\w/ })).toBeVisible();
      await expectAccessible(visitor.page, `sign-in error ${colorScheme}`);
    });

    test('inbox, open thread, a message in every state, a marked job', async ({ people, site, jobs }, testInfo) => {
      test.slow(); // five axe runs and a dozen measurements
      const measured: string[] = [];
      // The thread whose job Casey marks: "Fix my sink" on a fresh server, a job of its own on a deployment.
      const job = canMarkAJob ? await jobs.unmarked() : null;
      const casey = await people.enter('casey');
      await casey.page.emulateMedia({ colorScheme });
      const tap = await SocketTap.on(casey.page);
      await casey.inbox.signIn(CASEY);
      const { page, inbox } = casey;

      // An unread badge in the list: Wes writes in a conversation Casey has not opened.
      const wes = await connectAs(site.url, WES);
      try {
        const fence = await inbox.conversationId(TITLES.fence);
        expect((await sendOverWire(wes, fence, uniqueText('Can I start on Monday?'))).ok).toBe(true);
      } finally {
        wes.close();
      }
      await expect(inbox.unreadBadge(TITLES.fence)).toBeVisible();
      await expectAccessible(page, `inbox ${colorScheme}`);
      const search = page.getByRole('searchbox', { name: 'Search jobs and people' });
      await expectContrast(measured, 'search placeholder', search, TEXT, '::placeholder');

      await inbox.open(job ?? TITLES.sink);
      await expectAccessible(page, `open thread ${colorScheme}`);
      await expectContrast(measured, 'composer placeholder', inbox.composer(), TEXT, '::placeholder');

      const sent = uniqueText('Sent');
      await inbox.send(sent);
      await expect(inbox.message(sent)).toHaveAttribute('data-status', 'sent');
      const failed = uniqueText('Refused');
      tap.refuseNextSend((text) => text === failed);
      await inbox.send(failed);
      await expect(inbox.message(failed)).toHaveAttribute('data-status', 'failed');
      await expect(inbox.message(failed).getByRole('button', { name: 'Retry' })).toBeVisible();
      tap.hold('send_message');
      const pending = uniqueText('Pending');
      await inbox.send(pending);
      await expect(inbox.message(pending)).toHaveAttribute('data-status', 'pending');
      await expectAccessible(page, `failed and pending messages ${colorScheme}`);

      const theirs = inbox.messages().and(page.locator('[data-mine="false"]')).last();
      const time = (row: Locator) => row.locator('time');
      await expectContrast(measured, 'their bubble: time', time(theirs), TEXT, '::before');
      await expectContrast(measured, 'my bubble, sent: time', time(inbox.message(sent)), TEXT, '::before');
      await expectContrast(measured, 'my bubble, sent: tick', inbox.message(sent).getByRole('img', { name: 'Sent' }), ICON);
      await expectContrast(measured, 'my bubble, read: ticks', inbox.thread().getByRole('img', { name: 'Read' }).first(), ICON);
      await expectContrast(measured, 'my bubble, pending: text', inbox.message(pending).getByText(pending), TEXT);
      await expectContrast(measured, 'my bubble, pending: time', time(inbox.message(pending)), TEXT, '::before');
      await expectContrast(measured, 'my bubble, pending: clock', inbox.message(pending).getByRole('img', { name: 'Sending' }), ICON);
      await expectContrast(measured, 'my bubble, failed: time', time(inbox.message(failed)), TEXT, '::before');
      await expectContrast(measured, 'my bubble, failed: alert', inbox.message(failed).getByRole('img', { name: 'Not sent' }), ICON);

      // Marked by me: the button is disabled (axe skips it) but still says so; the note is read by axe.
      if (job !== null) {
        await inbox.markCompleteButton().click();
        await expect(inbox.markCompleteButton()).toBeDisabled();
        const system = inbox.messages().filter({ hasText: 'marked the job complete' });
        await expect(system).toHaveCount(1);
        await expectAccessible(page, `job marked ${colorScheme}`);
        await expectContrast(measured, 'system message: time', time(system), TEXT, '::before');
        await expectContrast(measured, '"Mark complete", disabled once marked', inbox.markCompleteButton(), TEXT);
      } else {
        test.info().annotations.push({ type: 'not checked: a marked job', description: NEEDS_FRESH_JOB });
      }
      tap.release();
      await expect(inbox.message(pending)).toHaveAttribute('data-status', 'sent');

      // Offline (for the rest of the test): the connection pill and the notice above the thread.
      await tap.goOffline();
      await expect(inbox.connection()).toHaveAttribute('data-state', 'disconnected');
      await expect(page.getByText('You are offline')).toBeVisible();
      await expectAccessible(page, `offline ${colorScheme}`);
      await testInfo.attach(`contrast-${colorScheme}.txt`, { body: measured.join('\n'), contentType: 'text/plain' });
    });

    test('phone: the list and the thread, each with one main landmark', async ({ people }) => {
      const phone = await people.enter('phone', { viewport: PHONE });
      await phone.page.emulateMedia({ colorScheme });
      await phone.inbox.signIn(CASEY);
      await expect(phone.page.getByRole('main')).toHaveCount(1);
      await expect(phone.inbox.nav()).toBeVisible();
      await expectAccessible(phone.page, `phone list ${colorScheme}`);
      await phone.inbox.open(TITLES.sink);
      await expect(phone.inbox.nav()).toBeHidden();
      await expect(phone.page.getByRole('main')).toHaveCount(1);
      await expectAccessible(phone.page, `phone thread ${colorScheme}`);
    });
  });
}

test('reduced motion: the loading shimmer and every other animation stand still', async ({ people }) => {
  const casey = await people.enter('casey');
  const tap = await SocketTap.on(casey.page);
  await casey.inbox.signIn(CASEY);
  const sink = await casey.inbox.conversationId(TITLES.sink);
  // Hold the history back, so the loading placeholder stays on screen.
  tap.hold('get_messages');
  await casey.inbox.link(TITLES.sink).click();
  await expect(casey.inbox.loading()).toBeVisible();
  const running = () =>
    casey.page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length);
  expect(await running(), 'the shimmer moves when motion is welcome').toBeGreaterThan(0);

  await casey.page.emulateMedia({ reducedMotion: 'reduce' });
  await expect.poll(running).toBe(0);
  const scrolling = await casey.inbox.thread().evaluate((log) => [
    getComputedStyle(log).scrollBehavior,
    getComputedStyle(document.documentElement).scrollBehavior,
  ]);
  expect(scrolling).toEqual(['auto', 'auto']);

  tap.release();
  await casey.inbox.shows(sink);
  expect(await running()).toBe(0);
});

// 1280×800 at 200% zoom lays out as 640×400 CSS pixels; 320 px is WCAG's reflow width.
for (const [name, viewport] of [
  ['320 px wide', { width: 320, height: 568 }],
  ['200% zoom (1280×800)', { width: 640, height: 400 }],
] as const) {
  test(`reflow at ${name}: nothing scrolls sideways, header and composer within reach`, async ({ people }) => {
    const person = await people.enter('reader', { email: CASEY, viewport });
    const { page, inbox } = person;
    await expect(inbox.nav()).toBeInViewport();
    for (const title of Object.values(TITLES)) await expect(inbox.link(title)).toBeVisible();
    expect(await horizontalOverflow(person)).toBeLessThanOrEqual(0);

    await inbox.open(TITLES.sink);
    for (const control of [
      page.getByRole('button', { name: 'Sign out' }),
      page.getByRole('button', { name: 'Back to conversations' }),
      inbox.jobStatus(),
      inbox.markCompleteButton(),
      inbox.composer(),
      page.getByRole('button', { name: 'Send' }),
    ]) {
      await expect(control).toBeInViewport({ ratio: 1 });
    }
    // A long unbroken word wraps inside its bubble instead of pushing the page (or the log) sideways.
    const long = uniqueText(`Serial ${'X'.repeat(120)}`);
    await inbox.send(long);
    await expect(inbox.message(long)).toHaveAttribute('data-status', 'sent');
    await expect(inbox.message(long).getByText(long)).toBeInViewport({ ratio: 1 });
    await expect(inbox.composer()).toBeInViewport({ ratio: 1 });
    expect(await horizontalOverflow(person)).toBeLessThanOrEqual(0);
    expect(await inbox.thread().evaluate((log) => log.scrollWidth - log.clientWidth)).toBeLessThanOrEqual(0);
  });
}

test('the open log reads out new messages, never a history loaded, paged in or shown again', async ({ people, site, jobs }) => {
  test.slow(); // 55 messages sent at the rate limit, two people
  // The thread Casey reads and marks: "Fix my sink" on a fresh server, a job of its own on a deployment.
  const job = canMarkAJob ? await jobs.unmarked() : null;
  const read = job ?? TITLES.sink;
  const casey = await people.enter('casey');
  await recordLiveRegions(casey.page);
  await casey.inbox.signIn(CASEY);
  const { inbox, page } = casey;
  // Enough history in "Paint the fence" for an older page: Wes writes 55 notes there first (numbered
  // under a prefix of this run's own, so a deployment's history of earlier runs cannot match).
  const note = uniqueText('Fence note');
  const fence = await inbox.conversationId(TITLES.fence);
  const wes = await connectAs(site.url, WES);
  try {
    for (let i = 1; i <= 55; i++) {
      expect((await sendOverWire(wes, fence, `${note} ${i}`)).ok).toBe(true);
      await page.waitForTimeout(60); // under the 20 frames/s rate limit
    }

    const sink = await inbox.open(read); // a first history
    await expect(inbox.thread()).toHaveAttribute('aria-live', 'polite');
    const live1 = uniqueText('Wes writes while Casey reads');
    expect((await sendOverWire(wes, sink, live1)).ok).toBe(true);
    await expect(inbox.message(live1)).toBeVisible();

    await inbox.open(TITLES.fence); // the latest 50 of its messages, then older ones paged in
    await inbox.thread().evaluate((log) => log.scrollTo({ top: 0 }));
    await expect(inbox.messages().filter({ hasText: new RegExp(`${note} 1(?!\\d)`) })).toHaveCount(1);

    await inbox.link(read).click(); // a kept thread shown again
    await inbox.shows(sink);
    await expect(inbox.thread()).toHaveAttribute('aria-live', 'polite');
    const live2 = uniqueText('Wes writes after the switch');
    expect((await sendOverWire(wes, sink, live2)).ok).toBe(true);
    await expect(inbox.message(live2)).toBeVisible();

    // Marking the job complete drops the cache behind the open thread; the thread still reads out.
    if (job !== null) {
      await inbox.markCompleteButton().click();
      await expect(inbox.messages().filter({ hasText: 'marked the job complete' })).toHaveCount(1);
      const live3 = uniqueText('Wes writes after the marking');
      expect((await sendOverWire(wes, sink, live3)).ok).toBe(true);
      await expect(inbox.message(live3)).toBeVisible();
    } else {
      test.info().annotations.push({ type: 'not checked: reading out after a marking', description: NEEDS_FRESH_JOB });
    }
  } finally {
    wes.close();
  }

  const entries = await liveEntries(page);
  const rows = entries.flatMap((e) => (e.kind === 'rows' ? e.texts.map((text) => ({ text, live: e.live })) : []));
  const announced = rows.filter((r) => r.live !== 'off').map((r) => r.text);
  // Read out: exactly what arrived while its thread was on screen, Wes's three and the marking.
  const kind = (text: string) =>
    /Wes writes (while|after)/.exec(text)?.[0] ?? (text.includes('marked the job complete') ? 'marking' : text);
  expect(announced.map(kind), 'what the log read out').toEqual([
    'Wes writes while',
    'Wes writes after',
    ...(job !== null ? ['marking', 'Wes writes after'] : []),
  ]);
  // And every history row did go into a log, quietly: the fence's notes, the first history's messages.
  expect(rows.filter((r) => r.text.includes(note)).length).toBeGreaterThanOrEqual(55);
  const shown = entries.filter((e) => e.kind === 'shown');
  expect(shown.length).toBeGreaterThanOrEqual(3);
  expect(shown.filter((e) => e.live !== 'off'), 'a log that was polite the moment it was shown').toEqual([]);
});
