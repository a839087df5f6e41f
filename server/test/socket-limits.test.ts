// The limits that keep one user from hurting others (CONTRACT section 4), each against a real server: a
// sync's shape and price, sockets per user, a refused handshake, the frame queue, the log, sign-out races
// and session expiry. A client that stops reading has its own file (slow-reader.test.ts).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken, newSessionToken } from '../auth/session-token';
import { createConversation } from '../db/conversations';
import { insertSession } from '../db/sessions';
import { findUserByEmail, insertUser } from '../db/users';
import { dialectCases, type TestDatabase } from '../../test/support/databases';
import { RawSocket } from '../../test/support/raw-socket';
import { CASEY, signIn, WES } from '../../test/support/sign-in';
import { type ClientSocket, connectAs, disconnection, nextEvent, openSocket, record, refusal, send, titled } from '../../test/support/sockets';
import { startTestServer, tempSqlite, type TestServer } from '../../test/support/test-server';
import { until } from '../../test/support/until';

const SESSION_SECRET = 'socket-limits-test-secret';
const dialects = await dialectCases();
const postgres = dialects.find((c) => c.name === 'postgres')!;
const sockets: ClientSocket[] = [];

afterAll(() => {
  for (const socket of sockets) socket.close();
});

async function open(url: string, who: string | { cookie: string }) {
  const connected = await connectAs(url, who);
  sockets.push(connected.socket);
  return connected;
}

/** A session made straight in the database (no sign-in), expiring in `ttlMs`: its cookie. */
async function mintSession(server: TestServer, email: string, ttlMs = 60 * 60 * 1000): Promise<string> {
  const user = await findUserByEmail(server.db, email);
  if (!user) throw new Error(`no user ${email}`);
  const token = newSessionToken();
  const now = new Date();
  await insertSession(server.db, { tokenHash: hashSessionToken(SESSION_SECRET, token), userId: user.id, now, expiresAt: new Date(now.getTime() + ttlMs) });
  return `session=${token}`;
}

/** Resolves with 'connect', or the connect_error message. */
function outcome(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connect'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

function connectedSockets(server: TestServer): number {
  return server.io.of('/').sockets.size;
}

describe('sync', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ratePerSecond: 5, sessionSecret: SESSION_SECRET }); // bursts of 10
  });
  afterAll(() => server?.stop());

  it('refuses a sync that repeats a conversation or names more than the user has, and answers none of it', async () => {
    const { socket, conversations } = await open(server.url, WES); // Wes has 2 conversations
    const sink = titled(conversations, 'Fix my sink').id;
    const fence = titled(conversations, 'Paint the fence').id;
    const answers = record(socket, 'messages_response');
    const errors = record(socket, 'error');
    const entries = (ids: number[]) => ({ conversations: ids.map((id) => ({ conversation_id: id, after_seq: 0 })) });
    socket.emit('sync', entries([sink, sink]));
    socket.emit('sync', entries([sink, fence, 999_999]));
    // Frames are handled in order: once this one is answered, the two before it have been.
    socket.emit('get_messages', { conversation_id: fence, limit: 1 });
    await until(() => answers.length >= 1, 'the answer to get_messages');
    expect(answers.map((a) => [a.conversation_id, a.after_seq])).toEqual([[fence, undefined]]);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'bad_request', message: expect.stringContaining('each conversation at most once') }),
      expect.objectContaining({ code: 'bad_request', message: expect.stringContaining('more entries than conversations') }),
    ]);
    // Within the rules, each conversation is answered once.
    socket.emit('sync', entries([sink, fence]));
    await until(() => answers.length >= 3, 'the answers to the sync');
    expect(answers.slice(1).map((a) => [a.conversation_id, a.after_seq]).sort()).toEqual([[fence, 0], [sink, 0]].sort());
  });

  it('charges a sync one token per 10 entries', async () => {
    const many = `many-${randomUUID()}@example.test`;
    const userId = await insertUser(server.db, { email: many, name: 'Max Many', avatar: '', passwordHash: 'unusable' });
    const wes = (await findUserByEmail(server.db, WES))!;
    const ids: number[] = [];
    for (let i = 0; i < 45; i += 1) ids.push(await createConversation(server.db, { title: `Job ${i}`, clientId: userId, workerId: wes.id, now: new Date() }));
    const { socket, conversations } = await open(server.url, { cookie: await mintSession(server, many) });
    expect(conversations).toHaveLength(45);
    const answers = record(socket, 'messages_response');
    const errors = record(socket, 'error');
    // 45 entries cost 5 tokens: a full bucket of 10 pays for two such frames, not a third.
    const sync = { conversations: ids.map((id) => ({ conversation_id: id, after_seq: 0 })) };
    for (let i = 0; i < 3; i += 1) socket.emit('sync', sync);
    // Each frame is answered, one way or the other: 45 responses, or one error.
    await until(() => answers.length + 45 * errors.length >= 135, 'all three syncs answered');
    expect(answers).toHaveLength(90);
    expect(errors.map((e) => e.code)).toEqual(['rate_limited']);
  });
});

