// Before Next renders a page: /inbox needs a session, and the page learns who is signed in from a header
// only this server sets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeUserHeader, USER_HEADER } from '../../protocol/user-header';
import { sessionFromCookie } from '../auth/current-session';
import { userCacheKey } from '../auth/session-token';
import type { AppContext } from '../context';

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

/** Answers the request itself (a redirect) and returns true, or prepares it for Next and returns false. */
export async function gatePage(ctx: AppContext, req: IncomingMessage, res: ServerResponse, pathname: string) {
  // Never trust a client's copy of the header, on any path.
  delete req.headers[USER_HEADER];
  const isInbox = pathname === '/inbox' || pathname.startsWith('/inbox/');
  const isLogin = pathname === '/login';
  if (!isInbox && !isLogin) return false;
  const user = await sessionFromCookie(ctx, req.headers.cookie);
  if (isInbox && !user) {
    redirect(res, '/login');
    return true;
  }
  if (isLogin && user && req.method === 'GET') {
    redirect(res, '/inbox');
    return true;
  }
  if (user) req.headers[USER_HEADER] = encodeUserHeader({ ...user, key: userCacheKey(ctx.sessionSecret, user.userId) });
  return false;
}
