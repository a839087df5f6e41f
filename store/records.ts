// Copying the big records a frame touches (the list's summaries, the threads by conversation) outside
// immer, fast whatever happened to them before.

/**
 * `record` with `key` set to `value`, as a new object. V8 copies a spread record fast (about 1 µs for 500
 * entries), unless the record, or any it was spread from, was ever frozen, and immer freezes what its
 * drafts produce: from then on every spread in that line takes the slow path, about 100× slower (bench
 * figure 4). A frozen record is copied key by key instead, which starts a clean line.
 */
export function withEntry<V>(record: Readonly<Record<number, V>>, key: number, value: V): Record<number, V>;
export function withEntry<V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V>;
export function withEntry<V>(record: Readonly<Record<PropertyKey, V>>, key: PropertyKey, value: V): Record<PropertyKey, V> {
  let copy: Record<PropertyKey, V>;
  if (Object.isFrozen(record)) {
    copy = {};
    for (const k in record) copy[k] = record[k]!;
  } else {
    copy = { ...record };
  }
  copy[key] = value;
  return copy;
}
