// One hostile user against a real server process, while a second pair chats: Wes floods sign-ins, opens
// sockets past his cap, sends amplifying `sync` frames far above his rate limit, and stops reading a socket
// he keeps asking for history on. Casey and Wren (a conversation Wes is not in) talk throughout. Asserted:
// nothing of theirs lost or duplicated, Wes's extra sockets refused, his non-reading socket cut off, the
// server alive. Reported: their delivery p99 before and during the attack, the server's peak memory.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { percentile } from '../../bench/stats';
import { MB, processMemory } from '../support/process-memory';
import { RawSocket } from '../support/raw-socket';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { CASEY, signIn, WES, WREN } from '../support/sign-in';
import { type ClientSocket, connectAs, openSocket, say, titled } from '../support/sockets';
import { until } from '../support/until';
import { readConversation, reportFigures, sized, tally } from './support/exactly-once';

const CHAT = sized(40, 200); // messages per phase, alternating sides
const SIGN_IN_FLOOD = sized(150, 1_000);
const EXTRA_SOCKETS = 5; // past the cap of 20
const HISTORY = 200; // long messages in Wes's conversation, for the reads he asks for
const LONG_TEXT = 4000;
const PACE_MS = 100; // at most one message every 100 ms from the pair

let server: ServerProcess;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  server = await startServerProcess();
}, 90_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.dispose();
});

function memoryMb(pid: number): { rss: number; peak: number } {
  const { rss, peak } = processMemory(pid);
  return { rss: rss / MB, peak: peak / MB };
}

/** Casey and Wren take turns; each message is timed from its send to its arrival on the other side. */
async function chat(casey: ClientSocket, wren: ClientSocket, conversationId: number, label: string, heard: string[][]) {
  const latencies: number[] = [];
  const sent: string[] = [];
  for (let i = 0; i < CHAT; i += 1) {
    const [from, toHeard] = i % 2 === 0 ? [casey, heard[1]!] : [wren, heard[0]!];
    const text = `${label} ${i}`;
    const started = performance.now();
    await say(from, conversationId, text);
    await until(() => toHeard.includes(text), `delivery of "${text}"`, 30_000, 2);
    latencies.push(performance.now() - started);
    sent.push(text);
    // People type: each side stays well under its rate limit (20 frames/s) however fast the server is.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PACE_MS - (performance.now() - started))));
  }
  return { sent, latencies };
}

