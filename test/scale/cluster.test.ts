// Two server processes on one PostgreSQL database and one Redis: everything a user does on one process
// reaches the sockets on the other (messages, typing, edits and deletes, job updates, admin-added
// conversations, sign-out), and concurrent senders on both processes get one gapless seq order.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, SendMessageAck } from '../../protocol';
import { ADMIN_TOKEN, CASEY, signIn, WES } from '../support/sign-in';
import { type ClientSocket, connectAs, disconnection, edit, markComplete, nextEvent, openSocket, record, remove, say, send, titled } from '../support/sockets';
import { until } from '../support/until';
import { scaleSkipReason, startCluster, type Cluster } from './cluster';

const skipReason = scaleSkipReason();

describe.skipIf(skipReason !== null)('two processes, one PostgreSQL, one Redis', () => {
  let cluster: Cluster;
  let one: string;
  let two: string;
  const sockets: ClientSocket[] = [];
  let casey: { socket: ClientSocket; conversations: ConversationSummary[] };
  let wes: { socket: ClientSocket; conversations: ConversationSummary[] };

  async function open(url: string, who: string | { cookie: string }) {
    const connected = await connectAs(url, who);
    sockets.push(connected.socket);
    return connected;
  }

  beforeAll(async () => {
    cluster = await startCluster(2);
    [one, two] = cluster.servers.map((s) => s.url) as [string, string];
    casey = await open(one, CASEY);
    wes = await open(two, WES);
  }, 120_000); // two process starts on a busy machine

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await cluster?.stop();
  });

  it('migrated and seeded once although both processes started together', async () => {
    const users = await cluster.query<{ email: string; n: string }>('select email, count(*) as n from users group by email order by email');
    expect(users).toEqual([
      { email: 'client@demo.test', n: '1' },
      { email: 'worker2@demo.test', n: '1' },
      { email: 'worker@demo.test', n: '1' },
    ]);
    const [conversations] = await cluster.query<{ n: string }>('select count(*) as n from conversations');
    expect(conversations?.n).toBe('3');
    // One session secret for both: a cookie from process 1 opens a socket on process 2.
    expect(casey.conversations.map((c) => c.job.title).sort()).toEqual(['Assemble wardrobe', 'Fix my sink', 'Paint the fence']);
    await open(two, { cookie: await signIn(one, CASEY) });
  });

  it('delivers messages both ways between the processes', async () => {
    const sink = titled(casey.conversations, 'Fix my sink').id;
    const atWes = nextEvent(wes.socket, 'message', (e) => e.message.message_text === 'from process 1');
    const sent = await say(casey.socket, sink, 'from process 1');
    expect((await atWes).message).toMatchObject({ id: sent.id, seq: sent.seq, is_mine: false, sender_name: 'Casey Client' });

    const atCasey = nextEvent(casey.socket, 'message', (e) => e.message.message_text === 'from process 2');
    const reply = await say(wes.socket, sink, 'from process 2');
    expect(reply.seq).toBe(sent.seq + 1);
    expect((await atCasey).message).toMatchObject({ id: reply.id, is_mine: false, sender_name: 'Wes Worker' });
  });

  it('relays typing and message_updated to the other process', async () => {
    const sink = titled(casey.conversations, 'Fix my sink').id;
    const typing = nextEvent(wes.socket, 'typing', (e) => e.conversation_id === sink);
    casey.socket.emit('typing', { conversation_id: sink });
    expect(await typing).toEqual({ conversation_id: sink, name: 'Casey Client' });

    const sent = await say(casey.socket, sink, 'edited on process 1');
    const editedAtWes = nextEvent(wes.socket, 'message_updated', (e) => e.message.id === sent.id);
    const edited = await edit(casey.socket, { conversation_id: sink, message_id: sent.id, message: 'edited on process 1, seen on 2' });
    expect(edited.ok).toBe(true);
    if (!edited.ok) return;
    expect((await editedAtWes).message).toEqual({ ...edited.message, is_mine: false });

    const own = await say(wes.socket, sink, 'deleted on process 2');
    const deletedAtCasey = nextEvent(casey.socket, 'message_updated', (e) => e.message.id === own.id);
    const deleted = await remove(wes.socket, { conversation_id: sink, message_id: own.id });
    expect(deleted).toMatchObject({ ok: true, message: { deleted: true, message_text: '', rev: edited.message.rev + 1 } });
    expect((await deletedAtCasey).message).toMatchObject({ id: own.id, deleted: true, message_text: '', is_mine: false });
  });

  it('sends conversation_updated and the SYSTEM message of a marking to the other process', async () => {
    const fence = titled(wes.conversations, 'Paint the fence').id;
    const updated = nextEvent(casey.socket, 'conversation_updated', (e) => e.conversation_id === fence);
    const system = nextEvent(casey.socket, 'message', (e) => e.conversation_id === fence && e.message.message_type === 'SYSTEM');
    expect(await markComplete(wes.socket, fence)).toMatchObject({ ok: true, conversation: { job: { workerMarkedComplete: true } } });
    expect((await updated).conversation).toMatchObject({ my_role: 'CLIENT', job: { workerMarkedComplete: true, clientMarkedComplete: false } });
    expect((await system).message).toMatchObject({ is_mine: false, message_text: 'Wes Worker marked the job complete' });
  });

  it('joins both participants to an admin-added conversation live, on this process and the other', async () => {
    const title = `Mow the lawn ${randomUUID().slice(0, 8)}`;
    const atCasey = nextEvent(casey.socket, 'conversation_updated', (e) => e.conversation.job.title === title);
    const atWes = nextEvent(wes.socket, 'conversation_updated', (e) => e.conversation.job.title === title);
    const listed = nextEvent(casey.socket, 'conversations', (e) => e.conversations.some((c) => c.job.title === title));
    // Added through process 2: Wes's socket is local to it, Casey's is on process 1.
    const res = await fetch(`${two}/api/admin/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ client_email: CASEY, worker_email: WES, title }),
    });
    expect(res.status).toBe(201);
    const { conversation_id: lawn } = (await res.json()) as { conversation_id: number };
    expect((await atCasey).conversation).toMatchObject({ id: lawn, my_role: 'CLIENT' });
    expect((await atWes).conversation).toMatchObject({ id: lawn, my_role: 'WORKER' });
    await listed;

    // The already open sockets are in the new conversation's room on both processes.
    const toWes = nextEvent(wes.socket, 'message', (e) => e.conversation_id === lawn);
    await say(casey.socket, lawn, 'When can you mow?');
    expect((await toWes).message.message_text).toBe('When can you mow?');
    const toCasey = nextEvent(casey.socket, 'message', (e) => e.conversation_id === lawn);
    await say(wes.socket, lawn, 'Saturday.');
    expect((await toCasey).message.message_text).toBe('Saturday.');
  });

  it('disconnects the sockets of a session on process 2 when it signs out on process 1', async () => {
    const cookie = await signIn(one, CASEY);
    const onTwo = await open(two, { cookie });
    const dropped = disconnection(onTwo.socket);
    const res = await fetch(`${one}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    // The session is gone everywhere; Casey's other session stays.
    const refused = openSocket(two, cookie);
    sockets.push(refused);
    expect(await new Promise((resolve) => refused.once('connect_error', (e) => resolve(e.message)))).toBe('unauthorized');
    expect(casey.socket.connected).toBe(true);
  });

  it('stores a client_id once when its retry reaches the other process, and sends no second message', async () => {
    const sink = titled(casey.conversations, 'Fix my sink').id;
    const caseyOnTwo = (await open(two, CASEY)).socket;
    const atWes = record(wes.socket, 'message');
    const payload = { conversation_id: sink, message: 'sent twice', type: 'TEXT' as const, client_id: randomUUID() };
    const first = await send(casey.socket, payload);
    expect(first.ok).toBe(true);
    expect(await send(caseyOnTwo, payload)).toEqual(first);
    // A marker sent after the retry, from the same process: any second copy would have arrived before it.
    await say(caseyOnTwo, sink, 'marker');
    await until(() => atWes.some((e) => e.message.message_text === 'marker'), 'the marker at Wes');
    expect(atWes.filter((e) => e.message.message_text === 'sent twice')).toHaveLength(1);
  });

  it('gives concurrent senders on both processes gapless, unique seqs', async () => {
    const sink = titled(casey.conversations, 'Fix my sink').id;
    const senders = [casey.socket, wes.socket, (await open(one, WES)).socket, (await open(two, CASEY)).socket];
    const perSender = 15;
    const acks = await Promise.all(
      senders.flatMap((socket, s) =>
        Array.from({ length: perSender }, (_, i): Promise<SendMessageAck> =>
          socket.timeout(20_000).emitWithAck('send_message', {
            conversation_id: sink,
            message: `burst ${s}.${i}`,
            type: 'TEXT',
            client_id: randomUUID(),
          }),
        ),
      ),
    );
    const seqs = acks.map((ack) => (ack.ok ? ack.message.seq : Number.NaN)).sort((a, b) => a - b);
    const first = seqs[0]!;
    expect(seqs).toEqual(Array.from({ length: senders.length * perSender }, (_, i) => first + i));
    const [stored] = await cluster.query<{ n: string; max: number; last_seq: number }>(
      `select count(*) as n, max(m.seq) as max, c.last_seq from messages m join conversations c on c.id = m.conversation_id where c.id = ${sink} group by c.last_seq`,
    );
    expect(stored).toEqual({ n: String(seqs.at(-1)), max: seqs.at(-1), last_seq: seqs.at(-1) });
  });
});
