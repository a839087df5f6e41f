// Sessions: one row per sign-in, found by the HMAC of its token.
import type { Db } from './connect';

/** What a request or socket knows about who is signed in. Never sent in a frame. */
export type SessionUser = { sessionId: number; userId: number; name: string; avatar: string };

export async function insertSession(
  db: Db,
  session: { tokenHash: string; userId: number; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      created_at: session.now.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      revoked: 0,
    })
    .execute();
}

export async function findActiveSession(db: Db, tokenHash: string, now: Date): Promise<SessionUser | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as sessionId', 'u.id as userId', 'u.name', 'u.avatar'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked', '=', 0)
    .where('s.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row;
}

/** Revokes the session of this token hash; returns its id, or undefined when there was none. */
export async function revokeSession(db: Db, tokenHash: string): Promise<number | undefined> {
  const row = await db
    .updateTable('sessions')
    .set({ revoked: 1 })
    .where('token_hash', '=', tokenHash)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
