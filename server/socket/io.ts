// The socket.io server on the one HTTP server: WebSocket only at /ws/inbox/, no compression (it cuts
// throughput tenfold), frames up to 100 kB. With REDIS_URL, broadcasts fan out through Redis.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { LIMITS, SOCKET_PATH } from '../../protocol';
import type { Logger } from '../log';
import type { InboxServer } from './types';

export function createSocketServer(httpServer: HttpServer): InboxServer {
  return new Server(httpServer, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: LIMITS.maxFrameBytes,
    serveClient: false,
    // Other upgrades (Next's hot reload in dev) are routed by the app, not destroyed by engine.io.
    destroyUpgrade: false,
  });
}

export type RedisLink = { isReady: () => boolean; close: () => void };

/**
 * Attaches the Redis adapter. The clients retry forever and queue while Redis is down, so a send never
 * fails for it: local sockets are served at once, other processes again once Redis returns.
 */
export function attachRedis(io: InboxServer, url: string, log: Logger): RedisLink {
  const pub = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
  const sub = pub.duplicate();
  // One line per change of state, not one per failed reconnect attempt.
  let state: 'starting' | 'up' | 'down' = 'starting';
  const set = (next: 'up' | 'down') => {
    if (state === next) return;
    state = next;
    if (next === 'up') log.info('redis up');
    else log.warn('redis down');
  };
  pub.on('ready', () => set('up'));
  pub.on('close', () => set('down'));
  pub.on('error', () => set('down'));
  sub.on('error', () => {});
  io.adapter(createAdapter(pub, sub));
  return {
    // Fan-out needs both links: one to publish, one to hear the other processes (each reconnects on its own).
    isReady: () => pub.status === 'ready' && sub.status === 'ready',
    close: () => {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
