// The one module that owns the browser's database (IndexedDB, through `idb`): one database per signed-in
// user, named by the user's opaque key, with a schema version. The rest of the store sees plain
// functions: restore, write, erase. Whatever goes wrong here (no IndexedDB, a failed open, quota, a
// write that throws, another tab deleting or upgrading the database) turns persistence off for the
// page's life, silently: the inbox then works as it does without it (CONTRACT section 7). An open that
// is only slow (blocked by an old tab, a busy disk) does not hold the page up: the page starts without
// what was kept, and writes begin once the database is open.
//
// Several tabs may write at once. Every write is one readwrite transaction (IndexedDB runs those one at a
// time per database), and it merges into what is stored instead of overwriting it: messages are kept by
// (conversation, seq), so a seq is stored once whoever writes it, and of two copies the one with the
// higher `rev` (a later edit, or a delete's tombstone) wins; a thread's cursors are recomputed from the
// messages stored, so a thread on disk never claims more than it holds.
import { deleteDB, openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { ConversationSummary, Message } from '../../protocol';
import type { ThreadMessage } from '../messages/thread';
import { gaplessEnd, type RestoredThread, type Snapshot, type StoredList, type StoredThread, type ThreadCursor } from './snapshot';

/**
 * The layout of the stores below. Any other version found on disk (older or newer) is dropped whole and
 * the inbox refetches: data is never migrated by guesswork.
 */
export const SCHEMA_VERSION = 1;
const NAME_PREFIX = 'stream-inbox-';

const STORES = ['list', 'order', 'threads', 'messages', 'outbox'] as const;

interface CacheSchema extends DBSchema {
  /** The conversation list's summaries, by conversation id. */
  list: { key: number; value: ConversationSummary };
  /** One record, key 0: the list's order (newest activity first). */
  order: { key: number; value: number[] };
  threads: { key: number; value: StoredThread };
  /** Confirmed messages by [conversation_id, seq]. */
  messages: { key: [number, number]; value: Message };
  /** Optimistic messages (pending or failed) by client_id. */
  outbox: { key: string; value: ThreadMessage };
}

type Db = IDBPDatabase<CacheSchema>;
type WriteTx = IDBPTransaction<CacheSchema, (typeof STORES)[number][], 'readwrite'>;

/** The database of one user. */
export function databaseName(userKey: string): string {
  return `${NAME_PREFIX}${userKey}`;
}

/** What changed in one thread since the last write. */
export type ThreadWrite = {
  conversationId: number;
  openedAt: number;
  cursor: ThreadCursor;
  /** Confirmed messages new or changed. */
  put: Message[];
  /** Seqs of confirmed messages the thread no longer holds (a latest page replaced them). */
  remove: number[];
  /** Every seq the thread holds now, ascending: when the disk holds exactly these, its cursors stand. */
  seqs: number[];
};

/** One batch of changes, written in one transaction. */
export type WriteBatch = {
  list: { put: ConversationSummary[]; remove: number[]; order: number[] | null };
  threads: ThreadWrite[];
  /** Threads no longer cached (evicted, invalidated): dropped with their messages. */
  forget: number[];
  outbox: { put: ThreadMessage[]; remove: string[] };
};

export type CacheOptions = {
  /** At most this many threads are kept (least recently opened dropped first); default 50. */
  limit?: number;
  /** Tests open other versions to see an old one dropped. */
  version?: number;
};

export type InboxCache = {
  /**
   * Opens the database and reads everything kept; null when there is nothing to show (no IndexedDB, a
   * failure, or not within `timeoutMs`). Reads once: later calls answer the same.
   */
  restore: (timeoutMs: number) => Promise<Snapshot | null>;
  /** Whether the database is (or, once the open completes, will be) open for writes. */
  opened: () => Promise<boolean>;
  /** Writes one batch; false when it failed (nothing of it was written). */
  write: (batch: WriteBatch) => Promise<boolean>;
  /** Deletes the database (sign-out), and stops every later write. Never rejects. */
  erase: () => Promise<void>;
  /** Whether writes still go to disk. */
  usable: () => boolean;
};

/** Messages written per await inside a transaction, so that one write never holds the main thread long. */
const CHUNK = 100;

const seqRange = (conversationId: number, from = 0, to = Number.MAX_SAFE_INTEGER) =>
  IDBKeyRange.bound([conversationId, from], [conversationId, to]);

function factoryAvailable(): boolean {
  try {
    return typeof indexedDB !== 'undefined' && indexedDB !== null && typeof IDBKeyRange !== 'undefined';
  } catch {
    return false; // a getter that throws (some privacy modes)
  }
}

function rejectAfter(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), ms));
}

