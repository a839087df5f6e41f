// The admin API the marketplace calls (bearer ADMIN_TOKEN): add users, add a job's conversation.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { normalizeAvatarUrl } from '../../protocol';
import { HashingBusy, hashPassword } from '../auth/password';
import type { AppContext } from '../context';
import { isUniqueViolation } from '../db/connect';
import { createConversation } from '../db/conversations';
import { findUserByEmail, insertUser } from '../db/users';
import { broadcastConversation, pushConversationList } from '../socket/broadcast';
import { rememberJoined } from '../socket/participation';
import { readJsonBody, sendBodyError, sendJson } from './respond';

export const MIN_PASSWORD_CHARS = 8;

const email = z.email().max(320);
const newUserSchema = z.object({
  email,
  name: z.string().trim().min(1).max(100),
  password: z.string().min(MIN_PASSWORD_CHARS).max(1000),
  // Stored normalized; '' is "no picture" (initials).
  avatar: z
    .string()
    .max(2000)
    .transform((value, ctx) => {
      const avatar = value === '' ? '' : normalizeAvatarUrl(value);
      if (avatar === null) ctx.addIssue({ code: 'custom', message: 'must be a path under /avatars/ or an https: URL' });
      return avatar ?? '';
    })
    .optional(),
});
const newConversationSchema = z.object({
  client_email: email,
  worker_email: email,
  title: z.string().trim().min(1).max(200),
});

/** True when the request carries `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time). */
export function isAdmin(ctx: AppContext, req: IncomingMessage): boolean {
  const expected = ctx.config.adminToken;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function addUser(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, newUserSchema);
  if (!body.ok) return sendBodyError(res, body);
  const { name, password, avatar = '' } = body.value;
  try {
    await insertUser(ctx.db, { email: body.value.email, name, avatar, passwordHash: await hashPassword(password) });
  } catch (error) {
    if (isUniqueViolation(error)) return sendJson(res, 409, { error: 'a user with this email exists' });
    if (error instanceof HashingBusy) return sendJson(res, 503, { error: 'busy, try again' }, { 'retry-after': '1' });
    throw error;
  }
  sendJson(res, 201, { email: body.value.email.toLowerCase() });
}

export async function addConversation(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, newConversationSchema);
  if (!body.ok) return sendBodyError(res, body);
  const [client, worker] = await Promise.all([
    findUserByEmail(ctx.db, body.value.client_email),
    findUserByEmail(ctx.db, body.value.worker_email),
  ]);
  if (!client) return sendJson(res, 404, { error: 'no user with client_email' });
  if (!worker) return sendJson(res, 404, { error: 'no user with worker_email' });
  if (client.id === worker.id) return sendJson(res, 400, { error: 'client and worker must be different users' });
  const conversationId = await createConversation(ctx.db, {
    title: body.value.title,
    clientId: client.id,
    workerId: worker.id,
    now: new Date(),
  });
  // Both people's open inboxes show it at once: every socket of theirs hears of it through its user's room.
  const participants = [client.id, worker.id];
  rememberJoined(ctx, client.id, { conversationId, counterpartId: worker.id });
  rememberJoined(ctx, worker.id, { conversationId, counterpartId: client.id });
  await broadcastConversation(ctx, conversationId, participants);
  for (const userId of participants) await pushConversationList(ctx, userId);
  sendJson(res, 201, { conversation_id: conversationId });
}
