// Sign-in throttling (CONTRACT section 3): 10 failures for one email from one address, or 100 from one
// address, within 15 minutes, and POST /api/session answers 429 with Retry-After, the right password too;
// other accounts and addresses are unaffected. Failed admin calls are throttled the same way. With
// REDIS_URL every process counts together, and a Redis outage does not stop sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHashCostForTests } from '../auth/password';
import { SIGN_IN_LIMITS, THROTTLE_WINDOW_SECONDS } from '../auth/throttle';
import { startRedis, redisSkipReason, type RedisServer } from '../../test/support/redis';
import { ADMIN_TOKEN, CASEY, DEMO_PASSWORD, WES } from '../../test/support/sign-in';
import { startTestServer, tempSqlite, type TestServer } from '../../test/support/test-server';

// The throttle counts attempts whatever each costs: a cheap hash keeps 300 attempts from taking minutes of
// scrypt (the cost and the bounded hashing have tests of their own, in passwords.test.ts).
useHashCostForTests({ N: 2 ** 10, r: 8, p: 1 });

type Try = { status: number; retryAfter: string | null; body: unknown };

async function attempt(url: string, email: string, password: string, from?: string): Promise<Try> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': `${from}, 10.255.0.1` } : {}) },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

/** `count` attempts, `parallel` at a time (hashing is bounded, so a few at once is as fast as all). */
async function attempts(count: number, parallel: number, run: (i: number) => Promise<Try>): Promise<Try[]> {
  const results: Try[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, k) => run(start + k));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

function expectRefused(result: Try): void {
  expect(result.status).toBe(429);
  expect(result.body).toEqual({ error: expect.stringMatching(/try again/i) });
  const seconds = Number(result.retryAfter);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(THROTTLE_WINDOW_SECONDS);
}

