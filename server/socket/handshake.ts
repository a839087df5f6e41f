// Who may open the socket: a valid session cookie, and an allowed Origin (when the client sends one).
import type { IncomingHttpHeaders } from 'node:http';
import { sessionFromCookie } from '../auth/current-session';
import type { AppContext } from '../context';
import type { InboxSocket } from './types';

/** ALLOWED_ORIGINS when set; otherwise the Origin must name the Host the request was sent to. */
export function isOriginAllowed(headers: IncomingHttpHeaders, allowedOrigins: string[] | null): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true; // not a browser: nothing to protect against
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins) return allowedOrigins.some((allowed) => safeOrigin(allowed) === url.origin);
  return url.host === headers.host;
}

function safeOrigin(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

export function handshake(ctx: AppContext) {
  return async (socket: InboxSocket, next: (error?: Error) => void): Promise<void> => {
    try {
      if (!isOriginAllowed(socket.handshake.headers, ctx.config.allowedOrigins)) return next(new Error('forbidden'));
      const user = await sessionFromCookie(ctx, socket.handshake.headers.cookie);
      if (!user) return next(new Error('unauthorized'));
      socket.data.user = user;
      next();
    } catch (error) {
      ctx.log.error({ err: error }, 'handshake failed');
      next(new Error('unauthorized'));
    }
  };
}
