// The session cookie's rules (Secure over TLS or behind a trusted proxy, the cookie this server set among
// several, Clear-Site-Data on sign-out), and the security headers on every API answer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASEY, signIn } from '../../test/support/sign-in';
import { openSocket, refusal, nextEvent } from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';

const json = { 'content-type': 'application/json' };
const demo = JSON.stringify({ email: CASEY, password: 'demo1234' });

function postSession(url: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/api/session`, { method: 'POST', headers: { ...json, ...headers }, body: demo });
}

/** A junk `session` cookie (cookie tossing from a sibling domain), and a well-formed token this server never issued. */
const JUNK = 'session=attacker';
const FOREIGN = `session=${'A'.repeat(43)}`;

describe('session cookie', () => {
  let direct: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    [direct, proxied] = await Promise.all([startTestServer(), startTestServer({ trustProxy: true })]);
  });
  afterAll(async () => {
    await Promise.all([direct?.stop(), proxied?.stop()]);
  });

  it('is Secure behind a trusted proxy that says https, and not otherwise', async () => {
    const secure = (res: Response) => / Secure(;|$)/.test(res.headers.get('set-cookie') ?? '');
    expect(secure(await postSession(proxied.url, { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(secure(await postSession(proxied.url, { 'x-forwarded-proto': 'http' }))).toBe(false);
    expect(secure(await postSession(proxied.url))).toBe(false);
    // Without TRUST_PROXY the header is anyone's to send: plain HTTP stays plain.
    expect(secure(await postSession(direct.url, { 'x-forwarded-proto': 'https' }))).toBe(false);
    const cookie = await signIn(proxied.url, CASEY);
    const out = await fetch(`${proxied.url}/api/session`, { method: 'DELETE', headers: { cookie, 'x-forwarded-proto': 'https' } });
    expect(out.headers.get('set-cookie')).toMatch(/^session=; .* Secure$/);
  });

  it('is Secure when the request itself came over TLS', async (context) => {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-tls-'));
    try {
      try {
        execFileSync('openssl', [
          'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
          '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        ], { stdio: 'ignore' });
      } catch {
        context.skip('openssl is not available to make a test certificate');
      }
      // TLS terminated in this process and handed to the inbox's HTTP server, as https.createServer does.
      const tls = createTlsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (socket) => direct.httpServer.emit('connection', socket),
      );
      await new Promise<void>((listening) => tls.listen(0, '127.0.0.1', listening));
      const port = (tls.address() as { port: number }).port;
      try {
        const cookie = await new Promise<string>((resolve, reject) => {
          const req = httpsRequest(
            { host: '127.0.0.1', port, path: '/api/session', method: 'POST', headers: json, rejectUnauthorized: false },
            (res) => {
              res.resume();
              resolve(String(res.headers['set-cookie']?.[0] ?? `status ${res.statusCode}`));
            },
          );
          req.on('error', reject);
          req.end(demo);
        });
        expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{43}; .* Secure$/);
      } finally {
        tls.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is taken from among several: a junk or foreign `session` cookie before ours still signs in', async () => {
    const cookie = await signIn(direct.url, CASEY);
    for (const header of [`${JUNK}; ${cookie}`, `${FOREIGN}; ${cookie}`, `${JUNK}; ${FOREIGN}; ${cookie}`]) {
      const page = await fetch(`${direct.url}/login`, { redirect: 'manual', headers: { cookie: header } });
      expect(page.status, header).toBe(302);
      expect(page.headers.get('location')).toBe('/inbox');
    }
    // The socket's handshake reads the cookie the same way.
    const socket = openSocket(direct.url, `${JUNK}; ${FOREIGN}; ${cookie}`);
    await nextEvent(socket, 'conversations');
    // Sign-out revokes our session, not the first cookie's.
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    await fetch(`${direct.url}/api/session`, { method: 'DELETE', headers: { cookie: `${FOREIGN}; ${cookie}` } });
    await dropped;
    expect(await refusal(openSocket(direct.url, cookie))).toBe('unauthorized');
  });

  it('is cleared with the site data on sign-out: Clear-Site-Data: "storage"', async () => {
    const cookie = await signIn(direct.url, CASEY);
    const out = await fetch(`${direct.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('clear-site-data')).toBe('"storage"');
  });
});

describe('HTTP answers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('carry nosniff, same-origin referrers and a Content-Security-Policy: API, redirects, 404s and the socket path', async () => {
    const answers = await Promise.all([
      fetch(`${server.url}/api/health`),
      postSession(server.url),
      fetch(`${server.url}/api/session`, { method: 'POST', headers: json, body: '{' }),
      fetch(`${server.url}/api/nothing`),
      fetch(`${server.url}/inbox`, { redirect: 'manual' }),
      // engine.io's own answer (no long-polling here): the headers are set before it sees the request.
      fetch(`${server.url}/ws/inbox/?EIO=4&transport=polling`),
    ]);
    expect(answers.map((res) => res.status)).toEqual([200, 200, 400, 404, 302, 400]);
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), res.url).toBe('same-origin');
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "connect-src 'self'"]) {
        expect(csp.split('; '), res.url).toContain(directive);
      }
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'(;|$)/);
      expect(csp).not.toContain('unsafe-eval');
    }
    // A fresh nonce for every response.
    const nonces = answers.map((res) => /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1]);
    expect(new Set(nonces).size).toBe(answers.length);
  });
});
