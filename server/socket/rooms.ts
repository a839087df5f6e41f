// Room names, and the cluster-wide room operations. With the Redis adapter, `io.in(…)` only publishes to
// the other processes, so each operation acts on this process's sockets first (`io.local`); that part
// also works while Redis is down.
import type { InboxServer } from './types';

export const rooms = {
  user: (userId: number) => `user:${userId}`,
  session: (sessionId: number) => `session:${sessionId}`,
  conversation: (conversationId: number) => `conv:${conversationId}`,
};

export function disconnectRoom(io: InboxServer, room: string): void {
  io.local.in(room).disconnectSockets(true);
  io.in(room).disconnectSockets(true);
}

/** Every socket in `room` joins `target` as well. */
export function joinRoom(io: InboxServer, room: string, target: string): void {
  io.local.in(room).socketsJoin(target);
  io.in(room).socketsJoin(target);
}
