// The environment of CONTRACT section 1, parsed once at start.
export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  seedDemo: boolean;
  /** Unset → the admin API is off. */
  adminToken: string | null;
  /** Unset → same-origin only. */
  allowedOrigins: string[] | null;
  ratePerSecond: number;
  /** Unset → generated once and kept in the database. */
  sessionSecret: string | null;
  redisUrl: string | null;
  /** With Redis: how often each process beats for presence; one silent for three beats counts as dead. */
  presenceHeartbeatMs: number;
  dev: boolean;
  /** False (INBOX_WEB=0) → no Next: only /api/* and the socket answer; for tests. */
  web: boolean;
};

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== '' ? value.trim() : null;
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (nonEmpty(value) === null) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

export function loadConfig(env: Record<string, string | undefined>, argv: string[]): Config {
  const dev = argv.includes('--dev') && env.NODE_ENV !== 'production';
  const port = nonEmpty(env.PORT) === null ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? 'file:./data/inbox.db',
    seedDemo: env.SEED_DEMO !== '0',
    adminToken: nonEmpty(env.ADMIN_TOKEN),
    allowedOrigins: nonEmpty(env.ALLOWED_ORIGINS)?.split(',').map((o) => o.trim()).filter(Boolean) ?? null,
    ratePerSecond: positiveNumber('RATE_LIMIT_PER_SOCKET', env.RATE_LIMIT_PER_SOCKET, 20),
    sessionSecret: nonEmpty(env.SESSION_SECRET),
    redisUrl: nonEmpty(env.REDIS_URL),
    // 10 s: a process killed without a word has its users offline elsewhere within 4 beats + 2 s = 42 s.
    presenceHeartbeatMs: positiveNumber('PRESENCE_HEARTBEAT_MS', env.PRESENCE_HEARTBEAT_MS, 10_000),
    dev,
    web: env.INBOX_WEB !== '0',
  };
}
