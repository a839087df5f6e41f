// Decodes one WebSocket text frame of socket.io v4 over engine.io v4, the way a person reads the network
// tab: engine.io packet type first (`4` = message; `2` ping / `3` pong are keep-alives, not events), then
// the socket.io packet type (`2` EVENT, `3` ACK, `0` CONNECT, `4` CONNECT_ERROR …), an optional namespace,
// optional ack id digits and a JSON array.

export type FrameKind = 'event' | 'ack' | 'connect' | 'connect_error' | 'disconnect' | 'engine';

export type DecodedFrame = {
  kind: FrameKind;
  /** The event name, for `kind: 'event'`. */
  event?: string;
  /** The first argument of an event or an ack; the JSON body of connect / connect_error. */
  payload?: unknown;
  ackId?: number;
  raw: string;
};

const SOCKET_IO_KINDS: Record<string, FrameKind> = {
  '0': 'connect',
  '1': 'disconnect',
  '2': 'event',
  '3': 'ack',
  '4': 'connect_error',
};

export function decodeFrame(raw: string): DecodedFrame {
  if (raw[0] !== '4') return { kind: 'engine', raw };
  const kind = SOCKET_IO_KINDS[raw[1] ?? ''];
  if (!kind) throw new Error(`unexpected socket.io packet (binary frames are not part of the protocol): ${raw.slice(0, 80)}`);
  let rest = raw.slice(2);
  if (rest.startsWith('/')) rest = rest.slice(rest.indexOf(',') + 1);
  const digits = /^\d+/.exec(rest)?.[0];
  if (digits) rest = rest.slice(digits.length);
  const ackId = digits === undefined ? undefined : Number(digits);
  const body: unknown = rest === '' ? undefined : JSON.parse(rest);
  if (kind === 'event') {
    const [event, payload] = body as [string, unknown];
    return { kind, event, payload, ackId, raw };
  }
  if (kind === 'ack') return { kind, payload: (body as unknown[])[0], ackId, raw };
  return { kind, payload: body, raw };
}
