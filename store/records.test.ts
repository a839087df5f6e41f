import { describe, expect, it } from 'vitest';
import { withEntry } from './records';

describe('withEntry', () => {
  it('copies a record with one entry set, leaving the record as it was', () => {
    const record: Record<number, string> = { 1: 'a', 2: 'b' };
    const next = withEntry(record, 2, 'c');
    expect(next).toEqual({ 1: 'a', 2: 'c' });
    expect(record).toEqual({ 1: 'a', 2: 'b' });
    expect(next).not.toBe(record);
  });

  it('copies a frozen record into one that is not frozen', () => {
    const record = Object.freeze({ a: 1, b: 2 } as Record<string, number>);
    const next = withEntry(record, 'c', 3);
    expect(next).toEqual({ a: 1, b: 2, c: 3 });
    expect(Object.isFrozen(next)).toBe(false);
  });
});
