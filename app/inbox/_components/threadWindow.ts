// Which of a thread's cached messages the log draws. CONTRACT section 5: a thread of up to 200 cached
// messages keeps every one in the DOM; a longer one may keep only the rows near the view, and always its
// newest 50. So a long thread draws a block of at most MAX rows where the reader is and, when the block
// ends before them, its newest TAIL below a gap. Pure; the log keeps the window in its state by row keys,
// so that messages arriving or paged in do not move what is drawn.

/** A thread draws its newest this many until the reader scrolls up (all of them when it has no more). */
export const WINDOW = 200;
/** Rows added to the block at a time, above or below, as the reader reaches its edge. */
export const EXTEND = 100;
/** The block's most rows: what a switch away from a thread scrolled far up has to take down. */
export const MAX = 200;
/** The newest rows, always drawn. */
export const TAIL = 50;
export const TOP = 'top';

/** The block: from the message with key `start` (null: the newest WINDOW; TOP: the first cached) to the one with key `end` (null: the newest). */
export type ThreadWindow = { start: string | null; end: string | null };
export const NEWEST: ThreadWindow = { start: null, end: null };

/** Indexes into the thread: the block is [start, end); when `end` is short of the newest, the tail is [tail, length). */
export type Bounds = { start: number; end: number; tail: number };

export function boundsOf(keys: readonly string[], win: ThreadWindow): Bounds {
  const n = keys.length;
  if (n <= WINDOW) return { start: 0, end: n, tail: n };
  const start = win.start === TOP ? 0 : win.start === null ? -1 : keys.indexOf(win.start);
  // The newest WINDOW, also when the message it started from is gone (a cache replaced by the latest page).
  if (start < 0) return { start: n - WINDOW, end: n, tail: n };
  let end = win.end === null ? n : keys.indexOf(win.end) + 1;
  if (end <= start) end = n;
  end = Math.min(end, start + MAX);
  if (end >= n - TAIL) return { start, end: n, tail: n };
  return { start, end, tail: n - TAIL };
}

const keyAt = (keys: readonly string[], i: number): string => (i === 0 ? TOP : keys[i]!);

/** The reader reached the top of the block: EXTEND more rows above it (its bottom rows go past MAX). Null at the first cached message. */
export function extendUp(keys: readonly string[], b: Bounds): ThreadWindow | null {
  if (b.start === 0) return null;
  const start = Math.max(0, b.start - EXTEND);
  const end = Math.min(b.end, start + MAX);
  return { start: keyAt(keys, start), end: end >= keys.length ? null : keys[end - 1]! };
}

/** The reader reached the gap from above: EXTEND more rows below the block (its top rows go past MAX). */
export function extendDown(keys: readonly string[], b: Bounds): ThreadWindow {
  const n = keys.length;
  const end = Math.min(n, b.end + EXTEND);
  if (end >= n - TAIL) return { start: keyAt(keys, Math.max(b.start, n - MAX)), end: null };
  return { start: keyAt(keys, Math.max(b.start, end - MAX)), end: keys[end - 1]! };
}

/** Rows drawn. */
export const drawnCount = (b: Bounds, n: number): number => b.end - b.start + (n - b.tail);
