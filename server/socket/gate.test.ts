// The handshake gate: at most `size` tasks at once, the others in arrival order, a failed task frees its place.
import { expect, it } from 'vitest';
import { Gate } from './gate';

it('runs at most `size` tasks at once and the rest in arrival order, also when some fail', async () => {
  const gate = new Gate(3);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const tasks = Array.from({ length: 20 }, (_, i) =>
    gate.run(async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5 + (i % 4)));
      running -= 1;
      if (i % 5 === 0) throw new Error(`task ${i} failed`);
      return i;
    }),
  );
  const results = await Promise.allSettled(tasks);
  expect(most).toBe(3);
  expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
  // Every place came back: a fourth task at once runs as soon as it is asked.
  expect(await Promise.race([gate.run(async () => 'ran'), new Promise((resolve) => setTimeout(() => resolve('waited'), 100))])).toBe('ran');
});
