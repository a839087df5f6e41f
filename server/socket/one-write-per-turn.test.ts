// one-write-per-turn.ts against the real server: what one turn emits to a connection leaves in one write, in order.
import type { Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/test-server';
import { connectAs, record, type Connected } from '../../test/support/sockets';
import { CASEY } from '../../test/support/sign-in';
import { until } from '../../test/support/until';

let server: TestServer;
let casey: Connected;

beforeAll(async () => {
  server = await startTestServer();
  casey = await connectAs(server.url, CASEY);
});

afterAll(async () => {
  casey?.socket.disconnect();
  await server?.stop();
});

it('sends the packets of one event-loop turn to a connection in one write, in order', async () => {
  const [serverSide] = [...server.io.of('/').sockets.values()];
  const tcp = (serverSide!.conn as unknown as { transport: { socket: { _socket: TcpSocket } } }).transport.socket._socket;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method]!.bind(tcp) as (...args: unknown[]) => void;
    (tcp as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      writes += 1;
      original(...args);
    };
  }
  const heard = record(casey.socket, 'typing');
  for (let i = 0; i < 10; i++) serverSide!.emit('typing', { conversation_id: i, name: 'Casey' });
  await until(() => heard.length === 10, 'ten typing frames');
  expect(heard.map((t) => t.conversation_id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(writes).toBe(1);
});
