// typing on a real server (CONTRACT section 8): relayed to the other participant's sockets only, never
// acked, a flood dropped without an error, nothing for a socket whose output is backing up, and a
// conversation added after connect works at once. No database is involved: SQLite only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { storeMessage } from '../db/messages';
import { findUserByEmail } from '../db/users';
import { eventsIn, privateDataIn } from '../../test/support/privacy';
import { ADMIN_TOKEN, WES } from '../../test/support/sign-in';
import {
  type ClientSocket,
  connectAs,
  type DemoSockets,
  nextEvent,
  openDemoSockets,
  receivedFrames,
  record,
  say,
  send,
} from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';
import { settled, until } from '../../test/support/until';

const sockets: ClientSocket[] = [];
let server: TestServer;
let demo: DemoSockets;

async function open(url: string, who: string) {
  const connected = await connectAs(url, who);
  sockets.push(connected.socket);
  return connected;
}

beforeAll(async () => {
  server = await startTestServer();
  demo = await openDemoSockets(server.url, open);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.stop();
});

/** A frame sent after everything before it, and answered: once its ack is in, the server has handled them all. */
async function barrier(socket: ClientSocket, conversationId: number): Promise<void> {
  await until(async () => (await send(socket, { conversation_id: conversationId, message: 'barrier', type: 'TEXT', client_id: randomUUID() })).ok, 'a frame served again', 20_000, 200);
}

