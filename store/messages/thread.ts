// One conversation's cached history and the pure operations on it (called on immer drafts).
// Confirmed messages sit in `ids` sorted by seq, duplicate-free; optimistic ones in `localIds` in send
// order. `gaplessSeq` is the end of the gap-free run, so a `sync` from it fills any hole; `rev` is the
// same for edits and deletes, so a `sync` from it brings every change this cache has not seen.
import type { Message, ProtocolError } from '../../protocol';

export type MessageStatus = 'pending' | 'sent' | 'failed';
export type ThreadMessage = Omit<Message, 'seq'> & { seq: number | null; status: MessageStatus };

/**
 * My edit or delete of one of my sent messages: shown at once over the cached copy, sent (and sent again
 * on every connect) until acked; refused, it is rolled back and its error kept until dismissed.
 */
export type MessageChange = {
  /** Names this change, so that the ack of an earlier one does not settle it. */
  id: string;
  kind: 'edit' | 'delete';
  /** The new text of an edit; "" for a delete. */
  text: string;
  /** When it was made (shown as the edit time until the server's comes). */
  at: string;
  status: 'sending' | 'refused';
  /** Why it was refused; null while sending, or when the server never answered. */
  error: ProtocolError | null;
};

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
  /**
   * The conversation revision up to which every edit and delete is in this cache (gap-free, like
   * `gaplessSeq`): the `after_rev` of this thread's `sync`.
   */
  rev: number;
  /** Revisions seen beyond `rev` (a change that overtook an earlier one), ascending. */
  revsAhead: number[];
  /**
   * Changes of messages older than the cache, kept while an older page is on its way: that page may have
   * been read before the change, and the change is applied to it when it comes.
   */
  held: Record<string, Message>;
  /** My edits and deletes not yet acked, or refused and not yet dismissed, by message id. */
  changes: Record<string, MessageChange>;
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
    rev: 0,
    revsAhead: [],
    held: {},
    changes: {},
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

/**
 * A newer copy (higher `rev`) of a cached message replaces it; an older or equal one changes nothing, so
 * copies may arrive in any order. Read marks only go forward. True when it replaced the cached copy.
 */
export function upgrade(t: Thread, m: Message | ThreadMessage): boolean {
  const cached = t.entities[m.id];
  if (cached === undefined || cached.seq === null || m.rev <= cached.rev) return false;
  t.entities[m.id] = { ...m, seq: cached.seq, is_read: cached.is_read || m.is_read, status: 'sent' };
  return true;
}

/**
 * Puts a confirmed message in its place; its optimistic copy goes. A copy of a cached message is merged
 * by `rev`. False when it was already there.
 */
export function insertConfirmed(t: Thread, m: Message): boolean {
  dropOptimisticCopy(t, m);
  if (t.entities[m.id] !== undefined) {
    upgrade(t, m);
    return false;
  }
  const at = lowerBound(t, m.seq);
  if (at < t.ids.length && seqAt(t, at) === m.seq) return false;
  t.ids.splice(at, 0, m.id);
  t.entities[m.id] = { ...m, status: 'sent' };
  if (m.client_id !== null) t.byClientId[m.client_id] = m.id;
  return true;
}

/**
 * A message that came on its own (a broadcast, an ack) goes in its place, unless it is older than a loaded
 * cache: a latest page replaced the cache after it was stored (the ack of a send whose first ack was cut,
 * say). Placed below that page, it would leave the messages between out for good, as paging back starts
 * below the oldest and a sync after the gap-free run. It is left to the older pages (its optimistic copy
 * goes). False when it did not add it.
 */
export function insertArrived(t: Thread, m: Message): boolean {
  if (!olderThanCache(t, m)) return insertConfirmed(t, m);
  dropOptimisticCopy(t, m);
  return false;
}

/** The optimistic copy of a confirmed message goes: the confirmed one replaces it. */
function dropOptimisticCopy(t: Thread, m: Message): void {
  const known = m.client_id === null ? undefined : t.byClientId[m.client_id];
  if (known !== undefined && t.entities[known]?.seq === null) removeLocal(t, known);
}

