// The (conversation_id, rev) index holds changed messages only (rev > 0). A new message has rev 0 and is never
// looked up by it (`sync … after_rev` asks for rev > after_rev >= 0), yet each send wrote an entry, on its own
// page of the index for every conversation of a commit: 4 of the 16 kB a send wrote to the WAL at the fan-out's
// saturation. The query names `rev > 0` as it is written here, which both databases need to use the index.
import { sql, type Kysely, type Migration } from 'kysely';

export function changedMessagesIndex(): Migration {
  // Kysely<any>: a migration describes the schema as it was then, not the current table types.
  type AnyDb = Kysely<any>;
  return {
    async up(db: AnyDb) {
      await db.schema.dropIndex('messages_conversation_rev').execute();
      await db.schema
        .createIndex('messages_changed')
        .on('messages')
        .columns(['conversation_id', 'rev'])
        .where(sql.ref('rev'), '>', sql.lit(0))
        .execute();
    },

    async down(db: AnyDb) {
      await db.schema.dropIndex('messages_changed').execute();
      await db.schema.createIndex('messages_conversation_rev').on('messages').columns(['conversation_id', 'rev']).execute();
    },
  };
}
