// Who is signed in, as the custom server tells the Next page: after checking the session cookie it sets this
// request header (and drops any copy a client sent); the page trusts nothing else about the user. Both
// sides take the header's name and format from here; neither pulls in the other's code.
import { z } from 'zod';

export const USER_HEADER = 'x-stream-inbox-user';

const userSchema = z.object({
  name: z.string().min(1).max(200),
  avatar: z.string().max(2000),
});

export type SignedInUser = z.infer<typeof userSchema>;

export function encodeUserHeader(user: SignedInUser): string {
  return encodeURIComponent(JSON.stringify({ name: user.name, avatar: user.avatar }));
}

export function readUserHeader(header: string | null): SignedInUser | null {
  if (!header) return null;
  try {
    const parsed = userSchema.safeParse(JSON.parse(decodeURIComponent(header)));
    return parsed.success ? { name: parsed.data.name, avatar: parsed.data.avatar } : null;
  } catch {
    return null;
  }
}
