// A person talking to the server without a browser: the session from POST /api/session and a real
// socket.io-client socket, as another app (or a second device) would. Used where a scenario needs a send
// at a moment no page can make one, e.g. while the browser's server is down.
import { io, type Socket } from 'socket.io-client';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type MessagesResponseEvent,
  type SendMessageAck,
  type ServerToClientEvents,
} from '../../protocol';
import { signIn } from '../../test/support/sign-in';
import { passwordFor } from '../kit/target';

export type WireSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connectWire(baseUrl: string, cookie: string): Promise<WireSocket> {
  const socket: WireSocket = io(baseUrl, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** Signs `email` in through POST /api/session and connects a socket with that session. */
export async function connectAs(baseUrl: string, email: string, password = passwordFor(email)): Promise<WireSocket> {
  return connectWire(baseUrl, await signIn(baseUrl, email, password));
}

export async function sendOverWire(
  socket: WireSocket,
  conversationId: number,
  text: string,
): Promise<SendMessageAck> {
  return socket
    .timeout(10_000)
    .emitWithAck('send_message', {
      conversation_id: conversationId,
      message: text,
      type: 'TEXT',
      client_id: `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    });
}

/** The server's own record of a conversation's latest history, asked for over a separate socket. */
export async function historyOverWire(socket: WireSocket, conversationId: number): Promise<MessagesResponseEvent> {
  return new Promise((resolve) => {
    const onResponse = (payload: MessagesResponseEvent): void => {
      if (payload.conversation_id !== conversationId) return;
      socket.off('messages_response', onResponse);
      resolve(payload);
    };
    socket.on('messages_response', onResponse);
    socket.emit('get_messages', { conversation_id: conversationId, limit: 200 });
  });
}