describe('sockets per user', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ sessionSecret: SESSION_SECRET });
  });
  afterAll(() => server?.stop());

  it('holds at most 20 sockets of one user, counted exactly when they connect together; others are unaffected', async () => {
    const cookies = [await signIn(server.url, CASEY), await signIn(server.url, CASEY)]; // two sessions, one user
    const tabs = Array.from({ length: 30 }, (_, i) => openSocket(server.url, cookies[i % 2]!));
    sockets.push(...tabs);
    const outcomes = await Promise.all(tabs.map(outcome));
    expect(outcomes.filter((o) => o === 'connect')).toHaveLength(20);
    expect(outcomes.filter((o) => o !== 'connect')).toEqual(Array(10).fill('too_many_connections'));
    const wes = await open(server.url, WES);
    expect(wes.conversations).toHaveLength(2);

    // Every place comes back: once the 20 are gone, 20 new ones connect, and the 21st is refused again.
    for (const tab of tabs) tab.close();
    await until(() => connectedSockets(server) === 1, 'the server to see them go');
    const again = Array.from({ length: 21 }, () => openSocket(server.url, cookies[0]!));
    sockets.push(...again);
    const twenty = await Promise.all(again.slice(0, 20).map(outcome));
    expect(twenty).toEqual(Array(20).fill('connect'));
    expect(await outcome(again[20]!)).toBe('too_many_connections');
    for (const tab of again) tab.close();
    await until(() => connectedSockets(server) === 1, 'the server to see them go');
  });

  it('gives the place back for handshakes abandoned half-way and sockets that leave their connection open', async () => {
    const cookie = await signIn(server.url, CASEY);
    const others = connectedSockets(server);
    const leftOpen: RawSocket[] = [];
    for (let round = 0; round < 3; round += 1) {
      const raws = await Promise.all(Array.from({ length: 20 }, () => RawSocket.open(server.url, cookie)));
      raws.forEach((raw, i) => {
        raw.sendConnect();
        if (i % 2 === 0) raw.terminate(); // gone while its session is looked up
      });
      // The others leave the namespace (socket.io's DISCONNECT) but keep the WebSocket open.
      const stayed = raws.filter((_, i) => i % 2 === 1);
      await until(() => stayed.every((raw) => raw.frames.some((f) => f.kind === 'connect')), 'the accepted ones');
      for (const raw of stayed) raw.sendRaw('41');
      await until(() => connectedSockets(server) === others, 'the server to see them go');
      leftOpen.push(...stayed);
    }
    const tabs = Array.from({ length: 20 }, () => openSocket(server.url, cookie));
    sockets.push(...tabs);
    expect(await Promise.all(tabs.map(outcome))).toEqual(Array(20).fill('connect'));
    for (const tab of tabs) tab.close();
    for (const raw of leftOpen) raw.terminate();
  });
});

describe('one user at a time', () => {
  it('serves another user while one user’s backlog of frames across many sockets is handled', async () => {
    const server = await startTestServer({ ratePerSecond: 1000 });
    try {
      const cookie = await signIn(server.url, WES);
      const tabs = await Promise.all(Array.from({ length: 10 }, () => open(server.url, { cookie })));
      // Casey is connected before the backlog starts: her sign-in (a password hash) must not be what is timed.
      const casey = await open(server.url, CASEY);
      const sink = titled(tabs[0]!.conversations, 'Fix my sink').id;
      const backlog = tabs.length * 64;
      let answered = 0;
      for (const { socket } of tabs) {
        socket.on('messages_response', () => (answered += 1));
        for (let i = 0; i < 64; i += 1) socket.emit('get_messages', { conversation_id: sink, limit: 200 });
      }
      await until(() => answered > 0, 'the backlog under way', 30_000, 1);
      const answer = nextEvent(casey.socket, 'messages_response').then(() => answered);
      casey.socket.emit('get_messages', { conversation_id: titled(casey.conversations, 'Assemble wardrobe').id });
      const wesAnsweredBeforeCasey = await answer;
      await until(() => answered === backlog, 'the whole backlog answered');
      console.log(`[limits] Casey answered after ${wesAnsweredBeforeCasey} of Wes's ${backlog} frames`);
      expect(wesAnsweredBeforeCasey).toBeLessThan(backlog / 2);
    } finally {
      await server.stop();
    }
  });
});

