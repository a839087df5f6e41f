// A socket that passed the handshake: join its user's and its session's rooms, send its conversation list,
// serve its frames, count it for presence while it is open (presence.ts). The user's room reaches every
// conversation of the user (broadcast.ts).
import type { AppContext } from '../context';
import { listConversations } from '../db/conversations';
import { dispatchFrames } from './dispatch';
import { rooms } from './rooms';
import { rememberConversations } from './typing';
import type { InboxSocket } from './types';

async function setUp(ctx: AppContext, socket: InboxSocket): Promise<void> {
  const { user } = socket.data;
  await socket.join([rooms.user(user.userId), rooms.session(user.sessionId)]);
  const listed = await listConversations(ctx.db, user.userId);
  rememberConversations(socket, listed.map((c) => ({ conversationId: c.summary.id, counterpartId: c.counterpartId })));
  socket.emit('conversations', { conversations: await ctx.presence.summaries(listed) });
}

export function onConnection(ctx: AppContext, socket: InboxSocket): void {
  const { user } = socket.data;
  ctx.log.info({ user: user.userId, sid: socket.id }, 'connected');
  socket.on('disconnect', (reason) => ctx.log.info({ user: user.userId, sid: socket.id, reason }, 'disconnected'));
  // socket.io emits 'error' for a client frame named "error" too; without a listener that would throw.
  socket.on('error', (error) => ctx.log.warn({ err: error, user: user.userId }, 'socket error'));
  ctx.presence.track(socket);
  const ready = ctx.inFlight.track(
    setUp(ctx, socket).catch((error: unknown) => {
      ctx.log.error({ err: error, user: user.userId }, 'connection setup failed');
      socket.disconnect(true);
    }),
  );
  // Registered before anything is awaited; frames wait for the setup, so they see the rooms joined.
  dispatchFrames({ ctx, socket, user }, ready);
}
