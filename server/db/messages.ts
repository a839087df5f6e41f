// Messages: stored once per conversation in `seq` order, mapped to the wire `Message` per viewer.
import { v7 as uuidV7 } from 'uuid';
import type { Message, MessageType } from '../../protocol';
import { compiledOnce } from './compiled-once';
import type { Connected, Db } from './connect';
import { onPostgres } from './on-postgres';

/** A stored message before it is seen by anyone: `toMessage` computes what differs per viewer. */
export type MessageRecord = {
  publicId: string;
  conversationId: number;
  seq: number;
  senderId: number;
  senderName: string;
  senderAvatar: string;
  clientId: string | null;
  text: string;
  type: MessageType;
  createdAt: string;
  editedAt: string | null;
  /** 1: a tombstone, its text erased (0/1 as stored). */
  deleted: number;
  /** The conversation's rev at its last edit or delete; 0 if never changed. */
  rev: number;
  /** The read mark of the participant who did not send it. */
  recipientReadSeq: number;
};

export function toMessage(record: MessageRecord, viewerId: number): Message {
  return {
    id: record.publicId,
    seq: record.seq,
    conversation_id: record.conversationId,
    client_id: record.clientId,
    sender_name: record.senderName,
    sender_avatar: record.senderAvatar,
    message_text: record.text,
    message_type: record.type,
    is_read: record.recipientReadSeq >= record.seq,
    created_at: record.createdAt,
    is_mine: record.senderId === viewerId,
    edited_at: record.editedAt,
    deleted: record.deleted === 1,
    rev: record.rev,
  };
}

/** Every stored message as a MessageRecord, for a query to narrow down. */
export function records(db: Db) {
  return db
    .selectFrom('messages as m')
    .innerJoin('users as u', 'u.id', 'm.sender_id')
    .innerJoin('participants as r', (join) =>
      join.onRef('r.conversation_id', '=', 'm.conversation_id').onRef('r.user_id', '<>', 'm.sender_id'),
    )
    .select([
      'm.public_id as publicId',
      'm.conversation_id as conversationId',
      'm.seq',
      'm.sender_id as senderId',
      'u.name as senderName',
      'u.avatar as senderAvatar',
      'm.client_id as clientId',
      'm.text',
      'm.type',
      'm.created_at as createdAt',
      'm.edited_at as editedAt',
      'm.deleted',
      'm.rev',
      'r.read_seq as recipientReadSeq',
    ]);
}

export type Page = { records: MessageRecord[]; hasMore: boolean };

/** The `limit` newest messages, or the `limit` just before `beforeSeq`; oldest first. */
export async function pageOfMessages(
  db: Db,
  conversationId: number,
  options: { beforeSeq?: number; limit: number },
): Promise<Page> {
  let query = records(db).where('m.conversation_id', '=', conversationId);
  if (options.beforeSeq !== undefined) query = query.where('m.seq', '<', options.beforeSeq);
  const newestFirst = await query.orderBy('m.seq', 'desc').limit(options.limit + 1).execute();
  const hasMore = newestFirst.length > options.limit;
  return { records: newestFirst.slice(0, options.limit).reverse(), hasMore };
}

/** The first `limit` messages after `afterSeq`, oldest first. */
export async function messagesAfter(db: Db, conversationId: number, afterSeq: number, limit: number): Promise<MessageRecord[]> {
  return records(db)
    .where('m.conversation_id', '=', conversationId)
    .where('m.seq', '>', afterSeq)
    .orderBy('m.seq', 'asc')
    .limit(limit)
    .execute();
}

/** The newest message of each conversation that has one. */
export async function latestMessages(db: Db, conversationIds: number[]): Promise<Map<number, MessageRecord>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await records(db)
    .innerJoin('conversations as c', (join) =>
      join.onRef('c.id', '=', 'm.conversation_id').onRef('c.last_seq', '=', 'm.seq'),
    )
    .where('m.conversation_id', 'in', conversationIds)
    .execute();
  return new Map(rows.map((r) => [r.conversationId, r]));
}

/** Per conversation of the user: the other side's messages above the user's read mark. */
export async function unreadCounts(db: Db, userId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('participants as p', (join) =>
      join.onRef('p.conversation_id', '=', 'm.conversation_id').on('p.user_id', '=', userId),
    )
    .select((eb) => ['m.conversation_id', eb.fn.countAll().as('n')])
    .where('m.sender_id', '<>', userId)
    .whereRef('m.seq', '>', 'p.read_seq')
    .groupBy('m.conversation_id')
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, Number(r.n)]));
}