/** Older than a loaded cache's oldest message: the older pages bring it (a first load takes any). */
function olderThanCache(t: Thread, m: Message): boolean {
  const oldest = oldestSeq(t);
  return !t.loading && oldest !== undefined && m.seq < oldest;
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

/**
 * A message as it is after an edit or a delete (`message_updated`, an edit's ack, a changed message in a
 * `sync` answer). A cached copy is merged by `rev`. One not cached yet, because the change overtook the
 * message itself, is the message: it goes in its place (and a later, older copy changes nothing). One
 * older than the cache is left to the page that will bring it, unless a page is on its way now.
 * True when it added a message.
 */
export function applyChange(t: Thread, m: Message): boolean {
  if (t.entities[m.id] !== undefined) {
    upgrade(t, m);
    return false;
  }
  if (olderThanCache(t, m)) {
    if (t.loadingOlder && (t.held[m.id]?.rev ?? -1) < m.rev) t.held[m.id] = m;
    return false;
  }
  return insertConfirmed(t, m);
}

/** Applies the changes held for the page that has just come, and forgets them. */
export function releaseHeld(t: Thread): void {
  const held = Object.values(t.held);
  if (held.length === 0) return;
  for (const m of held) upgrade(t, m);
  t.held = {};
}

/** A change of revision `rev` is in the cache: the gap-free run of revisions moves on where it can. */
export function noteRev(t: Thread, rev: number): void {
  if (rev <= t.rev || t.revsAhead.includes(rev)) return;
  if (rev !== t.rev + 1) {
    t.revsAhead = [...t.revsAhead, rev].sort((a, b) => a - b);
    return;
  }
  t.rev = rev;
  absorbRevs(t);
}

/** Every change up to `rev` is in the cache (a latest page or a `sync` answer said so). */
export function catchUpRev(t: Thread, rev: number): void {
  if (rev > t.rev) t.rev = rev;
  if (t.revsAhead.some((r) => r <= t.rev)) t.revsAhead = t.revsAhead.filter((r) => r > t.rev);
  absorbRevs(t);
}

function absorbRevs(t: Thread): void {
  let n = 0;
  while (t.revsAhead[n] === t.rev + n + 1) n += 1;
  if (n === 0) return;
  t.rev += n;
  t.revsAhead = t.revsAhead.slice(n);
}

/**
 * A loaded thread holding a message beyond its gap-free run, or a change beyond its gap-free revisions,
 * asks (once) for what it missed.
 */
export function noteGap(t: Thread): void {
  if (!t.loaded || t.syncing) return;
  const newest = t.ids.at(-1);
  const seqGap = newest !== undefined && t.entities[newest]!.seq! > t.gaplessSeq;
  if (seqGap || t.revsAhead.length > 0) t.syncing = true;
}

/**
 * The latest page replaces what it covers: confirmed messages up to its newest seq go; newer ones,
 * which arrived while it was on its way, stay.
 */
export function replaceConfirmed(t: Thread, page: Message[]): void {
  const newest = page.at(-1)?.seq ?? 0;
  const cut = lowerBound(t, newest + 1);
  // A change that reached the cache while the page was on its way is newer than the page's copy.
  const changed = t.ids.slice(0, cut).map((id) => t.entities[id]!).filter((m) => m.rev > 0);
  for (const id of t.ids.slice(0, cut)) dropConfirmed(t, id);
  t.ids.splice(0, cut);
  for (const m of page) insertConfirmed(t, m);
  for (const m of changed) upgrade(t, m);
  releaseHeld(t);
  t.gaplessSeq = (page[0]?.seq ?? 1) - 1;
  advanceGaplessSeq(t);
}

/**
 * Drops every confirmed message, keeping the optimistic ones (they are the outbox) and the edits and
 * deletes still to send (the server has the messages they change).
 */
export function clearConfirmed(t: Thread): void {
  for (const id of t.ids) dropConfirmed(t, id);
  t.ids = [];
  t.gaplessSeq = 0;
  t.rev = 0;
  t.revsAhead = [];
  t.held = {};
  const sending = Object.entries(t.changes).filter(([, c]) => c.status === 'sending');
  if (sending.length !== Object.keys(t.changes).length) t.changes = Object.fromEntries(sending);
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

/** Whether nothing at all is left in a thread that holds no history: it can go. */
export function isEmptyOutbox(t: Thread): boolean {
  return !holdsHistory(t) && t.localIds.length === 0 && Object.keys(t.changes).length === 0;
}

/** The optimistic messages still to send, in send order. */
export function pendingMessages(t: Thread | undefined): ThreadMessage[] {
  return (t?.localIds ?? []).map((id) => t!.entities[id]!).filter((m) => m.status === 'pending');
}
