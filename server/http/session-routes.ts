// POST /api/session signs in; DELETE /api/session signs out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { activeSession } from '../auth/current-session';
import { HashingBusy, hashPassword, needsRehash, unusableHash, verifyPassword } from '../auth/password';
import { clearedSessionCookie, hashSessionToken, newSessionToken, SESSION_TTL_MS, sessionCookie } from '../auth/session-token';
import type { Outcome } from '../auth/throttle';
import type { AppContext } from '../context';
import { insertSession, revokeSession } from '../db/sessions';
import { findUserByEmail, normalizeEmail, updatePasswordHash } from '../db/users';
import { disconnectRoom, rooms } from '../socket/rooms';
import { cameOverTls, clientAddress } from './client-address';
import { readJsonBody, sendBodyError, sendJson, sendTooMany } from './respond';

const signInSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1000) });

/** Stores a hash with today's parameters; when hashing is saturated, it waits for the next sign-in. */
async function upgradeHash(ctx: AppContext, userId: number, password: string): Promise<void> {
  try {
    await updatePasswordHash(ctx.db, userId, await hashPassword(password));
  } catch (error) {
    if (!(error instanceof HashingBusy)) throw error;
  }
}

type Verdict = { user: { id: number; name: string } } | { status: 401 | 503 };

/** Checks the password (a hash for an unknown email too, so timing tells nothing); upgrades an old hash. */
async function checkPassword(ctx: AppContext, email: string, password: string): Promise<Verdict> {
  try {
    const user = await findUserByEmail(ctx.db, email);
    const valid = await verifyPassword(password, user?.password_hash ?? unusableHash());
    if (!user || !valid) return { status: 401 };
    if (needsRehash(user.password_hash)) await upgradeHash(ctx, user.id, password);
    return { user };
  } catch (error) {
    if (error instanceof HashingBusy) return { status: 503 };
    throw error;
  }
}

export async function signIn(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, signInSchema);
  if (!body.ok) return sendBodyError(res, body);
  const email = normalizeEmail(body.value.email);
  const address = clientAddress(req, ctx.config.trustProxy);
  const attempt = await ctx.throttles.signIn.attempt([`${address} ${email}`, address]);
  if (!attempt.allowed) return sendTooMany(res, attempt.retryAfterSeconds, 'failed sign-ins');

  let outcome: Outcome = 'not-checked';
  let verdict: Verdict;
  try {
    verdict = await checkPassword(ctx, email, body.value.password);
    outcome = 'user' in verdict ? 'success' : verdict.status === 401 ? 'failure' : 'not-checked';
  } finally {
    // Settled before answering, so the next attempt already sees this one counted (or handed back).
    await attempt.settle(outcome);
  }
  if (!('user' in verdict)) {
    if (verdict.status === 503) {
      return sendJson(res, 503, { error: 'The server is busy. Try again in a moment.' }, { 'retry-after': '1' });
    }
    return sendJson(res, 401, { error: 'Wrong email or password' });
  }
  const token = newSessionToken();
  const now = new Date();
  await insertSession(ctx.db, {
    tokenHash: hashSessionToken(ctx.sessionSecret, token),
    userId: verdict.user.id,
    now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  const secure = cameOverTls(req, ctx.config.trustProxy);
  sendJson(res, 200, { name: verdict.user.name }, { 'set-cookie': sessionCookie(token, secure) });
}

export async function signOut(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = await activeSession(ctx, req.headers.cookie);
  if (session) {
    const sessionId = await revokeSession(ctx.db, session.tokenHash);
    if (sessionId !== undefined) disconnectRoom(ctx.io, rooms.session(sessionId));
  }
  sendJson(res, 200, { ok: true }, {
    'set-cookie': clearedSessionCookie(cameOverTls(req, ctx.config.trustProxy)),
    // The browser drops what this origin keeps (the inbox's IndexedDB cache among it).
    'clear-site-data': '"storage"',
  });
}
