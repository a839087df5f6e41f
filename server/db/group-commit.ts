// Group commit for SQLite. With synchronous = FULL every COMMIT waits for an fsync (milliseconds on a
// real disk), so one transaction per message capped the server at one fsync per message (bench figure 2).
// Units of work that arrive together run in one transaction instead: one fsync covers them all, and each
// caller still hears of its result only once that commit is on disk. PostgreSQL groups commits itself.
// The SQLite writer thread (writer-thread.ts) runs every write of `Connected.write` through one.
import type { Db, OnCommit } from './connect';

/** One caller's work in a shared transaction, and how to tell it the outcome. */
type Unit = { work: (trx: Db) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** Bounds one transaction's size (and so the latency of the first caller in it). */
const MAX_BATCH = 256;

export class GroupCommit {
  private queue: Unit[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly onCommit: OnCommit = () => {},
  ) {}

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.flushing) return;
      this.flushing = true;
      // After this turn of the event loop: everything that arrived with it joins the batch.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const results = await timeCommit(this.onCommit, batch.length, () =>
          this.db.transaction().execute(async (trx) => {
            const out: unknown[] = [];
            for (const unit of batch) out.push(await unit.work(trx));
            return out;
          }),
        );
        batch.forEach((unit, i) => unit.resolve(results[i]));
      } catch {
        // One failing unit (a client_id race) must not fail the others: each again, alone.
        for (const unit of batch) {
          await timeCommit(this.onCommit, 1, () => this.db.transaction().execute(unit.work)).then(unit.resolve, unit.reject);
        }
      }
    }
    this.flushing = false;
  }
}

/** Runs one transaction of `units` units of work and reports how long it took, committed or not. */
export async function timeCommit<T>(onCommit: OnCommit, units: number, transaction: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await transaction();
  } finally {
    onCommit((performance.now() - started) / 1000, units);
  }
}