it('keeps a second pair chatting, losing nothing, while one user attacks every limit at once', async () => {
  const casey = await connectAs(server.url, CASEY);
  const wren = await connectAs(server.url, WREN);
  sockets.push(casey.socket, wren.socket);
  const wardrobe = titled(casey.conversations, 'Assemble wardrobe').id;
  const heard: string[][] = [[], []];
  casey.socket.on('message', (e) => heard[0]!.push(e.message.message_text));
  wren.socket.on('message', (e) => heard[1]!.push(e.message.message_text));

  // Wes's conversation gets long messages to read (a page is about 1 MB of JSON).
  const wesCookie = await signIn(server.url, WES);
  const seeders = await Promise.all(Array.from({ length: 5 }, () => connectAs(server.url, { cookie: wesCookie })));
  const sink = titled(seeders[0]!.conversations, 'Fix my sink').id;
  const fence = titled(seeders[0]!.conversations, 'Paint the fence').id;
  await Promise.all(seeders.map(async ({ socket }, s) => {
    for (let i = s; i < HISTORY; i += seeders.length) await say(socket, sink, `${i} ${'w'.repeat(LONG_TEXT - 8)}`);
  }));
  sockets.push(...seeders.map((s) => s.socket));

  const memoryBefore = memoryMb(server.pid);
  const before = await chat(casey.socket, wren.socket, wardrobe, 'before the attack', heard);

  // The attack, all at once, running until the pair has finished its second phase.
  let attacking = true;
  const signIns = new Map<number, number>();
  const flood = (async () => {
    const attempt = async () => {
      const res = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: WES, password: 'guess-again' }),
      });
      signIns.set(res.status, (signIns.get(res.status) ?? 0) + 1);
    };
    for (let sent = 0; sent < SIGN_IN_FLOOD && attacking; sent += 20) await Promise.all(Array.from({ length: 20 }, attempt));
  })();

  // One socket that will ask for history again and again and never read.
  const reader = await RawSocket.open(server.url, wesCookie);
  expect(await reader.connect()).toBe('connect');

  // Sockets past the cap: with the seeders and the reader, 20 are accepted and the rest refused.
  const room = 20 - seeders.length - 1;
  const tabs = Array.from({ length: room + EXTRA_SOCKETS }, () => openSocket(server.url, wesCookie));
  sockets.push(...tabs);
  const outcomes = await Promise.all(
    tabs.map((tab) => new Promise<string>((resolve) => {
      tab.once('connect', () => resolve('connect'));
      tab.once('connect_error', (error) => resolve(error.message));
    })),
  );
  const accepted = tabs.filter((_, i) => outcomes[i] === 'connect');

  reader.stopReading();
  let readerCut = false;
  void reader.closed.then(() => (readerCut = true));
  const hoard = (async () => {
    while (attacking && !readerCut) {
      reader.emit('get_messages', { conversation_id: sink, limit: HISTORY });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();

  // Amplifying syncs from every accepted socket, far above the rate limit: repeats of one conversation
  // (refused whole), and full catch-ups of both of his conversations from the start.
  const answers = new Map<string, number>();
  for (const tab of accepted) tab.on('error', (e) => answers.set(e.code, (answers.get(e.code) ?? 0) + 1));
  const amplify = (async () => {
    const repeats = { conversations: Array.from({ length: 100 }, () => ({ conversation_id: sink, after_seq: 0 })) };
    const both = { conversations: [sink, fence].map((id) => ({ conversation_id: id, after_seq: 0 })) };
    let syncs = 0;
    while (attacking) {
      for (const tab of accepted) {
        tab.emit('sync', repeats);
        tab.emit('sync', both);
        syncs += 2;
      }
      await new Promise((resolve) => setTimeout(resolve, 40)); // 50 frames/s per socket, 2.5 times its limit
    }
    return syncs;
  })();

  const during = await chat(casey.socket, wren.socket, wardrobe, 'during the attack', heard);
  await until(() => readerCut, 'the non-reading socket cut off', 60_000);
  attacking = false;
  const [, , syncs] = await Promise.all([flood, hoard, amplify]);
  const memoryAfter = memoryMb(server.pid);

  // Correctness: nothing of the pair lost or duplicated, live or stored; the limits held; the server lives.
  const sent = [...before.sent, ...during.sent];
  const caseyHeard = sent.filter((_, i) => (i % CHAT) % 2 === 1);
  const wrenHeard = sent.filter((_, i) => (i % CHAT) % 2 === 0);
  expect(tally(caseyHeard, heard[0]!)).toEqual({ sent: caseyHeard.length, lost: 0, duplicated: 0 });
  expect(tally(wrenHeard, heard[1]!)).toEqual({ sent: wrenHeard.length, lost: 0, duplicated: 0 });
  const stored = readConversation(server.dbPath, wardrobe).map((r) => r.text);
  expect(tally(sent, stored)).toEqual({ sent: sent.length, lost: 0, duplicated: 0 });
  expect(outcomes.filter((o) => o !== 'connect')).toEqual(Array(EXTRA_SOCKETS).fill('too_many_connections'));
  expect(accepted).toHaveLength(room);
  // Cut off by the 4 MB limit, or (when his other sockets' backlog kept its answers from piling up that
  // far) by the ping timeout it never answers: either way the server let it go.
  expect(readerCut).toBe(true);
  const cutBy = server.log().includes('client not reading its socket') ? 'unread-output-limit' : 'ping-timeout';
  expect([...signIns.keys()].every((status) => status === 401 || status === 429)).toBe(true);
  expect(answers.get('bad_request') ?? 0).toBeGreaterThan(0);
  expect(answers.get('rate_limited') ?? 0).toBeGreaterThan(0);
  expect(server.running).toBe(true);
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

  const ms = (values: number[]) => percentile(values, 99).toFixed(0);
  reportFigures('hostile user', {
    chatPerPhase: CHAT,
    deliveryP99BeforeMs: ms(before.latencies),
    deliveryP99DuringMs: ms(during.latencies),
    deliveryP50BeforeMs: percentile(before.latencies, 50).toFixed(0),
    deliveryP50DuringMs: percentile(during.latencies, 50).toFixed(0),
    lost: 0,
    duplicated: 0,
    rssBeforeMb: memoryBefore.rss.toFixed(0),
    rssPeakMb: memoryAfter.peak.toFixed(0),
    signIns: [...signIns].map(([status, n]) => `${status}x${n}`).join(','),
    socketsRefused: EXTRA_SOCKETS,
    syncsSent: syncs,
    badRequest: answers.get('bad_request') ?? 0,
    rateLimited: answers.get('rate_limited') ?? 0,
    readerCutBy: cutBy,
  });
}, sized(180_000, 600_000));
