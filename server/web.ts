// Next.js as a request handler inside our HTTP server. Upgrades are routed by app.ts: only Next's hot
// reload (dev) reaches Next; /ws/inbox/ belongs to socket.io.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export type Web = {
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Present in dev mode only. */
  upgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | null;
  close: () => Promise<void>;
};

export async function startWeb(options: { dir: string; dev: boolean; hostname: string; port: number }): Promise<Web> {
  // Loaded here, not at the top: a server without pages (INBOX_WEB=0) starts without Next at all.
  const { default: next } = await import('next');
  // Next hooks its own 'upgrade' listener onto `httpServer` at the first request. It gets a server that
  // never listens, and we hand it only the upgrades that are Next's (hot reload in dev).
  const upgrades = createServer();
  const app = next({
    dev: options.dev,
    dir: options.dir,
    hostname: options.hostname,
    port: options.port,
    httpServer: upgrades,
  });
  await app.prepare();
  const handle = app.getRequestHandler();
  return {
    handle: (req, res) => handle(req, res),
    upgrade: options.dev
      ? (req, socket, head) => {
          if (!upgrades.emit('upgrade', req, socket, head)) socket.destroy(); // before any page was asked for
        }
      : null,
    close: () => app.close(),
  };
}
