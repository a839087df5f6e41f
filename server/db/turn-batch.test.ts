// TurnBatch: what one turn of the event loop adds goes out as one post, in order, in the next turn.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TurnBatch } from './turn-batch';

describe('TurnBatch', () => {
  it('posts the items of one turn together, in order, in the next turn; the next turn’s items apart', async () => {
    const posts: number[][] = [];
    const batch = new TurnBatch<number>((items) => posts.push(items));
    for (let i = 1; i <= 3; i += 1) batch.add(i);
    expect(posts).toEqual([]);
    await nextTurn();
    expect(posts).toEqual([[1, 2, 3]]);
    batch.add(4);
    await nextTurn();
    expect(posts).toEqual([[1, 2, 3], [4]]);
  });

  it('posts at once on flush, and nothing twice', async () => {
    const posts: string[][] = [];
    const batch = new TurnBatch<string>((items) => posts.push(items));
    batch.add('write');
    batch.add('close');
    batch.flush();
    expect(posts).toEqual([['write', 'close']]);
    await nextTurn();
    batch.flush();
    expect(posts).toEqual([['write', 'close']]);
  });
});
