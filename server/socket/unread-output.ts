// A client that stops reading its socket must not make the server hold everything sent to it. What is
// written for a socket and not yet read sits in engine.io's write buffer (packets waiting for the previous
// write to finish) and in the WebSocket's (ws's `bufferedAmount`: written, not yet taken by the kernel).
// Every packet for the socket, answers and room broadcasts alike, passes engine.io's `packetCreate`: there
// the sum is checked, and past the limit the connection is cut at once. A graceful close would wait for
// that very buffer to drain.
import type { WebSocket } from 'ws';
import type { Logger } from '../log';
import type { InboxSocket } from './types';

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

export function cutOffWhenNotReading(socket: InboxSocket, maxBytes: number, log: Logger): void {
  const conn = socket.conn;
  // engine.io keeps the upgraded request's WebSocket on it (EngineRequest.websocket); WebSocket is the only transport.
  const ws = (conn.request as { websocket?: WebSocket }).websocket;
  if (!ws) return;
  /** Bytes of packets in engine.io's write buffer; `flush` hands them all to the WebSocket. */
  let buffered = 0;
  let cut = false;
  conn.on('flush', () => (buffered = 0));
  conn.on('packetCreate', (packet: { data?: unknown }) => {
    buffered += sizeOf(packet.data);
    const unread = buffered + ws.bufferedAmount;
    if (cut || unread <= maxBytes) return;
    cut = true;
    log.warn({ user: socket.data.user.userId, sid: socket.id, unread }, 'client not reading its socket: disconnected');
    ws.terminate();
  });
}
