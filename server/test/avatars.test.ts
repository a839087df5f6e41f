// Avatars (CONTRACT section 3): a path under /avatars/ or an https: URL, decided by parsing. The admin API
// refuses anything else with 400; the page's Avatar component shows a picture only for what the same
// rule accepts (isAvatarUrl), and initials otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAvatarUrl, normalizeAvatarUrl } from '../../protocol';
import { findUserByEmail } from '../db/users';
import { ADMIN_TOKEN } from '../../test/support/sign-in';
import { startTestServer, type TestServer } from '../../test/support/test-server';

/** Each of these loads from another host, another path or runs code, though most start with `/` or `/avatars/`. */
const HOSTILE = [
  '/\\evil.com/x.png',
  '/\\/evil.com/x.png',
  '//evil.com',
  '//evil.com/avatars/x.png',
  '\\\\evil.com\\x.png',
  '/avatars/../x.png',
  '/avatars/%2e%2e/x.png',
  '/avatars/..\\x.png',
  '/avatars/',
  'avatars/x.png',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'data:image/svg+xml,<svg/>',
  'http://evil.com/x.png',
  'https://user:pass@evil.com/x.png',
  'ftp://evil.com/x.png',
  '/api/session',
  ' /avatars/x.png',
];

const ACCEPTED: [string, string][] = [
  ['/avatars/casey.svg', '/avatars/casey.svg'],
  ['/avatars/team/kim.png?v=2', '/avatars/team/kim.png?v=2'],
  ['https://cdn.example.com/a/kim.png', 'https://cdn.example.com/a/kim.png'],
  ['HTTPS://CDN.example.com/kim.png', 'https://cdn.example.com/kim.png'],
];

describe('avatar URLs', () => {
  it('are accepted only as a path under /avatars/ or an https: URL', () => {
    for (const value of HOSTILE) expect(normalizeAvatarUrl(value), value).toBeNull();
    for (const [value, stored] of ACCEPTED) expect(normalizeAvatarUrl(value), value).toBe(stored);
    expect(HOSTILE.some(isAvatarUrl)).toBe(false);
  });

  describe('through the admin API', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.stop());

    const add = (email: string, avatar?: string) =>
      fetch(`${server.url}/api/admin/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ email, name: 'Avery Avatar', password: 'long-enough', ...(avatar === undefined ? {} : { avatar }) }),
      });

    it('refuses anything else with 400 and stores nothing', async () => {
      for (const [i, avatar] of HOSTILE.entries()) {
        const res = await add(`hostile${i}@demo.test`, avatar);
        expect(res.status, avatar).toBe(400);
        expect(await res.json()).toEqual({ error: expect.stringContaining('avatar') });
        expect(await findUserByEmail(server.db, `hostile${i}@demo.test`)).toBeUndefined();
      }
    });

    it('stores accepted avatars normalized, and none when left out or empty', async () => {
      for (const [i, [avatar, stored]] of ACCEPTED.entries()) {
        expect((await add(`ok${i}@demo.test`, avatar)).status).toBe(201);
        expect((await findUserByEmail(server.db, `ok${i}@demo.test`))?.avatar).toBe(stored);
      }
      for (const [email, avatar] of [['none@demo.test', undefined], ['empty@demo.test', '']] as const) {
        expect((await add(email, avatar)).status).toBe(201);
        expect((await findUserByEmail(server.db, email))?.avatar).toBe('');
      }
    });
  });
});
