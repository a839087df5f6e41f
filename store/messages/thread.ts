// One conversation's cached history and the pure operations on it (called on immer drafts).
// Confirmed messages sit in `ids` sorted by seq, duplicate-free; optimistic ones in `localIds` in send
// order. `gaplessSeq` is the end of the gap-free run, so a `sync` from it fills any hole.
import type { Message } from '../../protocol';

export type MessageStatus = 'pending' | 'sent' | 'failed';
export type ThreadMessage = Omit<Message, 'seq'> & { seq: number | null; status: MessageStatus };

export type Thread = {
  ids: string[];
  localIds: string[];
  entities: Record<string, ThreadMessage>;
  /** client_id → id, for optimistic copies and the confirmed messages that replaced them. */
  byClientId: Record<string, string>;
  loaded: boolean;
  loading: boolean;
  loadingOlder: boolean;
  hasMore: boolean;
  /** The end of the gap-free run from the oldest cached message: the `after_seq` of this thread's `sync`. */
  gaplessSeq: number;
  /** A `sync` for a gap after `gaplessSeq` is on its way, so a burst of messages asks once. */
  syncing: boolean;
  /** Invalidated while on screen: still shown, no longer a cache. */
  stale: boolean;
  /** Its first history is on its way in the background (hover prefetch), not yet opened: not shown as loading. */
  prefetching: boolean;
};

export function emptyThread(): Thread {
  return {
    ids: [],
    localIds: [],
    entities: {},
    byClientId: {},
    loaded: false,
    loading: false,
    loadingOlder: false,
    hasMore: false,
    gaplessSeq: 0,
    syncing: false,
    stale: false,
    prefetching: false,
  };
}

/** Whether confirmed messages belong in this thread: a cache, a first load on its way, or on screen. */
export function holdsHistory(t: Thread): boolean {
  return t.loaded || t.loading || t.stale;
}

export function messageCount(t: Thread): number {
  return t.ids.length + t.localIds.length;
}

function seqAt(t: Thread, index: number): number {
  return t.entities[t.ids[index]!]!.seq!;
}

/** Index of the first confirmed message with a seq ≥ `seq`. */
function lowerBound(t: Thread, seq: number): number {
  let lo = 0;
  let hi = t.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqAt(t, mid) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function addLocal(t: Thread, m: ThreadMessage): void {
  t.localIds.push(m.id);
  t.entities[m.id] = m;
  t.byClientId[m.id] = m.id;
}

export function removeLocal(t: Thread, id: string): void {
  t.localIds.splice(t.localIds.indexOf(id), 1);
  delete t.entities[id];
  delete t.byClientId[id];
}

/** Puts a confirmed message in its place; its optimistic copy goes. False when it was already there. */
export function insertConfirmed(t: Thread, m: Message): boolean {
  const known = m.client_id === null ? undefined : t.byClientId[m.client_id];
  if (known !== undefined && t.entities[known]?.seq === null) removeLocal(t, known);
  if (t.entities[m.id] !== undefined) return false;
  const at = lowerBound(t, m.seq);
  if (at < t.ids.length && seqAt(t, at) === m.seq) return false;
  t.ids.splice(at, 0, m.id);
  t.entities[m.id] = { ...m, status: 'sent' };
  if (m.client_id !== null) t.byClientId[m.client_id] = m.id;
  return true;
}

export function advanceGaplessSeq(t: Thread): void {
  let i = lowerBound(t, t.gaplessSeq + 1);
  let seq = t.gaplessSeq;
  while (i < t.ids.length && seqAt(t, i) === seq + 1) {
    seq += 1;
    i += 1;
  }
  if (seq !== t.gaplessSeq) t.gaplessSeq = seq;
}

/** A loaded thread holding a message beyond its gap-free run asks (once) for what it missed. */
export function noteGap(t: Thread): void {
  const newest = t.ids.at(-1);
  if (!t.loaded || t.syncing || newest === undefined) return;
  if (t.entities[newest]!.seq! > t.gaplessSeq) t.syncing = true;
}

/**
 * The latest page replaces what it covers: confirmed messages up to its newest seq go; newer ones,
 * which arrived while it was on its way, stay.
 */
export function replaceConfirmed(t: Thread, page: Message[]): void {
  const newest = page.at(-1)?.seq ?? 0;
  const cut = lowerBound(t, newest + 1);
  for (const id of t.ids.slice(0, cut)) dropConfirmed(t, id);
  t.ids.splice(0, cut);
  for (const m of page) insertConfirmed(t, m);
  t.gaplessSeq = (page[0]?.seq ?? 1) - 1;
  advanceGaplessSeq(t);
}

/** Drops every confirmed message, keeping the optimistic ones (they are the outbox). */
export function clearConfirmed(t: Thread): void {
  for (const id of t.ids) dropConfirmed(t, id);
  t.ids = [];
  t.gaplessSeq = 0;
  t.loaded = false;
  t.loading = false;
  t.loadingOlder = false;
  t.hasMore = false;
  t.syncing = false;
  t.stale = false;
  t.prefetching = false;
}

function dropConfirmed(t: Thread, id: string): void {
  const clientId = t.entities[id]?.client_id;
  if (clientId != null && t.byClientId[clientId] === id) delete t.byClientId[clientId];
  delete t.entities[id];
}

export function oldestSeq(t: Thread): number | undefined {
  return t.ids.length > 0 ? seqAt(t, 0) : undefined;
}

/** Marks read the messages of one side (`mine` or not) up to `upToSeq`. */
export function markRead(t: Thread, upToSeq: number, mine: boolean): void {
  for (const id of t.ids.slice(0, lowerBound(t, upToSeq + 1))) {
    const m = t.entities[id]!;
    if (m.is_mine === mine && !m.is_read) m.is_read = true;
  }
}

/** The optimistic messages still to send, in send order. */
export function pendingMessages(t: Thread | undefined): ThreadMessage[] {
  return (t?.localIds ?? []).map((id) => t!.entities[id]!).filter((m) => m.status === 'pending');
}
