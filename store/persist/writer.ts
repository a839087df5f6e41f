// Writes the store to the browser's database off the critical path: the listeners only say that the
// state changed; a write is scheduled (a short delay, then an idle moment), compares the state with what
// the last write left on disk (object identity: immer keeps what did not change) and writes only the
// difference, in one batch. A message put in the outbox is written at once. A failed write leaves the
// disk as it was (one transaction) and is retried from the same point, a few times, then given up.
import type { RootState } from '../reducer';
import type { Thread, ThreadMessage } from '../messages/thread';
import type { InboxCache, ThreadWrite, WriteBatch } from './db';
import { cursorOf, storedMessage } from './snapshot';

/** How long changes gather before they are written (an outbox message: at once). */
const DELAY_MS = 250;
/** The longest an idle moment is waited for after that. */
const IDLE_TIMEOUT_MS = 500;
/** Failed writes in a row after which the page stops writing (the disk keeps its last good state). */
const MAX_FAILURES = 3;

/** What of the state is kept: the object references are what a write compares. */
type Kept = {
  byId: RootState['conversations']['byId'];
  order: number[];
  listLoaded: boolean;
  threads: Map<number, Thread>;
  outbox: Map<string, ThreadMessage>;
};

/** What a write compares with when nothing of the disk is known: everything is written (and merged). */
const NOTHING: Kept = { byId: {}, order: [], listLoaded: false, threads: new Map(), outbox: new Map() };

/** Whether a thread is a cache worth keeping: a complete history, nothing pending about it. */
export function keepsHistory(t: Thread): boolean {
  return t.loaded && !t.stale;
}

function kept(state: RootState): Kept {
  const threads = new Map<number, Thread>();
  const outbox = new Map<string, ThreadMessage>();
  for (const [key, t] of Object.entries(state.messages.byConversation)) {
    if (keepsHistory(t)) threads.set(Number(key), t);
    for (const id of t.localIds) outbox.set(id, t.entities[id]!);
  }
  const { byId, order, loaded } = state.conversations;
  return { byId, order, listLoaded: loaded, threads, outbox };
}

function sameCursor(a: Thread, b: Thread): boolean {
  const x = cursorOf(a) as Record<string, unknown>;
  const y = cursorOf(b) as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => x[key] === y[key]);
}

function threadWrite(id: number, t: Thread, before: Thread | undefined, openedAt: number): ThreadWrite | null {
  const put = t.ids.filter((m) => before?.entities[m] !== t.entities[m]).map((m) => storedMessage(t.entities[m]!));
  const remove = before === undefined ? [] : before.ids.filter((m) => t.entities[m] === undefined).map((m) => before.entities[m]!.seq!);
  if (before !== undefined && put.length === 0 && remove.length === 0 && sameCursor(t, before)) return null;
  const seqs = t.ids.map((m) => t.entities[m]!.seq!);
  return { conversationId: id, openedAt, cursor: cursorOf(t), put, remove, seqs };
}

/** The changes from `before` (what is on disk) to `now`; null when there are none. */
function difference(before: Kept, now: Kept, openedAt: (id: number) => number, touched: Set<number>): WriteBatch | null {
  const batch: WriteBatch = { list: { put: [], remove: [], order: null }, threads: [], forget: [], outbox: { put: [], remove: [] } };
  if (now.listLoaded) {
    for (const [key, c] of Object.entries(now.byId)) if (before.byId[Number(key)] !== c) batch.list.put.push(c);
    for (const key of Object.keys(before.byId)) if (now.byId[Number(key)] === undefined) batch.list.remove.push(Number(key));
    if (before.order !== now.order) batch.list.order = now.order;
  }
  for (const [id, t] of now.threads) {
    const previous = before.threads.get(id);
    // Opened again without a change: only its place among the most recently opened moves.
    const write = previous === t ? (touched.has(id) ? threadWrite(id, t, undefined, openedAt(id)) : null) : threadWrite(id, t, previous, openedAt(id));
    if (write !== null) batch.threads.push(previous === t ? { ...write, put: [] } : write);
  }
  for (const id of before.threads.keys()) if (!now.threads.has(id)) batch.forget.push(id);
  for (const [id, m] of now.outbox) if (before.outbox.get(id) !== m) batch.outbox.put.push(m);
  for (const id of before.outbox.keys()) if (!now.outbox.has(id)) batch.outbox.remove.push(id);
  const empty =
    batch.list.put.length + batch.list.remove.length + batch.threads.length + batch.forget.length +
      batch.outbox.put.length + batch.outbox.remove.length === 0 && batch.list.order === null;
  return empty ? null : batch;
}

