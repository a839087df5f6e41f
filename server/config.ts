// The environment of CONTRACT section 1, parsed once at start.
export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  seedDemo: boolean;
  /** Unset → the admin API is off. At least ADMIN_TOKEN_MIN_LENGTH characters. */
  adminToken: string | null;
  /** TRUST_PROXY=1: the first X-Forwarded-For entry names the client, X-Forwarded-Proto says https. */
  trustProxy: boolean;
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

/** A bearer token anyone can guess at must be long: 32 characters (e.g. `openssl rand -hex 16`). */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/** Throws with a message for the operator when the configuration must not be served. */
export function checkConfig(config: Pick<Config, 'adminToken'>): void {
  if (config.adminToken !== null && config.adminToken.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new Error(
      `ADMIN_TOKEN must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (it has ${config.adminToken.length}); ` +
        'generate one with `openssl rand -hex 16`, or unset it to turn the admin API off',
    );
  }
}

export function loadConfig(env: Record<string, string | undefined>, argv: string[]): Config {
  const dev = argv.includes('--dev') && env.NODE_ENV !== 'production';
  const port = nonEmpty(env.PORT) === null ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const config: Config = {
    port,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    databaseUrl: nonEmpty(env.DATABASE_URL) ?? 'file:./data/inbox.db',
    seedDemo: env.SEED_DEMO !== '0',
    adminToken: nonEmpty(env.ADMIN_TOKEN),
    trustProxy: env.TRUST_PROXY === '1',
    allowedOrigins: nonEmpty(env.ALLOWED_ORIGINS)?.split(',').map((o) => o.trim()).filter(Boolean) ?? null,
    ratePerSecond: positiveNumber('RATE_LIMIT_PER_SOCKET', env.RATE_LIMIT_PER_SOCKET, 20),
    sessionSecret: nonEmpty(env.SESSION_SECRET),
    redisUrl: nonEmpty(env.REDIS_URL),
    // 10 s: a process killed without a word has its users offline elsewhere within 4 beats + 2 s = 42 s.
    presenceHeartbeatMs: positiveNumber('PRESENCE_HEARTBEAT_MS', env.PRESENCE_HEARTBEAT_MS, 10_000),
    dev,
    web: env.INBOX_WEB !== '0',
  };
  checkConfig(config);
  return config;
}
