// Who is signed in, as the custom server tells the Next page: after checking the session cookie it sets this
// request header (and drops any copy a client sent); the page trusts nothing else about the user. Both
// sides take the header's name and format from here; neither pulls in the other's code.
import { z } from 'zod';

export const USER_HEADER = 'x-stream-inbox-user';

const userSchema = z.object({
  name: z.string().min(1).max(200),
  avatar: z.string().max(2000),
  /**
   * Opaque and stable per user (an HMAC of the user id under the session secret), never an id or an
   * email: it names what the browser keeps for this user (CONTRACT section 7), so that nothing kept is
   * shown before the page knows whose it is.
   */
  key: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
});

export type SignedInUser = z.infer<typeof userSchema>;

export function encodeUserHeader(user: SignedInUser): string {
  return encodeURIComponent(JSON.stringify({ name: user.name, avatar: user.avatar, key: user.key }));
}

export function readUserHeader(header: string | null): SignedInUser | null {
  if (!header) return null;
  try {
    const parsed = userSchema.safeParse(JSON.parse(decodeURIComponent(header)));
    return parsed.success ? { name: parsed.data.name, avatar: parsed.data.avatar, key: parsed.data.key } : null;
  } catch {
    return null;
  }
}