export type CacheWriter = {
  /** The state now matches the disk (just restored): changes from here on are written. */
  start: (state: RootState, openedAt: Iterable<[number, number]>) => void;
  /**
   * Nothing was restored (the disk too slow for the page to wait for it): once the database is open,
   * write everything the state holds, merged into what is stored.
   */
  startWhenOpen: (getState: () => RootState) => void;
  /** The state changed; `urgent` for the outbox. */
  changed: (getState: () => RootState, urgent: boolean) => void;
  /** A conversation was opened (or prefetched): the disk keeps the most recently opened. */
  opened: (conversationId: number, getState: () => RootState) => void;
  /** Writes what is left now (the page is going away). */
  flush: (getState: () => RootState) => void;
  /** No more writes (sign-out, a refused session). */
  stop: () => void;
};

export function createCacheWriter(cache: InboxCache): CacheWriter {
  let onDisk: Kept | null = null;
  const openedAt = new Map<number, number>();
  /** Opened since the last write. */
  let touched = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> | null = null;
  /** Changes came while a write was on its way: how soon to write them (null: none came). */
  let again: number | null = null;
  let failures = 0;
  let latest: (() => RootState) | null = null;
  /** An outbox change waits to be written. */
  let urgentPending = false;

  const schedule = (delay: number) => {
    if (timer !== null || onDisk === null) return;
    timer = setTimeout(() => {
      timer = null;
      const idle = globalThis.requestIdleCallback;
      if (delay > 0 && typeof idle === 'function') idle(() => void write(), { timeout: IDLE_TIMEOUT_MS });
      else void write();
    }, delay);
  };

  const write = async (): Promise<void> => {
    if (onDisk === null || latest === null) return;
    if (writing !== null) {
      again = Math.min(again ?? DELAY_MS, urgentPending ? 0 : DELAY_MS);
      return;
    }
    urgentPending = false;
    const now = kept(latest());
    const opened = touched;
    touched = new Set();
    const batch = difference(onDisk, now, (id) => openedAt.get(id) ?? 0, opened);
    if (batch === null) return;
    let ok = false;
    writing = cache.write(batch).then((done) => void (ok = done));
    await writing;
    writing = null;
    if (onDisk === null) return; // stopped meanwhile
    if (ok) {
      onDisk = now;
      failures = 0;
    } else if (++failures >= MAX_FAILURES || !cache.usable()) {
      onDisk = null;
      return;
    } else {
      for (const id of opened) touched.add(id);
      again = DELAY_MS * 4 * failures;
    }
    if (again !== null) {
      const delay = again;
      again = null;
      schedule(delay);
    }
  };

  return {
    start(state, times) {
      if (!cache.usable()) return;
      for (const [id, at] of times) openedAt.set(id, at);
      onDisk = kept(state);
    },
    startWhenOpen(getState) {
      void cache.opened().then((open) => {
        if (!open || onDisk !== null) return;
        onDisk = NOTHING;
        latest = getState;
        schedule(0);
      });
    },
    changed(getState, urgent) {
      if (onDisk === null) return;
      latest = getState;
      if (urgent) urgentPending = true;
      if (urgent && timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      schedule(urgent ? 0 : DELAY_MS);
    },
    opened(conversationId, getState) {
      openedAt.set(conversationId, Date.now());
      touched.add(conversationId);
      this.changed(getState, false);
    },
    flush(getState) {
      if (onDisk === null) return;
      latest = getState;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      void write();
    },
    stop() {
      onDisk = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
