// A round-robin TCP load balancer (node:net) in front of several server processes, as nginx or HAProxy
// would be: each new connection goes to the next backend, and to the one after when that one refuses.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Proxy = {
  url: string;
  /** The backend index each accepted connection was sent to, in order. */
  routes: number[];
  /** While paused, new connections are closed at once (the client keeps retrying). */
  pause: () => void;
  resume: () => void;
  close: () => Promise<void>;
};

export async function startProxy(backendPorts: number[]): Promise<Proxy> {
  const routes: number[] = [];
  const open = new Set<Socket>();
  let next = 0;
  let paused = false;

  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    return socket;
  };

  /** Connects `client` to the next backend that accepts, trying each at most once. */
  function route(client: Socket, triesLeft: number): void {
    if (triesLeft === 0) return void client.destroy();
    const index = next;
    next = (next + 1) % backendPorts.length;
    const upstream = track(connect({ host: '127.0.0.1', port: backendPorts[index]! }));
    upstream.once('error', () => route(client, triesLeft - 1));
    upstream.once('connect', () => {
      routes.push(index);
      upstream.removeAllListeners('error');
      // Either side ending or failing ends the pair, as a dead backend does for a real load balancer.
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        a.on('error', () => b.destroy());
        a.on('close', () => b.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
  }

  const server = createServer((client) => {
    track(client);
    client.on('error', () => client.destroy());
    if (paused) return void client.destroy();
    route(client, backendPorts.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routes,
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
