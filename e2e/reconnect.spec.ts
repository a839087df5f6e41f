// Scenario 9: the server restarts under an open page. The page says it is disconnected, reconnects by
// itself, sends what was typed meanwhile, catches up with what it missed, and shows nothing twice.
import { CASEY, connectAs, expect, historyOverWire, NEEDS_OWN_SERVER, onDeployment, sendOverWire, test, TITLES, uniqueText, WES } from './kit';

test.skip(onDeployment, NEEDS_OWN_SERVER.restart);

test('server restart: disconnected, then connected, the missed and the queued messages shown once', async ({
  server,
  casey,
}) => {
  test.setTimeout(120_000);
  const { inbox, dom } = casey;
  const a = await inbox.open(TITLES.sink);
  const domBefore = await dom.mark();

  await server.stop();
  await expect
    .poll(async () => (await dom.since(domBefore)).map((e) => (e.what === 'connection' ? e.state : '')))
    .toContain('disconnected');

  // Typed while the connection is down: it stays pending.
  const queued = uniqueText('Are you still coming today?');
  await inbox.send(queued);
  await expect(inbox.message(queued)).toHaveAttribute('data-status', 'pending');

  // Wes writes while Casey's server is down, through a second process on the same database, so the
  // message is certainly one Casey's page missed and must catch up with.
  const missed = uniqueText('Running late, there in 20 minutes.');
  const other = await server.sibling();
  try {
    await other.start();
    const wes = await connectAs(other.url, WES);
    try {
      expect(await sendOverWire(wes, a, missed)).toMatchObject({ ok: true });
    } finally {
      wes.close();
    }
  } finally {
    await other.dispose();
  }

  await server.start();
  await expect(inbox.connection()).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(inbox.message(missed)).toHaveCount(1);
  await expect(inbox.message(queued)).toHaveCount(1);
  await expect(inbox.message(queued)).toHaveAttribute('data-status', 'sent');
  await casey.net.quiet();

  const states = (await dom.since(domBefore)).flatMap((e) => (e.what === 'connection' ? [e.state] : []));
  expect(states.indexOf('disconnected')).toBeLessThan(states.lastIndexOf('connected'));
  expect(states.at(-1)).toBe('connected');

  // The page shows exactly the server's history: each message once, in order.
  const me = await connectAs(server.url, CASEY);
  try {
    const truth = (await historyOverWire(me, a)).messages.map((m) => m.message_text);
    expect(truth.filter((t) => t === queued || t === missed)).toEqual([missed, queued]);
    await expect(inbox.messages()).toHaveCount(truth.length);
    await expect(inbox.messages()).toContainText(truth);
  } finally {
    me.close();
  }
});