describe('handshake hygiene', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ sessionSecret: SESSION_SECRET });
  });
  afterAll(() => server?.stop());

  it('closes a refused connection as soon as it has said why, well before connectTimeout', async () => {
    const raw = await RawSocket.open(server.url, 'session=forged');
    expect(await raw.connect()).toBe('unauthorized');
    const closedSoon = await Promise.race([raw.closed.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 5_000))]);
    expect(closedSoon).toBe(true);
  });

  it('answers a second CONNECT on one connection without another session lookup, and closes it', async () => {
    const raw = await RawSocket.open(server.url, await signIn(server.url, WES));
    raw.sendConnect();
    raw.sendConnect();
    await raw.closed;
    expect(raw.frames.filter((f) => f.kind === 'connect_error').map((f) => (f.payload as { message: string }).message)).toContain('too_many_connections');
  });
});

describe('log', () => {
  it('never writes a frame payload to the log; a client "error" frame is rate limited and answered like an unknown event', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ ratePerSecond: 2, log: pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) }) });
    try {
      const { socket, conversations } = await open(server.url, WES);
      const marker = `PAYLOAD-MARKER-${randomUUID()}`;
      const raw = socket as unknown as { emit: (event: string, ...args: unknown[]) => void };
      const errors = record(socket, 'error');
      // Bursts of 4 at this rate: the first four are answered bad_request, the other two rate_limited.
      for (let i = 0; i < 6; i += 1) raw.emit('error', { text: marker + 'x'.repeat(50_000) });
      await until(() => errors.length >= 6, 'an answer to each');
      expect(errors.map((e) => e.code)).toEqual(['bad_request', 'bad_request', 'bad_request', 'bad_request', 'rate_limited', 'rate_limited']);
      expect(errors[0]!.message).toBe('unknown event: error');
      // Other frames carrying it, once the bucket has refilled: an unknown event, a bad one, a refused send.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      raw.emit(`event-${marker}`, { text: marker });
      raw.emit('get_messages', { conversation_id: conversations[0]!.id, [marker]: 1 });
      expect(await send(socket, { conversation_id: 999_999, message: marker, type: 'TEXT', client_id: marker.slice(0, 60) })).toMatchObject({ ok: false });
      await until(() => errors.length >= 8, 'the answers');
      expect(socket.connected).toBe(true);
      const log = lines.join('');
      expect(log).toContain('socket error');
      expect(log).not.toContain(marker);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(2_000);
    } finally {
      await server.stop();
    }
  });
});

describe('sessions', () => {
  it.each(dialects)('disconnects every socket whose sign-out raced its connect ($name)', async (dialect) => {
    if (dialect.skipReason) return console.log(`skipped: ${dialect.skipReason}`);
    const database = await dialect.create();
    const server = await startTestServer({ sessionSecret: SESSION_SECRET, databaseUrl: database.url });
    try {
      const outcomes: string[] = [];
      for (let round = 0; round < 15; round += 1) {
        await Promise.all(
          Array.from({ length: 16 }, async (_, i) => {
            const cookie = await mintSession(server, CASEY);
            const raw = await RawSocket.open(server.url, cookie);
            // The CONNECT and the sign-out reach the server together, give or take a few milliseconds.
            const signOut = new Promise((resolve) => setTimeout(resolve, i % 8)).then(() =>
              fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } }),
            );
            raw.sendConnect();
            expect((await signOut).status).toBe(200);
            const survived = await Promise.race([raw.closed.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 10_000))]);
            raw.terminate();
            const accepted = raw.frames.some((f) => f.kind === 'connect');
            outcomes.push(survived ? 'survived' : accepted ? 'accepted, then disconnected' : 'refused');
          }),
        );
      }
      const counts = Object.fromEntries(count(outcomes));
      console.log(`[limits] sign-out racing connect on ${dialect.name}: ${JSON.stringify(counts)}`);
      expect(counts.survived).toBeUndefined();
      await until(() => connectedSockets(server) === 0, 'no socket left');
    } finally {
      await server.stop();
      await database.drop();
    }
  }, 120_000);

  it('disconnects a session’s sockets at its expiry, and deletes ended sessions', async () => {
    const sqlite = tempSqlite();
    let server = await startTestServer({ sessionSecret: SESSION_SECRET, databaseUrl: sqlite.url });
    try {
      const shortLived = await mintSession(server, WES, 1_500);
      const { socket } = await open(server.url, { cookie: shortLived });
      const kept = await open(server.url, { cookie: await mintSession(server, WES) });
      expect(await disconnection(socket, 15_000)).toBe('io server disconnect');
      expect(await refusal(openSocket(server.url, shortLived))).toBe('unauthorized');
      expect(kept.socket.connected).toBe(true);
      const signedOut = await signIn(server.url, WES);
      await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: signedOut } });
      const sessions = async () => server.db.selectFrom('sessions').select(['revoked', 'expires_at']).execute();
      const ended = (rows: { revoked: number; expires_at: string }[]) => rows.filter((r) => r.revoked === 1 || r.expires_at <= new Date().toISOString());
      expect(ended(await sessions())).toHaveLength(2);
      // Ended sessions are deleted at start (and every hour): the expired and the signed-out one.
      await server.close();
      server = await startTestServer({ sessionSecret: SESSION_SECRET, databaseUrl: sqlite.url });
      await until(async () => ended(await sessions()).length === 0, 'the ended sessions deleted');
      expect((await sessions()).length).toBeGreaterThan(0);
    } finally {
      await server.stop();
      sqlite.remove();
    }
  });
});