export type Sender = { userId: number; name: string; avatar: string };
export type NewMessageInput = {
  conversationId: number;
  sender: Sender;
  clientId: string | null;
  text: string;
  type: MessageType;
};

type InsertValues = {
  publicId: string;
  conversationId: number;
  senderId: number;
  clientId: string | null;
  text: string;
  type: MessageType;
  createdAt: string;
};

/** The send's INSERT: the conversation's next seq taken in the same statement, nothing on a repeated client_id. */
const insertNext = compiledOnce((trx: Db, v: InsertValues) => {
  let next = trx
    .selectFrom('conversations')
    .select((eb) => [
      eb.val(v.publicId).as('public_id'),
      'id as conversation_id',
      eb('last_seq', '+', 1).as('seq'),
      // Typed here: PostgreSQL would read an untyped parameter in a select list as text.
      eb.cast<number>(eb.val(v.senderId), 'integer').as('sender_id'),
      eb.val(v.clientId).as('client_id'),
      eb.val(v.text).as('text'),
      eb.val(v.type).as('type'),
      eb.val(v.createdAt).as('created_at'),
    ])
    .where('id', '=', v.conversationId);
  if (onPostgres(trx)) next = next.forUpdate();
  return trx
    .insertInto('messages')
    .columns(['public_id', 'conversation_id', 'seq', 'sender_id', 'client_id', 'text', 'type', 'created_at'])
    .expression(next)
    .onConflict((oc) => oc.columns(['sender_id', 'client_id']).doNothing())
    .returning('seq');
});

const moveLastSeq = compiledOnce((trx: Db, v: { seq: number; createdAt: string; conversationId: number }) =>
  trx.updateTable('conversations').set({ last_seq: v.seq, last_activity_at: v.createdAt }).where('id', '=', v.conversationId),
);

/**
 * A message's public id, time-ordered (UUID v7): a commit's new ids go to the end of the public_id index, on
 * one page, where random ones went each to a page of its own (a quarter of what a send wrote to the WAL at
 * the fan-out's saturation).
 */
export const newMessageId = (): string => uuidV7();

/**
 * Inside a transaction: takes the next seq of the conversation and stores the message, in one statement,
 * unless its sender already stored its `clientId`: then nothing is written and the answer is null. The
 * conversation's row is locked while its last_seq is read (PostgreSQL: FOR UPDATE; SQLite has one writer),
 * which orders concurrent senders; the UPDATE that follows moves last_seq to the stored seq.
 */
export async function appendMessage(trx: Db, input: NewMessageInput): Promise<MessageRecord | null> {
  const createdAt = new Date().toISOString();
  const publicId = newMessageId();
  const { sender, conversationId, clientId, text, type } = input;
  const inserted = await insertNext(trx, { publicId, conversationId, senderId: sender.userId, clientId, text, type, createdAt });
  const seq = inserted.rows[0]?.seq;
  if (seq === undefined) return null;
  await moveLastSeq(trx, { seq, createdAt, conversationId });
  return {
    publicId,
    conversationId: input.conversationId,
    seq,
    senderId: input.sender.userId,
    senderName: input.sender.name,
    senderAvatar: input.sender.avatar,
    clientId: input.clientId,
    text: input.text,
    type: input.type,
    createdAt,
    editedAt: null,
    deleted: 0,
    rev: 0,
    // Nobody has read past the previous last_seq yet.
    recipientReadSeq: 0,
  };
}

async function findByClientId(db: Db, senderId: number, clientId: string): Promise<MessageRecord | undefined> {
  return records(db).where('m.sender_id', '=', senderId).where('m.client_id', '=', clientId).executeTakeFirst();
}

export type Stored = { record: MessageRecord; created: boolean };

/**
 * Stores a text message once per (sender, client_id): a repeated client_id returns the message stored the
 * first time, read only then. A repeat racing the first one waits for it on the unique constraint (PostgreSQL)
 * or runs after it (SQLite's one writer), and so finds it stored.
 */
export async function storeMessage(
  { db, write }: Pick<Connected, 'db' | 'write'>,
  input: NewMessageInput & { clientId: string },
): Promise<Stored> {
  // On SQLite, sends arriving together share one transaction and its fsync; the ack still waits for the commit.
  const record = await write('appendMessage', input);
  if (record) return { record, created: true };
  const stored = await findByClientId(db, input.sender.userId, input.clientId);
  if (!stored) throw new Error('client_id conflict without a stored message');
  return { record: stored, created: false };
}
