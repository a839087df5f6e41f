// The inbox socket end to end on a real server: every event, every error code, privacy between users.
// Runs on SQLite, and on PostgreSQL when it is reachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, ErrorEvent } from '../../protocol';
import { storeMessage } from '../db/messages';
import { findUserByEmail } from '../db/users';
import { dialectCases, type TestDatabase } from '../../test/support/databases';
import { freePort } from '../../test/support/ports';
import { privateDataIn } from '../../test/support/privacy';
import { redisReachable } from '../../test/support/redis';
import { ADMIN_TOKEN, CASEY, signIn, WES, WREN } from '../../test/support/sign-in';
import { type ClientSocket, connectAs, markComplete, nextEvent, openDemoSockets, openSocket, receivedFrames, record, refusal, say, send, titled } from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';

const cases = await dialectCases();
const redisUp = await redisReachable();
const sockets: ClientSocket[] = [];

async function open(url: string, who: string | { cookie: string }) {
  const connected = await connectAs(url, who);
  sockets.push(connected.socket);
  return connected;
}

afterAll(() => {
  for (const socket of sockets) socket.close();
});

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`inbox socket on ${dialect.name}`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let url: string;
    let casey: { socket: ClientSocket; conversations: ConversationSummary[] };
    let caseyTab2: ClientSocket;
    let wes: { socket: ClientSocket; conversations: ConversationSummary[] };
    let wren: ClientSocket;
    let sink: number;
    let fence: number;
    let wardrobe: number;

    beforeAll(async () => {
      database = await dialect.create();
      server = await startTestServer({ databaseUrl: database.url });
      url = server.url;
      ({ casey, caseyTab2, wes, wren, sink, fence, wardrobe } = await openDemoSockets(url, open));
    });

    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('sends each user exactly their conversations on connect, newest activity first', () => {
      expect(casey.conversations.map((c) => c.job.title).sort()).toEqual(['Assemble wardrobe', 'Fix my sink', 'Paint the fence']);
      expect(wes.conversations.map((c) => c.job.title).sort()).toEqual(['Fix my sink', 'Paint the fence']);
      const activity = casey.conversations.map((c) => c.last_message!.created_at);
      expect([...activity].sort().reverse()).toEqual(activity);
      const sinkForWes = titled(wes.conversations, 'Fix my sink');
      expect(sinkForWes).toMatchObject({ my_role: 'WORKER', counterpart: { name: 'Casey Client', avatar: '/avatars/casey.svg' }, unread_count: 0 });
      expect(titled(casey.conversations, 'Fix my sink').my_role).toBe('CLIENT');
    });

    it('answers get_messages with the latest page, or the page before before_seq', async () => {
      casey.socket.emit('get_messages', { conversation_id: sink });
      const latest = await nextEvent(casey.socket, 'messages_response', (r) => r.conversation_id === sink);
      expect(latest.messages.length).toBeGreaterThanOrEqual(5);
      expect(latest.has_more).toBe(false);
      expect(latest.after_seq).toBeUndefined();
      expect(latest.conversation).toMatchObject({ id: sink, my_role: 'CLIENT', job: { title: 'Fix my sink', status: 'IN_PROGRESS' } });
      const seqs = latest.messages.map((m) => m.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(latest.messages.some((m) => m.is_mine) && latest.messages.some((m) => !m.is_mine)).toBe(true);

      casey.socket.emit('get_messages', { conversation_id: sink, before_seq: 4, limit: 2 });
      const older = await nextEvent(casey.socket, 'messages_response', (r) => r.conversation_id === sink);
      expect(older.messages.map((m) => m.seq)).toEqual([2, 3]);
      expect(older.has_more).toBe(true);
    });

    it('delivers a message live to every other socket of both sides, with is_mine for each', async () => {
      const atTab2 = nextEvent(caseyTab2, 'message', (e) => e.conversation_id === sink);
      const atWes = nextEvent(wes.socket, 'message', (e) => e.conversation_id === sink);
      const echoes = record(casey.socket, 'message');
      const sent = await say(casey.socket, sink, '  Is Thursday still on?  ');
      expect(sent).toMatchObject({ message_text: 'Is Thursday still on?', is_mine: true, is_read: false, sender_name: 'Casey Client', message_type: 'TEXT' });
      expect((await atTab2).message).toEqual(sent);
      expect((await atWes).message).toEqual({ ...sent, is_mine: false });

      const reply = nextEvent(casey.socket, 'message', (e) => e.message.message_text === 'Yes, see you then');
      await say(wes.socket, sink, 'Yes, see you then');
      expect((await reply).message).toMatchObject({ is_mine: false, sender_name: 'Wes Worker', seq: sent.seq + 1 });
      // The sending socket learnt of its own message from the ack alone.
      expect(echoes.map((e) => e.message.message_text)).toEqual(['Yes, see you then']);
    });

    it('stores a repeated client_id once: the ack returns the first message, no second message event', async () => {
      const atWes = record(wes.socket, 'message');
      const payload = { conversation_id: sink, message: 'Running 10 minutes late', type: 'TEXT' as const, client_id: 'retry-1' };
      const first = await send(casey.socket, payload);
      const again = await send(casey.socket, { ...payload, message: 'changed text' });
      expect(first.ok && again.ok).toBe(true);
      expect(again).toEqual(first);
      const barrier = nextEvent(wes.socket, 'message', (e) => e.message.message_text === 'barrier');
      await say(casey.socket, sink, 'barrier');
      await barrier;
      expect(atWes.map((e) => e.message.message_text)).toEqual(['Running 10 minutes late', 'barrier']);
    });

    it('moves a conversation to the top of the list when it has news', async () => {
      await say(wes.socket, fence, 'Paint arrives tomorrow');
      const { socket, conversations } = await open(url, CASEY);
      expect(conversations[0]).toMatchObject({ id: fence, last_message: { message_text: 'Paint arrives tomorrow', is_mine: false }, unread_count: 1 });
      socket.close();
    });

    it('tells Wes nothing of "Assemble wardrobe": not_found, exactly as for a conversation that does not exist', async () => {
      const overheard = [record(casey.socket, 'message'), record(wren, 'message'), record(wren, 'read')];
      const errors = record(wes.socket, 'error');
      const frames = (id: number) => {
        wes.socket.emit('get_messages', { conversation_id: id });
        wes.socket.emit('sync', { conversations: [{ conversation_id: id, after_seq: 0 }] });
        wes.socket.emit('mark_read', { conversation_id: id, up_to_seq: 1 });
      };
      const acks = async (id: number) => [
        await send(wes.socket, { conversation_id: id, message: 'hello?', type: 'TEXT', client_id: `probe-${id}` }),
        await markComplete(wes.socket, id),
      ];
      const missing = 987_654;
      frames(wardrobe);
      const wardrobeAcks = await acks(wardrobe);
      frames(missing);
      const missingAcks = await acks(missing);

      const strip = (e: ErrorEvent) => ({ ...e, conversation_id: e.conversation_id === wardrobe ? 'X' : e.conversation_id === missing ? 'X' : e.conversation_id });
      expect(errors).toHaveLength(6);
      expect(errors.slice(0, 3).map(strip)).toEqual(errors.slice(3).map(strip));
      expect(errors[0]).toMatchObject({ code: 'not_found', conversation_id: wardrobe });
      expect(wardrobeAcks).toEqual(missingAcks);
      expect(wardrobeAcks[0]).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });

      // Nothing reached the people of that conversation either, and nothing was stored.
      casey.socket.emit('get_messages', { conversation_id: wardrobe });
      const history = await nextEvent(casey.socket, 'messages_response', (r) => r.conversation_id === wardrobe);
      expect(history.messages.map((m) => m.message_text)).not.toContain('hello?');
      expect(overheard.flat()).toEqual([]);
    });

    it('catches a reconnecting client up with sync: everything after after_seq, or the latest page past 200', async () => {
      const { db } = server;
      const before = (await db.selectFrom('conversations').select('last_seq').where('id', '=', wardrobe).executeTakeFirstOrThrow()).last_seq;
      wren.emit('sync', { conversations: [{ conversation_id: wardrobe, after_seq: before - 2 }] });
      const small = await nextEvent(wren, 'messages_response', (r) => r.conversation_id === wardrobe);
      expect(small).toMatchObject({ after_seq: before - 2, has_more: true });
      expect(small.messages.map((m) => m.seq)).toEqual([before - 1, before]);

      // Many messages, stored directly: through one socket they would exceed its rate limit.
      const author = (await findUserByEmail(db, WREN))!;
      for (let i = 0; i < 205; i += 1) {
        await storeMessage(server, {
          conversationId: wardrobe,
          sender: { userId: author.id, name: author.name, avatar: author.avatar },
          clientId: `update-${i}`,
          text: `update ${i}`,
          type: 'TEXT',
        });
      }
      casey.socket.emit('sync', { conversations: [{ conversation_id: wardrobe, after_seq: before }] });
      const large = await nextEvent(casey.socket, 'messages_response', (r) => r.conversation_id === wardrobe);
      expect(large.after_seq).toBeUndefined();
      expect(large.has_more).toBe(true);
      expect(large.messages).toHaveLength(50);
      expect(large.messages.at(-1)).toMatchObject({ seq: before + 205, message_text: 'update 204', is_mine: false });
    }, 60_000);

    it('marks read: both sides hear it, badges and read ticks follow', async () => {
      const sent = await say(wes.socket, sink, 'Bring a towel please?');
      const atWes = nextEvent(wes.socket, 'read', (e) => e.conversation_id === sink);
      const atTab2 = nextEvent(caseyTab2, 'read', (e) => e.conversation_id === sink);
      casey.socket.emit('mark_read', { conversation_id: sink, up_to_seq: sent.seq + 1000 });
      expect(await atWes).toEqual({ conversation_id: sink, up_to_seq: sent.seq, reader_is_me: false });
      expect(await atTab2).toEqual({ conversation_id: sink, up_to_seq: sent.seq, reader_is_me: true });
      wes.socket.emit('get_messages', { conversation_id: sink, limit: 1 });
      const page = await nextEvent(wes.socket, 'messages_response', (r) => r.conversation_id === sink);
      expect(page.messages[0]).toMatchObject({ seq: sent.seq, is_read: true, is_mine: true });
      const { conversations } = await open(url, CASEY);
      expect(titled(conversations, 'Fix my sink').unread_count).toBe(0);
    });

    it('marks a job complete per side once; COMPLETED when both have', async () => {
      const systemAtCasey = nextEvent(casey.socket, 'message', (e) => e.conversation_id === fence && e.message.message_type === 'SYSTEM');
      const systemAtWes = nextEvent(wes.socket, 'message', (e) => e.conversation_id === fence && e.message.message_type === 'SYSTEM');
      const updatedAtWes = nextEvent(wes.socket, 'conversation_updated', (e) => e.conversation_id === fence);
      const updatedAtTab2 = nextEvent(caseyTab2, 'conversation_updated', (e) => e.conversation_id === fence);
      const ack = await markComplete(casey.socket, fence);
      expect(ack).toMatchObject({ ok: true, conversation: { id: fence, my_role: 'CLIENT', job: { status: 'IN_PROGRESS', clientMarkedComplete: true, workerMarkedComplete: false } } });
      expect((await systemAtCasey).message).toMatchObject({ is_mine: true, message_text: 'Casey Client marked the job complete' });
      expect((await systemAtWes).message).toMatchObject({ is_mine: false, message_type: 'SYSTEM' });
      expect((await updatedAtWes).conversation).toMatchObject({ my_role: 'WORKER', job: { clientMarkedComplete: true } });
      expect((await updatedAtTab2).conversation.my_role).toBe('CLIENT');

      const noop = record(wes.socket, 'conversation_updated');
      expect(await markComplete(casey.socket, fence)).toEqual(ack);
      const done = await markComplete(wes.socket, fence);
      expect(done).toMatchObject({ ok: true, conversation: { my_role: 'WORKER', job: { status: 'COMPLETED', clientMarkedComplete: true, workerMarkedComplete: true } } });
      expect(noop).toHaveLength(1); // the one for Wes's own marking, none for the repeat
      // A completed job's conversation stays open.
      expect((await say(casey.socket, fence, 'Thanks, looks great!')).seq).toBeGreaterThan(0);
    });

    it('answers a bad frame with an error and keeps the connection open', async () => {
      const { socket } = await open(url, CASEY);
      const bad = async (emit: () => void) => {
        const error = nextEvent(socket, 'error');
        emit();
        return error;
      };
      expect(await bad(() => socket.emit('get_messages', { conversation_id: 'one' } as never))).toMatchObject({ code: 'bad_request' });
      expect(await bad(() => socket.emit('get_messages', { conversation_id: sink, limit: 500 }))).toMatchObject({ code: 'bad_request', conversation_id: sink });
      expect(await bad(() => (socket as unknown as { emit: (e: string, p: unknown) => void }).emit('delete_everything', {}))).toMatchObject({ code: 'bad_request' });
      expect(await bad(() => socket.emit('sync', null as never))).toMatchObject({ code: 'bad_request' });
      // send_message without an ack callback: answered by an error event, nothing crashes.
      expect(await bad(() => (socket as unknown as { emit: (e: string, p: unknown) => void }).emit('send_message', { conversation_id: sink }))).toMatchObject({ code: 'bad_request' });
      const blank = await send(socket, { conversation_id: sink, message: '   ', type: 'TEXT', client_id: 'blank' });
      expect(blank).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      const long = await send(socket, { conversation_id: sink, message: 'x'.repeat(4001), type: 'TEXT', client_id: 'long' });
      expect(long).toMatchObject({ ok: false, error: { code: 'too_large' } });
      const wrongType = await send(socket, { conversation_id: sink, message: 'hi', type: 'SYSTEM', client_id: 'sys' } as never);
      expect(wrongType).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(socket.connected).toBe(true);
      expect((await say(socket, sink, 'still here')).message_text).toBe('still here');
      socket.close();
    });

    it('lets the admin API add people and conversations that appear in open inboxes at once', async () => {
      const admin = (path: string, body: unknown, token: string | null = ADMIN_TOKEN) =>
        fetch(`${url}/api/admin/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const pat = { email: 'pat@example.test', name: 'Pat Plumber', password: 'pat-secret' };
      expect((await admin('users', pat, null)).status).toBe(401);
      expect((await admin('users', pat, 'wrong')).status).toBe(401);
      const created = await admin('users', pat);
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ email: 'pat@example.test' });
      expect((await admin('users', pat)).status).toBe(409);
      expect((await admin('users', { email: 'nope' })).status).toBe(400);

      const updated = nextEvent(wes.socket, 'conversation_updated', (e) => e.conversation.job.title === 'Fix the roof');
      const listed = nextEvent(wes.socket, 'conversations', (e) => e.conversations.some((c) => c.job.title === 'Fix the roof'));
      const res = await admin('conversations', { client_email: pat.email, worker_email: WES, title: 'Fix the roof' });
      expect(res.status).toBe(201);
      const { conversation_id } = (await res.json()) as { conversation_id: number };
      expect(conversation_id).toBeTypeOf('number');
      expect((await updated).conversation).toMatchObject({ id: conversation_id, my_role: 'WORKER', counterpart: { name: 'Pat Plumber', avatar: '' } });
      expect(titled((await listed).conversations, 'Fix the roof').unread_count).toBe(0);

      // Wes's already open socket is in the new conversation's rooms: Pat's message reaches it live.
      const pats = await open(url, { cookie: await signIn(url, pat.email, pat.password) });
      const live = nextEvent(wes.socket, 'message', (e) => e.conversation_id === conversation_id);
      await say(pats.socket, conversation_id, 'When can you come by?');
      expect((await live).message).toMatchObject({ sender_name: 'Pat Plumber', sender_avatar: '', is_mine: false });
      expect((await admin('conversations', { client_email: 'ghost@example.test', worker_email: WES, title: 'x' })).status).toBe(404);
    });
  });
}

describe('handshake', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('refuses a socket without a valid session cookie: unauthorized', async () => {
    expect(await refusal(openSocket(server.url, null))).toBe('unauthorized');
    expect(await refusal(openSocket(server.url, 'session=forged-token'))).toBe('unauthorized');
  });

  it('refuses a foreign Origin, allows the same origin and none', async () => {
    const cookie = await signIn(server.url, CASEY);
    expect(await refusal(openSocket(server.url, cookie, { origin: 'https://evil.example' }))).toBe('forbidden');
    const same = openSocket(server.url, cookie, { origin: server.url });
    await nextEvent(same, 'conversations');
    same.close();
  });

  it('allows exactly ALLOWED_ORIGINS when set', async () => {
    const strict = await startTestServer({ allowedOrigins: ['https://inbox.example'] });
    try {
      const cookie = await signIn(strict.url, CASEY);
      expect(await refusal(openSocket(strict.url, cookie, { origin: strict.url }))).toBe('forbidden');
      const allowed = openSocket(strict.url, cookie, { origin: 'https://inbox.example' });
      await nextEvent(allowed, 'conversations');
      allowed.close();
    } finally {
      await strict.stop();
    }
  });

  it('signs out one session: its sockets are disconnected, the other session stays', async () => {
    const first = await signIn(server.url, CASEY);
    const second = await signIn(server.url, CASEY);
    const a = await open(server.url, { cookie: first });
    const b = await open(server.url, { cookie: second });
    const dropped = new Promise<string>((resolve) => a.socket.once('disconnect', resolve));
    const res = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: first } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^session=;.*Max-Age=0/);
    expect(await dropped).toBe('io server disconnect');
    expect(await refusal(openSocket(server.url, first))).toBe('unauthorized');
    const sink = titled(b.conversations, 'Fix my sink').id;
    expect((await say(b.socket, sink, 'still signed in here')).is_mine).toBe(true);
    expect(b.socket.connected).toBe(true);
  });
});

describe('limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ratePerSecond: 2 });
  });
  afterAll(() => server?.stop());

  it('answers frames beyond the token bucket with rate_limited, and serves the socket again as it refills', async () => {
    const { socket, conversations } = await open(server.url, WES);
    const sink = titled(conversations, 'Fix my sink').id;
    const limited = record(socket, 'error');
    const answered = record(socket, 'messages_response');
    for (let i = 0; i < 10; i += 1) socket.emit('get_messages', { conversation_id: sink, limit: 1 });
    // Sent with the burst, not after waiting for its answers: a slow machine would refill the bucket meanwhile.
    const over = send(socket, { conversation_id: sink, message: 'x', type: 'TEXT', client_id: 'over' });
    // Every frame is answered, one way or the other; the burst (2 × 2) gets through.
    await expect.poll(() => limited.length + answered.length, { timeout: 10_000 }).toBe(10);
    expect(limited.every((e) => e.code === 'rate_limited')).toBe(true);
    expect(answered.length).toBeGreaterThanOrEqual(4);
    expect(answered.length).toBeLessThan(10);
    expect(await over).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // As tokens come back, the socket is served again.
    await expect.poll(async () => (await send(socket, { conversation_id: sink, message: 'later', type: 'TEXT', client_id: 'later' })).ok, { timeout: 10_000, interval: 300 }).toBe(true);
  });

  it('survives a frame above 100 kB: at most that socket closes, the server keeps serving', async () => {
    const { socket, conversations } = await open(server.url, CASEY);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    socket.emit('send_message', { conversation_id: conversations[0]!.id, message: 'x'.repeat(150_000), type: 'TEXT', client_id: 'huge' }, () => {});
    await closed;
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toEqual({ ok: true, db: 'sqlite', redis: false });
    const again = await open(server.url, CASEY);
    expect(again.conversations).toHaveLength(3);
  });
});

describe('with Redis configured', () => {
  it('stores, acks and delivers on this process while Redis is unreachable; health says redis: false', async () => {
    const server = await startTestServer({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    try {
      const casey = await open(server.url, CASEY);
      const wes = await open(server.url, WES);
      const sink = titled(wes.conversations, 'Fix my sink').id;
      const live = nextEvent(casey.socket, 'message', (e) => e.message.message_text === 'Redis is down, I am not');
      const sent = await say(wes.socket, sink, 'Redis is down, I am not');
      expect((await live).message).toEqual({ ...sent, is_mine: false });
      expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true, db: 'sqlite', redis: false });
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!redisUp)('reports redis: true in health once connected', async () => {
    const server = await startTestServer({ redisUrl: 'redis://127.0.0.1:6379' });
    try {
      await expect.poll(async () => (await (await fetch(`${server.url}/api/health`)).json()).redis, { timeout: 10_000 }).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

describe('privacy', () => {
  it('no frame received in this run carried an email, a user id or a password hash', () => {
    expect(receivedFrames.length).toBeGreaterThan(50);
    expect(privateDataIn(receivedFrames)).toEqual([]);
  });
});
