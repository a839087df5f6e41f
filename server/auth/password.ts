// scrypt password hashes, stored as `scrypt$N$r$p$salt$hash` (base64url) so the cost can change: a hash
// made with other parameters still verifies, and is replaced at its user's next sign-in (needsRehash).
//
// Every hash runs on libuv's thread pool (4 threads), which Next's file reads share, and keeps a core busy
// for a few hundred milliseconds. A flood of sign-ins (an unknown email costs a hash too) must not take all
// of either, so at most HASHING.concurrency hashes run at once and at most HASHING.queue wait; past that a
// hash fails at once with HashingBusy.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';

type Cost = { N: number; r: number; p: number };

/** OWASP's minimum for scrypt (Password Storage Cheat Sheet): N=2^16, r=8, p=2, 64 MiB per hash. */
export const COST: Cost = { N: 2 ** 16, r: 8, p: 2 };
const KEY_BYTES = 32;

/**
 * The cost of new hashes and of the unknown-email check: COST everywhere except in tests whose subject is
 * not the hash (the sign-in throttle counts attempts, whatever each one costs), which lower it.
 */
let current: Cost = COST;
export function useHashCostForTests(cost: Cost): void {
  current = cost;
}

/**
 * At most 2 hashes at once (of libuv's 4 threads), and never on every core: one stays for the event loop,
 * so on 2 cores one hash runs at a time. At most 32 wait (about 10 s of hashing on one core).
 */
export const HASHING = { concurrency: Math.max(1, Math.min(2, availableParallelism() - 1)), queue: 32 } as const;

/** Too many hashes waiting: the caller answers "busy" at once instead of queueing without end. */
export class HashingBusy extends Error {
  constructor() {
    super('password hashing is saturated');
  }
}

const limit = pLimit(HASHING.concurrency);
let running = 0;
let peakRunning = 0;

/** Hashes running now, waiting now, and the most that ever ran at once (observed by the tests). */
export function hashingStats(): { running: number; queued: number; peakRunning: number } {
  return { running, queued: limit.pendingCount, peakRunning };
}

function scrypt(password: string, salt: Buffer, cost: Cost): Promise<Buffer> {
  if (limit.pendingCount >= HASHING.queue) return Promise.reject(new HashingBusy());
  return limit(async () => {
    running += 1;
    peakRunning = Math.max(peakRunning, running);
    try {
      return await new Promise<Buffer>((resolve, reject) =>
        // maxmem: scrypt needs about 128·N·r bytes; Node's default cap (32 MiB) is below that.
        scryptCallback(password, salt, KEY_BYTES, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, key) =>
          error ? reject(error) : resolve(key),
        ),
      );
    } finally {
      running -= 1;
    }
  });
}

function format(cost: Cost, salt: Buffer, key: Buffer): string {
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { cost: Cost; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return null;
  return { cost: { N: Number(n), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return format(current, salt, await scrypt(password, salt, current));
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.cost);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** A stored hash made with other parameters than today's: replace it once the password is known. */
export function needsRehash(stored: string): boolean {
  const cost = parse(stored)?.cost;
  return !cost || cost.N !== current.N || cost.r !== current.r || cost.p !== current.p;
}

/** A hash that matches no password: verified against when the email is unknown, so timing reveals nothing. */
export function unusableHash(): string {
  return format(current, Buffer.alloc(16), Buffer.alloc(KEY_BYTES));
}
