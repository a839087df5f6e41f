// Edits and deletes (CONTRACT section 9): a message keeps when it was edited, whether it is a tombstone, and
// the conversation revision of its last change; a conversation counts its changes in `rev`. The index finds
// "changed after rev R in conversation C" (a `sync` entry's `after_rev`) without reading the conversation.
// SQLite adds one column per ALTER TABLE, so each column is its own statement.
import { type Kysely, type Migration } from 'kysely';

export function messageRevisions(): Migration {
  // Kysely<any>: a migration describes the schema as it was then, not the current table types.
  type AnyDb = Kysely<any>;
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('messages').addColumn('edited_at', 'text').execute();
      await db.schema.alterTable('messages').addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('messages').addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('conversations').addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('messages_conversation_rev').on('messages').columns(['conversation_id', 'rev']).execute();
    },

    async down(db: AnyDb) {
      await db.schema.dropIndex('messages_conversation_rev').execute();
      await db.schema.alterTable('conversations').dropColumn('rev').execute();
      for (const column of ['rev', 'deleted', 'edited_at']) await db.schema.alterTable('messages').dropColumn(column).execute();
    },
  };
}
