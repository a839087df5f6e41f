// Hundreds of real stores are connected when the server restarts: all of them reconnect by themselves
// (socket.io-client's backoff with jitter) and get a fresh conversation list, and the server survives.
// They belong to as many people as the limit of 20 sockets per user asks for.
import { afterEach, expect, it } from 'vitest';
import { ServerProcess } from '../support/server-process';
import { ADMIN_TOKEN, signIn, WES } from '../support/sign-in';
import { connectAs, say } from '../support/sockets';
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

const PER_USER = 20; // the most sockets one user may hold (CONTRACT section 4)
const PASSWORD = 'storm-password-1';

async function admin(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/api/admin/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`admin ${path} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Enough people for the stores (each holds at most 20 sockets), each in a conversation of their own with Wes. */
async function stormPeople(url: string, stores: number): Promise<{ cookie: string; conversationId: number }[]> {
  const people = [];
  for (let i = 0; i < Math.ceil(stores / PER_USER); i += 1) {
    const email = `storm-${i}@example.test`;
    await admin(url, 'users', { email, name: `Storm ${i}`, password: PASSWORD });
    const { conversation_id } = await admin(url, 'conversations', { client_email: email, worker_email: WES, title: `Storm ${i}` });
    people.push({ cookie: await signIn(url, email, PASSWORD), conversationId: conversation_id as number });
  }
  return people;
}

/** Writes a message into each conversation through a second process while the first is down, so every list
 *  after the restart differs. */
async function writeWhileDown(running: ServerProcess, conversationIds: number[], text: string): Promise<void> {
  const other = await running.sibling();
  try {
    await other.start();
    const wes = await connectAs(other.url, WES);
    for (const id of conversationIds) await say(wes.socket, id, text);
    wes.socket.close();
  } finally {
    await other.dispose();
  }
}

it(`reconnects ${STORES} stores after a server restart, each with a fresh conversation list`, async () => {
  const running = await ServerProcess.fresh();
  server = running;
  await running.start();
  const people = await stormPeople(running.url, STORES);
  const all: { store: AppStore; conversationId: number }[] = [];
  // Opened in batches of 25 so the first handshakes are not the test's subject.
  for (let i = 0; i < STORES; i += 25) {
    const batch = Array.from({ length: Math.min(25, STORES - i) }, (_, j) => people[Math.floor((i + j) / PER_USER)]!);
    all.push(...(await Promise.all(batch.map(async (p) => ({ store: await stores.open(p.cookie, running.url), conversationId: p.conversationId })))));
  }

  await running.stop('SIGTERM');
  await until(() => all.every(({ store }) => selectConnectionState(store.getState()) === 'disconnected'), 'every store disconnected');
  const text = 'written while the storm waited';
  await writeWhileDown(running, people.map((p) => p.conversationId), text);
  await running.start();

  const fresh = ({ store, conversationId }: { store: AppStore; conversationId: number }) =>
    selectConnectionState(store.getState()) === 'connected' &&
    selectConversation(store.getState(), conversationId)?.last_message?.message_text === text;
  await until(() => all.every(fresh), `${STORES} stores reconnected with the new list`, 120_000);
  expect(running.running).toBe(true);
  expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
  reportFigures('reconnect storm', { stores: STORES, users: people.length, reconnected: all.filter(fresh).length, restarts: 1, serverSurvived: 'yes' });
}, sized(240_000, 900_000));
