// Next.js as a request handler inside our HTTP server. Upgrades are routed by app.ts: only Next's hot
// reload (dev) reaches Next; /ws/inbox/ belongs to socket.io.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';

export type Web = {
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Present in dev mode only. */
  upgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | null;
  close: () => Promise<void>;
};

export async function startWeb(options: { dir: string; dev: boolean; hostname: string; port: number }): Promise<Web> {
  const app = next({
    dev: options.dev,
    dir: options.dir,
    hostname: options.hostname,
    port: options.port,
    // Next hooks its own 'upgrade' listener onto this server at the first request; it gets a server that
    // never listens, because upgrades are routed by us.
    httpServer: createServer(),
  });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = options.dev ? app.getUpgradeHandler() : null;
  return {
    handle: (req, res) => handle(req, res),
    upgrade: upgrade ? (req, socket, head) => void upgrade(req, socket, head) : null,
    close: () => app.close(),
  };
}
