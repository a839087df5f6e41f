// What the HTTP routes and socket handlers share: the database, the config, the socket server.
import type { Throttles } from './auth/throttle';
import type { Config } from './config';
import type { Connected } from './db/connect';
import type { Presence } from './socket/presence';
import type { InboxServer } from './socket/types';
import type { InFlight } from './in-flight';
import type { Logger } from './log';
import type { Metrics } from './metrics';

/** The database as `connect` opened it (`db`, `dialect`, `write`, `close`), and the rest of the app. */
export type AppContext = Connected & {
  config: Config;
  sessionSecret: string;
  io: InboxServer;
  log: Logger;
  /** What GET /api/metrics shows (this server's own registry). */
  metrics: Metrics;
  inFlight: InFlight;
  /** Who is online; the conversation list's counterpart state. */
  presence: Presence;
  /** Whether the Redis adapter is connected now (false without REDIS_URL). */
  redisReady: () => boolean;
  /** Failed sign-in and admin-token attempts, counted per client (in Redis with REDIS_URL). */
  throttles: Throttles;
  /** While Redis is down, keeps what must still reach the other processes for when it is back (io.ts). */
  keepForRedisReturn: (key: string, work: () => void) => void;
};
