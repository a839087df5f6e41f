// The security headers on what Next serves (CONTRACT section 3): pages, redirects, 404s, built and public
// static files; the scripts of a page carry that response's nonce; the image optimizer is off. Runs the
// production build (made here when missing or stale, as `npm start` does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '../../scripts/next-build';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process';
import { CASEY, signIn } from '../../test/support/sign-in';

const REQUIRED = ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "connect-src 'self'"];

function expectSecurityHeaders(res: Response, what: string): string {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = csp.split('; ');
  for (const directive of REQUIRED) expect(directives, what).toContain(directive);
  const script = directives.find((d) => d.startsWith('script-src ')) ?? '';
  expect(script, what).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'$/);
  expect(directives.find((d) => d.startsWith('img-src ')), what).toBe("img-src 'self' https:");
  return /'nonce-([^']+)'/.exec(script)?.[1] ?? '';
}

describe('security headers on pages and static files', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    if (!ensureBuild()) throw new Error('next build failed');
    server = await startServerProcess({ web: true, readyTimeoutMs: 120_000 });
  }, 600_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('on pages, whose every script carries the response’s own nonce', async () => {
    const cookie = await signIn(server.url, CASEY);
    const nonces: string[] = [];
    for (const [path, headers] of [['/login', {}], ['/inbox', { cookie }], ['/login', {}]] as const) {
      const res = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
      expect(res.status, path).toBe(200);
      const nonce = expectSecurityHeaders(res, path);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('on redirects, 404s, built and public static files', async () => {
    const login = await (await fetch(`${server.url}/login`)).text();
    const chunk = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(login)?.[1];
    expect(chunk).toBeDefined();
    const answers: [string, number][] = [
      [chunk!, 200],
      ['/avatars/casey.svg', 200],
      ['/icon.svg', 200],
      ['/', 307],
      ['/inbox', 302],
      ['/favicon.ico', 308],
      ['/no-such-page', 404],
      ['/_next/static/no-such-file.js', 404],
    ];
    for (const [path, status] of answers) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(status);
      expectSecurityHeaders(res, path);
    }
  });

  it('refuses the image optimizer', async () => {
    const res = await fetch(`${server.url}/_next/image?url=%2Favatars%2Fcasey.svg&w=64&q=75`);
    expect(res.status).toBe(404);
    expectSecurityHeaders(res, '/_next/image');
  });
});
