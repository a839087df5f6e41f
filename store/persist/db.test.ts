// The browser's database module against fake-indexeddb, an implementation of the IndexedDB spec for Node:
// round trip, an old or newer schema dropped, quota errors, two writers at once, the bound, sign-out.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversationSummary, Message } from '../../protocol';
import { emptyThread, type ThreadMessage } from '../messages/thread';
import { databaseName, openInboxCache, SCHEMA_VERSION, type ThreadWrite, type WriteBatch } from './db';
import { cursorOf, type ThreadCursor } from './snapshot';

const KEY = 'k3y-of-casey-0123456789abcdef';

function message(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    seq,
    conversation_id: 7,
    client_id: null,
    sender_name: 'Wes Worker',
    sender_avatar: '/avatars/wes.svg',
    message_text: `text ${seq}`,
    message_type: 'TEXT',
    is_read: false,
    created_at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    is_mine: false,
    edited_at: null,
    deleted: false,
    rev: 0,
    ...over,
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function cursor(over: Partial<ThreadCursor> = {}): ThreadCursor {
  return { ...cursorOf(emptyThread()), loaded: true, ...over };
}

function threadWrite(seqs: number[], over: Partial<ThreadWrite> = {}): ThreadWrite {
  return {
    conversationId: 7,
    openedAt: 1,
    cursor: cursor({ gaplessSeq: seqs.at(-1) ?? 0 }),
    put: seqs.map((s) => message(s)),
    remove: [],
    seqs,
    ...over,
  };
}

function batch(over: Partial<WriteBatch> = {}): WriteBatch {
  return { list: { put: [], remove: [], order: null }, threads: [], forget: [], outbox: { put: [], remove: [] }, ...over };
}

const summary = (id: number): ConversationSummary => ({
  id,
  my_role: 'CLIENT',
  counterpart: { name: 'Wes Worker', avatar: '', online: false, last_seen_at: null },
  job: { id, title: `Job ${id}`, status: 'IN_PROGRESS', workerMarkedComplete: false, clientMarkedComplete: false },
  last_message: message(3, { conversation_id: id }),
  unread_count: 1,
});

const pending = (clientId: string, text: string): ThreadMessage => ({
  ...message(0, { id: clientId, client_id: clientId, message_text: text, is_mine: true }),
  seq: null,
  status: 'pending',
});

beforeEach(() => {
  // A fresh, empty IndexedDB per test.
  globalThis.indexedDB = new IDBFactory();
});

afterEach(() => vi.restoreAllMocks());

describe('the browser cache database', () => {
  it('reads back what was written: list, threads with their cursors, outbox', async () => {
    const cache = openInboxCache(KEY);
    expect(await cache.restore(5000)).toEqual({ list: null, threads: [], outbox: [] });
    const queued = pending('c-1', 'offline hello');
    const ok = await cache.write(
      batch({
        list: { put: [summary(7), summary(8)], remove: [], order: [8, 7] },
        threads: [threadWrite(range(1, 5), { cursor: cursor({ gaplessSeq: 5, rev: 3 } as Partial<ThreadCursor>) })],
        outbox: { put: [queued], remove: [] },
      }),
    );
    expect(ok).toBe(true);

    const again = await openInboxCache(KEY).restore(5000);
    expect(again?.list).toEqual({ byId: { 7: summary(7), 8: summary(8) }, order: [8, 7] });
    expect(again?.threads).toHaveLength(1);
    expect(again?.threads[0]?.messages).toEqual(range(1, 5).map((s) => message(s)));
    // Whatever cursor fields the thread has are kept, `rev` included, without this module naming them.
    expect(again?.threads[0]?.cursor).toEqual(cursor({ hasMore: false, gaplessSeq: 5, rev: 3 } as Partial<ThreadCursor>));
    expect(again?.outbox).toEqual([queued]);
  });

  it('applies removals: a latest page that replaced older messages, an acked outbox entry, a forgotten thread', async () => {
    const cache = openInboxCache(KEY);
    await cache.restore(5000);
    await cache.write(batch({ threads: [threadWrite(range(1, 10)), threadWrite([1, 2], { conversationId: 9, put: [1, 2].map((s) => message(s, { conversation_id: 9 })) })], outbox: { put: [pending('c-1', 'x')], remove: [] } }));
    await cache.write(
      batch({
        threads: [threadWrite(range(300, 302), { put: range(300, 302).map((s) => message(s)), remove: range(1, 10), seqs: range(300, 302) })],
        forget: [9],
        outbox: { put: [], remove: ['c-1'] },
      }),
    );
    const back = await openInboxCache(KEY).restore(5000);
    expect(back?.threads.map((t) => t.conversationId)).toEqual([7]);
    expect(back?.threads[0]?.messages.map((m) => m.seq)).toEqual([300, 301, 302]);
    expect(back?.threads[0]?.cursor).toMatchObject({ gaplessSeq: 302, hasMore: true });
    expect(back?.outbox).toEqual([]);
  });

  it('a delete (tombstone, higher rev) overwrites the text on disk, and an older copy never overwrites it back', async () => {
    const cache = openInboxCache(KEY);
    await cache.restore(5000);
    await cache.write(batch({ threads: [threadWrite(range(1, 3))] }));
    const tombstone = message(2, { message_text: '', deleted: true, rev: 4 });
    await cache.write(batch({ threads: [threadWrite(range(1, 3), { put: [tombstone] })] }));
    await cache.write(batch({ threads: [threadWrite(range(1, 3), { put: [message(2)] })] })); // a stale tab
    const back = await openInboxCache(KEY).restore(5000);
    expect(back?.threads[0]?.messages[1]).toEqual(tombstone);
    expect(JSON.stringify(back)).not.toContain('text 2');
  });

  it('drops a schema of another version, older or newer, and never reads it', async () => {
    const old = openInboxCache(KEY, { version: SCHEMA_VERSION });
    await old.restore(5000);
    await old.write(batch({ threads: [threadWrite(range(1, 3))], list: { put: [summary(7)], remove: [], order: [7] } }));
    // What an older build left behind is dropped by the newer one.
    const newer = openInboxCache(KEY, { version: SCHEMA_VERSION + 1 });
    expect(await newer.restore(5000)).toEqual({ list: null, threads: [], outbox: [] });
    await newer.write(batch({ threads: [threadWrite(range(1, 2))] }));
    // And what a newer build left is dropped by an older one (rolled back), not misread.
    const older = openInboxCache(KEY, { version: SCHEMA_VERSION });
    expect(await older.restore(5000)).toEqual({ list: null, threads: [], outbox: [] });
    expect(await older.write(batch({ threads: [threadWrite(range(1, 4))] }))).toBe(true);
    expect((await openInboxCache(KEY).restore(5000))?.threads[0]?.messages).toHaveLength(4);
  });

  it('drops a database of the right version but another layout', async () => {
    const foreign = await openDB(databaseName(KEY), SCHEMA_VERSION, { upgrade: (db) => void db.createObjectStore('something') });
    foreign.close();
    const cache = openInboxCache(KEY);
    expect(await cache.restore(5000)).toEqual({ list: null, threads: [], outbox: [] });
    expect(await cache.write(batch({ threads: [threadWrite([1])] }))).toBe(true);
  });

  it('a write over quota fails whole and throws nothing; the next one succeeds', async () => {
    const cache = openInboxCache(KEY);
    await cache.restore(5000);
    await cache.write(batch({ threads: [threadWrite(range(1, 3))] }));
    const put = IDBObjectStore.prototype.put;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'messages') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const ok = await cache.write(batch({ threads: [threadWrite(range(1, 6), { put: range(4, 6).map((s) => message(s)) })], outbox: { put: [pending('c-2', 'y')], remove: [] } }));
    expect(ok).toBe(false);
    spy.mockRestore();
    let back = await openInboxCache(KEY).restore(5000);
    // Nothing of the failed batch was written, not even its outbox part (one transaction).
    expect(back?.threads[0]?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(back?.outbox).toEqual([]);
    expect(await cache.write(batch({ threads: [threadWrite(range(1, 6), { put: range(4, 6).map((s) => message(s)) })] }))).toBe(true);
    back = await openInboxCache(KEY).restore(5000);
    expect(back?.threads[0]?.messages.map((m) => m.seq)).toEqual(range(1, 6));
  });

  it('a quota error reported by the transaction (as browsers do) fails the write quietly too', async () => {
    const cache = openInboxCache(KEY);
    await cache.restore(5000);
    const original = IDBDatabase.prototype.transaction;
    vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      const tx = original.apply(this, args);
      if (args[1] === 'readwrite') setTimeout(() => tx.abort(), 0);
      return tx;
    });
    expect(await cache.write(batch({ threads: [threadWrite(range(1, 300))] }))).toBe(false);
  });

  it('two writers at once (two tabs): each seq once, in order, the newest revision of each', async () => {
    const a = openInboxCache(KEY);
    const b = openInboxCache(KEY);
    await Promise.all([a.restore(5000), b.restore(5000)]);
    const edited = message(60, { message_text: 'edited in b', rev: 2, edited_at: new Date().toISOString() });
    const deleted = message(90, { message_text: '', deleted: true, rev: 3 });
    // Tab a has not seen the edit and the delete, and writes those seqs again later (read now).
    const writesA = [threadWrite(range(1, 100)), threadWrite(range(1, 120), { put: range(50, 120).map((s) => message(s, { is_read: true })) })];
    const writesB = [
      threadWrite(range(50, 150), { put: range(50, 150).map((s) => (s === 60 ? edited : s === 90 ? deleted : message(s))) }),
      threadWrite(range(50, 160), { put: range(151, 160).map((s) => message(s)) }),
    ];
    const results = await Promise.all([
      (async () => {
        for (const w of writesA) expect(await a.write(batch({ threads: [w] }))).toBe(true);
      })(),
      (async () => {
        for (const w of writesB) expect(await b.write(batch({ threads: [w] }))).toBe(true);
      })(),
    ]);
    expect(results).toHaveLength(2);
    const back = await openInboxCache(KEY).restore(5000);
    const seqs = back?.threads[0]?.messages.map((m) => m.seq);
    expect(seqs).toEqual(range(1, 160));
    // The newest revision of each, with the read mark whichever copy had it.
    expect(back?.threads[0]?.messages[59]).toEqual({ ...edited, is_read: true });
    expect(back?.threads[0]?.messages[89]).toEqual({ ...deleted, is_read: true });
    expect(back?.threads[0]?.messages[109]?.is_read).toBe(true);
    expect(JSON.stringify(back)).not.toContain('"text 90"');
    expect(back?.threads[0]?.cursor.gaplessSeq).toBe(160);
  });

  it('two tabs holding different parts of a thread: the cursor never claims what the disk lacks', async () => {
    const a = openInboxCache(KEY);
    const b = openInboxCache(KEY);
    await Promise.all([a.restore(5000), b.restore(5000)]);
    await a.write(batch({ threads: [threadWrite(range(1, 100), { cursor: cursor({ gaplessSeq: 100, rev: 5 } as Partial<ThreadCursor>) })] }));
    // Tab b was away too long: its sync got the latest page instead (seqs 151–200).
    await b.write(batch({ threads: [threadWrite(range(151, 200), { cursor: cursor({ gaplessSeq: 200, hasMore: true, rev: 9 } as Partial<ThreadCursor>) })] }));
    const back = await openInboxCache(KEY).restore(5000);
    expect(back?.threads[0]?.messages).toHaveLength(150);
    expect(back?.threads[0]?.cursor).toMatchObject({ gaplessSeq: 100, hasMore: false, rev: 5 });
  });

  it('keeps at most `limit` threads, the most recently opened', async () => {
    const cache = openInboxCache(KEY, { limit: 3 });
    await cache.restore(5000);
    for (let id = 1; id <= 5; id++) {
      const w = threadWrite([1], { conversationId: id, openedAt: id * 10, put: [message(1, { conversation_id: id })] });
      await cache.write(batch({ threads: [w] }));
    }
    const back = await openInboxCache(KEY, { limit: 3 }).restore(5000);
    expect(back?.threads.map((t) => t.conversationId)).toEqual([5, 4, 3]);
  });

  it('erase deletes the database, and nothing is written after it', async () => {
    const cache = openInboxCache(KEY);
    await cache.restore(5000);
    await cache.write(batch({ threads: [threadWrite(range(1, 3))] }));
    const other = openInboxCache('another-user-key-0123456789');
    await other.restore(5000);
    await other.write(batch({ threads: [threadWrite([1])] }));
    await cache.erase();
    expect(await cache.write(batch({ threads: [threadWrite(range(1, 4))] }))).toBe(false);
    expect((await indexedDB.databases()).map((d) => d.name)).toEqual([databaseName('another-user-key-0123456789')]);
  });

  it('another tab deleting or upgrading the database closes this connection instead of blocking it', async () => {
    const tab = openInboxCache(KEY);
    await tab.restore(5000);
    const upgraded = openInboxCache(KEY, { version: SCHEMA_VERSION + 1 });
    expect(await upgraded.restore(5000)).toEqual({ list: null, threads: [], outbox: [] });
    expect(tab.usable()).toBe(false);
    expect(await tab.write(batch({ threads: [threadWrite([1])] }))).toBe(false);
  });

  it('without IndexedDB, or with an open that hangs or throws, there is no cache and no error', async () => {
    // @ts-expect-error: a browser without IndexedDB
    globalThis.indexedDB = undefined;
    const none = openInboxCache(KEY);
    expect(await none.restore(5000)).toBeNull();
    expect(await none.write(batch())).toBe(false);
    await none.erase();

    globalThis.indexedDB = new IDBFactory();
    vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(() => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    });
    expect(await openInboxCache(KEY).restore(5000)).toBeNull();
    vi.restoreAllMocks();

    // An older connection that does not close (a tab of an old build) blocks an upgrade: the restore gives
    // up in time, and writes begin once the open gets through.
    const holder = await openDB(databaseName(KEY), SCHEMA_VERSION);
    const blocked = openInboxCache(KEY, { version: SCHEMA_VERSION + 1 });
    expect(await blocked.restore(200)).toBeNull();
    expect(blocked.usable()).toBe(false);
    expect(await blocked.write(batch({ threads: [threadWrite([1])] }))).toBe(false);
    holder.close();
    expect(await blocked.opened()).toBe(true);
    expect(await blocked.write(batch({ threads: [threadWrite([1, 2])] }))).toBe(true);
    expect((await openInboxCache(KEY, { version: SCHEMA_VERSION + 1 }).restore(5000))?.threads[0]?.messages).toHaveLength(2);
  });
});
