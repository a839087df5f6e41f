// The HTTP routes: sign-in and sign-out, health, the page gate, and the admin API switched off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASEY, signIn } from '../../test/support/sign-in';
import { startTestServer, type TestServer } from '../../test/support/test-server';

describe('HTTP routes', () => {
  let server: TestServer;
  let noAdmin: TestServer;
  beforeAll(async () => {
    [server, noAdmin] = await Promise.all([startTestServer(), startTestServer({ adminToken: null, seedDemo: false })]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), noAdmin?.stop()]);
  });

  const postSession = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('signs in with JSON: 200 {name} and an HttpOnly, SameSite=Lax session cookie for 30 days', async () => {
    const res = await postSession(JSON.stringify({ email: 'Client@Demo.test', password: 'demo1234' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'Casey Client' });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${30 * 24 * 3600}`);
  });

  it('refuses wrong credentials with 401 {error}, a malformed body with 400, a non-JSON body with 415', async () => {
    const wrong = await postSession(JSON.stringify({ email: CASEY, password: 'nope' }));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: expect.any(String) });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await postSession(JSON.stringify({ email: 'nobody@demo.test', password: 'demo1234' }))).status).toBe(401);
    expect((await postSession('{"email":')).status).toBe(400);
    expect((await postSession(JSON.stringify({ email: CASEY }))).status).toBe(400);
    expect((await postSession(JSON.stringify([1, 2]))).status).toBe(400);
    expect((await postSession('email=a&password=b', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await postSession('{}', 'text/plain')).status).toBe(415);
  });

  it('answers health', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'sqlite', redis: false });
  });

  it('sends /inbox without a session to /login, and /login with one to /inbox', async () => {
    for (const path of ['/inbox', '/inbox/1']) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/login');
    }
    const cookie = await signIn(server.url, CASEY);
    const login = await fetch(`${server.url}/login`, { redirect: 'manual', headers: { cookie } });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/inbox');
    // Signed in, /inbox goes on to the pages (absent here: this server runs without Next).
    expect((await fetch(`${server.url}/inbox`, { redirect: 'manual', headers: { cookie } })).status).toBe(404);
  });

  it('signs out: the token stops working at once, the cookie is cleared', async () => {
    const cookie = await signIn(server.url, CASEY);
    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^session=; .*Max-Age=0/);
    const inbox = await fetch(`${server.url}/inbox`, { redirect: 'manual', headers: { cookie } });
    expect(inbox.headers.get('location')).toBe('/login');
  });

  it('answers unknown API paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${server.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/session`)).status).toBe(405);
  });

  it('keeps the admin API off without ADMIN_TOKEN, and seeds nothing with SEED_DEMO=0', async () => {
    const res = await fetch(`${noAdmin.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' },
      body: JSON.stringify({ email: 'a@b.test', name: 'A', password: 'p' }),
    });
    expect(res.status).toBe(401);
    const demo = await fetch(`${noAdmin.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CASEY, password: 'demo1234' }),
    });
    expect(demo.status).toBe(401);
  });
});
