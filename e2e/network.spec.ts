// Scenario 1, the network tab: once the inbox has loaded, everything a person does travels as frames on
// one WebSocket; no document, fetch, XHR, EventSource, RSC or API request (CONTRACT sections 3 and 4).
import { expect, test } from './fixtures';
import { TITLES, uniqueText } from './support/inbox-page';

test('after the inbox has loaded, opening, switching, sending, receiving and completing use only the one socket', async ({
  casey,
  wes,
}) => {
  test.slow(); // some forty steps through two browsers
  const { inbox, net, page } = casey;
  const loaded = net.mark();

  const ids = [
    await inbox.open(TITLES.sink),
    await inbox.open(TITLES.fence),
    await inbox.open(TITLES.wardrobe),
  ];
  const titles = [TITLES.sink, TITLES.fence, TITLES.wardrobe];
  for (let i = 0; i < 10; i++) await inbox.open(titles[i % titles.length] ?? TITLES.sink);

  // Back and Forward switch conversations the same way, without a request.
  await page.goBack();
  await inbox.shows(ids[2] ?? 0);
  await page.goForward();
  await inbox.shows(ids[0] ?? 0);

  const mine = uniqueText('Can you come on Tuesday?');
  await inbox.send(mine);
  await expect(inbox.message(mine)).toHaveAttribute('data-status', 'sent');

  await wes.inbox.open(TITLES.sink);
  const theirs = uniqueText('Tuesday works, see you at 9.');
  await wes.inbox.send(theirs);
  await expect(inbox.message(theirs)).toBeVisible();

  await inbox.markCompleteButton().click();
  await expect(inbox.markCompleteButton()).toBeDisabled();
  await net.quiet();

  expect(net.forbiddenRequestsSince(loaded), 'requests after the inbox loaded').toEqual([]);
  expect(net.sockets.map((s) => s.url), 'WebSockets the page opened').toHaveLength(1);
  const socketUrl = new URL(net.sockets[0]?.url ?? '');
  expect(socketUrl.origin).toBe(new URL(page.url()).origin.replace(/^http/, 'ws'));
  expect(socketUrl.pathname).toBe('/ws/inbox/');
  expect(socketUrl.searchParams.get('EIO')).toBe('4');
  expect(socketUrl.searchParams.get('transport')).toBe('websocket');
  // The work really went over the socket.
  expect(net.sentEvents('get_messages', loaded).length).toBeGreaterThanOrEqual(3);
  expect(net.sentEvents('send_message', loaded)).toHaveLength(1);
  expect(net.sentEvents('mark_complete', loaded)).toHaveLength(1);
});
