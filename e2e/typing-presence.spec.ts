// Typing and presence (CONTRACT section 8) in two browsers: Wes sees Casey typing, in the thread and in
// the list, until it expires or her message comes; Casey's tab opening and closing turns Wes's header
// and list dot online and offline. Checked with axe.
import { LIMITS, type TypingEvent } from '../protocol';
import { expectAccessible } from './support/axe';
import { expect, test } from './fixtures';
import { CASEY, TITLES, uniqueText } from './support/inbox-page';

test('Wes sees Casey typing, in the thread and the list; it expires, or ends with her message', async ({ casey, wes }) => {
  test.setTimeout(90_000);
  const sink = await casey.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.sink);
  await casey.net.quiet();
  const before = casey.net.mark();

  // A second of typing: one `typing` frame, not one per key.
  await casey.inbox.composer().pressSequentially('Running a bit late', { delay: 50 });
  const line = wes.inbox.typing();
  await expect(line).toHaveText('Casey Client is typing…');
  // Announced politely, by a live region that was there before it.
  await expect(wes.page.getByRole('status').filter({ has: line })).toHaveAttribute('aria-live', 'polite');
  await expect(wes.inbox.link(TITLES.sink)).toContainText('Casey Client is typing…');
  // Not one per key: at most one per LIMITS.typingEveryMs (a loaded machine may stretch the burst).
  const sent = casey.net.sentEvents('typing', before);
  expect(sent.map((f) => f.payload)).toContainEqual({ conversation_id: sink });
  expect(sent.length).toBeLessThan('Running a bit late'.length / 4);
  for (let i = 1; i < sent.length; i++) expect(sent[i]!.t - sent[i - 1]!.t).toBeGreaterThan(LIMITS.typingEveryMs - 500);
  expect(wes.net.receivedEvents('typing').at(-1)!.payload as TypingEvent).toEqual({ conversation_id: sink, name: 'Casey Client' });

  // axe on the line, kept up by her typing on while it runs.
  let typingOn = true;
  const keepTyping = (async () => {
    while (typingOn) await casey.inbox.composer().press('.', { delay: 300 });
  })();
  await expectAccessible(wes.page, 'the typing line');
  typingOn = false;
  await keepTyping;

  // She stops: it goes LIMITS.typingShownMs after the last frame, not before.
  await expect(line).toHaveCount(0, { timeout: LIMITS.typingShownMs + 10_000 });
  const gone = Date.now();
  const last = wes.net.receivedEvents('typing').at(-1)!;
  expect(gone - last.t).toBeGreaterThanOrEqual(LIMITS.typingShownMs - 500);
  await expect(wes.inbox.link(TITLES.sink)).not.toContainText('is typing');

  // She types again and sends: the line goes with her message, and Enter itself announced nothing.
  const text = uniqueText('Running a bit late');
  await casey.inbox.composer().fill('');
  await casey.inbox.composer().pressSequentially(text.slice(0, 5));
  await expect(line).toBeVisible();
  await casey.inbox.composer().fill(text);
  const sending = casey.net.mark();
  await casey.inbox.composer().press('Enter');
  await expect(wes.inbox.message(text)).toBeVisible();
  await expect(line).toHaveCount(0, { timeout: 1000 });
  // An emptied composer says nothing either.
  await casey.inbox.composer().press('Enter');
  await casey.net.quiet();
  expect(casey.net.sentEvents(undefined, sending).map((f) => f.event)).toEqual(['send_message']);
});

test('presence: Wes sees Casey online while her tab is open, then when she was last seen', async ({ people, wes }) => {
  test.setTimeout(90_000);
  await wes.inbox.open(TITLES.sink);
  const presence = wes.inbox.presence();
  await expect(presence).toHaveAttribute('data-state', 'offline');
  await expect(presence).toHaveText(/^Last seen/);
  await expect(wes.inbox.link(TITLES.sink)).not.toContainText('Online');

  const casey = await people.enter('casey', { email: CASEY });
  await expect(presence).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await expect(presence).toHaveText('Online');
  await expect(wes.inbox.link(TITLES.sink)).toContainText('Online'); // the dot's text alternative
  await expectAccessible(wes.page, 'the presence header');

  await casey.page.close();
  await expect(presence).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
  await expect(presence).toHaveText('Last seen just now');
  await expect(wes.inbox.link(TITLES.sink)).not.toContainText('Online');
  const frames = wes.net.receivedEvents('presence').map((f) => f.payload as { online: boolean; last_seen_at: string | null });
  expect(frames.filter((f) => f.online)).not.toHaveLength(0);
  expect(frames.at(-1)).toMatchObject({ online: false, last_seen_at: expect.any(String) });
});
