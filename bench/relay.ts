// The baseline of the fan-out and memory figures: a bare socket.io relay with our events and our socket.io
// options (the same createSocketServer), but no auth, no validation and no storage. A socket names the
// conversations it is in through `auth.conversations`; a send is acked at once and relayed to the others.
// Run: `node --import tsx bench/relay.ts` with PORT and HOST.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Message } from '../protocol';
import { createSocketServer } from '../server/socket/io';

const room = (conversationId: number) => `conv:${conversationId}`;
const lastSeq = new Map<number, number>();

const httpServer = createServer((_req, res) => res.writeHead(404).end());
const io = createSocketServer(httpServer);

io.on('connection', (socket) => {
  const conversations = (socket.handshake.auth as { conversations?: number[] }).conversations ?? [];
  void socket.join(conversations.map(room));
  socket.emit('conversations', { conversations: [] });
  socket.on('send_message', (payload, ack) => {
    const seq = (lastSeq.get(payload.conversation_id) ?? 0) + 1;
    lastSeq.set(payload.conversation_id, seq);
    const message: Message = {
      id: randomUUID(),
      seq,
      conversation_id: payload.conversation_id,
      client_id: payload.client_id,
      sender_name: 'Relay',
      sender_avatar: '',
      message_text: payload.message,
      edited_at: null,
      deleted: false,
      rev: 0,
      message_type: 'TEXT',
      is_read: false,
      created_at: new Date().toISOString(),
      is_mine: false,
    };
    socket.to(room(payload.conversation_id)).emit('message', { conversation_id: payload.conversation_id, message });
    ack({ ok: true, message: { ...message, is_mine: true } });
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'listening' }));
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
