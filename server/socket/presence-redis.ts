// Presence shared by every process through Redis (REDIS_URL). Each process keeps a hash of its users' socket
// counts (`presence:proc:<process id>`) and beats in a sorted set (`presence:procs`, scored by the Redis
// server's clock). A user is online while the hash of some live process holds them. A process that dies
// without a word (kill -9) stops beating; after three missed beats the next sweep by any other process takes
// its entry and its hash away, atomically, and settles its users: they show offline within four beats and
// the coalescing window. `presence:said` keeps what each user's counterparts were last told and when, so the
// window holds across processes; `presence:pending` the users whose settling waits for it (so that another
// process finishes it if this one dies meanwhile). Every step that reads and writes is one Lua script, atomic
// on the Redis server, with its clock for every time. Needs one Redis (5 or newer), not a cluster.
//
// While Redis is unreachable nothing waits for it: commands fail at once, the users they concerned are
// remembered, and the list shows who is online on this process. When Redis is back this process writes its
// counts again at once; it sweeps, and settles every user it holds or missed, only once every process has
// had time to reconnect (three beats, at least 5 s), so that no live process is taken for dead and no
// announcement goes out before the others listen again.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log';
import type { Decision, PresenceStore, Said } from './presence-store';

const KEY = {
  procs: 'presence:procs',
  said: 'presence:said',
  pending: 'presence:pending',
  procPrefix: 'presence:proc:',
};

/** Redis's clock, in ms: every process's times come from it, so their clocks need not agree. */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const SCRIPTS = {
  /** KEYS: procs. ARGV: process id. 1 when the process was not listed (first beat, or swept as dead). */
  beat: { keys: 1, lua: `${NOW} return redis.call('ZADD', KEYS[1], now, ARGV[1])` },
  /** KEYS: this process's hash. ARGV: user. */
  leave: {
    keys: 1,
    lua: `local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n`,
  },
  /** KEYS: procs, this process's hash. ARGV: process id, then user, count pairs. */
  restore: {
    keys: 2,
    lua: `${NOW}
redis.call('DEL', KEYS[2])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 1`,
  },
  /**
   * KEYS: procs, said, pending. ARGV: user, window ms, ttl ms, hash prefix. The rule of presence-store.ts's
   * `decide`: {0} same, {1, ms} wait, {2, online, at} announce (recorded as said).
   */
  settle: {
    keys: 3,
    lua: `${NOW}
local user, window, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local online = 0
for _, p in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now - ttl, '+inf')) do
  if redis.call('HEXISTS', ARGV[4] .. p, user) == 1 then online = 1 break end
end
local said = redis.call('HGET', KEYS[2], user)
if said then
  local sep = string.find(said, ':')
  local was, at = tonumber(string.sub(said, 1, sep - 1)), tonumber(string.sub(said, sep + 1))
  if was == online then
    redis.call('ZREM', KEYS[3], user)
    return {0}
  end
  if now - at < window then
    redis.call('ZADD', KEYS[3], at + window, user)
    return {1, at + window - now}
  end
end
redis.call('HSET', KEYS[2], user, online .. ':' .. string.format('%.0f', now))
redis.call('ZREM', KEYS[3], user)
return {2, online, now}`,
  },
  /**
   * KEYS: procs, pending. ARGV: ttl ms, hash prefix, this process's id. Takes away every process that missed
   * its beats (one sweeper wins each) and returns their users, and the users whose wait is over.
   */
  sweep: {
    keys: 2,
    lua: `${NOW}
local users = {}
for _, p in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%.0f', now - tonumber(ARGV[1])))) do
  if p ~= ARGV[3] then
    redis.call('ZREM', KEYS[1], p)
    for _, u in ipairs(redis.call('HKEYS', ARGV[2] .. p)) do users[#users + 1] = u end
    redis.call('DEL', ARGV[2] .. p)
  end
end
for _, u in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do users[#users + 1] = u end
return users`,
  },
} as const;

type Scripted = Redis & {
  beat(procs: string, id: string): Promise<number>;
  leave(hash: string, user: number): Promise<number>;
  restore(procs: string, hash: string, id: string, ...pairs: (string | number)[]): Promise<number>;
  settle(procs: string, said: string, pending: string, user: number, windowMs: number, ttlMs: number, prefix: string): Promise<number[]>;
  sweep(procs: string, pending: string, ttlMs: number, prefix: string, id: string): Promise<string[]>;
};

export type RedisPresenceOptions = {
  /** How often this process beats and sweeps; a process is dead after three missed beats. */
  heartbeatMs: number;
  log: Logger;
};

