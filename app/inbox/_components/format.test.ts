import { describe, expect, it } from 'vitest';
import { formatLastSeen } from './format';

/** Local times, as the reader's clock shows them. */
const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).toISOString();
const now = new Date(2026, 2, 12, 15, 30); // Thursday 12 March 2026, 15:30

describe('formatLastSeen', () => {
  it('says when, in friendly words', () => {
    expect(formatLastSeen(at(2026, 3, 12, 15, 29), now)).toBe('Last seen 1 minute ago');
    expect(formatLastSeen(new Date(now.getTime() - 20_000).toISOString(), now)).toBe('Last seen just now');
    expect(formatLastSeen(new Date(now.getTime() + 5_000).toISOString(), now)).toBe('Last seen just now'); // another clock
    expect(formatLastSeen(at(2026, 3, 12, 15, 25), now)).toBe('Last seen 5 minutes ago');
    expect(formatLastSeen(at(2026, 3, 12, 9, 5), now)).toBe('Last seen today at 09:05');
    expect(formatLastSeen(at(2026, 3, 11, 14, 5), now)).toBe('Last seen yesterday at 14:05');
    expect(formatLastSeen(at(2026, 3, 9, 14, 5), now)).toMatch(/^Last seen on \S+ at 14:05$/);
    expect(formatLastSeen(at(2026, 1, 3, 14, 5), now)).toMatch(/^Last seen on .*3.* at 14:05$/);
    expect(formatLastSeen(at(2025, 1, 3, 14, 5), now)).toMatch(/2025.* at 14:05$/);
    expect(formatLastSeen(null, now)).toBe('Last seen a long time ago');
  });
});
