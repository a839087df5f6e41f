// The data layer on every dialect: seq allocation, idempotent sends, pages, read marks, job completion,
// sessions, and a migration + seed that happens once.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../db/connect';
import { findConversationView, listConversationSummaries } from '../db/conversations';
import { markJobComplete } from '../db/jobs';
import { changeMessage, changedAfterQuery, messagesChangedAfter } from '../db/message-changes';
import { pageOfMessages, storeMessage, toMessage, unreadCounts, messagesAfter, type Sender } from '../db/messages';
import { prepareDatabase } from '../db/migrate';
import { markRead } from '../db/reads';
import { findActiveSession, insertSession, revokeSession } from '../db/sessions';
import { countUsers, findUserByEmail } from '../db/users';
import { dialectCases, type TestDatabase } from '../../test/support/databases';
import { CASEY, WES, WREN } from '../../test/support/sign-in';

const cases = await dialectCases();

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`repositories on ${dialect.name}`, () => {
    let database: TestDatabase;
    let conn: Connected;
    let casey: Sender;
    let wes: Sender;
    let wren: Sender;
    let sink: number;
    let fence: number;
    let wardrobe: number;

    beforeAll(async () => {
      database = await dialect.create();
      conn = connect(database.url);
      await prepareDatabase(conn, { seedDemo: true });
      const sender = async (email: string): Promise<Sender> => {
        const user = await findUserByEmail(conn.db, email);
        if (!user) throw new Error(`no ${email}`);
        return { userId: user.id, name: user.name, avatar: user.avatar };
      };
      [casey, wes, wren] = await Promise.all([sender(CASEY), sender(WES), sender(WREN)]);
      const list = await listConversationSummaries(conn.db, casey.userId);
      const id = (title: string) => list.find((c) => c.job.title === title)!.id;
      [sink, fence, wardrobe] = [id('Fix my sink'), id('Paint the fence'), id('Assemble wardrobe')];
    });

    afterAll(async () => {
      await conn?.close();
      await database?.drop();
    });

    it('seeds the demo once: a second start migrates nothing and seeds nothing', async () => {
      await prepareDatabase(conn, { seedDemo: true });
      expect(await countUsers(conn.db)).toBe(3);
      const wesList = await listConversationSummaries(conn.db, wes.userId);
      expect(wesList.map((c) => c.job.title).sort()).toEqual(['Fix my sink', 'Paint the fence']);
      for (const summary of wesList) {
        expect(summary.job.status).toBe('IN_PROGRESS');
        expect(summary.last_message?.seq).toBeGreaterThanOrEqual(5);
        expect(summary.unread_count).toBe(0);
      }
    });

    it('gives concurrent sends the seqs 1, 2, 3 … without gaps, each message once', async () => {
      const before = (await findConversationView(conn.db, casey.userId, fence))!.lastSeq;
      const sends = Array.from({ length: 12 }, (_, i) =>
        storeMessage(conn, {
          conversationId: fence,
          sender: i % 2 ? casey : wes,
          clientId: `burst-${i}`,
          text: `burst ${i}`,
          type: 'TEXT',
        }),
      );
      const results = await Promise.all(sends);
      const seqs = results.map((r) => r.record.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => before + i + 1));
      const stored = await messagesAfter(conn.db, fence, before, 1000);
      expect(stored.map((r) => r.seq)).toEqual(seqs);
    });

    it('pages history oldest first with has_more', async () => {
      const { lastSeq } = (await findConversationView(conn.db, casey.userId, sink))!;
      const latest = await pageOfMessages(conn.db, sink, { limit: 3 });
      expect(latest.records.map((r) => r.seq)).toEqual([lastSeq - 2, lastSeq - 1, lastSeq]);
      expect(latest.hasMore).toBe(true);
      const first = await pageOfMessages(conn.db, sink, { beforeSeq: 3, limit: 5 });
      expect(first.records.map((r) => r.seq)).toEqual([1, 2]);
      expect(first.hasMore).toBe(false);
    });

    it('computes is_mine per viewer and is_read from the recipient’s read mark', async () => {
      const { record } = await storeMessage(conn, { conversationId: wardrobe, sender: wren, clientId: 'r1', text: 'hello', type: 'TEXT' });
      expect(toMessage(record, wren.userId)).toMatchObject({ is_mine: true, is_read: false, sender_name: 'Wren Worker' });
      expect(toMessage(record, casey.userId).is_mine).toBe(false);
      expect((await unreadCounts(conn.db, casey.userId)).get(wardrobe)).toBe(1);
      expect((await unreadCounts(conn.db, wren.userId)).get(wardrobe)).toBeUndefined();

      const lastSeq = record.seq;
      expect(await markRead(conn, { conversationId: wardrobe, userId: casey.userId, upToSeq: 10_000, lastSeq })).toBe(lastSeq);
      // Never backwards.
      expect(await markRead(conn, { conversationId: wardrobe, userId: casey.userId, upToSeq: 1, lastSeq })).toBe(lastSeq);
      expect((await unreadCounts(conn.db, casey.userId)).get(wardrobe)).toBeUndefined();
      const [stored] = (await pageOfMessages(conn.db, wardrobe, { limit: 1 })).records;
      expect(toMessage(stored!, wren.userId).is_read).toBe(true);
    });

    it('marks a job complete once per side, COMPLETED when both have, with a SYSTEM message each time', async () => {
      const view = (await findConversationView(conn.db, casey.userId, fence))!;
      const mark = (who: Sender, role: 'CLIENT' | 'WORKER') =>
        markJobComplete(conn, { conversationId: fence, jobId: view.conversation.job.id, role, marker: who });
      const first = await mark(casey, 'CLIENT');
      expect(first).toMatchObject({ type: 'SYSTEM', text: 'Casey Client marked the job complete', seq: view.lastSeq + 1 });
      expect(await mark(casey, 'CLIENT')).toBeNull();
      expect((await findConversationView(conn.db, wes.userId, fence))!.conversation.job).toMatchObject({
        status: 'IN_PROGRESS',
        clientMarkedComplete: true,
        workerMarkedComplete: false,
      });
      const second = await mark(wes, 'WORKER');
      expect(second?.text).toContain('Job completed');
      const after = (await findConversationView(conn.db, wes.userId, fence))!;
      expect(after.conversation.job).toMatchObject({ status: 'COMPLETED', clientMarkedComplete: true, workerMarkedComplete: true });
      expect(after.conversation.my_role).toBe('WORKER');
    });

    it('finds a session by its token hash until it is revoked or expires', async () => {
      const now = new Date();
      await insertSession(conn.db, { tokenHash: 'h-live', userId: wes.userId, now, expiresAt: new Date(now.getTime() + 60_000) });
      await insertSession(conn.db, { tokenHash: 'h-old', userId: wes.userId, now, expiresAt: new Date(now.getTime() - 1) });
      expect(await findActiveSession(conn.db, 'h-live', now)).toMatchObject({ userId: wes.userId, name: 'Wes Worker' });
      expect(await findActiveSession(conn.db, 'h-old', now)).toBeUndefined();
      expect(await revokeSession(conn.db, 'h-live')).toBeTypeOf('number');
      expect(await findActiveSession(conn.db, 'h-live', now)).toBeUndefined();
    });

    it('keeps Wren’s conversation away from Wes', async () => {
      expect(await findConversationView(conn.db, wes.userId, wardrobe)).toBeNull();
      expect(await findConversationView(conn.db, wes.userId, 999_999)).toBeNull();
    });

    it('finds changed messages through an index that new messages never enter', async () => {
      const send = (clientId: string) =>
        storeMessage(conn, { conversationId: fence, sender: wes, clientId, text: clientId, type: 'TEXT' });
      const earlier = await send('index-earlier');
      const kept = await send('index-kept');
      const edited = await send('index-edited');
      // Ids are time-ordered (a commit's new ids share the last page of their index).
      expect(earlier.record.publicId < kept.record.publicId && kept.record.publicId < edited.record.publicId).toBe(true);
      const edit = (publicId: string) =>
        changeMessage(conn, { conversationId: fence, publicId, userId: wes.userId, change: { kind: 'edit', text: 'edited' } });
      // An earlier change first: after_rev is then above 0 (a `?` bound to 0 would match the index's `rev > 0`).
      expect(await edit(earlier.record.publicId)).toMatchObject({ ok: true, changed: true });
      const { rev } = (await findConversationView(conn.db, wes.userId, fence))!;
      expect(rev).toBeGreaterThan(0);
      const outcome = await edit(edited.record.publicId);
      expect(outcome).toMatchObject({ ok: true, changed: true });
      const options = { afterRev: rev, upToSeq: edited.record.seq, limit: 10 };
      const changed = await messagesChangedAfter(conn.db, fence, options);
      expect(changed?.map((r) => r.publicId)).toEqual([edited.record.publicId]);
      expect(changed?.map((r) => r.publicId)).not.toContain(kept.record.publicId);
      const definition = dialect.name === 'postgres'
        ? sql<{ def: string }>`select indexdef as def from pg_indexes where indexname = 'messages_changed'`
        : sql<{ def: string }>`select sql as def from sqlite_master where name = 'messages_changed'`;
      expect((await definition.execute(conn.db)).rows[0]?.def).toMatch(/where \(?"?rev"? > 0\)?/i);
      if (dialect.name === 'sqlite') {
        // SQLite uses a partial index only where the query names its condition.
        const query = changedAfterQuery(conn.db, fence, options).compile();
        const plan = await conn.db.executeQuery<{ detail: string }>({ ...query, sql: `explain query plan ${query.sql}` });
        expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/USING INDEX messages_changed/);
      }
    });

    it('stores a repeated client_id once and returns the first message, also when both race', async () => {
      const input = { conversationId: sink, sender: wes, clientId: 'same-id', text: 'first', type: 'TEXT' as const };
      const [a, b] = await Promise.all([storeMessage(conn, input), storeMessage(conn, { ...input, text: 'second' })]);
      expect(a.record.publicId).toBe(b.record.publicId);
      expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
      const again = await storeMessage(conn, { ...input, text: 'third' });
      expect(again).toMatchObject({ created: false, record: { publicId: a.record.publicId, text: a.record.text } });
      const texts = (await messagesAfter(conn.db, sink, 0, 1000)).filter((r) => r.clientId === 'same-id');
      expect(texts).toHaveLength(1);
      // A repeat takes no seq: the next message follows the first one without a gap.
      const next = await storeMessage(conn, { ...input, clientId: 'after-same-id', text: 'next' });
      expect(next.record.seq).toBe(a.record.seq + 1);
      expect((await findConversationView(conn.db, wes.userId, sink))!.lastSeq).toBe(next.record.seq);
    });

    it('allows the same client_id from two different senders', async () => {
      const one = await storeMessage(conn, { conversationId: sink, sender: wes, clientId: 'shared', text: 'w', type: 'TEXT' });
      const two = await storeMessage(conn, { conversationId: sink, sender: casey, clientId: 'shared', text: 'c', type: 'TEXT' });
      expect(one.created && two.created).toBe(true);
      expect(two.record.seq).toBe(one.record.seq + 1);
    });
  });
}

describe.skipIf(cases[1]!.skipReason !== null)('several processes starting together on postgres', () => {
  it('migrate and seed once', async () => {
    const database = await cases[1]!.create();
    const starts = Array.from({ length: 4 }, () => connect(database.url));
    try {
      const secrets = await Promise.all(starts.map((c) => prepareDatabase(c, { seedDemo: true })));
      expect(new Set(secrets.map((s) => s.sessionSecret)).size).toBe(1);
      expect(await countUsers(starts[0]!.db)).toBe(3);
    } finally {
      await Promise.all(starts.map((c) => c.close()));
      await database.drop();
    }
  });
});
