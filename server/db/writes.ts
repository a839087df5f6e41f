// Every write that `Connected.write` runs, by name. Named rather than passed as closures so that on SQLite
// they can run in the writer thread (writer.ts), whose connection commits (and fsyncs) off the event loop:
// a name and plain arguments cross to the thread, the function is looked up there. Each runs as one unit of
// a transaction: on SQLite shared with the others that arrive with it (group-commit.ts).
import type { Db } from './connect';
import { markJobCompleteIn } from './jobs';
import { applyChange } from './message-changes';
import { appendMessage } from './messages';
import { markReadIn } from './reads';
import { recordLastSeen } from './users';

export const writes = {
  appendMessage,
  changeMessage: applyChange,
  markJobComplete: markJobCompleteIn,
  markRead: markReadIn,
  /** [userId, ISO time] pairs: a second's disconnects in one unit. */
  recordLastSeen: async (trx: Db, seen: [number, string][]) => {
    for (const [userId, at] of seen) await recordLastSeen(trx, userId, at);
  },
} satisfies Record<string, (trx: Db, args: never) => Promise<unknown>>;

export type WriteName = keyof typeof writes;
export type WriteArgs<K extends WriteName> = Parameters<(typeof writes)[K]>[1];
export type WriteResult<K extends WriteName> = Awaited<ReturnType<(typeof writes)[K]>>;
/** Runs the named write in a transaction and resolves once it has committed. */
export type Write = <K extends WriteName>(name: K, args: WriteArgs<K>) => Promise<WriteResult<K>>;

/** The named write as a unit of work in the transaction `trx`. */
export function writeIn<K extends WriteName>(trx: Db, name: K, args: WriteArgs<K>): Promise<WriteResult<K>> {
  const write = writes[name] as (trx: Db, args: WriteArgs<K>) => Promise<WriteResult<K>>;
  return write(trx, args);
}