export class RedisPresenceStore implements PresenceStore {
  private readonly redis: Scripted;
  private readonly id = randomUUID();
  private readonly hash = KEY.procPrefix + this.id;
  private readonly ttlMs: number;
  /** This process's sockets per user: the truth its hash is restored from. */
  private readonly local = new Map<number, number>();
  /** Users whose change Redis did not take (it was unreachable): settled when it is back. */
  private readonly missed = new Set<number>();
  /** Users to settle once every process has had time to reconnect (after a restore). */
  private readonly resettle = new Set<number>();
  /** How long after (re)connecting this process waits before it sweeps or settles what it restored. */
  private readonly quietMs: number;
  private readonly timer: NodeJS.Timeout;
  /** Since when this process has been connected to Redis (null: it is not). */
  private readySince: number | null = null;
  private unsettled: (userIds: number[]) => void = () => {};

  constructor(url: string, private readonly options: RedisPresenceOptions) {
    this.ttlMs = options.heartbeatMs * 3;
    // ioredis retries at most every 2 s (below): 5 s gives every process a chance to be back.
    this.quietMs = Math.max(this.ttlMs, 5000);
    // Fail at once while Redis is down instead of queueing: presence must never hold up a connection.
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    }) as Scripted;
    for (const [name, { keys, lua }] of Object.entries(SCRIPTS)) this.redis.defineCommand(name, { numberOfKeys: keys, lua });
    this.redis.on('error', () => {}); // the adapter's link logs Redis going up and down
    this.redis.on('ready', () => {
      this.readySince = Date.now();
      void this.restore();
    });
    this.redis.on('close', () => (this.readySince = null));
    this.timer = setInterval(() => void this.beat(), options.heartbeatMs);
    this.timer.unref();
  }

  onUnsettled(listener: (userIds: number[]) => void): void {
    this.unsettled = listener;
  }

  async join(userId: number): Promise<boolean> {
    this.local.set(userId, (this.local.get(userId) ?? 0) + 1);
    return this.attempt(userId, false, async () => (await this.redis.hincrby(this.hash, String(userId), 1)) === 1);
  }

  async leave(userId: number): Promise<boolean> {
    const count = (this.local.get(userId) ?? 0) - 1;
    if (count > 0) this.local.set(userId, count);
    else this.local.delete(userId);
    return this.attempt(userId, false, async () => (await this.redis.leave(this.hash, userId)) <= 0);
  }

  async settle(userId: number, windowMs: number): Promise<Decision> {
    return this.attempt(userId, { kind: 'same' }, async () => {
      const [kind, a, b] = await this.redis.settle(KEY.procs, KEY.said, KEY.pending, userId, windowMs, this.ttlMs, KEY.procPrefix);
      if (kind === 0) return { kind: 'same' };
      if (kind === 1) return { kind: 'wait', ms: a! };
      return { kind: 'announce', online: a === 1, at: b! };
    });
  }

  async saidOf(userIds: readonly number[]): Promise<Map<number, Said>> {
    if (userIds.length === 0) return new Map();
    try {
      const said = await this.redis.hmget(KEY.said, ...userIds.map(String));
      return new Map(userIds.flatMap((id, i) => {
        const [online, at] = said[i]?.split(':') ?? [];
        return online === undefined ? [] : [[id, { online: online === '1', at: Number(at) }]];
      }));
    } catch {
      // Redis unreachable: what this process knows (who has a socket here), nothing about the others.
      const now = Date.now();
      return new Map(userIds.filter((id) => this.local.has(id)).map((id) => [id, { online: true, at: now }]));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    try {
      if (this.redis.status === 'ready') await this.redis.multi().del(this.hash).zrem(KEY.procs, this.id).exec();
    } finally {
      this.redis.disconnect();
    }
  }

  /** Runs a Redis step; if Redis does not take it, remembers the user and answers `fallback`. */
  private async attempt<T>(userId: number, fallback: T, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch {
      this.missed.add(userId);
      return fallback;
    }
  }

  /** Writes this process's counts afresh (Redis restarted, or this process was swept), then settles its users. */
  private async restore(): Promise<void> {
    try {
      const pairs = [...this.local].flatMap(([user, count]) => [user, count]);
      await this.redis.restore(KEY.procs, this.hash, this.id, ...pairs);
      for (const user of [...this.local.keys(), ...this.missed]) this.resettle.add(user);
      this.missed.clear();
    } catch (error) {
      this.options.log.warn({ err: error }, 'presence: could not restore counts in Redis');
    }
  }

  private async beat(): Promise<void> {
    try {
      if ((await this.redis.beat(KEY.procs, this.id)) === 1) await this.restore();
      // After an outage every process's beat is old: sweep only once the others have had time to reconnect
      // and beat again, so that none is taken for dead.
      if (this.readySince === null || Date.now() - this.readySince < this.quietMs) return;
      const users = await this.redis.sweep(KEY.procs, KEY.pending, this.ttlMs, KEY.procPrefix, this.id);
      for (const user of users) this.resettle.add(Number(user));
      if (this.resettle.size === 0) return;
      const settle = [...this.resettle];
      this.resettle.clear();
      this.unsettled(settle);
    } catch {
      // Redis unreachable: the next beat after it is back restores and sweeps.
    }
  }
}
