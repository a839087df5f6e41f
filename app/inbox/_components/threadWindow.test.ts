import { describe, expect, it } from 'vitest';
import { boundsOf, drawnCount, extendDown, extendUp, MAX, NEWEST, TAIL, TOP, WINDOW, type Bounds, type ThreadWindow } from './threadWindow';

const thread = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

/** What CONTRACT section 5 asks of every window: all rows up to 200, else the newest 50 always, and no more than MAX + TAIL. */
function expectAllowed(keys: string[], b: Bounds): void {
  const n = keys.length;
  if (n <= WINDOW) return void expect(b).toEqual({ start: 0, end: n, tail: n });
  const newestDrawn = b.tail < n ? n - b.tail : b.end === n ? b.end - b.start : 0;
  expect(newestDrawn).toBeGreaterThanOrEqual(TAIL);
  expect(b.end).toBeGreaterThan(b.start);
  expect(b.end - b.start).toBeLessThanOrEqual(MAX + TAIL);
  if (b.tail < n) expect(b.end).toBeLessThan(b.tail);
}

describe('thread window', () => {
  it('draws every row of a thread of up to 200, whatever the window', () => {
    const keys = thread(WINDOW);
    for (const win of [NEWEST, { start: TOP, end: 'k10' }, { start: 'k150', end: null }]) {
      expect(boundsOf(keys, win)).toEqual({ start: 0, end: WINDOW, tail: WINDOW });
    }
  });

  it('draws the newest 200 of a longer one by default, and when the message it started from is gone', () => {
    const keys = thread(1000);
    expect(boundsOf(keys, NEWEST)).toEqual({ start: 800, end: 1000, tail: 1000 });
    expect(boundsOf(keys, { start: 'gone', end: null })).toEqual({ start: 800, end: 1000, tail: 1000 });
  });

  it('scrolling up to the first message keeps at most MAX rows in the block and the newest 50 below a gap', () => {
    const keys = thread(5000);
    let b = boundsOf(keys, NEWEST);
    let steps = 0;
    for (let up = extendUp(keys, b); up !== null; up = extendUp(keys, b)) {
      b = boundsOf(keys, up);
      expectAllowed(keys, b);
      steps += 1;
    }
    expect(b).toEqual({ start: 0, end: MAX, tail: 5000 - TAIL });
    expect(drawnCount(b, keys.length)).toBe(MAX + TAIL);
    expect(steps).toBe(48);
  });

  it('scrolling back down from the first message joins the newest rows in one block of MAX', () => {
    const keys = thread(5000);
    let b = boundsOf(keys, { start: TOP, end: null });
    expect(b).toEqual({ start: 0, end: MAX, tail: 5000 - TAIL });
    while (b.tail < keys.length) {
      const before = b;
      b = boundsOf(keys, extendDown(keys, b));
      expectAllowed(keys, b);
      expect(b.end).toBeGreaterThan(before.end);
    }
    expect(b).toEqual({ start: 5000 - MAX, end: 5000, tail: 5000 });
  });

  it('a reader far up keeps the block where it is while messages arrive; they join the newest rows', () => {
    const win: ThreadWindow = { start: 'k100', end: null };
    const short = 100 + MAX + TAIL - 10; // the block reaches into the newest 50: one block
    expect(boundsOf(thread(short), win)).toEqual({ start: 100, end: short, tail: short });
    const grown = thread(1000);
    expect(boundsOf(grown, win)).toEqual({ start: 100, end: 100 + MAX, tail: 1000 - TAIL });
    expectAllowed(grown, boundsOf(grown, win));
  });
});
