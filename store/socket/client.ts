import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from '../../protocol';

export type InboxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The one socket of a store; `url` undefined means the page's own origin. */
export function openSocket(url: string | undefined): InboxSocket {
  const options = {
    path: SOCKET_PATH,
    transports: ['websocket'],
    withCredentials: true,
    // Each store owns its connection (tests run several stores against one server).
    forceNew: true,
    // Jittered exponential backoff, so a restarted server is not hit by every tab at once.
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
  };
  return url === undefined ? io(options) : io(url, options);
}
