// The HTTP server's own bounds (server/http/limits.ts), here shrunk to a second so the test can watch
// them act: a request that trickles in is cut off, an open WebSocket is not, connections past the cap are
// dropped; and a JSON body past its cap is not read to the end.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_LIMITS } from '../http/limits';
import { CASEY } from '../../test/support/sign-in';
import { connectAs, nextEvent } from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';
import { rawExchange, statusOf } from './raw-http';

const SHORT = { headersTimeoutMs: 1000, requestTimeoutMs: 1500, checkIntervalMs: 200 };

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Waits (bounded) until the server counts exactly `count` open connections. */
async function connectionsReach(server: TestServer, count: number): Promise<void> {
  const counted = () => new Promise<number>((resolve, reject) => server.httpServer.getConnections((e, n) => (e ? reject(e) : resolve(n))));
  for (let waited = 0; (await counted()) !== count; waited += 20) {
    if (waited > 10_000) throw new Error(`the server never counted ${count} connections`);
    await sleep(20);
  }
}

describe('HTTP server limits', () => {
  it('are set for production: timeouts for requests, a cap on connections', () => {
    expect(HTTP_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(HTTP_LIMITS.requestTimeoutMs);
    expect(HTTP_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(HTTP_LIMITS.maxConnections).toBeGreaterThan(0);
  });

  describe('a JSON body past 64 kB', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.stop());

    it('is answered 413 at once and the connection closed, not read to the end', async () => {
      const head = (length: number) =>
        `POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
      // Announced as 100 MB: refused before a byte of it is read.
      const announced = await rawExchange(server.url, [head(100 * 1024 * 1024)], 10_000);
      expect(statusOf(announced.response)).toBe(413);
      expect(announced.closed).toBe(true);
      // Chunked, with no length given: 200 kB sent, then the client keeps the rest. The server answers after
      // the cap without waiting for the end of the body (which never comes).
      const chunked = await rawExchange(
        server.url,
        [
          'POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
          ...Array.from({ length: 25 }, () => `2000\r\n${'x'.repeat(0x2000)}\r\n`),
        ],
        10_000,
      );
      expect(statusOf(chunked.response)).toBe(413);
      expect(chunked.closed).toBe(true);
      // A body that is not JSON is not read either.
      const text = await rawExchange(
        server.url,
        [`POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`, 'x'.repeat(1024)],
        10_000,
      );
      expect(statusOf(text.response)).toBe(415);
      expect(text.closed).toBe(true);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    });
  });

  describe('with short timeouts', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ httpLimits: { ...SHORT, maxConnections: 1000 } });
    });
    afterAll(() => server?.stop());

    it('cut off a request whose headers or body trickle in', async () => {
      const headers = await rawExchange(server.url, ['POST /api/session HTTP/1.1\r\nHost: x\r\n'], 15_000);
      expect(headers.closed).toBe(true);
      expect(statusOf(headers.response)).toBe(408);
      const body = await rawExchange(
        server.url,
        ['POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":'],
        15_000,
      );
      expect(body.closed).toBe(true);
      expect(statusOf(body.response)).toBe(408);
    });

    it('never cut an open WebSocket: it outlives the request timeout many times over and still answers', async () => {
      const { socket, conversations } = await connectAs(server.url, CASEY);
      let dropped = false;
      socket.on('disconnect', () => (dropped = true));
      await sleep(SHORT.requestTimeoutMs * 4);
      expect(dropped).toBe(false);
      socket.emit('get_messages', { conversation_id: conversations[0]!.id });
      expect((await nextEvent(socket, 'messages_response')).conversation_id).toBe(conversations[0]!.id);
      socket.close();
    });
  });

  describe('with a cap of 3 connections', () => {
    let server: TestServer;
    const open: Socket[] = [];
    beforeAll(async () => {
      server = await startTestServer({ httpLimits: { maxConnections: 3 } });
    });
    afterAll(async () => {
      for (const socket of open) socket.destroy();
      await server?.stop();
    });

    it('drop a connection past the cap, and take new ones once some close', async () => {
      const { port } = new URL(server.url);
      for (let i = 0; i < 3; i += 1) {
        const socket = connect(Number(port), '127.0.0.1');
        await new Promise((connected) => socket.once('connect', connected));
        open.push(socket);
      }
      await connectionsReach(server, 3);
      const fourth = await rawExchange(server.url, ['GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n'], 10_000);
      expect(fourth).toEqual({ response: '', closed: true });
      for (const socket of open.splice(0)) socket.destroy();
      await connectionsReach(server, 0);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    });
  });
});
