// `node --import tsx bench/hot-path.ts [rounds]`: the database work of one send, in one process, each way of
// doing it against the others in interleaved rounds (so the machine's load falls on all of them alike), on
// one SQLite file with synchronous = FULL and group commit, 100 sends submitted together per batch as the
// fan-out's 100 senders do. CPU µs per send (what bounds a CPU-bound server) and wall ms per batch.
//   before    the participation join (findConversationView), the client_id lookup with two joins, then
//             UPDATE … RETURNING and INSERT in the group commit (the code before issue 14)
//   one-stmt  the participation join, then INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING and UPDATE
//   in-memory one-stmt without the participation join (the socket knows its conversations)
//   prepared  in-memory, with each SQL text prepared once by better-sqlite3 (statement-cache.ts)
// All but `before` run storeMessage as the server does now, its two statements built by Kysely once
// (compiled-once.ts), so these ratios are lower than when each way was first measured.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Connected, type Db } from '../server/db/connect';
import { writeIn, type Write } from '../server/db/writes';
import { findConversationView } from '../server/db/conversations';
import { GroupCommit } from '../server/db/group-commit';
import { records, storeMessage, type NewMessageInput, type Sender } from '../server/db/messages';
import { prepareDatabase } from '../server/db/migrate';
import { openSqlite } from '../server/db/sqlite';
import { findUserByEmail } from '../server/db/users';
import { median } from './stats';

const BATCH = 100;
const rounds = Number(process.argv[2] ?? 7);

type Conn = Pick<Connected, 'db' | 'write'> & { transact: <T>(work: (trx: Db) => Promise<T>) => Promise<T>; close: () => Promise<void> };

/**
 * The same file opened as `connect` opens it, with or without the statement cache, its writes in group commit
 * on this thread (the server runs them in its writer thread: the work per send is the same).
 */
function open(path: string, prepareOnce: boolean): Conn {
  const db = openSqlite(path, { prepareOnce });
  const group = new GroupCommit(db);
  const write: Write = (name, args) => group.run((trx) => writeIn(trx, name, args));
  return { db, write, transact: (work) => group.run(work), close: () => db.destroy() };
}

/** The send as it was before: a lookup by client_id, then UPDATE … RETURNING and INSERT. */
async function storeBefore(conn: Conn, input: NewMessageInput & { clientId: string }): Promise<void> {
  const stored = await records(conn.db).where('m.sender_id', '=', input.sender.userId).where('m.client_id', '=', input.clientId).executeTakeFirst();
  if (stored) return;
  await conn.transact(async (trx: Db) => {
    const createdAt = new Date().toISOString();
    const { last_seq: seq } = await trx
      .updateTable('conversations')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_activity_at: createdAt }))
      .where('id', '=', input.conversationId)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('messages')
      .values({
        public_id: randomUUID(),
        conversation_id: input.conversationId,
        seq,
        sender_id: input.sender.userId,
        client_id: input.clientId,
        text: input.text,
        type: input.type,
        created_at: createdAt,
      })
      .execute();
  });
}

const dir = mkdtempSync(join(tmpdir(), 'hot-path-'));
const path = join(dir, 'inbox.db');
try {
  const setup = connect(`file:${path}`);
  await prepareDatabase(setup, { seedDemo: true });
  const people = await Promise.all(
    ['client@demo.test', 'worker@demo.test'].map(async (email) => (await findUserByEmail(setup.db, email))!),
  );
  const senders: Sender[] = people.map((u) => ({ userId: u.id, name: u.name, avatar: u.avatar }));
  const conversations = (await setup.db.selectFrom('participants').select('conversation_id').where('user_id', '=', people[1]!.id).execute()).map(
    (r) => r.conversation_id,
  );
  await setup.close();

  const plain = open(path, false);
  const prepared = open(path, true);
  const input = (i: number) => ({
    conversationId: conversations[i % conversations.length]!,
    sender: senders[i % 2]!,
    clientId: randomUUID(),
    text: `hot path ${i}`,
    type: 'TEXT' as const,
  });
  const view = (conn: Pick<Connected, 'db'>, i: number) => findConversationView(conn.db, senders[i % 2]!.userId, input(i).conversationId);
  const ways: Record<string, (i: number) => Promise<unknown>> = {
    before: async (i) => {
      await view(plain, i);
      await storeBefore(plain, input(i));
    },
    'one-stmt': async (i) => {
      await view(plain, i);
      await storeMessage(plain, input(i));
    },
    'in-memory': (i) => storeMessage(plain, input(i)),
    prepared: (i) => storeMessage(prepared, input(i)),
  };
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  for (let round = 0; round < rounds + 1; round++) {
    for (const [name, send] of Object.entries(ways)) {
      const started = performance.now();
      const usage = process.cpuUsage();
      await Promise.all(Array.from({ length: BATCH }, (_, i) => send(i)));
      const used = process.cpuUsage(usage);
      // Round 0 warms up the JIT and the caches.
      if (round === 0) continue;
      cpu[name]!.push((used.user + used.system) / BATCH);
      wall[name]!.push(performance.now() - started);
    }
  }
  await Promise.all([plain.close(), prepared.close()]);
  const base = median(cpu.before!);
  console.log(`hot path: ${rounds} rounds of ${BATCH} sends each way, medians`);
  for (const name of Object.keys(ways)) {
    const us = median(cpu[name]!);
    console.log(
      `${name.padEnd(10)} ${us.toFixed(0).padStart(5)} µs CPU per send (${(us / base).toFixed(2)} of before)   ${median(wall[name]!).toFixed(1).padStart(6)} ms per batch of ${BATCH}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
