// The first schema. Auto-increment ids are the one place where the dialects need different DDL.
import { type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../connect';

export function initialSchema(dialect: DialectName): Migration {
  // Kysely<any>: a migration describes the schema as it was then, not the current table types.
  type AnyDb = Kysely<any>;
  const withId = (db: AnyDb, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    async up(db: AnyDb) {
      await withId(db, 'users')
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('avatar', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .execute();

      await withId(db, 'sessions')
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await withId(db, 'jobs')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('worker_marked_complete', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('client_marked_complete', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await withId(db, 'conversations')
        .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_activity_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('participants')
        .addColumn('conversation_id', 'integer', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('participants_pk', ['conversation_id', 'user_id'])
        .execute();
      await db.schema.createIndex('participants_user').on('participants').column('user_id').execute();

      await withId(db, 'messages')
        .addColumn('public_id', 'text', (c) => c.notNull().unique())
        .addColumn('conversation_id', 'integer', (c) =>
          c.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sender_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('client_id', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
        .addUniqueConstraint('messages_sender_client_id', ['sender_id', 'client_id'])
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },

    async down(db: AnyDb) {
      for (const table of ['settings', 'messages', 'participants', 'conversations', 'jobs', 'sessions', 'users']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
