// Real socket.io-client sockets as the browser opens them (the session cookie, WebSocket only), and waiting
// on what they receive. Every frame they receive is kept for the privacy scan.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type ConversationSummary,
  type DeleteMessagePayload,
  type EditMessagePayload,
  type MarkCompleteAck,
  type Message,
  type MessageChangeAck,
  type SendMessageAck,
  type SendMessagePayload,
  type ServerEventName,
  type ServerToClientEvents,
} from '../../protocol';
import { CASEY, signIn, WES, WREN } from './sign-in';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every frame any test socket received (events and acks), for the privacy scan. */
export const receivedFrames: unknown[] = [];

/** Opens a socket as the browser would, with the session cookie. Not yet waited for. */
export function openSocket(url: string, cookie: string | null, headers: Record<string, string> = {}): ClientSocket {
  const socket: ClientSocket = io(url, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(cookie ? { cookie } : {}), ...headers },
  });
  socket.onAny((event: string, ...args: unknown[]) => receivedFrames.push({ event, args }));
  return socket;
}

export type Connected = { socket: ClientSocket; conversations: ConversationSummary[] };

/** Signs in (or uses the cookie), connects, and waits for the first `conversations` event. */
export async function connectAs(url: string, who: string | { cookie: string }): Promise<Connected> {
  const cookie = typeof who === 'string' ? await signIn(url, who) : who.cookie;
  const socket = openSocket(url, cookie);
  const list = await nextEvent(socket, 'conversations');
  return { socket, conversations: list.conversations };
}

type Payload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** The next `event` (matching `where`) on the socket; fails after `timeoutMs` so no test hangs. */
export function nextEvent<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
  where: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (eventName: string, payload: Payload<E>) => {
      if (eventName !== event || !where(payload)) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.onAny(listener);
  });
}

/** Collects every `event` the socket receives from now on. */
export function record<E extends ServerEventName>(socket: ClientSocket, event: E): Payload<E>[] {
  const seen: Payload<E>[] = [];
  socket.onAny((eventName: string, payload: Payload<E>) => {
    if (eventName === event) seen.push(payload);
  });
  return seen;
}

/** Sends a message and waits (bounded) for its ack, kept for the privacy scan. */
export async function send(socket: ClientSocket, payload: SendMessagePayload): Promise<SendMessageAck> {
  const ack = await socket.timeout(10_000).emitWithAck('send_message', payload);
  receivedFrames.push({ ack: 'send_message', args: [ack] });
  return ack;
}

/** Sends a text with a fresh client_id to a conversation; fails unless the ack is ok. */
export async function say(socket: ClientSocket, conversationId: number, text: string): Promise<Message> {
  const ack = await send(socket, { conversation_id: conversationId, message: text, type: 'TEXT', client_id: randomUUID() });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.message;
}

/** Edits a message and waits (bounded) for the ack, kept for the privacy scan. */
export async function edit(socket: ClientSocket, payload: EditMessagePayload): Promise<MessageChangeAck> {
  const ack = await socket.timeout(10_000).emitWithAck('edit_message', payload);
  receivedFrames.push({ ack: 'edit_message', args: [ack] });
  return ack;
}

/** Deletes a message and waits (bounded) for the ack, kept for the privacy scan. */
export async function remove(socket: ClientSocket, payload: DeleteMessagePayload): Promise<MessageChangeAck> {
  const ack = await socket.timeout(10_000).emitWithAck('delete_message', payload);
  receivedFrames.push({ ack: 'delete_message', args: [ack] });
  return ack;
}

export async function markComplete(socket: ClientSocket, conversationId: number): Promise<MarkCompleteAck> {
  const ack = await socket.timeout(10_000).emitWithAck('mark_complete', { conversation_id: conversationId });
  receivedFrames.push({ ack: 'mark_complete', args: [ack] });
  return ack;
}

/** Resolves with the `connect_error` message of a socket that is refused. */
export function refusal(socket: ClientSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (error) => resolve(error.message));
    socket.once('connect', () => reject(new Error('the socket was accepted')));
  });
}

/** Resolves with the reason `socket` is disconnected for; fails after `timeoutMs` so no test hangs. */
export function disconnection(socket: ClientSocket, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export function titled(conversations: ConversationSummary[], title: string): ConversationSummary {
  const found = conversations.find((c) => c.job.title === title);
  if (!found) throw new Error(`no conversation "${title}"`);
  return found;
}

/** The demo cast on one server: Casey (two tabs), Wes and Wren, and the three demo conversations' ids. */
export type DemoSockets = {
  casey: Connected;
  caseyTab2: ClientSocket;
  wes: Connected;
  wren: ClientSocket;
  sink: number;
  fence: number;
  wardrobe: number;
};

/** Opens the demo cast through `open` (which keeps the sockets for the suite to close). */
export async function openDemoSockets(url: string, open: (url: string, who: string) => Promise<Connected>): Promise<DemoSockets> {
  const casey = await open(url, CASEY);
  const caseyTab2 = (await open(url, CASEY)).socket;
  const wes = await open(url, WES);
  const wren = (await open(url, WREN)).socket;
  const id = (title: string) => titled(casey.conversations, title).id;
  return { casey, caseyTab2, wes, wren, sink: id('Fix my sink'), fence: id('Paint the fence'), wardrobe: id('Assemble wardrobe') };
}
