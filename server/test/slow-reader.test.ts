// A client that asks for history again and again and never reads its socket: the server cuts it off once
// its unread output passes 4 MB, its memory stays bounded meanwhile, and everyone else is served as before.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MB, processMemory } from '../../test/support/process-memory';
import { RawSocket } from '../../test/support/raw-socket';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process';
import { CASEY, signIn, WES } from '../../test/support/sign-in';
import { connectAs, nextEvent, say, titled } from '../../test/support/sockets';
import { until } from '../../test/support/until';

const HISTORY = 200; // one page of the largest size
const TEXT_CHARS = 4000; // the longest message: one page is about 1 MB of JSON
const ASKS = 150; // about 150 MB of answers asked for

let server: ServerProcess;

beforeAll(async () => {
  // A rate limit well above the asks, so that only the unread output can stop this client.
  server = await startServerProcess({ env: { RATE_LIMIT_PER_SOCKET: '500' } });
}, 90_000);

afterAll(() => server?.dispose());

/** The process's resident memory now, in MB (Linux). */
const rssMb = (pid: number): number => processMemory(pid).rss / MB;

it('disconnects a socket that stops reading once its unread output passes 4 MB, with memory bounded', async () => {
  const casey = await connectAs(server.url, CASEY);
  const sink = titled(casey.conversations, 'Fix my sink').id;
  for (let i = 0; i < HISTORY; i += 1) await say(casey.socket, sink, `${i} ${'x'.repeat(TEXT_CHARS - 8)}`);

  const raw = await RawSocket.open(server.url, await signIn(server.url, CASEY));
  expect(await raw.connect()).toBe('connect');
  raw.stopReading();
  const before = rssMb(server.pid);
  let peak = before;
  let asked = 0;
  let cut = false;
  void raw.closed.then(() => (cut = true));
  while (!cut && asked < ASKS) {
    raw.emit('get_messages', { conversation_id: sink, limit: HISTORY });
    asked += 1;
    peak = Math.max(peak, rssMb(server.pid));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await until(() => cut, 'the server to cut the client off', 30_000);
  for (let i = 0; i < 10; i += 1) {
    peak = Math.max(peak, rssMb(server.pid));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(server.log()).toContain('client not reading its socket: disconnected');
  // Without the limit, engine.io would hold every answer asked for (about 1 MB each) in memory.
  expect(peak - before).toBeLessThan(64);

  // Everyone else is served as before.
  const wes = await connectAs(server.url, WES);
  const live = nextEvent(wes.socket, 'message', (e) => e.message.message_text === 'still here');
  await say(casey.socket, sink, 'still here');
  await live;
  wes.socket.close();
  casey.socket.close();
  console.log(`[limits] slow reader: asked=${asked} answersAskedMb≈${asked} rssBeforeMb=${before.toFixed(0)} rssPeakMb=${peak.toFixed(0)}`);
}, 120_000);
