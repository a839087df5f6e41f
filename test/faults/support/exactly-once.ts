// The exactly-once check: what was sent against what the database and each client's cache hold. Texts
// are unique per test, so a message is known by its text (a resend under a new client_id would show up
// as a duplicate text, a lost one as a missing text).
import Database from 'better-sqlite3';
import { expect } from 'vitest';

export type StoredRow = { seq: number; client_id: string | null; text: string };

/** The conversation as stored, by seq, read straight from the SQLite file (WAL lets it run beside the server). */
export function readConversation(dbPath: string, conversationId: number): StoredRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT seq, client_id, text FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(conversationId) as StoredRow[];
  } finally {
    db.close();
  }
}

export type Tally = { sent: number; lost: number; duplicated: number };

/** How many of `sent` are missing from `held`, and how many extra copies `held` has of them. */
export function tally(sent: readonly string[], held: readonly string[]): Tally {
  const wanted = new Set(sent);
  const counts = new Map<string, number>();
  for (const text of held) if (wanted.has(text)) counts.set(text, (counts.get(text) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const text of wanted) {
    const n = counts.get(text) ?? 0;
    if (n === 0) lost += 1;
    else duplicated += n - 1;
  }
  return { sent: wanted.size, lost, duplicated };
}

export type CachedMessage = { seq: number | null; message_text: string; status: string };

/**
 * The database holds each sent text once with gapless seqs, and every cache holds exactly the same
 * messages, confirmed, with the same seqs, in the same order. Returns the database's tally.
 */
export function expectExactlyOnce(sent: readonly string[], rows: StoredRow[], caches: Record<string, CachedMessage[]>): Tally {
  const stored = tally(sent, rows.map((r) => r.text));
  expect(stored, 'the database').toEqual({ sent: sent.length, lost: 0, duplicated: 0 });
  expect(rows.map((r) => r.seq), 'gapless seqs').toEqual(rows.map((_, i) => i + 1));
  const wanted = new Set(sent);
  const truth = rows.filter((r) => wanted.has(r.text)).map((r) => `${r.seq}:${r.text}`);
  for (const [who, cache] of Object.entries(caches)) {
    const mine = cache.filter((m) => wanted.has(m.message_text));
    expect(tally(sent, mine.map((m) => m.message_text)), `${who}'s cache (seqs held: ${seqRanges(cache)})`).toEqual({ sent: sent.length, lost: 0, duplicated: 0 });
    expect(mine.filter((m) => m.status !== 'sent').length, `${who}'s unconfirmed messages`).toBe(0);
    expect(mine.map((m) => `${m.seq}:${m.message_text}`), `${who}'s order`).toEqual(truth);
  }
  return stored;
}

/** The seqs a cache holds as ranges ("1-250, 300-412"), to show where a gap is. */
function seqRanges(cache: CachedMessage[]): string {
  const seqs = cache.flatMap((m) => (m.seq === null ? [] : [m.seq])).sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = seqs[0];
  for (let i = 1; i <= seqs.length; i += 1) {
    if (i < seqs.length && seqs[i] === seqs[i - 1]! + 1) continue;
    if (start !== undefined) ranges.push(start === seqs[i - 1] ? `${start}` : `${start}-${seqs[i - 1]}`);
    start = seqs[i];
  }
  return ranges.join(', ') || 'none';
}

/** One line of figures per test, for the README's reliability section. */
export function reportFigures(test: string, figures: Record<string, number | string>): void {
  const line = Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`[faults] ${test}: ${line}`);
}

/** The size of a run: the default (fast) one, or the full one under CHAOS=full. */
export function sized(fast: number, full: number): number {
  return process.env.CHAOS === 'full' ? full : fast;
}
