// What the Redis fan-out does while Redis is down. Nothing is queued for it: a broadcast reaches this
// process's sockets only, and the others catch up through `sync` (a queue would hold every broadcast of the
// outage in memory and replay it late). What clients cannot catch up on by themselves is kept, bounded, and
// sent again once Redis is back: a sign-out's disconnect, and the conversation list of a live join.
import { RedisAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { BroadcastOptions } from 'socket.io-adapter';
import type { Logger } from '../log';

/** Entries kept during an outage; beyond it the oldest is dropped (and logged). */
const MAX_KEPT = 1000;
/**
 * The other processes reconnect to Redis on their own, up to the retry strategy's 2 s apart; what is sent
 * again when this process is back is sent once more after this, when every subscriber is back too.
 */
const RESEND_AFTER_MS = 5_000;

type Work = () => void;

export class OutageRetries {
  private readonly kept = new Map<string, Work>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ready: () => boolean,
    private readonly log: Logger,
  ) {}

  /** While Redis is down, keeps `work` under `key` (a later one replaces it) for when it is back. */
  keep(key: string, work: Work): void {
    if (this.ready()) return;
    this.kept.delete(key);
    this.kept.set(key, work);
    if (this.kept.size <= MAX_KEPT) return;
    const oldest = this.kept.keys().next().value as string;
    this.kept.delete(oldest);
    this.log.warn({ dropped: oldest }, 'too much kept for Redis to come back: dropped the oldest');
  }

  /** Redis is back: runs what was kept, now and once more a little later. */
  drain(): void {
    if (this.kept.size === 0) return;
    const works = [...this.kept.values()];
    this.kept.clear();
    const run = () => {
      for (const work of works) {
        try {
          work();
        } catch (error) {
          this.log.error({ err: error }, 'sending again after a Redis outage failed');
        }
      }
    };
    run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.ready()) run();
    }, RESEND_AFTER_MS);
    timer.unref();
    this.timers.add(timer);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.kept.clear();
  }
}

/**
 * What the adapter publishes through: Redis while it is ready, else nothing (the publishing client has no
 * offline queue). A publish Redis refuses is dropped, never an unhandled rejection.
 */
export function publisherFor(pub: Redis) {
  const publisher = {
    publish: (channel: string, message: string | Buffer): Promise<number> =>
      pub.status === 'ready' ? pub.publish(channel, message).catch(() => 0) : Promise.resolve(0),
    // The adapter counts subscribers with it (for requests this app does not make).
    send_command: (command: string, args: (string | number)[], callback: (error: unknown, reply?: unknown) => void) =>
      void pub.call(command, ...args).then((reply) => callback(null, reply), callback),
    on: (event: string, listener: (...args: unknown[]) => void) => (pub.on(event, listener), publisher),
    off: (event: string, listener: (...args: unknown[]) => void) => (pub.off(event, listener), publisher),
  };
  return publisher;
}

/** The Redis adapter, with a sign-out's disconnect of other processes' sockets kept through an outage. */
export class OutageAwareAdapter extends RedisAdapter {
  constructor(
    nsp: unknown,
    pub: ReturnType<typeof publisherFor>,
    sub: Redis,
    private readonly retries: OutageRetries,
  ) {
    super(nsp, pub, sub);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    if (!opts.flags?.local) {
      this.retries.keep(`disconnect:${[...opts.rooms].join(',')}`, () => this.disconnectSockets(opts, close));
    }
    super.disconnectSockets(opts, close);
  }
}
