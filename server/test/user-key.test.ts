// The key that names a user's browser cache: stable for a user, different between users and between
// session secrets, and carrying neither the user id nor anything from which it could be read back.
import { describe, expect, it } from 'vitest';
import { userCacheKey } from '../auth/session-token';
import { encodeUserHeader, readUserHeader } from '../../protocol/user-header';

describe('the browser cache key', () => {
  it('is stable per user and secret, and tells users and secrets apart', () => {
    const a = userCacheKey('secret-one', 1);
    expect(userCacheKey('secret-one', 1)).toBe(a);
    expect(userCacheKey('secret-one', 2)).not.toBe(a);
    expect(userCacheKey('secret-two', 1)).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('travels in the signed-in header, which refuses a header without a well-formed one', () => {
    const key = userCacheKey('secret-one', 7);
    const user = { name: 'Casey Client', avatar: '/avatars/casey.svg', key };
    expect(readUserHeader(encodeUserHeader(user))).toEqual(user);
    expect(readUserHeader(encodeURIComponent(JSON.stringify({ name: 'Casey Client', avatar: '' })))).toBeNull();
    expect(readUserHeader(encodeURIComponent(JSON.stringify({ ...user, key: '../../etc' })))).toBeNull();
  });
});
