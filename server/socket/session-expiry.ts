// A session ends at its expiry: its sockets are disconnected then (a timer per socket), and the rows of
// ended sessions are deleted now and then (expired or revoked, they can sign no one in again).
import type { AppContext } from '../context';
import { deleteEndedSessions } from '../db/sessions';
import type { InboxSocket } from './types';

/** setTimeout's longest delay; a 30-day session is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const CLEANUP_EVERY_MS = 60 * 60 * 1000;

export function disconnectAtExpiry(socket: InboxSocket, expiresAt: string): void {
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = Date.parse(expiresAt) - Date.now();
    if (left <= 0) return void socket.disconnect(true);
    timer = setTimeout(check, Math.min(left, MAX_TIMER_MS));
  };
  check();
  socket.once('disconnect', () => clearTimeout(timer));
}

/** Deletes ended sessions now and every hour; returns the function that stops it. */
export function cleanUpEndedSessions(ctx: AppContext): () => void {
  const cleanUp = () =>
    void ctx.inFlight.track(
      deleteEndedSessions(ctx.db, new Date()).then(
        (deleted) => deleted > 0 && ctx.log.info({ deleted }, 'ended sessions deleted'),
        (error: unknown) => ctx.log.warn({ err: error }, 'deleting ended sessions failed'),
      ),
    );
  cleanUp();
  const timer = setInterval(cleanUp, CLEANUP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
