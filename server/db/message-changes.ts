// Edits and deletes: only the sender's own TEXT messages change. Each change raises its conversation's `rev`
// by one and stamps the message with it, in one transaction; `sync … after_rev` finds the changes by it.
import { sql } from 'kysely';
import type { Connected, Db } from './connect';
import { onPostgres } from './on-postgres';
import { records, type MessageRecord } from './messages';

/** A new text (already trimmed and checked), or a delete: the text is erased, a tombstone stays. */
export type Change = { kind: 'edit'; text: string } | { kind: 'delete' };

export type ChangeRefusal = 'not_found' | 'not_sender' | 'not_text' | 'deleted';

/** `changed: false`: nothing to do (the same text again, a second delete): the message as it is. */
export type ChangeOutcome = { ok: true; record: MessageRecord; changed: boolean } | { ok: false; refusal: ChangeRefusal };

export type ChangeInput = { conversationId: number; publicId: string; userId: number; change: Change };

/**
 * Applies `change` to the message `publicId` of the conversation on behalf of `userId`. A repeat (a retry
 * whose ack was lost) changes nothing and raises no `rev`. Refusals are answers, not exceptions, so that on
 * SQLite a refused change does not fail the group commit it shares.
 */
export function changeMessage({ write }: Pick<Connected, 'write'>, input: ChangeInput): Promise<ChangeOutcome> {
  return write('changeMessage', input);
}

/** changeMessage's unit of work, in the transaction `trx`. */
export async function applyChange(trx: Db, input: ChangeInput): Promise<ChangeOutcome> {
  let query = trx
    .selectFrom('messages')
    .select(['id', 'sender_id', 'type', 'text', 'deleted'])
    .where('public_id', '=', input.publicId)
    .where('conversation_id', '=', input.conversationId);
  // PostgreSQL: an edit and a delete of one message on two processes wait for each other here, so an edit
  // never revives a tombstone. On SQLite the transaction holds the database's one writer already.
  if (onPostgres(trx)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return { ok: false, refusal: 'not_found' };
  if (row.sender_id !== input.userId) return { ok: false, refusal: 'not_sender' };
  if (row.type !== 'TEXT') return { ok: false, refusal: 'not_text' };
  const { change } = input;
  if (change.kind === 'edit' && row.deleted === 1) return { ok: false, refusal: 'deleted' };
  const unchanged = row.deleted === 1 || (change.kind === 'edit' && row.text === change.text);
  if (!unchanged) {
    // The conversation's row lock (PostgreSQL) orders concurrent changes: revs commit in their order.
    const { rev } = await trx
      .updateTable('conversations')
      .set((eb) => ({ rev: eb('rev', '+', 1) }))
      .where('id', '=', input.conversationId)
      .returning('rev')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('messages')
      .set(change.kind === 'edit' ? { text: change.text, edited_at: new Date().toISOString(), rev } : { text: '', deleted: 1, rev })
      .where('id', '=', row.id)
      .execute();
  }
  const record = await records(trx).where('m.id', '=', row.id).executeTakeFirstOrThrow();
  return { ok: true, record, changed: !unchanged };
}

/** The query of `messagesChangedAfter`, one more than `limit` at most; exported for its plan's test. */
export function changedAfterQuery(db: Db, conversationId: number, options: { afterRev: number; upToSeq: number; limit: number }) {
  return records(db)
    .where('m.conversation_id', '=', conversationId)
    // Implied by rev > afterRev (afterRev >= 0), but not provably so to a planner: named as the index names it.
    .where(sql<boolean>`m.rev > 0`)
    .where('m.rev', '>', options.afterRev)
    .where('m.seq', '<=', options.upToSeq)
    .orderBy('m.rev')
    .limit(options.limit + 1);
}

/**
 * The messages up to `upToSeq` changed after `afterRev`, oldest first; null when there are more than `limit`
 * (the caller then answers the latest page instead). Walks the index of changed messages.
 */
export async function messagesChangedAfter(
  db: Db,
  conversationId: number,
  options: { afterRev: number; upToSeq: number; limit: number },
): Promise<MessageRecord[] | null> {
  const changed = await changedAfterQuery(db, conversationId, options).execute();
  if (changed.length > options.limit) return null;
  return changed.sort((a, b) => a.seq - b.seq);
}
