// The writer thread's side (see writer.ts): its own connection to the SQLite file, the named writes run in
// group commit, each outcome posted back once its transaction has committed (a commit's outcomes together).
import { parentPort, workerData } from 'node:worker_threads';
import { GroupCommit } from './group-commit';
import { openSqlite } from './sqlite';
import { TurnBatch } from './turn-batch';
import type { WriterReply, WriterRequest } from './writer';
import { writeIn } from './writes';

const port = parentPort!;
const db = openSqlite((workerData as { path: string }).path);
const replies = new TurnBatch<WriterReply>((batch) => port.postMessage(batch));
const post = (reply: WriterReply) => replies.add(reply);
const group = new GroupCommit(db, (seconds, units) => post({ kind: 'commit', seconds, units }));
const inFlight = new Set<Promise<void>>();

port.on('message', (requests: WriterRequest[]) => {
  for (const request of requests) handle(request);
});

function handle(request: WriterRequest): void {
  if (request.kind === 'close') return void close();
  const { id, name, args } = request;
  const done = group
    .run((trx) => writeIn(trx, name, args as never))
    .then(
      (value) => post({ kind: 'done', id, value }),
      (error: { message?: string; code?: unknown }) =>
        post({ kind: 'failed', id, error: { message: String(error?.message ?? error), code: typeof error?.code === 'string' ? error.code : undefined } }),
    )
    .finally(() => inFlight.delete(done));
  inFlight.add(done);
}

async function close(): Promise<void> {
  await Promise.all(inFlight);
  replies.flush();
  await db.destroy();
  port.close();
}
