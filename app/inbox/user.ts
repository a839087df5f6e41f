// The signed-in user as the server vouches for it: the custom server sets this request header after it
// has checked the session cookie (and drops any copy a client sent). Nothing else about the user is
// trusted here.
import { z } from 'zod';

export const USER_HEADER = 'x-stream-inbox-user';

const userSchema = z.object({
  name: z.string().min(1).max(200),
  avatar: z.string().max(2000),
});

export type SignedInUser = z.infer<typeof userSchema>;

export function readUser(header: string | null): SignedInUser | null {
  if (!header) return null;
  try {
    const parsed = userSchema.safeParse(JSON.parse(decodeURIComponent(header)));
    return parsed.success ? { name: parsed.data.name, avatar: parsed.data.avatar } : null;
  } catch {
    return null;
  }
}
