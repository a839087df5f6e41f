import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';
import { SOCKET_PATH } from '../../protocol/types';

export type InboxSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type SocketOptions = {
  /** Default: the page's own origin. */
  url?: string;
  /** Extra handshake headers, for clients outside a browser (a Node test or benchmark sends its cookie). */
  headers?: Record<string, string>;
};

/** The one socket of a store. */
export function openSocket({ url, headers }: SocketOptions): InboxSocket {
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
    ...(headers === undefined ? {} : { extraHeaders: headers }),
  };
  return url === undefined ? io(options) : io(url, options);
}
