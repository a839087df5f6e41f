// startServer: one HTTP server with the JSON API, the inbox socket and (unless `web: false`) the Next pages.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SOCKET_PATH } from '../protocol';
import { createThrottles } from './auth/throttle';
import { checkConfig, loadConfig, type Config } from './config';
import type { AppContext } from './context';
import { connect, type Connected } from './db/connect';
import { prepareDatabase } from './db/migrate';
import { handleApi } from './http/api';
import { gatePage } from './http/inbox-gate';
import { sendJson } from './http/respond';
import { HTTP_LIMITS, type HttpLimits } from './http/limits';
import { setSecurityHeaders } from './http/security-headers';
import { InFlight } from './in-flight';
import { log as defaultLog, type Logger } from './log';
import { createMetrics } from './metrics';
import { createPresence } from './socket/presence';
import { attachRedis, createSocketServer } from './socket/io';
import { serveInbox } from './socket/serve';
import { cleanUpEndedSessions } from './socket/session-expiry';
import type { InboxServer } from './socket/types';
import { PROJECT_ROOT } from './paths';
import { startWeb, type Web } from './web';

export type RunningServer = Connected & {
  url: string;
  port: number;
  /** The one HTTP server (tests hand it connections, e.g. TLS ones). */
  httpServer: HttpServer;
  io: InboxServer;
  /** Graceful: stop accepting, disconnect sockets, finish frames in flight, close Redis and the database. */
  close: () => Promise<void>;
};

export type StartOptions = Partial<Config> & { log?: Logger; httpLimits?: Partial<HttpLimits> };

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { log = defaultLog, httpLimits, ...overrides } = options;
  const config: Config = { ...loadConfig({}, []), ...overrides };
  checkConfig(config);
  const limits: HttpLimits = { ...HTTP_LIMITS, ...httpLimits };
  // The sockets are counted at each scrape, once the socket server exists.
  const metrics = createMetrics(() => io.of('/').sockets.size);
  const connected = connect(config.databaseUrl, log, metrics.committed);
  const prepared = await prepareDatabase(connected, { seedDemo: config.seedDemo });
  if (prepared.seeded && process.env.NODE_ENV === 'production') {
    log.warn(
      'DEMO ACCOUNTS SEEDED IN PRODUCTION: client@demo.test, worker@demo.test and worker2@demo.test sign in with ' +
        'the published password demo1234. Start an empty database with SEED_DEMO=0 for real use.',
    );
  }

  // Next starts once the port is known; a page asked for before that waits for it (the API answers at once).
  let web: Web | null = null;
  let portKnown: (port: number) => void = () => {};
  const webReady: Promise<Web> | null = config.web
    ? new Promise<number>((resolve) => (portKnown = resolve)).then((port) =>
        startWeb({ dir: PROJECT_ROOT, dev: config.dev, hostname: config.host, port }),
      )
    : null;
  const httpServer = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (req, res) => void handleRequest(req, res),
  );
  httpServer.maxConnections = limits.maxConnections;
  const io = createSocketServer(httpServer);
  // Prepended after socket.io wrapped the request listeners, so engine.io's own answers carry them too.
  httpServer.prependListener('request', (req, res) => setSecurityHeaders(req, res, config.dev));
  const redis = config.redisUrl ? attachRedis(io, config.redisUrl, log) : null;
  const sessionSecret = config.sessionSecret ?? prepared.sessionSecret;
  const inFlight = new InFlight();
  const presenceRedis = config.redisUrl ? { url: config.redisUrl, heartbeatMs: config.presenceHeartbeatMs } : null;
  const ctx: AppContext = {
    ...connected,
    config,
    sessionSecret,
    io,
    log,
    metrics,
    inFlight,
    presence: createPresence({ ...connected, io, log, inFlight }, presenceRedis),
    redisReady: () => redis?.isReady() ?? false,
    // Processes of one inbox share the session secret, and so their counters.
    throttles: createThrottles({ redisUrl: config.redisUrl, scope: sessionSecret, log }),
    keepForRedisReturn: (key, work) => redis?.keepForReturn(key, work),
  };
  serveInbox(ctx);
  const stopSessionCleanup = cleanUpEndedSessions(ctx);

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/api' || pathname.startsWith('/api/')) return await handleApi(ctx, req, res, pathname);
      if (await gatePage(ctx, req, res, pathname)) return;
      if (!webReady) return sendJson(res, 404, { error: 'not found' });
      // Next's image optimizer is unused (next.config.js turns it off); it must not fetch or resize on request.
      if (pathname.startsWith('/_next/image')) return sendJson(res, 404, { error: 'not found' });
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

  // Counting starts in Redis, not in this process, when Redis is there (without waiting long when it is not).
  await ctx.throttles.started;
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
    stopSessionCleanup();
    io.local.disconnectSockets(true);
    io.engine.close();
    await ctx.inFlight.drain();
    log.debug('shutdown: frames in flight done');
    await ctx.presence.close();
    redis?.close();
    ctx.throttles.close();
    httpServer.closeAllConnections();
    for (const connection of connections) connection.destroy();
    await closed;
    log.debug('shutdown: http server closed');
    await web?.close();
    log.debug('shutdown: pages closed');
    await connected.close();
  }

  return { ...connected, url, port, httpServer, io, close };
}
