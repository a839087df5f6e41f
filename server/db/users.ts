// Users: accounts that sign in and take part in conversations.
import type { Db } from './connect';
import type { UserRow } from './database';

export type NewUser = { email: string; name: string; avatar: string; passwordHash: string };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

/** Inserts a user; a duplicate email throws a unique violation (see isUniqueViolation). */
export async function insertUser(db: Db, user: NewUser): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ email: normalizeEmail(user.email), name: user.name, avatar: user.avatar, password_hash: user.passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces a user's password hash (a hash made with older parameters, upgraded at sign-in). */
export async function updatePasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

/** Presence: the user's last socket went at `at` (ISO 8601). */
export async function recordLastSeen(db: Db, userId: number, at: string): Promise<void> {
  await db.updateTable('users').set({ last_seen_at: at }).where('id', '=', userId).execute();
}
