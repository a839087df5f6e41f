// Hundreds of real stores are connected when the server restarts: all of them reconnect by themselves
// (socket.io-client's backoff with jitter) and get a fresh conversation list, and the server survives.
import { afterEach, expect, it } from 'vitest';
import { ServerProcess } from '../support/server-process';
import { CASEY, signIn, WES } from '../support/sign-in';
import { connectAs, say, titled } from '../support/sockets';
import { storeSet } from '../support/stores';
import { until } from '../support/until';
import { selectConnectionState, selectConversation, type AppStore } from '../../store';
import { reportFigures, sized } from './support/exactly-once';

const STORES = sized(100, 300);

const stores = storeSet();
let server: ServerProcess | undefined;

afterEach(async () => {
  stores.stopAll();
  await server?.dispose();
});

/** Writes a message through a second process while the first is down, so every list after the restart differs. */
async function writeWhileDown(running: ServerProcess, text: string): Promise<number> {
  const other = await running.sibling();
  try {
    await other.start();
    const wes = await connectAs(other.url, WES);
    const sink = titled(wes.conversations, 'Fix my sink').id;
    await say(wes.socket, sink, text);
    wes.socket.close();
    return sink;
  } finally {
    await other.dispose();
  }
}

it(`reconnects ${STORES} stores after a server restart, each with a fresh conversation list`, async () => {
  const running = await ServerProcess.fresh();
  server = running;
  await running.start();
  const cookies = [await signIn(running.url, CASEY), await signIn(running.url, WES)];
  const all: AppStore[] = [];
  // Opened in batches of 25 so the first handshakes are not the test's subject.
  for (let i = 0; i < STORES; i += 25) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(25, STORES - i) }, (_, j) => stores.open(cookies[(i + j) % 2]!, running.url)))));
  }

  await running.stop('SIGTERM');
  await until(() => all.every((s) => selectConnectionState(s.getState()) === 'disconnected'), 'every store disconnected');
  const text = 'written while the storm waited';
  const sink = await writeWhileDown(running, text);
  await running.start();

  const fresh = (s: AppStore) =>
    selectConnectionState(s.getState()) === 'connected' && selectConversation(s.getState(), sink)?.last_message?.message_text === text;
  await until(() => all.every(fresh), `${STORES} stores reconnected with the new list`, 120_000);
  expect(running.running).toBe(true);
  expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
  reportFigures('reconnect storm', { stores: STORES, reconnected: all.filter(fresh).length, restarts: 1, serverSurvived: 'yes' });
}, sized(240_000, 900_000));
