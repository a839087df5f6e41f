// Where presence is counted: in this process (no REDIS_URL), or in Redis, shared by every process
// (presence-redis.ts). Both keep, per user, the sockets open and what the counterparts were last told.

/** A user's state as last announced to their counterparts, and when (ms since the epoch). */
export type Said = { online: boolean; at: number };

/**
 * What settling a user's presence comes to: nothing to tell, wait `ms` (the last announcement is too recent),
 * or announce `online` now (`at`, the time it is recorded as).
 */
export type Decision = { kind: 'same' } | { kind: 'wait'; ms: number } | { kind: 'announce'; online: boolean; at: number };

/**
 * The coalescing rule: tell the counterparts only what differs from what they were told, and at most once
 * per `windowMs` per user; a state nobody was told yet (a fresh store) is told. Whatever waits is settled
 * again when the window ends, so the final state always gets through. presence-redis.ts runs the same rule
 * in Lua, atomically across processes.
 */
export function decide(online: boolean, said: Said | undefined, now: number, windowMs: number): Decision {
  if (said && said.online === online) return { kind: 'same' };
  if (said && now - said.at < windowMs) return { kind: 'wait', ms: said.at + windowMs - now };
  return { kind: 'announce', online, at: now };
}

export interface PresenceStore {
  /** One more socket of the user here; true when it may have brought the user online (settle then). */
  join(userId: number): Promise<boolean>;
  /** One socket fewer; true when it may have taken the user offline (settle then). */
  leave(userId: number): Promise<boolean>;
  /** Applies `decide` to the user's state now; an `announce` is recorded as said. */
  settle(userId: number, windowMs: number): Promise<Decision>;
  /** What each of these users' counterparts were last told (absent: nothing since the store began). */
  saidOf(userIds: readonly number[]): Promise<Map<number, Said>>;
  /** Users to settle that no socket of this process brought: a dead process's, all after a Redis outage. */
  onUnsettled?(listener: (userIds: number[]) => void): void;
  close(): Promise<void>;
}

/** One process: counts in memory. */
export class LocalPresenceStore implements PresenceStore {
  private readonly sockets = new Map<number, number>();
  private readonly said = new Map<number, Said>();

  async join(userId: number): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    this.sockets.set(userId, count);
    return count === 1;
  }

  async leave(userId: number): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) - 1;
    if (count > 0) this.sockets.set(userId, count);
    else this.sockets.delete(userId);
    return count <= 0;
  }

  async settle(userId: number, windowMs: number): Promise<Decision> {
    const decision = decide(this.sockets.has(userId), this.said.get(userId), Date.now(), windowMs);
    if (decision.kind === 'announce') this.said.set(userId, { online: decision.online, at: decision.at });
    return decision;
  }

  async saidOf(userIds: readonly number[]): Promise<Map<number, Said>> {
    return new Map(userIds.flatMap((id) => {
      const said = this.said.get(id);
      return said ? [[id, said]] : [];
    }));
  }

  async close(): Promise<void> {}
}