describe('sign-in throttling (TRUST_PROXY=1: X-Forwarded-For names the client)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: true });
  });
  afterAll(() => server?.stop());

  it('refuses one email from one address after 10 failures, even with the right password; not other emails or addresses', async () => {
    const failures = await attempts(SIGN_IN_LIMITS.perEmailAndAddress, 5, () => attempt(server.url, CASEY, 'guess-wrong', '203.0.113.1'));
    expect(failures.map((f) => f.status)).toEqual(Array(SIGN_IN_LIMITS.perEmailAndAddress).fill(401));
    expectRefused(await attempt(server.url, CASEY, 'guess-wrong', '203.0.113.1'));
    expectRefused(await attempt(server.url, CASEY, DEMO_PASSWORD, '203.0.113.1'));
    expectRefused(await attempt(server.url, CASEY.toUpperCase(), DEMO_PASSWORD, '203.0.113.1'));
    expect((await attempt(server.url, CASEY, DEMO_PASSWORD, '203.0.113.2')).status).toBe(200);
    expect((await attempt(server.url, WES, DEMO_PASSWORD, '203.0.113.1')).status).toBe(200);
  }, 120_000);

  it('counts a parallel burst exactly: of 16 guesses at once, 10 are checked and 6 refused', async () => {
    const burst = await Promise.all(Array.from({ length: 16 }, () => attempt(server.url, WES, 'guess-wrong', '203.0.113.3')));
    const statuses = burst.map((b) => b.status).sort();
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(6).fill(429)]);
  }, 120_000);

  it('forgets the failures of an email once it signs in', async () => {
    const from = '203.0.113.4';
    await attempts(SIGN_IN_LIMITS.perEmailAndAddress - 1, 5, () => attempt(server.url, CASEY, 'guess-wrong', from));
    expect((await attempt(server.url, CASEY, DEMO_PASSWORD, from)).status).toBe(200);
    const again = await attempts(SIGN_IN_LIMITS.perEmailAndAddress - 1, 5, () => attempt(server.url, CASEY, 'guess-wrong', from));
    expect(again.every((a) => a.status === 401)).toBe(true);
    expect((await attempt(server.url, CASEY, DEMO_PASSWORD, from)).status).toBe(200);
  }, 120_000);

  it('refuses an address after 100 failures over any emails; other addresses unaffected', async () => {
    const from = '198.51.100.7';
    const failures = await attempts(SIGN_IN_LIMITS.perAddress, 20, (i) => attempt(server.url, `nobody${i}@demo.test`, 'guess-wrong', from));
    expect(failures.every((f) => f.status === 401)).toBe(true);
    expectRefused(await attempt(server.url, 'somebody-else@demo.test', 'guess-wrong', from));
    expectRefused(await attempt(server.url, WES, DEMO_PASSWORD, from));
    expect((await attempt(server.url, WES, DEMO_PASSWORD, '198.51.100.8')).status).toBe(200);
  }, 240_000);

  it('throttles failed admin calls per address: 429 after 100, the right token too; other addresses unaffected', async () => {
    const admin = (token: string, from: string) =>
      fetch(`${server.url}/api/admin/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': from },
        body: JSON.stringify({ client_email: CASEY, worker_email: WES, title: 'Hang shelves' }),
      });
    const wrong = 'x'.repeat(ADMIN_TOKEN.length);
    const failures = await Promise.all(Array.from({ length: 100 }, () => admin(wrong, '192.0.2.9')));
    expect(failures.every((f) => f.status === 401)).toBe(true);
    const refused = await admin(ADMIN_TOKEN, '192.0.2.9');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await admin(ADMIN_TOKEN, '192.0.2.10')).status).toBe(201);
  });
});

describe('sign-in throttling without TRUST_PROXY', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('counts by the TCP peer: a made-up X-Forwarded-For per attempt does not escape the limit', async () => {
    const failures = await attempts(SIGN_IN_LIMITS.perEmailAndAddress, 5, (i) => attempt(server.url, CASEY, 'guess-wrong', `10.9.${i}.1`));
    expect(failures.every((f) => f.status === 401)).toBe(true);
    expectRefused(await attempt(server.url, CASEY, DEMO_PASSWORD, '10.9.200.1'));
  }, 120_000);
});

const noRedis = redisSkipReason();

describe.skipIf(noRedis !== null)('sign-in throttling with REDIS_URL (two processes of one inbox)', () => {
  let redis: RedisServer;
  let database: ReturnType<typeof tempSqlite>;
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
    database = tempSqlite();
    one = await startTestServer({ databaseUrl: database.url, redisUrl: redis.url, trustProxy: true });
    two = await startTestServer({ databaseUrl: database.url, redisUrl: redis.url, trustProxy: true });
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.stop();
    database?.remove();
  });

  it('shares the counters: failures on either process add up', async () => {
    const from = '203.0.113.20';
    const failures = await attempts(SIGN_IN_LIMITS.perEmailAndAddress, 2, (i) =>
      attempt(i % 2 === 0 ? one.url : two.url, CASEY, 'guess-wrong', from),
    );
    expect(failures.every((f) => f.status === 401)).toBe(true);
    expectRefused(await attempt(one.url, CASEY, DEMO_PASSWORD, from));
    expectRefused(await attempt(two.url, CASEY, DEMO_PASSWORD, from));
    expect((await attempt(two.url, CASEY, DEMO_PASSWORD, '203.0.113.21')).status).toBe(200);
  }, 120_000);

  it('keeps signing in (and counting, per process) while Redis is down', async () => {
    await redis.stop();
    try {
      expect((await attempt(one.url, WES, DEMO_PASSWORD, '203.0.113.30')).status).toBe(200);
      const failures = await attempts(SIGN_IN_LIMITS.perEmailAndAddress, 5, () => attempt(one.url, WES, 'guess-wrong', '203.0.113.31'));
      expect(failures.every((f) => f.status === 401)).toBe(true);
      expectRefused(await attempt(one.url, WES, DEMO_PASSWORD, '203.0.113.31'));
    } finally {
      await redis.start();
    }
  }, 120_000);
});
