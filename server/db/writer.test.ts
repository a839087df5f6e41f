// The SQLite writer thread (writer.ts): a message's write commits on a connection of its own, off the event
// loop, and is answered only once another connection can read it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from './connect';
import { storeMessage, type Sender } from './messages';
import { prepareDatabase } from './migrate';
import { findUserByEmail } from './users';
import { SqliteWriter } from './writer';

describe('the SQLite writer thread', () => {
  let dir: string;
  let file: string;
  let conn: Connected;
  let commits: { units: number }[];
  let wes: Sender;
  let sink: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'writer-'));
    file = join(dir, 'inbox.db');
    commits = [];
    conn = connect(`file:${file}`, undefined, (_seconds, units) => commits.push({ units }));
    await prepareDatabase(conn, { seedDemo: true });
    const user = (await findUserByEmail(conn.db, 'worker@demo.test'))!;
    wes = { userId: user.id, name: user.name, avatar: user.avatar };
    sink = (await conn.db.selectFrom('conversations').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  });

  afterEach(async () => {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (text: string, sender = wes) => storeMessage(conn, { conversationId: sink, sender, clientId: randomUUID(), text, type: 'TEXT' });
  /** Counted by a connection of its own: only committed rows. */
  const storedElsewhere = (text: string) => {
    const reader = new SQLite(file, { readonly: true });
    try {
      return (reader.prepare('select count(*) as n from messages where text like ?').get(`${text}%`) as { n: number }).n;
    } finally {
      reader.close();
    }
  };

  it('answers sends posted together from one commit, each stored and readable elsewhere when answered', async () => {
    await send('warm-up'); // the thread starts with the first write
    commits.length = 0;
    const stored = await Promise.all(Array.from({ length: 100 }, (_, i) => send(`batch ${i}`)));
    expect(storedElsewhere('batch ')).toBe(100);
    const seqs = stored.map((s) => s.record.seq);
    expect(new Set(seqs).size).toBe(100);
    expect(Math.max(...seqs) - Math.min(...seqs)).toBe(99);
    expect(commits.reduce((n, c) => n + c.units, 0)).toBe(100);
    expect(commits.length).toBeLessThan(100);
  });

  it('keeps the event loop turning while a commit waits on the disk', async () => {
    await send('warm-up');
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    // On the event loop's own connection the whole transaction, fsync included, would run within one turn.
    await Promise.all(Array.from({ length: 100 }, (_, i) => send(`turns ${i}`)));
    counting = false;
    expect(turns).toBeGreaterThan(10);
  });

  it('fails the one write that breaks a constraint, with its code; the others of its commit are stored', async () => {
    const nobody = { userId: 999_999, name: 'Nobody', avatar: '' };
    const results = await Promise.allSettled([send('fk ok 1'), send('fk bad', nobody), send('fk ok 2')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(storedElsewhere('fk ok')).toBe(2);
    expect(storedElsewhere('fk bad')).toBe(0);
  });

  it('commits what was posted before it closes, and refuses writes after', async () => {
    const posted = Array.from({ length: 20 }, (_, i) => send(`closing ${i}`));
    await conn.close();
    expect((await Promise.all(posted)).every((s) => s.created)).toBe(true);
    expect(storedElsewhere('closing ')).toBe(20);
    await expect(send('too late')).rejects.toThrow(/writer thread is closed/);
    conn = connect(`file:${file}`); // for afterEach
  });

  it('starts another thread when its thread ends unasked: the writes caught in it fail, the next are stored', async () => {
    const writer = new SqliteWriter(file, () => {}, pino({ level: 'silent' }));
    const input = (text: string) => ({ conversationId: sink, sender: wes, clientId: randomUUID(), text, type: 'TEXT' as const });
    try {
      expect(await writer.run('appendMessage', input('before the crash'))).toMatchObject({ text: 'before the crash' });
      const caughtInput = input('caught');
      const caught = writer.run('appendMessage', caughtInput);
      await writer.crashForTest();
      // Either answer is honest: stored before the thread ended, or failed, its commit done or not; the
      // sender then retries with the same client_id, which stores it once.
      const outcome = await caught.then(() => 'stored', (error: Error) => error.message);
      expect(['stored', 'the SQLite writer thread ended (1)']).toContain(outcome);
      if (outcome === 'stored') expect(storedElsewhere('caught')).toBe(1);
      else await writer.run('appendMessage', caughtInput);
      expect(storedElsewhere('caught')).toBe(1);
      expect(await writer.run('appendMessage', input('after the crash'))).toMatchObject({ text: 'after the crash' });
      expect(storedElsewhere('after the crash')).toBe(1);
    } finally {
      await writer.close();
    }
  });
});
