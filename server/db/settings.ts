// Settings: small key/value pairs that every process on one database shares.
import type { Db } from './connect';

/** The stored value of `key`; when absent, stores `make()` first. Concurrent callers all get one value. */
export async function getOrCreateSetting(db: Db, key: string, make: () => string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ key, value: make() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
