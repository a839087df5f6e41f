// Who may open the socket: a valid session cookie, an allowed Origin (when the client sends one), and a
// user below their number of sockets. A refused connection hears why (`connect_error`) and is then closed.
import type { IncomingHttpHeaders } from 'node:http';
import { sessionFromCookie } from '../auth/current-session';
import type { AppContext } from '../context';
import type { Gate } from './gate';
import type { InboxSocket } from './types';
import type { UserSockets } from './user-sockets';

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

/**
 * Gives the user's place back when the connection closes. A function of its own: a listener made inside the
 * handshake would keep the handshake's scope, and with it socket.io's middleware chain, for as long as the
 * connection is open.
 */
function releaseOnClose(conn: InboxSocket['conn'], sockets: UserSockets, userId: number, socketId: string): void {
  conn.once('close', () => sockets.remove(userId, socketId));
}

export type HandshakeLimits = { sockets: UserSockets; gate: Gate };

export function handshake(ctx: AppContext, { sockets, gate }: HandshakeLimits) {
  /** Connections that have asked once: a browser never sends a second CONNECT on one WebSocket. */
  const asked = new WeakSet<object>();

  return async (socket: InboxSocket, next: (error?: Error) => void): Promise<void> => {
    const conn = socket.conn;
    const refuse = (message: string) => {
      next(new Error(message));
      // socket.io writes the connect_error on the next tick; closing after it lets the client read why,
      // instead of keeping a refused WebSocket open until connectTimeout.
      setImmediate(() => conn.close());
    };
    if (asked.has(conn)) return refuse('too_many_connections');
    asked.add(conn);
    if (!isOriginAllowed(socket.handshake.headers, ctx.config.allowedOrigins)) return refuse('forbidden');
    try {
      // A client that left while waiting for its turn costs no lookup.
      const user = await gate.run(async () =>
        conn.readyState === 'open' ? sessionFromCookie(ctx, socket.handshake.headers.cookie) : undefined,
      );
      if (conn.readyState !== 'open') return next(new Error('unauthorized')); // gone: socket.io drops it
      if (!user) return refuse('unauthorized');
      if (!sockets.tryAdd(user.userId, socket.id)) return refuse('too_many_connections');
      releaseOnClose(conn, sockets, user.userId, socket.id);
      socket.data.user = user;
      next();
    } catch (error) {
      ctx.log.error({ err: error }, 'handshake failed');
      refuse('unauthorized');
    }
  };
}
