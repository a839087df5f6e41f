// The socket.io server on the one HTTP server: WebSocket only at /ws/inbox/, no compression (it cuts
// throughput tenfold), frames up to 100 kB. With REDIS_URL, broadcasts fan out through Redis.
import type { Server as HttpServer } from 'node:http';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { LIMITS, SOCKET_PATH } from '../../protocol';
import type { Logger } from '../log';
import { oneWritePerTurn } from './one-write-per-turn';
import { SOCKET_LIMITS } from './limits';
import { OutageAwareAdapter, OutageRetries, publisherFor } from './redis-outage';
import type { InboxServer } from './types';

export function createSocketServer(httpServer: HttpServer): InboxServer {
  const io: InboxServer = new Server(httpServer, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: LIMITS.maxFrameBytes,
    connectTimeout: SOCKET_LIMITS.connectTimeoutMs,
    serveClient: false,
    // Other upgrades (Next's hot reload in dev) are routed by the app, not destroyed by engine.io.
    destroyUpgrade: false,
  });
  oneWritePerTurn(io);
  return io;
}

export type RedisLink = {
  isReady: () => boolean;
  /** While Redis is down, keeps `work` (by key, bounded) to run once it is back; does nothing while it is up. */
  keepForReturn: (key: string, work: () => void) => void;
  close: () => void;
};

/**
 * Attaches the Redis adapter. Both clients reconnect forever. Publishing never queues (redis-outage.ts): while
 * Redis is down, sends are stored, acked and delivered on this process, and other processes' clients catch
 * up through `sync`. The subscriber keeps its queue, for its subscriptions.
 */
export function attachRedis(io: InboxServer, url: string, log: Logger): RedisLink {
  const retryStrategy = (times: number) => Math.min(times * 200, 2000);
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: null, retryStrategy });
  const sub = pub.duplicate({ enableOfflineQueue: true });
  // Fan-out needs both links: one to publish, one to hear the other processes (each reconnects on its own).
  const isReady = () => pub.status === 'ready' && sub.status === 'ready';
  const retries = new OutageRetries(isReady, log);
  // One line per change of state, not one per failed reconnect attempt.
  let state: 'starting' | 'up' | 'down' = 'starting';
  const set = (next: 'up' | 'down') => {
    if (state === next) return;
    state = next;
    if (next === 'up') log.info('redis up');
    else log.warn('redis down');
  };
  const onReady = () => {
    if (!isReady()) return;
    set('up');
    retries.drain();
  };
  for (const client of [pub, sub]) {
    client.on('ready', onReady);
    client.on('close', () => set('down'));
    client.on('error', () => set('down'));
  }
  const publisher = publisherFor(pub);
  // socket.io calls the factory with `new`, so a function, not an arrow.
  io.adapter(function adapter(nsp: unknown) {
    return new OutageAwareAdapter(nsp, publisher, sub, retries);
  });
  return {
    isReady,
    keepForReturn: (key, work) => retries.keep(key, work),
    close: () => {
      retries.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
