// The inbox on the socket server: every handshake checked and bounded, every accepted socket served, one
// frame of a user at a time.
import type { AppContext } from '../context';
import { onConnection } from './connection';
import { Gate } from './gate';
import { handshake } from './handshake';
import { SOCKET_LIMITS } from './limits';
import { UserLanes } from './user-lanes';
import { UserSockets } from './user-sockets';

export function serveInbox(ctx: AppContext): void {
  const limits = {
    sockets: new UserSockets(SOCKET_LIMITS.socketsPerUser),
    gate: new Gate(SOCKET_LIMITS.concurrentHandshakes),
    lanes: new UserLanes(),
  };
  ctx.io.use(handshake(ctx, limits));
  ctx.io.on('connection', (socket) => onConnection(ctx, socket, limits));
}
