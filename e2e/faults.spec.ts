// Casey's browser loses its connection (a TCP proxy in front of the server, which her page is served
// through, goes offline) while she sends three messages: they stay pending, go out in order when the
// connection returns, become sent, and Wes, on the server directly, sees each once, in order.
import { TcpProxy } from '../test/faults/support/tcp-proxy';
import { CASEY, expect, InboxPage, NEEDS_OWN_SERVER, onDeployment, test, TITLES, uniqueText } from './kit';

test.skip(onDeployment, NEEDS_OWN_SERVER.proxy);

test('offline: messages typed while cut off stay pending, then go out once each, in order', async ({ browser, server, wes }) => {
  test.setTimeout(120_000);
  const proxy = await TcpProxy.start(server.port);
  const context = await browser.newContext({ baseURL: proxy.url });
  const pageErrors: string[] = [];
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error.stack ?? error)));
    const casey = new InboxPage(page);
    await casey.signIn(CASEY);
    const sink = await casey.open(TITLES.sink);
    expect(await wes.inbox.open(TITLES.sink)).toBe(sink);

    proxy.goOffline();
    await expect(casey.connection()).toHaveAttribute('data-state', 'disconnected');
    const texts = [uniqueText('Offline one'), uniqueText('Offline two'), uniqueText('Offline three')];
    for (const text of texts) {
      await casey.send(text);
      await expect(casey.message(text)).toHaveAttribute('data-status', 'pending');
    }
    // Still cut off: nothing went out, nothing failed.
    await expect(casey.messages().and(page.locator('[data-status="pending"]'))).toHaveCount(3);
    for (const text of texts) await expect(wes.inbox.message(text)).toHaveCount(0);

    proxy.goOnline();
    await expect(casey.connection()).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    for (const text of texts) {
      await expect(casey.message(text)).toHaveCount(1);
      await expect(casey.message(text)).toHaveAttribute('data-status', 'sent', { timeout: 30_000 });
      await expect(wes.inbox.message(text)).toHaveCount(1);
      await expect(wes.inbox.message(text)).toHaveAttribute('data-mine', 'false');
    }
    const order = (all: string[]) => all.map((shown) => texts.findIndex((t) => shown.includes(t))).filter((i) => i >= 0);
    expect(order(await casey.messageTexts())).toEqual([0, 1, 2]);
    expect(order(await wes.inbox.messageTexts())).toEqual([0, 1, 2]);
    expect(proxy.counts.cuts).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
    await proxy.close();
  }
});
