// A TCP proxy between clients and the server that can go offline (drop every connection and refuse new
// ones until it is back) and, in chaos mode, breaks connections at random points (seeded):
// - cuts after a random chunk either way, sometimes swallowing the server's last frame;
// - right after a send reached the server, swallows the frame carrying its ack and cuts;
// - drops an ack frame on a connection that stays up (the client's ack timeout and retry path).
// Server→client traffic of a WebSocket is split into frames (they are not masked), so a frame can be
// dropped without corrupting the stream.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Random } from './prng';

export type Chaos = {
  random: Random;
  /** Chance, per forwarded chunk or frame, that the connection is cut right there. */
  cutChance: number;
  /** Chance that a cut swallows the server's frame instead of forwarding it first. */
  swallowChance: number;
  /** Chance that a frame carrying a socket.io ack is swallowed and the connection cut. */
  ackCutChance: number;
  /** Chance that a frame carrying a socket.io ack is dropped while the connection stays up. */
  ackDropChance: number;
};

/** A socket.io ACK packet inside an engine.io message: "43<id>[…]". */
const ACK_PACKET = /^43\d+\[/;

type Pair = { client: Socket; upstream: Socket };

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private online = true;
  private chaos: Chaos | null = null;
  readonly counts = { cuts: 0, swallowed: 0, acksCut: 0, acksDropped: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy!.accept(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
    proxy = new TcpProxy(server, address.port);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Cuts every open connection and refuses new ones until `goOnline`. */
  goOffline(): void {
    this.online = false;
    for (const pair of [...this.pairs]) this.cut(pair);
  }

  goOnline(): void {
    this.online = true;
  }

  setChaos(chaos: Chaos | null): void {
    this.chaos = chaos;
  }

  private accept(client: Socket, targetPort: number): void {
    if (!this.online) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (this.chaosSays('cutChance')) {
        upstream.write(chunk);
        return this.cut(pair);
      }
      upstream.write(chunk);
    });
    const frames = new ServerFrames();
    upstream.on('data', (chunk: Buffer) => {
      for (const piece of frames.push(chunk)) {
        if (!this.pairs.has(pair)) return;
        if (piece.ack && this.chaosSays('ackDropChance')) {
          this.counts.acksDropped += 1;
          continue;
        }
        if (piece.ack && this.chaosSays('ackCutChance')) {
          this.counts.acksCut += 1;
          return this.cut(pair);
        }
        if (this.chaosSays('cutChance')) {
          if (this.chaosSays('swallowChance')) this.counts.swallowed += 1;
          else client.write(piece.bytes);
          return this.cut(pair);
        }
        client.write(piece.bytes);
      }
    });
    const end = () => this.drop(pair);
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }

  private chaosSays(chance: Exclude<keyof Chaos, 'random'>): boolean {
    return this.chaos !== null && this.chaos.random() < this.chaos[chance];
  }

  private cut(pair: Pair): void {
    if (!this.pairs.has(pair)) return;
    this.counts.cuts += 1;
    this.drop(pair);
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    // A hard reset, as with a pulled cable or a dead NAT entry.
    for (const socket of [pair.client, pair.upstream]) if (!socket.destroyed) socket.resetAndDestroy();
  }

  async close(): Promise<void> {
    this.goOffline();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

type Piece = { bytes: Buffer; ack: boolean };

/**
 * Splits what the server sends into pieces: the HTTP response as is and, after a `101 Switching
 * Protocols`, one piece per WebSocket frame. Plain HTTP passes through untouched.
 */
class ServerFrames {
  private buffer = Buffer.alloc(0);
  private mode: 'http' | 'websocket' | 'raw' = 'http';

  push(chunk: Buffer): Piece[] {
    if (this.mode === 'raw') return [{ bytes: chunk, ack: false }];
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const pieces: Piece[] = [];
    if (this.mode === 'http') {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return pieces;
      this.mode = this.buffer.subarray(0, 12).toString('latin1') === 'HTTP/1.1 101' ? 'websocket' : 'raw';
      const rest = this.buffer.subarray(end + 4);
      pieces.push({ bytes: this.mode === 'raw' ? this.buffer : this.buffer.subarray(0, end + 4), ack: false });
      this.buffer = this.mode === 'raw' ? Buffer.alloc(0) : rest;
    }
    for (let frame = this.nextFrame(); frame; frame = this.nextFrame()) pieces.push(frame);
    return pieces;
  }

  /** The next whole (unmasked, server-sent) frame in the buffer, if it has arrived. */
  private nextFrame(): Piece | undefined {
    const b = this.buffer;
    if (b.length < 2) return undefined;
    let length = b[1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      header = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      length = Number(b.readBigUInt64BE(2));
      header = 10;
    }
    if (b.length < header + length) return undefined;
    const bytes = b.subarray(0, header + length);
    this.buffer = b.subarray(header + length);
    const text = (b[0]! & 0x0f) === 1 ? bytes.subarray(header, header + 16).toString('latin1') : '';
    return { bytes, ack: ACK_PACKET.test(text) };
  }
}
