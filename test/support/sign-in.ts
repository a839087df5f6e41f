// The demo accounts (CONTRACT section 2), the admin token the test servers run with, and signing in the
// way a browser does: POST /api/session for the session cookie.

export const DEMO_PASSWORD = 'demo1234';
export const CASEY = 'client@demo.test';
export const WES = 'worker@demo.test';
export const WREN = 'worker2@demo.test';
export const ADMIN_TOKEN = 'test-admin-token-of-thirty-two-chars';

/** Signs in through POST /api/session and returns the `session=…` cookie. */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = /session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return cookie;
}