async function openFresh(name: string, version: number, onLost: () => void): Promise<Db> {
  const open = () =>
    openDB<CacheSchema>(name, version, {
      upgrade(db) {
        // A first open, or a schema of another version: drop everything, never read it.
        for (const store of [...db.objectStoreNames]) db.deleteObjectStore(store);
        db.createObjectStore('list', { keyPath: 'id' });
        db.createObjectStore('order');
        db.createObjectStore('threads', { keyPath: 'conversationId' });
        db.createObjectStore('messages', { keyPath: ['conversation_id', 'seq'] });
        db.createObjectStore('outbox', { keyPath: 'id' });
      },
      // Another tab wants a newer version, or a sign-out deletes the database: let it, and stop here.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
        onLost();
      },
      terminated: onLost,
    });
  let db: Db;
  try {
    db = await open();
  } catch (error) {
    // A newer schema on disk (another build): drop it and start over.
    if ((error as DOMException | null)?.name !== 'VersionError') throw error;
    await deleteDB(name);
    db = await open();
  }
  if (STORES.every((store) => db.objectStoreNames.contains(store))) return db;
  // Same version, other layout (damaged): drop it too.
  db.close();
  await deleteDB(name);
  return open();
}

async function readAll(db: Db, limit: number): Promise<Snapshot> {
  const tx = db.transaction(STORES, 'readonly');
  tx.done.catch(() => {}); // a failed read rejects below; this promise must not go unhandled
  const [summaries, order, stored, outbox] = await Promise.all([
    tx.objectStore('list').getAll(),
    tx.objectStore('order').get(0),
    tx.objectStore('threads').getAll(),
    tx.objectStore('outbox').getAll(),
  ]);
  const kept = stored.sort((a, b) => b.openedAt - a.openedAt).slice(0, limit);
  const threads: RestoredThread[] = await Promise.all(
    kept.map(async (t) => ({ ...t, messages: await tx.objectStore('messages').getAll(seqRange(t.conversationId)) })),
  );
  await tx.done;
  const byId: StoredList['byId'] = {};
  for (const c of summaries) byId[c.id] = c;
  const list = order === undefined ? null : { byId, order: order.filter((id) => byId[id] !== undefined) };
  return { list, threads, outbox };
}

/** Puts many records, awaiting every CHUNK of them. */
async function putAll<T>(put: (value: T) => Promise<unknown>, values: readonly T[]): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK) await Promise.all(values.slice(i, i + CHUNK).map(put));
}

/**
 * Merges one thread's changes into what is stored: per seq the copy with the higher `rev` wins (and a
 * read mark is never unset); the cursors are the thread's, except that `gaplessSeq` and `hasMore` are
 * those of the messages stored, and when the disk holds other messages than this thread (another tab wrote there)
 * every numeric cursor is the lower of the stored and the written one: asking the server for more is
 * always safe, claiming to hold what is not stored never is.
 */
async function writeThread(tx: WriteTx, w: ThreadWrite): Promise<void> {
  const messages = tx.objectStore('messages');
  if (w.put.length > 0) {
    const seqs = w.put.map((m) => m.seq);
    const existing = await messages.getAll(seqRange(w.conversationId, Math.min(...seqs), Math.max(...seqs)));
    const bySeq = new Map(existing.map((m) => [m.seq, m]));
    const merged = w.put.flatMap((m) => {
      const old = bySeq.get(m.seq);
      if (old === undefined) return [m];
      const newer = old.rev > m.rev ? old : m;
      const read = old.is_read || m.is_read;
      if (newer === old && old.is_read === read) return [];
      return [newer.is_read === read ? newer : { ...newer, is_read: read }];
    });
    await putAll((m) => messages.put(m), merged);
  }
  await Promise.all(w.remove.map((seq) => messages.delete([w.conversationId, seq])));
  const onDisk = (await messages.getAllKeys(seqRange(w.conversationId))).map((key) => key[1]);
  const stored = await tx.objectStore('threads').get(w.conversationId);
  const exact = onDisk.length === w.seqs.length && onDisk.every((seq, i) => seq === w.seqs[i]);
  const cursor: Record<string, unknown> = { ...w.cursor };
  if (!exact && stored !== undefined) {
    for (const [key, value] of Object.entries(stored.cursor)) {
      if (typeof value === 'number' && typeof cursor[key] === 'number') cursor[key] = Math.min(value, cursor[key] as number);
    }
  }
  if (onDisk.length > 0) {
    cursor.gaplessSeq = gaplessEnd(onDisk);
    cursor.hasMore = onDisk[0]! > 1;
  }
  await tx.objectStore('threads').put({
    conversationId: w.conversationId,
    openedAt: Math.max(w.openedAt, stored?.openedAt ?? 0),
    cursor: cursor as ThreadCursor,
  });
}

