// Guessing limits for sign-in and the admin token (CONTRACT section 3): failed attempts are counted per
// key in fixed 15-minute windows (rate-limiter-flexible); once a key is over its limit every attempt is
// refused with the seconds left in its window, the right password too. With REDIS_URL the counters live in
// Redis, so every process of one inbox counts together.
//
// An attempt is counted before its password is checked (and handed back when it succeeds), so a burst of
// parallel guesses cannot all slip through before the first failure is recorded.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../log';

export const THROTTLE_WINDOW_SECONDS = 15 * 60;
export const SIGN_IN_LIMITS = { perEmailAndAddress: 10, perAddress: 100 } as const;
/** Failed admin calls (wrong or missing bearer token) per client address and window. */
export const ADMIN_FAILURES_PER_ADDRESS = 100;

type Rule = { name: string; points: number; /** A success clears the key instead of only handing its point back. */ resetOnSuccess: boolean };

export type Outcome = 'success' | 'failure' | 'not-checked';
export type Attempt =
  | { allowed: true; settle: (outcome: Outcome) => Promise<void> }
  | { allowed: false; retryAfterSeconds: number };

export class Throttle {
  constructor(private readonly counters: { rule: Rule; limiter: RateLimiterAbstract }[]) {}

  /** Counts one attempt under each key (one key per rule, in the rules' order). */
  async attempt(keys: string[]): Promise<Attempt> {
    const counted: number[] = [];
    for (const [i, { limiter }] of this.counters.entries()) {
      try {
        await limiter.consume(keys[i]!);
        counted.push(i);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        // A refused attempt counts under no key: hand back what this one took from the others.
        await Promise.all(counted.map((j) => this.counters[j]!.limiter.reward(keys[j]!)));
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    }
    return {
      allowed: true,
      settle: async (outcome) => {
        if (outcome === 'failure') return;
        await Promise.all(
          this.counters.map(({ rule, limiter }, i) =>
            outcome === 'success' && rule.resetOnSuccess ? limiter.delete(keys[i]!) : limiter.reward(keys[i]!),
          ),
        );
      },
    };
  }
}

export type Throttles = {
  /** Keys: `${address} ${email}`, then the address. */
  signIn: Throttle;
  /** Key: the address. */
  admin: Throttle;
  /** Settles once Redis has answered its first connection (ready or refused), or after 2 s; at once without Redis. */
  started: Promise<void>;
  close: () => void;
};

/**
 * `scope` keeps the counters of different inboxes sharing one Redis apart; the processes of one inbox
 * share it (it is derived from the session secret, which they share).
 */
export function createThrottles(options: { redisUrl: string | null; scope: string; log: Logger }): Throttles {
  const { redisUrl, log } = options;
  // Its own connection, which fails fast: no offline queue, one-second commands.
  const redis = redisUrl
    ? new Redis(redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 1000,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      })
    : null;
  let warned = false;
  redis?.on('error', (error: Error) => {
    if (!warned) log.warn({ err: error.message }, 'sign-in throttle: redis unreachable, counting in this process');
    warned = true;
  });
  redis?.on('ready', () => (warned = false));

  const prefix = `inbox:throttle:${createHash('sha256').update(options.scope).digest('hex').slice(0, 16)}`;
  const build = (rule: Rule) => {
    const base = { keyPrefix: `${prefix}:${rule.name}`, points: rule.points, duration: THROTTLE_WINDOW_SECONDS };
    if (!redis) return { rule, limiter: new RateLimiterMemory(base) };
    // While Redis is down or slow, each process counts on its own (insuranceLimiter). This fails open to a
    // weaker limit, not closed: an outage of a cache must not lock every user out of sign-in, and an
    // attacker still meets the same limit in every process.
    const limiter = new RateLimiterRedis({
      ...base,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(base),
    });
    return { rule, limiter };
  };

  return {
    signIn: new Throttle([
      build({ name: 'sign-in-email', points: SIGN_IN_LIMITS.perEmailAndAddress, resetOnSuccess: true }),
      build({ name: 'sign-in-address', points: SIGN_IN_LIMITS.perAddress, resetOnSuccess: false }),
    ]),
    admin: new Throttle([build({ name: 'admin-address', points: ADMIN_FAILURES_PER_ADDRESS, resetOnSuccess: false })]),
    started: redis
      ? new Promise<void>((settle) => {
          const timer = setTimeout(settle, 2000);
          const done = () => {
            clearTimeout(timer);
            settle();
          };
          redis.once('ready', done).once('error', done);
        })
      : Promise.resolve(),
    close: () => redis?.disconnect(),
  };
}
