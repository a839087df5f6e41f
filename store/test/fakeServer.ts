// A real socket.io server speaking the inbox protocol over an in-memory world, for the middleware
// tests (until server/ exists, and to shape conditions the real one cannot: lost acks, restarts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type Conversation,
  type Message,
  type ServerToClientEvents,
} from '../../protocol';
import { conversation, message } from './fixtures';

export type Frame = { event: keyof ClientToServerEvents; payload: unknown };

/** What the server knows; it outlives restarts. */
export class World {
  readonly frames: Frame[] = [];
  readonly conversations = new Map<number, { conversation: Conversation; messages: Message[] }>();
  /** Acks to swallow (the message is still stored): an ack lost on the way. */
  dropAcks = 0;
  /** Refuse the next sends with this error code. */
  refuseSends: 'bad_request' | 'rate_limited' | null = null;
  refuseHandshake = false;
  /** Answer the next history requests `rate_limited`. */
  rateLimitHistory = 0;

  constructor(conversationIds: number[], messagesEach = 5) {
    for (const id of conversationIds) {
      const list = Array.from({ length: messagesEach }, (_, i) => message(id, i + 1));
      this.conversations.set(id, { conversation: conversation(id), messages: list });
    }
  }

  of(id: number) {
    const c = this.conversations.get(id);
    if (c === undefined) throw new Error(`no conversation ${id}`);
    return c;
  }

  /** Stores a message of the other side; the caller decides whom to tell. */
  store(id: number, over: Partial<Message> = {}): Message {
    const c = this.of(id);
    const m = message(id, c.messages.length + 1, over);
    c.messages.push(m);
    return m;
  }

  sent(event: Frame['event']) {
    return this.frames.filter((f) => f.event === event).map((f) => f.payload);
  }
}

export type FakeServer = { url: string; port: number; io: Server<ClientToServerEvents, ServerToClientEvents>; close: () => Promise<void> };

export async function startFakeServer(world: World, port = 0): Promise<FakeServer> {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { path: SOCKET_PATH, transports: ['websocket'] });
  io.use((_socket, next) => next(world.refuseHandshake ? new Error('unauthorized') : undefined));

  io.on('connection', (socket) => {
    const record = (event: Frame['event'], payload: unknown) => world.frames.push({ event, payload });
    const page = (id: number, list: Message[], has_more: boolean, after_seq?: number) =>
      socket.emit('messages_response', { conversation_id: id, messages: list, conversation: world.of(id).conversation, has_more, ...(after_seq === undefined ? {} : { after_seq }) });

    socket.emit('conversations', {
      conversations: [...world.conversations.values()].map((c) => ({ ...c.conversation, last_message: c.messages.at(-1) ?? null, unread_count: 0 })),
    });
    socket.on('get_messages', (p) => {
      record('get_messages', p);
      if (world.rateLimitHistory > 0) {
        world.rateLimitHistory -= 1;
        return void socket.emit('error', { code: 'rate_limited', message: 'slow down', conversation_id: p.conversation_id });
      }
      const older = world.of(p.conversation_id).messages.filter((m) => p.before_seq === undefined || m.seq < p.before_seq);
      const list = older.slice(-(p.limit ?? 50));
      page(p.conversation_id, list, older.length > list.length);
    });
    socket.on('sync', (p) => {
      record('sync', p);
      for (const { conversation_id: id, after_seq } of p.conversations) {
        const missed = world.of(id).messages.filter((m) => m.seq > after_seq);
        if (missed.length > 200) page(id, world.of(id).messages.slice(-50), true);
        else page(id, missed, false, after_seq);
      }
    });
    socket.on('send_message', (p, ack) => {
      record('send_message', p);
      if (world.refuseSends !== null) return ack({ ok: false, error: { code: world.refuseSends, message: 'refused' } });
      const c = world.of(p.conversation_id);
      let stored = c.messages.find((m) => m.client_id === p.client_id);
      if (stored === undefined) {
        stored = world.store(p.conversation_id, { client_id: p.client_id, message_text: p.message, is_mine: true });
        socket.broadcast.emit('message', { conversation_id: p.conversation_id, message: { ...stored, is_mine: false } });
      }
      if (world.dropAcks > 0) world.dropAcks -= 1;
      else ack({ ok: true, message: stored });
    });
    socket.on('mark_complete', (p, ack) => {
      record('mark_complete', p);
      const c = world.of(p.conversation_id);
      c.conversation = { ...c.conversation, job: { ...c.conversation.job, clientMarkedComplete: true } };
      ack({ ok: true, conversation: c.conversation });
      io.emit('conversation_updated', { conversation_id: p.conversation_id, conversation: c.conversation });
      const system = world.store(p.conversation_id, { message_type: 'SYSTEM', message_text: 'Casey marked the job complete' });
      io.emit('message', { conversation_id: p.conversation_id, message: system });
    });
    socket.on('mark_read', (p) => {
      record('mark_read', p);
      socket.emit('read', { ...p, reader_is_me: true });
    });
  });

  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const actual = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    io,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
