// The rooms every socket joins on connect: its user's (all fan-out goes there, broadcast.ts) and its
// session's (a sign-out disconnects it). With the Redis adapter, `io.in(…).disconnectSockets` only
// publishes to the other processes, so it acts on this process's sockets first (`io.local`); that part
// also works while Redis is down.
import type { InboxServer } from './types';

export const rooms = {
  user: (userId: number) => `user:${userId}`,
  session: (sessionId: number) => `session:${sessionId}`,
};

export function disconnectRoom(io: InboxServer, room: string): void {
  io.local.in(room).disconnectSockets(true);
  io.in(room).disconnectSockets(true);
}
