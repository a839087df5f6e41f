// startServer: one HTTP server with the JSON API, the inbox socket and (unless `web: false`) the Next pages.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SOCKET_PATH } from '../protocol';
import { loadConfig, type Config } from './config';
import type { AppContext } from './context';
import { connect, type Connected } from './db/connect';
import { prepareDatabase } from './db/migrate';
import { handleApi } from './http/api';
import { gatePage } from './http/inbox-gate';
import { sendJson } from './http/respond';
import { InFlight } from './in-flight';
import { log as defaultLog, type Logger } from './log';
import { onConnection } from './socket/connection';
import { handshake } from './socket/handshake';
import { createPresence } from './socket/presence';
import { attachRedis, createSocketServer } from './socket/io';
import type { InboxServer } from './socket/types';
import { PROJECT_ROOT } from './paths';
import { startWeb, type Web } from './web';

export type RunningServer = Connected & {
  url: string;
  port: number;
  io: InboxServer;
  /** Graceful: stop accepting, disconnect sockets, finish frames in flight, close Redis and the database. */
  close: () => Promise<void>;
};

export type StartOptions = Partial<Config> & { log?: Logger };

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { log = defaultLog, ...overrides } = options;
  const config: Config = { ...loadConfig({}, []), ...overrides };
  const connected = connect(config.databaseUrl, log);
  const prepared = await prepareDatabase(connected, { seedDemo: config.seedDemo });

  // Next starts once the port is known; a page asked for before that waits for it (the API answers at once).
  let web: Web | null = null;
  let portKnown: (port: number) => void = () => {};
  const webReady: Promise<Web> | null = config.web
    ? new Promise<number>((resolve) => (portKnown = resolve)).then((port) =>
        startWeb({ dir: PROJECT_ROOT, dev: config.dev, hostname: config.host, port }),
      )
    : null;
  const httpServer = createServer((req, res) => void handleRequest(req, res));
  const io = createSocketServer(httpServer);
  const redis = config.redisUrl ? attachRedis(io, config.redisUrl, log) : null;
  const inFlight = new InFlight();
  const presenceRedis = config.redisUrl ? { url: config.redisUrl, heartbeatMs: config.presenceHeartbeatMs } : null;
  const ctx: AppContext = {
    ...connected,
    config,
    sessionSecret: config.sessionSecret ?? prepared.sessionSecret,
    io,
    log,
    inFlight,
    presence: createPresence({ ...connected, io, log, inFlight }, presenceRedis),
    redisReady: () => redis?.isReady() ?? false,
  };
  io.use(handshake(ctx));
  io.on('connection', (socket) => onConnection(ctx, socket));

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/api' || pathname.startsWith('/api/')) return await handleApi(ctx, req, res, pathname);
      if (await gatePage(ctx, req, res, pathname)) return;
      if (!webReady) return sendJson(res, 404, { error: 'not found' });
      // Browsers that ignore the page's icon link still ask for /favicon.ico.
      if (pathname === '/favicon.ico') return void res.writeHead(308, { location: '/icon.svg' }).end();
      await (await webReady).handle(req, res);
    } catch (error) {
      log.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    }
  }

  // Upgraded connections (WebSockets) are no longer the HTTP server's to close: shutdown ends them itself.
  const connections = new Set<Socket>();
  httpServer.on('connection', (connection: Socket) => {
    connections.add(connection);
    connection.once('close', () => connections.delete(connection));
  });

  httpServer.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const path = req.url ?? '';
    if (path.startsWith(SOCKET_PATH)) return; // engine.io's own listener takes it
    if (web?.upgrade && path.startsWith('/_next/')) web.upgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((done, fail) => {
    httpServer.once('error', fail);
    httpServer.listen(config.port, config.host, () => done());
  });
  const { port } = httpServer.address() as AddressInfo;
  portKnown(port);
  if (webReady) web = await webReady;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  async function close(): Promise<void> {
    const closed = new Promise<void>((done) => httpServer.close(() => done()));
    httpServer.closeIdleConnections();
    io.local.disconnectSockets(true);
    io.engine.close();
    await ctx.inFlight.drain();
    log.debug('shutdown: frames in flight done');
    await ctx.presence.close();
    redis?.close();
    httpServer.closeAllConnections();
    for (const connection of connections) connection.destroy();
    await closed;
    log.debug('shutdown: http server closed');
    await web?.close();
    log.debug('shutdown: pages closed');
    await connected.db.destroy();
  }

  return { ...connected, url, port, io, close };
}
