// A TCP proxy between clients and the server that can go offline (drop every connection and refuse new
// ones until it is back) and, in chaos mode, cuts each connection at a random point: after a random
// number of chunks either way, or by swallowing a server→client chunk (an ack or event that was sent
// but never arrives) before hanging up.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Random } from './prng';

export type Chaos = {
  random: Random;
  /** Chance, per forwarded chunk, that the connection is cut right there. */
  cutChance: number;
  /** Chance that a cut swallows the server's chunk instead of forwarding it first. */
  swallowChance: number;
};

export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private online = true;
  private chaos: Chaos | null = null;
  /** Connections cut (by chaos or going offline), and server chunks swallowed by a cut. */
  cuts = 0;
  swallowed = 0;

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

  get openConnections(): number {
    return this.pairs.size;
  }

  private accept(client: Socket, targetPort: number): void {
    if (!this.online) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket, fromServer: boolean) =>
      from.on('data', (chunk: Buffer) => {
        const chaos = this.chaos;
        if (chaos && chaos.random() < chaos.cutChance) {
          if (fromServer && chaos.random() < chaos.swallowChance) {
            this.swallowed += 1;
            return this.cut(pair);
          }
          to.write(chunk);
          return this.cut(pair);
        }
        to.write(chunk);
      });
    forward(client, upstream, false);
    forward(upstream, client, true);
    const end = () => this.drop(pair);
    for (const socket of pair) {
      socket.on('error', end);
      socket.on('close', end);
    }
  }

  private cut(pair: [Socket, Socket]): void {
    if (!this.pairs.has(pair)) return;
    this.cuts += 1;
    this.drop(pair);
  }

  private drop(pair: [Socket, Socket]): void {
    this.pairs.delete(pair);
    // resetAndDestroy: the peer sees a hard reset, as with a pulled cable or a dead NAT entry.
    for (const socket of pair) if (!socket.destroyed) socket.resetAndDestroy();
  }

  async close(): Promise<void> {
    this.goOffline();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
