// Presence (CONTRACT section 8): a user is online while they hold at least one socket anywhere. When that
// changes (first socket, last socket gone), the counterpart of each of their conversations gets `presence`,
// at most once per 2 s per user: a flapping connection does not spam, and the final state always gets
// through. When the last socket goes, `last_seen_at` is stored (within a second). The counting is a
// PresenceStore's: in this process, or shared through Redis (presence-redis.ts). connection.ts hands every
// socket to `track`; the conversation list asks `summaries` for the counterparts' state.
import type { ConversationSummary } from '../../protocol';
import type { Connected } from '../db/connect';
import { listCounterparts, type ListedConversation } from '../db/conversations';
import type { InFlight } from '../in-flight';
import type { Logger } from '../log';
import { toEachUser } from './broadcast';
import { LocalPresenceStore, type PresenceStore } from './presence-store';
import { RedisPresenceStore } from './presence-redis';
import type { InboxServer, InboxSocket } from './types';

/** At most one announcement per user this often. */
export const PRESENCE_WINDOW_MS = 2000;
/** last_seen_at writes wait this long to be stored together: one transaction (one fsync) for all of them. */
const LAST_SEEN_FLUSH_MS = 1000;

type Deps = Pick<Connected, 'db' | 'write'> & { io: InboxServer; log: Logger; inFlight: InFlight };

export class Presence {
  /** Users whose settling waits for the window to end. */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Per user, the settling in progress: one at a time, so announcements leave in the order decided. */
  private readonly settling = new Map<number, Promise<void>>();
  /** last_seen_at to store at the next flush. */
  private readonly lastSeen = new Map<number, string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly deps: Deps,
    private readonly store: PresenceStore,
  ) {
    store.onUnsettled?.((userIds) => userIds.forEach((id) => this.settle(id)));
  }

  /** Counts the socket while it is open; the user's first and last socket settle their presence. */
  track(socket: InboxSocket): void {
    const { userId } = socket.data.user;
    const joined = this.run(async () => {
      if (await this.store.join(userId)) this.settle(userId);
    });
    socket.once('disconnect', () => {
      void this.run(async () => {
        await joined;
        if (await this.store.leave(userId)) this.settle(userId);
      });
    });
  }

  /**
   * The list's summaries with each counterpart's presence as last announced: online, or offline since the
   * announced time; the stored last_seen_at where nothing was announced since the store began.
   */
  async summaries(listed: readonly ListedConversation[]): Promise<ConversationSummary[]> {
    const said = await this.store.saidOf([...new Set(listed.map((c) => c.counterpartId))]);
    return listed.map(({ summary, counterpartId }) => {
      const state = said.get(counterpartId);
      if (!state) return summary;
      const lastSeenAt = state.online ? null : new Date(state.at).toISOString();
      return { ...summary, counterpart: { ...summary.counterpart, online: state.online, last_seen_at: lastSeenAt } };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.flushLastSeen();
    await this.store.close();
  }

  /** Compares the user's state with what was last said, and announces it, now or when the window ends. */
  private settle(userId: number): void {
    if (this.closed) return;
    const previous = this.settling.get(userId) ?? Promise.resolve();
    const next = this.run(
      previous.then(async () => {
        const decision = await this.store.settle(userId, PRESENCE_WINDOW_MS);
        if (decision.kind === 'wait') this.later(userId, decision.ms);
        else if (decision.kind === 'announce') await this.announce(userId, decision.online, decision.at);
      }),
    );
    this.settling.set(userId, next);
    void next.then(() => {
      if (this.settling.get(userId) === next) this.settling.delete(userId);
    });
  }

  private later(userId: number, ms: number): void {
    if (this.timers.has(userId) || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(userId);
      this.settle(userId);
    }, ms);
    timer.unref();
    this.timers.set(userId, timer);
  }

  private async announce(userId: number, online: boolean, at: number): Promise<void> {
    const lastSeenAt = online ? null : new Date(at).toISOString();
    if (lastSeenAt) this.storeLastSeen(userId, lastSeenAt);
    const conversations = await listCounterparts(this.deps.db, userId);
    toEachUser(
      this.deps.io,
      'presence',
      conversations.map((c) => [c.counterpartId, { conversation_id: c.conversationId, online, last_seen_at: lastSeenAt }]),
    );
  }

  /**
   * Stored within a second, with every other one of that second in one transaction: a crowd leaving costs
   * one fsync, not one each (on SQLite every commit is one, on the event loop). The list does not wait for
   * it: it shows the time announced.
   */
  private storeLastSeen(userId: number, at: string): void {
    this.lastSeen.set(userId, at);
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => void this.run(() => this.flushLastSeen()), LAST_SEEN_FLUSH_MS);
    this.flushTimer.unref();
  }

  private async flushLastSeen(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = [...this.lastSeen];
    this.lastSeen.clear();
    if (batch.length === 0) return;
    await this.deps.write('recordLastSeen', batch);
  }

  /** Tracked, so that a shutdown waits for it; a failure is logged, never thrown at a socket. */
  private run(work: Promise<void> | (() => Promise<void>)): Promise<void> {
    const promise = typeof work === 'function' ? work() : work;
    return this.deps.inFlight.track(promise.catch((error: unknown) => this.deps.log.warn({ err: error }, 'presence failed')));
  }
}

/** In this process, or through Redis when it is configured. */
export function createPresence(deps: Deps, redis: { url: string; heartbeatMs: number } | null): Presence {
  const store = redis ? new RedisPresenceStore(redis.url, { heartbeatMs: redis.heartbeatMs, log: deps.log }) : new LocalPresenceStore();
  return new Presence(deps, store);
}
