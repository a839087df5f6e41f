// Session tokens: 32 random bytes handed to the browser in the `session` cookie. The database keeps only
// an HMAC of the token keyed by the session secret, so a copy of the table cannot sign anyone in.
import { createHmac, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** What newSessionToken makes; any other value in a `session` cookie is not ours and costs no lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

/**
 * The opaque, stable key of a user's browser cache (the IndexedDB database's name): an HMAC of the user
 * id, so the page can tell whose cache it is without learning the id, and no one can guess another's.
 */
export function userCacheKey(secret: string, userId: number): string {
  return createHmac('sha256', secret).update(`browser-cache:${userId}`).digest('base64url').slice(0, 32);
}

/** Every value of one cookie in a `Cookie` header, in the order sent. */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/**
 * The session tokens a request carries. A sibling domain can set a second `session` cookie that the
 * browser sends before ours (cookie tossing), so the caller tries each of these, not only the first.
 */
export function sessionTokens(header: string | undefined, max = 3): string[] {
  return readCookies(header, SESSION_COOKIE).filter((value) => TOKEN_SHAPE.test(value)).slice(0, max);
}

/** `secure`: the browser reached us over TLS, so the cookie must never travel over plain HTTP. */
export function sessionCookie(token: string, secure: boolean): string {
  const maxAge = SESSION_TTL_MS / 1000;
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0${secure ? '; Secure' : ''}`;
}
