// GET /api/metrics (CONTRACT section 3) on a real server with real sockets: the bearer token, the Prometheus
// text, and counters that move with what the sockets do. Runs on SQLite, and on PostgreSQL when reachable.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectCases } from '../../test/support/databases';
import { serverOn } from '../../test/support/dialect-server';
import { ADMIN_TOKEN, CASEY, WES } from '../../test/support/sign-in';
import { nextEvent, send, titled } from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';
import { until } from '../../test/support/until';

const cases = await dialectCases();

/** The scrape's text; fails unless it answered 200. */
async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of the sample `name` whose labels include `labels`; 0 when there is none (a counter not yet moved). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const given = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => given[key] === value)) return Number(match[3]);
  }
  return 0;
}

describe('GET /api/metrics without ADMIN_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ adminToken: null, seedDemo: false });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('does not exist: 404, with or without a bearer', async () => {
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(404);
    const withBearer = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(withBearer.status).toBe(404);
  });
});

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`GET /api/metrics on ${dialect.name}`, () => {
    const running = serverOn(dialect);
    const open = running.open;
    let url: string;
    beforeAll(() => {
      url = running.server.url;
    });

    it('answers 401 without the bearer token or with a wrong one', async () => {
      const none = await fetch(`${url}/api/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const wrong = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}x` } });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain('inbox_');
    });

    it('answers the Prometheus text format with every metric the contract names', async () => {
      const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      for (const name of [
        '# TYPE inbox_sockets_open gauge',
        '# TYPE inbox_frames_total counter',
        '# TYPE inbox_frame_errors_total counter',
        '# TYPE inbox_send_ack_seconds histogram',
        '# TYPE inbox_commit_seconds histogram',
        '# TYPE inbox_commit_batch_size histogram',
        '# TYPE nodejs_eventloop_lag_p99_seconds gauge',
        '# TYPE process_cpu_user_seconds_total counter',
        '# TYPE process_resident_memory_bytes gauge',
      ]) {
        expect(text).toContain(name);
      }
    });

    it('counts N sends over a real socket: send_message frames, send-to-ack observations, committed units', async () => {
      const casey = await open(CASEY);
      const sink = titled(casey.conversations, 'Fix my sink').id;
      const before = await scrape(url);
      const n = 7;
      for (let i = 0; i < n; i += 1) {
        const ack = await send(casey.socket, { conversation_id: sink, message: `counted ${i}`, type: 'TEXT', client_id: randomUUID() });
        expect(ack.ok).toBe(true);
      }
      const after = await scrape(url);
      const rise = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
      expect(rise('inbox_frames_total', { event: 'send_message' })).toBe(n);
      expect(rise('inbox_send_ack_seconds_count')).toBe(n);
      expect(rise('inbox_send_ack_seconds_sum')).toBeGreaterThan(0);
      // Every ack came after its commit: at least one transaction, holding at least the n sends.
      expect(rise('inbox_commit_seconds_count')).toBeGreaterThanOrEqual(1);
      expect(rise('inbox_commit_batch_size_sum')).toBeGreaterThanOrEqual(n);
      expect(rise('inbox_frame_errors_total', { event: 'send_message' })).toBe(0);
    });

    it('counts a refused frame under its event and error code', async () => {
      const wes = await open(WES);
      const before = await scrape(url);
      const malformed = await wes.socket.timeout(10_000).emitWithAck('send_message', { conversation_id: 'x' } as never);
      expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      const notHis = await send(wes.socket, { conversation_id: 999_999, message: 'hi', type: 'TEXT', client_id: randomUUID() });
      expect(notHis).toMatchObject({ ok: false, error: { code: 'not_found' } });
      wes.socket.emit('get_messages', { conversation_id: 999_999 });
      await nextEvent(wes.socket, 'error', (e) => e.code === 'not_found');
      const after = await scrape(url);
      const rise = (labels: Record<string, string>) =>
        sample(after, 'inbox_frame_errors_total', labels) - sample(before, 'inbox_frame_errors_total', labels);
      expect(rise({ event: 'send_message', code: 'bad_request' })).toBe(1);
      expect(rise({ event: 'send_message', code: 'not_found' })).toBe(1);
      expect(rise({ event: 'get_messages', code: 'not_found' })).toBe(1);
      // Refused sends are acked too, so they are timed; the frames are counted whatever their fate.
      expect(sample(after, 'inbox_send_ack_seconds_count') - sample(before, 'inbox_send_ack_seconds_count')).toBe(2);
      expect(sample(after, 'inbox_frames_total', { event: 'send_message' }) - sample(before, 'inbox_frames_total', { event: 'send_message' })).toBe(2);
    });

    it('follows the sockets open as they connect and disconnect', async () => {
      const open0 = sample(await scrape(url), 'inbox_sockets_open');
      const first = await open(CASEY);
      const second = await open(WES);
      expect(sample(await scrape(url), 'inbox_sockets_open')).toBe(open0 + 2);
      first.socket.close();
      await until(async () => sample(await scrape(url), 'inbox_sockets_open') === open0 + 1, 'one socket fewer');
      second.socket.close();
      await until(async () => sample(await scrape(url), 'inbox_sockets_open') === open0, 'both sockets gone');
    });
  });
}
