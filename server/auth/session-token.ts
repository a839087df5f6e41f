// Session tokens: 32 random bytes handed to the browser in the `session` cookie. The database keeps only
// an HMAC of the token keyed by the session secret, so a copy of the table cannot sign anyone in.
import { createHmac, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'session';
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

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

/** The value of one cookie in a `Cookie` header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(token: string): string {
  const maxAge = SESSION_TTL_MS / 1000;
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${maxAge}`;
}

export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`;
