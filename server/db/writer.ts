// The SQLite writer thread, seen from the event loop. better-sqlite3 is synchronous: a COMMIT with
// synchronous = FULL holds the thread for its fsync (a quarter of the event loop's time at the fan-out's
// saturation, by its CPU profile), and every socket waits meanwhile. The writes (writes.ts) run in a worker
// thread on a connection of its own, with group commit there; the event loop only posts a name and its
// arguments and hears back once the commit is on disk, so an ack still means stored. Both sides post what a
// turn of their event loop gathered as one message: a postMessage per send, and per answer, was a twentieth
// of the event loop's time at the fan-out's saturation.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log';
import type { OnCommit } from './connect';
import { TurnBatch } from './turn-batch';
import type { WriteArgs, WriteName, WriteResult } from './writes';

/** What the thread posts back, in batches: a write's outcome, or a commit's timing for the metrics. */
export type WriterReply =
  | { kind: 'done'; id: number; value: unknown }
  | { kind: 'failed'; id: number; error: { message: string; code?: string } }
  | { kind: 'commit'; seconds: number; units: number };

/** What the event loop posts, in batches: a write, or the end (after the writes posted before it). */
export type WriterRequest = { kind: 'write'; id: number; name: WriteName; args: unknown } | { kind: 'close' };

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

// The thread's entry is TypeScript: tsx is registered in it first (a worker does not inherit the loader).
// Its CommonJS hook runs in the thread itself; the ESM one would start a loader thread of its own (34 MB
// more resident memory, measured).
const ENTRY = fileURLToPath(new URL('./writer-thread.ts', import.meta.url));
const BOOT = `const load = require('node:module').createRequire(${JSON.stringify(ENTRY)}); load('tsx/cjs/api').register(); load(${JSON.stringify(ENTRY)});`;

export class SqliteWriter {
  private worker!: Worker;
  private requests!: TurnBatch<WriterRequest>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly onCommit: OnCommit,
    private readonly log: Logger,
  ) {
    this.start();
  }

  run<K extends WriteName>(name: K, args: WriteArgs<K>): Promise<WriteResult<K>> {
    if (this.closing) return Promise.reject(new Error('the SQLite writer thread is closed'));
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.requests.add({ kind: 'write', id, name, args });
    });
  }

  /** Lets the writes already posted commit, then closes the thread's connection and ends it. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.requests.add({ kind: 'close' });
      this.requests.flush();
    }
    this.closing = true;
    // Waited for: the process must not end before the thread's last commit.
    this.worker.ref();
    await this.exited;
  }

  /** For the test of a thread that ends unasked: stops the current one as a crash would. */
  crashForTest(): Promise<number> {
    return this.worker.terminate();
  }

  private start(): void {
    const worker = new Worker(BOOT, { eval: true, workerData: { path: this.path } });
    this.worker = worker;
    this.requests = new TurnBatch((requests) => worker.postMessage(requests));
    // Only a write waiting for its answer keeps the process alive.
    if (this.pending.size === 0) worker.unref();
    worker.on('message', (replies: WriterReply[]) => {
      for (const reply of replies) this.answer(reply);
    });
    worker.on('error', (error) => this.log.error({ err: error }, 'SQLite writer thread failed'));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        // A write whose answer was lost with the thread fails (its sender retries with the same client_id,
        // and a commit that did happen is found again by it); nothing was acked without its commit.
        const lost = new Error(`the SQLite writer thread ended (${code})`);
        for (const [id, waiting] of this.pending) {
          this.settled(id);
          waiting.reject(lost);
        }
        if (!this.closing) {
          this.log.error({ code }, 'SQLite writer thread ended; starting another');
          this.start();
        }
        resolve();
      }),
    );
  }

  private answer(reply: WriterReply): void {
    if (reply.kind === 'commit') return this.onCommit(reply.seconds, reply.units);
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.settled(reply.id);
    if (reply.kind === 'done') waiting.resolve(reply.value);
    else waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
  }
}
