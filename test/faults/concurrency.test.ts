// Many sockets of both participants send into one conversation at once: seqs stay 1..N without gaps or
// repeats, every other socket gets every message once, and one client_id sent by several sockets of
// its sender at the same moment is stored once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MessageEvent, SendMessageAck, SendMessagePayload } from '../../protocol';
import { SOCKET_LIMITS } from '../../server/socket/limits';
import { CASEY, signIn, WES } from '../support/sign-in';
import { type ClientSocket, connectAs, record, titled } from '../support/sockets';
import { startTestServer, tempSqlite, type TestServer } from '../support/test-server';
import { until } from '../support/until';
import { readConversation, reportFigures, sized, tally } from './support/exactly-once';

// Full size: each user's 20 sockets (the most one user may hold), each with as many sends in flight as the
// server accepts from one socket before answering rate_limited.
const SOCKETS = sized(20, 2 * SOCKET_LIMITS.socketsPerUser);
const SENDS = sized(50, SOCKET_LIMITS.queuedFrames);
const DUPLICATED_IDS = 20;
const COPIES = 5;

type Sender = { socket: ClientSocket; who: 'casey' | 'wes'; seen: MessageEvent[] };

const database = tempSqlite();
let server: TestServer;
let senders: Sender[] = [];
let sink: number;

beforeAll(async () => {
  server = await startTestServer({ databaseUrl: database.url, ratePerSecond: 100_000 });
  const cookies = { casey: await signIn(server.url, CASEY), wes: await signIn(server.url, WES) };
  senders = await Promise.all(
    [...Array(SOCKETS).keys()].map(async (i): Promise<Sender> => {
      const who = i % 2 === 0 ? 'casey' : 'wes';
      const { socket, conversations } = await connectAs(server.url, { cookie: cookies[who] });
      sink = titled(conversations, 'Fix my sink').id;
      return { socket, who, seen: record(socket, 'message') };
    }),
  );
});

afterAll(async () => {
  for (const { socket } of senders) socket.close();
  await server.stop();
  database.remove();
});

const dbPath = () => database.url.slice('file:'.length);

/** Emits without waiting: every frame of every socket is in flight at once. */
function fire(socket: ClientSocket, payload: SendMessagePayload): Promise<SendMessageAck> {
  return socket.timeout(60_000).emitWithAck('send_message', payload);
}

it(`${SOCKETS} sockets × ${SENDS} concurrent sends: gapless unique seqs, each delivered once`, async () => {
  const before = readConversation(dbPath(), sink).length;
  const sent: string[] = [];
  const acks = await Promise.all(
    senders.flatMap(({ socket }, s) =>
      [...Array(SENDS).keys()].map((i) => {
        const text = `socket ${s} send ${i}`;
        sent.push(text);
        return fire(socket, { conversation_id: sink, message: text, type: 'TEXT', client_id: randomUUID() });
      }),
    ),
  );
  expect(acks.filter((a) => !a.ok)).toEqual([]);
  const seqs = acks.map((a) => (a.ok ? a.message.seq : 0)).sort((a, b) => a - b);
  expect(seqs).toEqual(sent.map((_, i) => before + i + 1));

  const rows = readConversation(dbPath(), sink);
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  const stored = tally(sent, rows.map((r) => r.text));
  expect(stored).toEqual({ sent: sent.length, lost: 0, duplicated: 0 });

  // Each socket hears every message but its own sends: (SOCKETS - 1) × SENDS events, no repeats.
  const ours = new Set(sent);
  const heard = (sender: Sender, index: number) =>
    sender.seen.map((e) => e.message.message_text).filter((t) => ours.has(t) && !t.startsWith(`socket ${index} `));
  await until(() => senders.every((s, i) => heard(s, i).length >= (SOCKETS - 1) * SENDS), 'every broadcast', 60_000);
  for (const [i, s] of senders.entries()) {
    expect(tally(sent.filter((t) => !t.startsWith(`socket ${i} `)), heard(s, i)), `socket ${i}`).toMatchObject({ lost: 0, duplicated: 0 });
  }
  reportFigures('concurrent senders', { sockets: SOCKETS, ...stored });
}, 120_000);

it(`one client_id sent by ${COPIES} sockets of its sender at once is stored once`, async () => {
  const casey = senders.filter((s) => s.who === 'casey');
  const wes = senders.filter((s) => s.who === 'wes');
  const wesHeardBefore = wes.map((s) => s.seen.length);
  const ids = [...Array(DUPLICATED_IDS).keys()].map(() => randomUUID());
  const acks = await Promise.all(
    ids.flatMap((clientId, n) =>
      casey.slice(0, COPIES).map(({ socket }) =>
        fire(socket, { conversation_id: sink, message: `duplicate ${n}`, type: 'TEXT', client_id: clientId }),
      ),
    ),
  );
  for (const [n, clientId] of ids.entries()) {
    const mine = acks.slice(n * COPIES, (n + 1) * COPIES);
    const storedIds = new Set(mine.map((a) => (a.ok ? a.message.id : `error ${a.error.code}`)));
    expect([...storedIds], `acks of ${clientId}`).toHaveLength(1);
  }
  const rows = readConversation(dbPath(), sink);
  const stored = tally(ids.map((_, n) => `duplicate ${n}`), rows.map((r) => r.text));
  expect(stored).toEqual({ sent: DUPLICATED_IDS, lost: 0, duplicated: 0 });
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  // The other side hears each message once: a marker sent after every ack arrives after any repeat would.
  const marker = await fire(casey[0]!.socket, { conversation_id: sink, message: 'after the duplicates', type: 'TEXT', client_id: randomUUID() });
  expect(marker.ok).toBe(true);
  const heard = (s: Sender, i: number) => s.seen.slice(wesHeardBefore[i]).map((e) => e.message.message_text);
  await until(() => wes.every((s, i) => heard(s, i).includes('after the duplicates')), 'the marker', 30_000);
  for (const [i, s] of wes.entries()) {
    expect(tally(ids.map((_, n) => `duplicate ${n}`), heard(s, i)), `wes socket ${i}`).toMatchObject({ lost: 0, duplicated: 0 });
  }
  reportFigures('concurrent duplicate client_ids', { clientIds: DUPLICATED_IDS, copiesEach: COPIES, ...stored });
}, 60_000);