async function forgetThread(tx: WriteTx, conversationId: number): Promise<void> {
  await Promise.all([tx.objectStore('threads').delete(conversationId), tx.objectStore('messages').delete(seqRange(conversationId))]);
}

async function writeAll(db: Db, batch: WriteBatch, limit: number): Promise<void> {
  const tx = db.transaction(STORES, 'readwrite');
  const work = (async () => {
    const list = tx.objectStore('list');
    await putAll((c) => list.put(c), batch.list.put);
    await Promise.all(batch.list.remove.map((id) => list.delete(id)));
    if (batch.list.order !== null) await tx.objectStore('order').put(batch.list.order, 0);
    const outbox = tx.objectStore('outbox');
    await putAll((m) => outbox.put(m), batch.outbox.put);
    await Promise.all(batch.outbox.remove.map((id) => outbox.delete(id)));
    for (const id of batch.forget) await forgetThread(tx, id);
    for (const w of batch.threads) await writeThread(tx, w);
    // The bound holds on disk too, whichever tab opened what.
    if ((await tx.objectStore('threads').count()) > limit) {
      const all = await tx.objectStore('threads').getAll();
      const stale = all.sort((a, b) => b.openedAt - a.openedAt).slice(limit);
      for (const t of stale) await forgetThread(tx, t.conversationId);
    }
  })();
  // A step that throws must undo the steps before it: abort at once, before the transaction commits.
  work.catch(() => {
    try {
      tx.abort();
    } catch {
      // already aborted by the failed request
    }
  });
  const [done, worked] = await Promise.allSettled([tx.done, work]);
  if (worked.status === 'rejected') throw worked.reason;
  if (done.status === 'rejected') throw done.reason;
}

const OFF: InboxCache = {
  restore: async () => null,
  opened: async () => false,
  write: async () => false,
  erase: async () => {},
  usable: () => false,
};

/** The cache of the user with this key (see protocol/user-header.ts). */
export function openInboxCache(userKey: string, options: CacheOptions = {}): InboxCache {
  if (!factoryAvailable()) return OFF;
  const name = databaseName(userKey);
  const limit = options.limit ?? 50;
  const version = options.version ?? SCHEMA_VERSION;
  let db: Db | null = null;
  let opening: Promise<Db | null> | null = null;
  let restoring: Promise<Snapshot | null> | null = null;
  /** Off for good: failed, lost to another tab, or erased. */
  let off = false;
  const stop = () => {
    off = true;
    db?.close();
    db = null;
  };
  /** The connection, opened once; null when it cannot be had. */
  const open = (): Promise<Db | null> =>
    (opening ??= openFresh(name, version, stop).then(
      (opened) => {
        if (off) {
          opened.close(); // erased meanwhile: hold nothing open
          return null;
        }
        db = opened;
        return opened;
      },
      () => {
        stop();
        return null;
      },
    ));

  return {
    restore(timeoutMs) {
      // Once per page: a second call (the page's effect after an early start) gets the same answer. Past
      // the bound the page starts without what was kept; the open goes on, and writes follow it.
      restoring ??= (async () => {
        const reading = open().then((opened) => (opened === null ? null : readAll(opened, limit)));
        try {
          return await Promise.race([reading, rejectAfter(timeoutMs)]);
        } catch {
          return null;
        }
      })();
      return restoring;
    },
    opened: () => open().then((opened) => opened !== null && !off),
    async write(batch) {
      if (off || db === null) return false;
      try {
        await writeAll(db, batch, limit);
        return true;
      } catch {
        return false;
      }
    },
    async erase() {
      stop();
      try {
        await deleteDB(name);
      } catch {
        // Nothing more can be done here; the server's Clear-Site-Data on sign-out is the backstop.
      }
    },
    usable: () => !off && db !== null,
  };
}
