// Sessions: one row per sign-in, found by the HMAC of its token.
import type { Db } from './connect';

/** What a request or socket knows about who is signed in. Never sent in a frame. */
export type SessionUser = { sessionId: number; userId: number; name: string; avatar: string; expiresAt: string };

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
    .select(['s.id as sessionId', 'u.id as userId', 'u.name', 'u.avatar', 's.expires_at as expiresAt'])
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

/** Whether the session is still signed in (not revoked, not expired, not deleted). */
export async function isSessionActive(db: Db, sessionId: number, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('id', '=', sessionId)
    .where('revoked', '=', 0)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the sessions that can no longer sign anyone in (expired or revoked); returns how many. */
export async function deleteEndedSessions(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('revoked', '=', 1)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
