// What the browser keeps of a store (CONTRACT section 7) and how it maps to and from the state: pure
// functions, no IndexedDB here. A thread is kept as its confirmed messages (by seq), its optimistic ones
// (the outbox, by client_id) and its cursors: every field of the thread that is neither a message nor a
// request on its way, whatever fields the thread gains later (the conversation's `rev`, say).
import type { ConversationSummary, Message } from '../../protocol';
import { addLocal, emptyThread, insertConfirmed, type Thread, type ThreadMessage } from '../messages/thread';

/** A thread's fields that are not kept: its messages (kept one by one) and what is on its way. */
const NOT_CURSOR = [
  'ids',
  'localIds',
  'entities',
  'byClientId',
  'loading',
  'loadingOlder',
  'syncing',
  'stale',
  'prefetching',
] as const satisfies readonly (keyof Thread)[];

/** What a thread knows about the server's log beyond its messages: `gaplessSeq`, `hasMore`, … */
export type ThreadCursor = Omit<Thread, (typeof NOT_CURSOR)[number]>;

export function cursorOf(t: Thread): ThreadCursor {
  const cursor: Record<string, unknown> = { ...t };
  for (const key of NOT_CURSOR) delete cursor[key];
  return cursor as ThreadCursor;
}

/** A kept thread without its messages; `openedAt` orders the kept threads (most recently opened first). */
export type StoredThread = { conversationId: number; openedAt: number; cursor: ThreadCursor };
export type RestoredThread = StoredThread & { messages: Message[] };

export type StoredList = { byId: Record<number, ConversationSummary>; order: number[] };

/** Everything kept for one user, as read back. */
export type Snapshot = {
  list: StoredList | null;
  /** Most recently opened first. */
  threads: RestoredThread[];
  /** Optimistic messages not yet acked (pending or failed), in no particular order. */
  outbox: ThreadMessage[];
};

export const EMPTY_SNAPSHOT: Snapshot = { list: null, threads: [], outbox: [] };

/** A confirmed message as kept: the wire message (its status is always `sent`). */
export function storedMessage(m: ThreadMessage): Message {
  const { status: _status, ...message } = m;
  return message as Message;
}

/** The end of the gap-free run of `seqs` (ascending) from its first one; 0 when there are none. */
export function gaplessEnd(seqs: readonly number[]): number {
  if (seqs.length === 0) return 0;
  let end = seqs[0]!;
  for (let i = 1; i < seqs.length && seqs[i] === end + 1; i++) end = seqs[i]!;
  return end;
}

/**
 * A kept thread as the store holds it: loaded, nothing on its way. Its cursors are checked against the
 * messages actually read back, so a thread is never restored claiming more than it holds.
 */
export function restoredThread(r: RestoredThread, locals: readonly ThreadMessage[]): Thread {
  const t: Thread = { ...emptyThread(), ...r.cursor, loaded: true };
  for (const m of r.messages) insertConfirmed(t, m);
  const seqs = t.ids.map((id) => t.entities[id]!.seq!);
  if (seqs.length > 0) {
    t.gaplessSeq = Math.min(t.gaplessSeq, gaplessEnd(seqs));
    t.hasMore = seqs[0]! > 1;
  }
  for (const m of [...locals].sort((a, b) => a.created_at.localeCompare(b.created_at))) {
    if (t.byClientId[m.id] === undefined) addLocal(t, m);
  }
  return t;
}
