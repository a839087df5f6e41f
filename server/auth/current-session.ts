// Who a request or handshake belongs to, from its `session` cookie.
import type { AppContext } from '../context';
import { findActiveSession, type SessionUser } from '../db/sessions';
import { hashSessionToken, readCookie, SESSION_COOKIE } from './session-token';

export async function sessionFromCookie(
  ctx: Pick<AppContext, 'db' | 'sessionSecret'>,
  cookieHeader: string | undefined,
): Promise<SessionUser | undefined> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  if (!token) return undefined;
  return findActiveSession(ctx.db, hashSessionToken(ctx.sessionSecret, token), new Date());
}
