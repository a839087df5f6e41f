// Password hashing: OWASP's scrypt cost, old hashes upgraded at the next sign-in, admin-created passwords of
// at least 8 characters, and a bound on concurrent hashing so a flood of sign-ins leaves the thread pool
// (Next's file reads), the socket and /api/health to everyone else.
import { randomBytes, scryptSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST, HASHING, hashingStats } from '../auth/password';
import { findUserByEmail, insertUser } from '../db/users';
import { PROJECT_ROOT } from '../paths';
import { ADMIN_TOKEN, CASEY, signIn } from '../../test/support/sign-in';
import { connectAs, nextEvent } from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';

const CURRENT = `scrypt$${COST.N}$${COST.r}$${COST.p}$`;

/** A hash as the first release stored it (N=2^14, r=8, p=1). */
function oldHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

describe('password hashing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ trustProxy: true });
  });
  afterAll(() => server?.stop());

  it('stores hashes at OWASP minimum cost (scrypt N=2^16, r=8, p=2)', async () => {
    expect(COST.N * COST.r * COST.p).toBeGreaterThanOrEqual(2 ** 16 * 8 * 2);
    expect((await findUserByEmail(server.db, CASEY))?.password_hash.startsWith(CURRENT)).toBe(true);
  });

  it('upgrades a hash made with older parameters at the next successful sign-in', async () => {
    await insertUser(server.db, { email: 'old@demo.test', name: 'Olga Old', avatar: '', passwordHash: oldHash('old-password') });
    // A wrong password changes nothing.
    const wrong = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'old@demo.test', password: 'not-it' }),
    });
    expect(wrong.status).toBe(401);
    expect((await findUserByEmail(server.db, 'old@demo.test'))?.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);

    await signIn(server.url, 'old@demo.test', 'old-password');
    const upgraded = (await findUserByEmail(server.db, 'old@demo.test'))?.password_hash ?? '';
    expect(upgraded.startsWith(CURRENT)).toBe(true);
    // And it still signs in, now against the new hash.
    await signIn(server.url, 'old@demo.test', 'old-password');
    expect((await findUserByEmail(server.db, 'old@demo.test'))?.password_hash).toBe(upgraded);
  });

  it('refuses admin-created passwords shorter than 8 characters', async () => {
    const add = (password: string, email: string) =>
      fetch(`${server.url}/api/admin/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ email, name: 'Pat Password', password }),
      });
    const short = await add('seven77', 'short@demo.test');
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({ error: expect.stringContaining('password') });
    expect((await add('eight888', 'eight@demo.test')).status).toBe(201);
    expect((await findUserByEmail(server.db, 'eight@demo.test'))?.password_hash.startsWith(CURRENT)).toBe(true);
  });

  it('bounds concurrent hashing: during a flood the thread pool, the socket and health stay free', async () => {
    const cookie = await signIn(server.url, CASEY);
    const FLOOD = 60;
    let hashed = 0; // answers that cost a hash (401); past the queue's bound the rest are refused at once (503)
    // From 60 addresses (TRUST_PROXY), so no throttle stops them: every one costs a hash.
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `100.64.${i}.1` },
        body: JSON.stringify({ email: `flood${i}@demo.test`, password: 'guess-wrong' }),
      }).then((res) => {
        if (res.status === 401) hashed += 1;
        return res.status;
      }),
    );
    // The flood has reached hashing: as many hashes running or waiting their turn as the queue holds…
    const atHashing = () => hashingStats().running + hashingStats().queued;
    for (let waited = 0; atHashing() < HASHING.queue; waited += 5) {
      if (waited > 60_000) throw new Error(`the flood never reached hashing (${JSON.stringify(hashingStats())})`);
      await new Promise((tick) => setTimeout(tick, 5));
    }
    expect(hashed).toBe(0);

    // …and meanwhile what everyone else needs is served: health, a socket with its history, and a file
    // read on libuv's thread pool (which Next's pages and static files use, and scrypt runs on).
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const hashedAtHealth = hashed;
    const { socket, conversations } = await connectAs(server.url, { cookie });
    socket.emit('get_messages', { conversation_id: conversations[0]!.id });
    await nextEvent(socket, 'messages_response');
    socket.close();
    const hashedAtSocket = hashed;
    await readFile(`${PROJECT_ROOT}/package.json`);
    const hashedAtRead = hashed;

    const statuses = await Promise.all(flood);
    const hashedInAll = statuses.filter((status) => status === 401).length;
    expect(hashedInAll).toBeGreaterThanOrEqual(HASHING.queue);
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
    // Each was served while most of the flood's hashes still waited (without the bound, the file read waits
    // behind every hash queued on the 4 threads and comes back with the flood).
    const servedEarly = { hashedAtHealth, hashedAtSocket, hashedAtRead };
    for (const [what, count] of Object.entries(servedEarly)) expect(count, what).toBeLessThan(hashedInAll / 2);
    // The hashes in flight never passed the bound.
    expect(hashingStats().peakRunning).toBeLessThanOrEqual(HASHING.concurrency);
  }, 180_000);

  it('answers 503 at once when more sign-ins wait than the queue holds', async () => {
    const OVER = HASHING.queue + HASHING.concurrency + 20;
    const statuses = await Promise.all(
      Array.from({ length: OVER }, (_, i) =>
        fetch(`${server.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `100.65.${i}.1` },
          body: JSON.stringify({ email: `busy${i}@demo.test`, password: 'guess-wrong' }),
        }).then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after') })),
      ),
    );
    const busy = statuses.filter((s) => s.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((s) => s.retryAfter === '1')).toBe(true);
    expect(statuses.filter((s) => s.status === 401).length).toBeGreaterThanOrEqual(HASHING.queue);
    expect(hashingStats().peakRunning).toBeLessThanOrEqual(HASHING.concurrency);
  }, 180_000);
});
