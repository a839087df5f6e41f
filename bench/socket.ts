// A socket.io-client socket as the benchmark's clients open it, ready once the server sent `conversations`.
import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from '../protocol';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `cookie` signs in to our server; `conversations` is what the bare relay joins the socket to. */
export function connectClient(url: string, who: { cookie?: string; conversations?: number[] }): Promise<Client> {
  const socket: Client = io(url, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: who.cookie ? { cookie: who.cookie } : {},
    auth: { conversations: who.conversations ?? [] },
  });
  return new Promise((resolve, reject) => {
    socket.once('conversations', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}
