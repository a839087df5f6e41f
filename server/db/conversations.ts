// Conversations as one participant sees them: their role, the counterpart, the job.
import type { Conversation, ConversationSummary } from '../../protocol';
import type { Db } from './connect';
import { latestMessages, toMessage, unreadCounts } from './messages';

/** A conversation from one participant's side; null when the user is not in it (or it does not exist). */
export type ConversationView = {
  conversation: Conversation;
  lastSeq: number;
  /** Raised by every edit or delete in it: read before its messages, so an answer never claims a change it lacks. */
  rev: number;
  counterpartId: number;
};

function viewsOf(db: Db, userId: number) {
  return db
    .selectFrom('participants as me')
    .innerJoin('conversations as c', 'c.id', 'me.conversation_id')
    .innerJoin('jobs as j', 'j.id', 'c.job_id')
    .innerJoin('participants as other', (join) =>
      join.onRef('other.conversation_id', '=', 'c.id').onRef('other.user_id', '<>', 'me.user_id'),
    )
    .innerJoin('users as ou', 'ou.id', 'other.user_id')
    .select([
      'c.id',
      'c.last_seq',
      'c.rev',
      'me.role',
      'ou.id as counterpart_id',
      'ou.name as counterpart_name',
      'ou.avatar as counterpart_avatar',
      'ou.last_seen_at as counterpart_last_seen_at',
      'j.id as job_id',
      'j.title',
      'j.status',
      'j.worker_marked_complete',
      'j.client_marked_complete',
    ])
    .where('me.user_id', '=', userId);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewsOf>['executeTakeFirstOrThrow']>>;

function toView(row: ViewRow): ConversationView {
  return {
    lastSeq: row.last_seq,
    rev: row.rev,
    counterpartId: row.counterpart_id,
    conversation: {
      id: row.id,
      my_role: row.role,
      counterpart: { name: row.counterpart_name, avatar: row.counterpart_avatar },
      job: {
        id: row.job_id,
        title: row.title,
        status: row.status,
        workerMarkedComplete: row.worker_marked_complete === 1,
        clientMarkedComplete: row.client_marked_complete === 1,
      },
    },
  };
}

export async function findConversationView(
  db: Db,
  userId: number,
  conversationId: number,
): Promise<ConversationView | null> {
  const row = await viewsOf(db, userId).where('c.id', '=', conversationId).executeTakeFirst();
  return row ? toView(row) : null;
}

/** How many conversations the user is in. */
export async function countConversations(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A summary as the list shows it, and (never sent) who the counterpart is. */
export type ListedConversation = { summary: ConversationSummary; counterpartId: number };

/** Every conversation of the user, newest activity first, with its last message and unread count. */
export async function listConversations(db: Db, userId: number): Promise<ListedConversation[]> {
  const rows = await viewsOf(db, userId)
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute();
  const ids = rows.map((r) => r.id);
  const [last, unread] = await Promise.all([latestMessages(db, ids), unreadCounts(db, userId)]);
  return rows.map((row) => {
    const record = last.get(row.id);
    const conversation = toView(row).conversation;
    const summary = {
      ...conversation,
      // Online is not the database's to know: presence.ts fills it in.
      counterpart: { ...conversation.counterpart, online: false, last_seen_at: row.counterpart_last_seen_at },
      last_message: record ? toMessage(record, userId) : null,
      unread_count: unread.get(row.id) ?? 0,
    };
    return { summary, counterpartId: row.counterpart_id };
  });
}

export async function listConversationSummaries(db: Db, userId: number): Promise<ConversationSummary[]> {
  return (await listConversations(db, userId)).map((c) => c.summary);
}

/** Each conversation of the user and its counterpart: whom to tell when the user comes and goes. */
export async function listCounterparts(db: Db, userId: number): Promise<{ conversationId: number; counterpartId: number }[]> {
  return db
    .selectFrom('participants as me')
    .innerJoin('participants as other', (join) =>
      join.onRef('other.conversation_id', '=', 'me.conversation_id').onRef('other.user_id', '<>', 'me.user_id'),
    )
    .select(['me.conversation_id as conversationId', 'other.user_id as counterpartId'])
    .where('me.user_id', '=', userId)
    .execute();
}

type NewConversation = { title: string; clientId: number; workerId: number; now: Date };

/** Creates a job (IN_PROGRESS) and its conversation between a client and a worker; returns its id. */
export function createConversation(db: Db, input: NewConversation): Promise<number> {
  return db.transaction().execute((trx) => insertConversation(trx, input));
}

/** The inserts of createConversation, for a caller that already holds a transaction. */
export async function insertConversation(trx: Db, input: NewConversation): Promise<number> {
  const job = await trx
    .insertInto('jobs')
    .values({ title: input.title, status: 'IN_PROGRESS', worker_marked_complete: 0, client_marked_complete: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const conversation = await trx
    .insertInto('conversations')
    .values({ job_id: job.id, last_seq: 0, last_activity_at: input.now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('participants')
    .values([
      { conversation_id: conversation.id, user_id: input.clientId, role: 'CLIENT', read_seq: 0 },
      { conversation_id: conversation.id, user_id: input.workerId, role: 'WORKER', read_seq: 0 },
    ])
    .execute();
  return conversation.id;
}
