// The console: quiet by default and free of errors; with localStorage["stream-debug"] = "1" one line per
// cache event, in the words of CONTRACT section 6.
import { expect, test, type Person } from './fixtures';
import { CASEY, TITLES, WES, uniqueText } from './support/inbox-page';
import { canMarkAJob, NEEDS_FRESH_JOB } from './kit';

const CONTRACT_LINES = [
  /^\[Stream Controller\] Instant load from cache: \d+ \(\d+ messages\)$/,
  /^\[Stream Controller\] Requesting messages via WebSocket: \d+$/,
  /^\[Stream Controller\] Cached \d+ messages for conversation \d+$/,
  /^\[Stream Controller\] Added message to cache for conversation \d+ \(now \d+ messages\)$/,
  /^\[Stream Controller\] Added optimistic message to cache for conversation \d+$/,
  /^\[Stream Controller\] Invalidating cache for conversation \d+$/,
  /^\[Stream Controller\] Restored \d+ conversations from disk \(\d+ messages\)$/,
];

/** Open, return, receive, send and invalidate; returns the lines these must print, with their numbers. */
// In `job`, one nobody has marked yet: the invalidation is the one marking a job complete causes.
async function everyCacheEvent(casey: Person, wes: Person, job: string): Promise<string[]> {
  test.slow(); // two sign-ins and every kind of cache event
  const a = await casey.inbox.open(job);
  const loaded = await casey.inbox.messages().count();
  await casey.inbox.open(TITLES.fence);
  await casey.inbox.link(job).click();
  await casey.inbox.shows(a);

  await wes.inbox.open(job);
  const theirs = uniqueText('Sure, I will bring the washers.');
  await wes.inbox.send(theirs);
  await expect(casey.inbox.message(theirs)).toBeVisible();

  const mine = uniqueText('Thanks!');
  await casey.inbox.send(mine);
  await expect(casey.inbox.message(mine)).toHaveAttribute('data-status', 'sent');

  await casey.inbox.markCompleteButton().click();
  await expect(casey.inbox.markCompleteButton()).toBeDisabled();
  await casey.net.quiet();
  return [
    `[Stream Controller] Requesting messages via WebSocket: ${a}`,
    `[Stream Controller] Cached ${loaded} messages for conversation ${a}`,
    `[Stream Controller] Instant load from cache: ${a} (${loaded} messages)`,
    `[Stream Controller] Added message to cache for conversation ${a} (now ${loaded + 1} messages)`,
    `[Stream Controller] Added optimistic message to cache for conversation ${a}`,
    `[Stream Controller] Invalidating cache for conversation ${a}`,
  ];
}

test.skip(!canMarkAJob, NEEDS_FRESH_JOB);

test('with stream-debug, each cache event prints its line word for word', async ({ people, jobs }) => {
  const casey = await people.enter('casey', { email: CASEY, debug: true });
  const wes = await people.enter('wes', { email: WES });
  const expected = await everyCacheEvent(casey, wes, await jobs.unmarked());

  const lines = casey.console.map((line) => line.text);
  for (const line of expected) expect(lines, 'console of the debug page').toContain(line);
  const controllerLines = lines.filter((text) => text.startsWith('[Stream Controller]'));
  for (const line of controllerLines) {
    expect(CONTRACT_LINES.some((format) => format.test(line)), `not a CONTRACT line: ${line}`).toBe(true);
  }
  expect(casey.console.filter((line) => line.type === 'error')).toEqual([]);
});

test('without the flag the console stays quiet on every page', async ({ people, jobs }) => {
  // The sign-in page is one of them.
  const casey = await people.enter('casey', { email: CASEY, throughForm: true });
  const wes = await people.enter('wes', { email: WES, throughForm: true });
  await everyCacheEvent(casey, wes, await jobs.unmarked());
  // What DevTools shows at its default levels. Chromium's own `verbose` diagnostics (DevTools hides them;
  // console.debug is reported as `debug`, so the app cannot hide there) are not the app speaking.
  const shown = (person: Person) => person.console.filter((line) => line.type !== 'verbose');
  expect(shown(casey), "Casey's console").toEqual([]);
  expect(shown(wes), "Wes's console").toEqual([]);
});
