// Who a request or handshake belongs to, from its `session` cookie.
import type { AppContext } from '../context';
import { findActiveSession, type SessionUser } from '../db/sessions';
import { hashSessionToken, sessionTokens } from './session-token';

/** The first session token of the cookie header that is a live session of this server, with its user. */
export async function activeSession(
  ctx: Pick<AppContext, 'db' | 'sessionSecret'>,
  cookieHeader: string | undefined,
): Promise<{ tokenHash: string; user: SessionUser } | undefined> {
  const now = new Date();
  for (const token of sessionTokens(cookieHeader)) {
    const tokenHash = hashSessionToken(ctx.sessionSecret, token);
    const user = await findActiveSession(ctx.db, tokenHash, now);
    if (user) return { tokenHash, user };
  }
  return undefined;
}

export async function sessionFromCookie(
  ctx: Pick<AppContext, 'db' | 'sessionSecret'>,
  cookieHeader: string | undefined,
): Promise<SessionUser | undefined> {
  return (await activeSession(ctx, cookieHeader))?.user;
}
