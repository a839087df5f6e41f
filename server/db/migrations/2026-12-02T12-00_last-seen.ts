// Presence (CONTRACT section 8): when a user's last socket went, shown as "Last seen …" to their counterparts.
import { type Kysely, type Migration } from 'kysely';

export function lastSeen(): Migration {
  // Kysely<any>: a migration describes the schema as it was then, not the current table types.
  type AnyDb = Kysely<any>;
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('users').addColumn('last_seen_at', 'text').execute();
    },

    async down(db: AnyDb) {
      await db.schema.alterTable('users').dropColumn('last_seen_at').execute();
    },
  };
}
