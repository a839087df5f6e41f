// Scenario 8: the inbox needs a session, a wrong password is told plainly, and Wes never learns anything
// of a conversation he is not in (CONTRACT sections 2–4).
import type { ConversationsEvent } from '../protocol';
import { CASEY, emailForAWrongPassword, expect, onDeployment, test, TITLES, uniqueText, WES } from './kit';

test('without a session the inbox redirects to the sign-in page', async ({ people }) => {
  const visitor = await people.enter('visitor');
  for (const path of ['/inbox', '/inbox/1']) {
    await visitor.page.goto(path);
    await expect(visitor.page).toHaveURL(/\/login$/);
    await expect(visitor.page.getByLabel('Email')).toBeVisible();
    await expect(visitor.page.getByLabel('Password')).toBeVisible();
  }
  expect(visitor.net.sockets, 'a socket opened without a session').toEqual([]);
});

test('a wrong password shows an error and stays on the sign-in page', async ({ people }) => {
  const visitor = await people.enter('visitor');
  await visitor.inbox.submitLogin(emailForAWrongPassword(), 'not-the-password');
  // Next keeps an empty route announcer with role="alert" in every page: the error is the one with words.
  await expect(visitor.page.getByRole('alert').filter({ hasText: /\w/ })).toBeVisible();
  await expect(visitor.page).toHaveURL(/\/login$/);
  await expect(visitor.page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
});

test('Wes never sees "Assemble wardrobe", in the list, on the page or in any frame', async ({ casey, people }) => {
  test.slow(); // two people, five conversations opened
  const wardrobe = await casey.inbox.conversationId(TITLES.wardrobe);
  // Its counterpart (Wren, in the demo data), by the name Casey's own frames give.
  const other = casey.net
    .receivedEvents('conversations')
    .flatMap((f) => (f.payload as ConversationsEvent).conversations)
    .find((c) => c.id === wardrobe)?.counterpart.name;
  expect(other, 'the counterpart of "Assemble wardrobe" in Casey\'s conversation list').toBeTruthy();
  const wes = await people.enter('wes', { email: WES });

  // A deployment may hold more jobs of Wes's; a fresh server holds exactly the demo's two.
  if (!onDeployment) await expect(wes.inbox.links()).toHaveCount(2);
  await expect(wes.inbox.link(TITLES.sink)).toHaveCount(1);
  await expect(wes.inbox.link(TITLES.fence)).toHaveCount(1);
  await expect(wes.inbox.nav()).not.toContainText(TITLES.wardrobe);
  await expect(wes.page.getByTestId(`conversation-${wardrobe}`)).toHaveCount(0);
  await wes.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.fence);

  // Casey writes in it while Wes is online: nothing of it may reach him.
  await casey.inbox.open(TITLES.wardrobe);
  const secret = uniqueText('The wardrobe keys are under the mat');
  await casey.inbox.send(secret);
  await expect(casey.inbox.message(secret)).toHaveAttribute('data-status', 'sent');

  // Even at its address, the page shows nothing of it.
  await wes.page.goto(`/inbox/${wardrobe}`);
  await wes.inbox.ready();
  await wes.net.quiet();
  await expect(wes.page.locator('body')).not.toContainText(TITLES.wardrobe);
  await expect(wes.page.locator('body')).not.toContainText(other ?? TITLES.wardrobe);
  await expect(wes.page.getByTestId('message')).toHaveCount(0);

  const received = wes.net.frames.filter((f) => f.dir === 'received').map((f) => f.raw);
  expect(received.length).toBeGreaterThan(0);
  const words = [TITLES.wardrobe, other ?? '', other?.split(' ')[0] ?? '', secret, CASEY, WES, '@demo.test', 'worker2', 'password'];
  for (const word of words) {
    expect(received.filter((raw) => raw.includes(word)), `frames mentioning ${word}`).toEqual([]);
  }
});
