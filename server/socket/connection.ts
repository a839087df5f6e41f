// A socket that passed the handshake: join its user's and its session's rooms, send its conversation list,
// serve its frames, count it for presence while it is open (presence.ts). The user's room reaches every
// conversation of the user (broadcast.ts).
import type { AppContext } from '../context';
import { listConversations } from '../db/conversations';
import { isSessionActive } from '../db/sessions';
import { dispatchFrames } from './dispatch';
import type { Gate } from './gate';
import { SOCKET_LIMITS } from './limits';
import { rememberConversations } from './participation';
import { rooms } from './rooms';
import { disconnectAtExpiry } from './session-expiry';
import type { InboxSocket } from './types';
import { cutOffWhenNotReading } from './unread-output';
import type { UserLanes } from './user-lanes';
import type { UserSockets } from './user-sockets';

async function setUp(ctx: AppContext, socket: InboxSocket): Promise<void> {
  const { user } = socket.data;
  if (!socket.connected) return;
  // A sign-out between the handshake's lookup and the join found no socket in the session's room: so the
  // session is looked at again now that the socket is in it.
  if (!(await isSessionActive(ctx.db, user.sessionId, new Date()))) return void socket.disconnect(true);
  const listed = await listConversations(ctx.db, user.userId);
  rememberConversations(socket, listed.map((c) => ({ conversationId: c.summary.id, counterpartId: c.counterpartId })));
  socket.emit('conversations', { conversations: await ctx.presence.summaries(listed) });
}

/** Never the error itself: for a client frame named "error" it is the client's payload. */
function describeError(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'a client frame named "error"';
}

export type ConnectionLimits = { sockets: UserSockets; gate: Gate; lanes: UserLanes };

export function onConnection(ctx: AppContext, socket: InboxSocket, limits: ConnectionLimits): void {
  const { user } = socket.data;
  // Before anything is awaited: a sign-out from here on finds this socket in its session's room.
  void socket.join([rooms.user(user.userId), rooms.session(user.sessionId)]);
  ctx.log.info({ user: user.userId, sid: socket.id }, 'connected');
  socket.on('disconnect', (reason) => {
    limits.sockets.remove(user.userId, socket.id);
    ctx.log.info({ user: user.userId, sid: socket.id, reason }, 'disconnected');
  });
  // socket.io emits 'error' for a client frame named "error" too (dispatch answers it as an unknown event);
  // without a listener that would throw. Logged without its payload.
  socket.on('error', (error) => ctx.log.warn({ user: user.userId, sid: socket.id, error: describeError(error) }, 'socket error'));
  cutOffWhenNotReading(socket, SOCKET_LIMITS.unreadOutputBytes, ctx.log);
  disconnectAtExpiry(socket, user.expiresAt);
  ctx.presence.track(socket);
  const ready = ctx.inFlight.track(
    limits.gate.run(() => setUp(ctx, socket)).catch((error: unknown) => {
      ctx.log.error({ err: error, user: user.userId }, 'connection setup failed');
      socket.disconnect(true);
    }),
  );
  // Registered before anything is awaited; frames wait for the setup, so they see the rooms joined.
  dispatchFrames({ ctx, socket, user }, ready, limits.lanes);
}