describe('typing', () => {
  it('reaches every socket of the other participant, with the sender’s name, and nobody else', async () => {
    const { casey, caseyTab2, wes, wren, sink } = demo;
    const wesTab2 = (await open(server.url, WES)).socket;
    const atTab2 = record(caseyTab2, 'typing');
    const atCasey = record(casey.socket, 'typing');
    const atWren = record(wren, 'typing');
    const atWes = nextEvent(wes.socket, 'typing');
    const atWesTab2 = nextEvent(wesTab2, 'typing');
    casey.socket.emit('typing', { conversation_id: sink });
    expect(await atWes).toEqual({ conversation_id: sink, name: 'Casey Client' });
    expect(await atWesTab2).toEqual({ conversation_id: sink, name: 'Casey Client' });
    // Everything sent to Casey's and Wren's rooms before this message has arrived once it has.
    const seen = [
      nextEvent(caseyTab2, 'message', (e) => e.message.message_text === 'after typing'),
      nextEvent(wren, 'message', (e) => e.message.message_text === 'after typing'),
    ];
    await say(wes.socket, sink, 'after typing');
    await say(casey.socket, demo.wardrobe, 'after typing');
    await Promise.all(seen);
    expect([atTab2, atCasey, atWren]).toEqual([[], [], []]);
  });

  it('drops a flood without a single error frame; the counterpart gets a few, nobody else any', async () => {
    const { casey, caseyTab2, wes, wren, fence } = demo;
    const errors = record(casey.socket, 'error');
    const atWes = record(wes.socket, 'typing');
    const atOthers = [record(caseyTab2, 'typing'), record(wren, 'typing')];
    const started = performance.now();
    // Ten times the burst of the frame rate limit (40), spread out a little so that each relay finds Wes's
    // transport idle: most are over both limits.
    for (let i = 0; i < 400; i += 1) {
      casey.socket.emit('typing', { conversation_id: fence });
      if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await barrier(casey.socket, fence);
    const seconds = (performance.now() - started) / 1000;
    expect(errors).toEqual([]);
    await until(() => atWes.length > 0, 'a typing at Wes');
    // The typing bucket: bursts of 4, 2 a second after that (bounded by how long the flood took, however slow).
    expect(atWes.length).toBeLessThanOrEqual(4 + Math.ceil(2 * seconds));
    expect(atWes.every((e) => e.conversation_id === fence && e.name === 'Casey Client')).toBe(true);
    expect(atOthers).toEqual([[], []]);
  });

  it('answers typing into a conversation the user is not in with not_found, and relays nothing', async () => {
    const { casey, wes, wren, wardrobe } = demo;
    const overheard = [record(casey.socket, 'typing'), record(wren, 'typing')];
    const refused = nextEvent(wes.socket, 'error', (e) => e.conversation_id === wardrobe);
    wes.socket.emit('typing', { conversation_id: wardrobe });
    expect(await refused).toEqual({ code: 'not_found', message: 'conversation not found', conversation_id: wardrobe });
    const missing = nextEvent(wes.socket, 'error', (e) => e.conversation_id === 987_654);
    wes.socket.emit('typing', { conversation_id: 987_654 });
    expect(await missing).toEqual({ code: 'not_found', message: 'conversation not found', conversation_id: 987_654 });
    const malformed = nextEvent(wes.socket, 'error', (e) => e.code === 'bad_request');
    wes.socket.emit('typing', { conversation_id: 'sink' } as never);
    expect((await malformed).message).toMatch(/^typing: conversation_id/);
    await barrier(wes.socket, demo.sink);
    expect(overheard).toEqual([[], []]);
  });

  it('never acks a typing, even one that asks for an ack', async () => {
    const { casey, sink } = demo;
    const acks: unknown[] = [];
    (casey.socket as unknown as { emit: (e: string, p: unknown, ack: (r: unknown) => void) => void }).emit('typing', { conversation_id: sink }, (r) => acks.push(r));
    // Frames are answered in order: the barrier's ack comes after any the typing would have had.
    await barrier(casey.socket, sink);
    expect(acks).toEqual([]);
  });

  it('works at once in a conversation added after connect (an admin live join)', async () => {
    const { casey, wes } = demo;
    const title = `Hang a shelf ${randomUUID().slice(0, 8)}`;
    const joined = nextEvent(casey.socket, 'conversation_updated', (e) => e.conversation.job.title === title);
    const res = await fetch(`${server.url}/api/admin/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ client_email: 'client@demo.test', worker_email: WES, title }),
    });
    expect(res.status).toBe(201);
    const shelf = (await joined).conversation_id;
    const atCasey = nextEvent(casey.socket, 'typing', (e) => e.conversation_id === shelf);
    // Wes's socket was open before the conversation existed; wait out the flood test's bucket if need be.
    const typing = setInterval(() => wes.socket.emit('typing', { conversation_id: shelf }), 300);
    try {
      expect(await atCasey).toEqual({ conversation_id: shelf, name: 'Wes Worker' });
    } finally {
      clearInterval(typing);
    }
  });

  it('sends nothing to a socket whose output is backing up, and typing again once it has drained', async () => {
    const { casey, sink } = demo;
    // 200 long messages: each page of them is a large frame, so a reader that stops falls behind quickly.
    const author = (await findUserByEmail(server.db, WES))!;
    for (let i = 0; i < 200; i += 1) {
      await storeMessage(server, {
        conversationId: sink,
        sender: { userId: author.id, name: author.name, avatar: author.avatar },
        clientId: randomUUID(),
        text: `${i} ${'long line '.repeat(200)}`,
        type: 'TEXT',
      });
    }
    const stalled = (await open(server.url, WES)).socket;
    const healthy = (await open(server.url, WES)).socket;
    const onServer = server.io.sockets.sockets.get(stalled.id!)!;
    const answers = { count: 0 };
    onServer.onAnyOutgoing((event) => void (event === 'messages_response' && (answers.count += 1)));
    const typingAtStalled = record(stalled, 'typing');
    const client = (stalled.io.engine.transport as unknown as { ws: WebSocket }).ws;

    // The client stops reading. Ask for pages until the server's transport stays busy with unread output.
    client.pause();
    const backedUp = async () => !(await settled(() => onServer.conn.transport.writable, 1000));
    for (let asked = 1; !(await backedUp()); asked += 1) {
      expect(asked, 'pages asked for before the output backed up').toBeLessThan(200);
      stalled.emit('get_messages', { conversation_id: sink, limit: 200 });
      await until(() => answers.count === asked, 'the page sent');
      // Paced below the frame rate limit (20 a second), so that no page is refused.
      await new Promise((resolve) => setTimeout(resolve, 60));
    }

    // Casey types: the healthy tab hears it at once, the stalled one must not, even once it reads again.
    const atHealthy = nextEvent(healthy, 'typing');
    casey.socket.emit('typing', { conversation_id: sink });
    expect(await atHealthy).toEqual({ conversation_id: sink, name: 'Casey Client' });
    const marker = await say(casey.socket, sink, 'sent after the typing');
    const markerArrived = nextEvent(stalled, 'message', (e) => e.message.id === marker.id, 60_000);
    client.resume();
    await markerArrived;
    expect(typingAtStalled).toEqual([]);

    // Drained, it gets typing again (Casey keeps typing, as a composer does).
    const typing = setInterval(() => casey.socket.emit('typing', { conversation_id: sink }), 300);
    try {
      await until(() => typingAtStalled.length > 0, 'typing at the drained socket', 20_000);
    } finally {
      clearInterval(typing);
    }
  }, 120_000);
});

describe('privacy', () => {
  it('no frame of this run carried an email, a user id or a password hash, typing included', () => {
    expect(eventsIn(receivedFrames)).toContain('typing');
    expect(privateDataIn(receivedFrames)).toEqual([]);
  });
});
