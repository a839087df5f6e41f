// POST /api/session signs in; DELETE /api/session signs out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { UNUSABLE_HASH, verifyPassword } from '../auth/password';
import {
  CLEARED_SESSION_COOKIE,
  hashSessionToken,
  newSessionToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  sessionCookie,
} from '../auth/session-token';
import type { AppContext } from '../context';
import { insertSession, revokeSession } from '../db/sessions';
import { findUserByEmail } from '../db/users';
import { disconnectRoom, rooms } from '../socket/rooms';
import { readJsonBody, sendBodyError, sendJson } from './respond';

const signInSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) });

export async function signIn(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, signInSchema);
  if (!body.ok) return sendBodyError(res, body);
  const user = await findUserByEmail(ctx.db, body.value.email);
  // Verify against a dummy hash for an unknown email, so the answer takes as long either way.
  const valid = await verifyPassword(body.value.password, user?.password_hash ?? UNUSABLE_HASH);
  if (!user || !valid) return sendJson(res, 401, { error: 'Wrong email or password' });
  const token = newSessionToken();
  const now = new Date();
  await insertSession(ctx.db, {
    tokenHash: hashSessionToken(ctx.sessionSecret, token),
    userId: user.id,
    now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  sendJson(res, 200, { name: user.name }, { 'set-cookie': sessionCookie(token) });
}

export async function signOut(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (token) {
    const sessionId = await revokeSession(ctx.db, hashSessionToken(ctx.sessionSecret, token));
    if (sessionId !== undefined) disconnectRoom(ctx.io, rooms.session(sessionId));
  }
  sendJson(res, 200, { ok: true }, { 'set-cookie': CLEARED_SESSION_COOKIE });
}
