// Read marks: how far each participant has read a conversation.
import type { Connected, Db } from './connect';

export type ReadInput = { conversationId: number; userId: number; upToSeq: number; lastSeq: number };

/**
 * Moves the user's read mark up to `upToSeq` (never past the newest message, never backwards) and returns
 * the mark now stored.
 */
export function markRead({ write }: Pick<Connected, 'write'>, input: ReadInput): Promise<number> {
  return write('markRead', input);
}

/** markRead's unit of work, in the transaction `db`. */
export async function markReadIn(db: Db, input: ReadInput): Promise<number> {
  const target = Math.min(input.upToSeq, input.lastSeq);
  await db
    .updateTable('participants')
    .set({ read_seq: target })
    .where('conversation_id', '=', input.conversationId)
    .where('user_id', '=', input.userId)
    .where('read_seq', '<', target)
    .execute();
  const row = await db
    .selectFrom('participants')
    .select('read_seq')
    .where('conversation_id', '=', input.conversationId)
    .where('user_id', '=', input.userId)
    .executeTakeFirstOrThrow();
  return row.read_seq;
}
