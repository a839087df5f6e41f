// Kysely builds and compiles a query each time it runs: its builders and visitor were a fifth of the SQLite
// writer thread's time at the fan-out's saturation (the send's INSERT and UPDATE). A hot query is built
// once per dialect with a mark in place of each value, compiled, and then run with the values put where
// the marks are: the same typed Kysely query, its SQL text the same on every run (prepared once by
// statement-cache.ts on SQLite).
import type { CompiledQuery, Compilable, QueryResult } from 'kysely';
import type { Db } from './connect';
import { onPostgres } from './on-postgres';

const MARK = '\u0000value:';

/** `build` receives marks in place of the values: it may pass them on to Kysely, never look at them. */
export function compiledOnce<V extends Record<string, unknown>, R>(
  build: (db: Db, values: V) => Compilable<R>,
): (db: Db, values: V) => Promise<QueryResult<R>> {
  const byDialect = new Map<boolean, { compiled: CompiledQuery<R>; slots: (keyof V | null)[] }>();
  const compile = (db: Db, names: (keyof V)[]) => {
    const marks = Object.fromEntries(names.map((name) => [name, `${MARK}${String(name)}`])) as V;
    const compiled = build(db, marks).compile();
    const slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? (p.slice(MARK.length) as keyof V) : null));
    for (const name of names) if (!slots.includes(name)) throw new Error(`compiledOnce: the query does not use ${String(name)}`);
    return { compiled, slots };
  };
  return async (db, values) => {
    const postgres = onPostgres(db);
    let once = byDialect.get(postgres);
    if (!once) byDialect.set(postgres, (once = compile(db, Object.keys(values))));
    const { compiled, slots } = once;
    const parameters = slots.map((slot, i) => (slot === null ? compiled.parameters[i] : values[slot]));
    return db.executeQuery({ ...compiled, parameters });
  };
}