function count(list: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe.skipIf(postgres.skipReason !== null)('frame queue (PostgreSQL, a row lock holds the first send)', { timeout: 90_000 }, () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await postgres.create();
  });
  afterAll(() => database?.drop());
  // A failed check must not leave the row locked: stopping the server waits for the sends it holds.
  const held: (() => Promise<void>)[] = [];
  const releaseHeld = () => Promise.all(held.splice(0).map((release) => release()));

  /** Locks the conversation's row in a transaction of its own: a send to it waits until `release`. */
  async function lockConversation(conversationId: number) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('begin');
    await client.query('select id from conversations where id = $1 for update', [conversationId]);
    // A session of this test's database waiting on a lock (other test files lock rows of their own databases
    // at the same time; a row lock's wait in pg_locks names no database).
    const waiting = async () => (await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rows[0]!.n > 0;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await client.query('rollback');
      await client.end();
    };
    held.push(release);
    return {
      /** Whether a send is held by the lock now. */
      waiting,
      release,
    };
  }

  async function storedLike(pattern: string): Promise<number> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<{ n: number }>('select count(*)::int as n from messages where text like $1', [pattern])).rows[0]!.n;
    } finally {
      await client.end();
    }
  }

  it('holds at most 64 frames of a socket: the excess is answered rate_limited at once, the rest in order', async () => {
    server = await startTestServer({ databaseUrl: database.url, ratePerSecond: 1000 });
    try {
      const { socket, conversations } = await open(server.url, CASEY);
      const sink = titled(conversations, 'Fix my sink').id;
      const lock = await lockConversation(sink);
      const answered: number[] = [];
      const acks = Array.from({ length: 80 }, (_, i) =>
        send(socket, { conversation_id: sink, message: `queued ${i}`, type: 'TEXT', client_id: `queued-${i}` }).then((ack) => {
          answered.push(i);
          return ack;
        }),
      );
      await until(() => answered.length >= 16, 'the excess answered while the first send waits');
      // The first send reaches the lock a database round trip or two after the excess is answered.
      await until(() => lock.waiting(), 'the first send held by the lock');
      expect([...answered].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => 64 + i));
      await lock.release();
      const results = await Promise.all(acks);
      expect(results.slice(64).every((r) => !r.ok && r.error.code === 'rate_limited')).toBe(true);
      expect(results.slice(0, 64).every((r) => r.ok)).toBe(true);
      const seqs = results.slice(0, 64).map((r) => (r.ok ? r.message.seq : 0));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(await storedLike('queued %')).toBe(64);
    } finally {
      await releaseHeld();
      await server.stop();
    }
  });

  it('drops the work queued for a socket that has gone', async () => {
    server = await startTestServer({ databaseUrl: database.url, ratePerSecond: 1000 });
    let stopped = false;
    try {
      const { socket, conversations } = await open(server.url, CASEY);
      const sink = titled(conversations, 'Fix my sink').id;
      const lock = await lockConversation(sink);
      for (let i = 0; i < 10; i += 1) {
        socket.emit('send_message', { conversation_id: sink, message: `gone ${i}`, type: 'TEXT', client_id: `gone-${i}` }, () => {});
      }
      await until(() => lock.waiting(), 'the first send held by the lock');
      socket.disconnect();
      await until(() => connectedSockets(server) === 0, 'the server to see the socket go');
      await lock.release();
      // Shutting down waits for every frame in flight: whatever was going to run has run.
      await server.stop();
      stopped = true;
      expect(await storedLike('gone %')).toBe(1);
    } finally {
      await releaseHeld();
      if (!stopped) await server.stop();
    }
  });
});
