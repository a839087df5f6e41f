// The /api/* routes. Anything else under /api answers 404 JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context';
import { addConversation, addUser, isAdmin } from './admin-routes';
import { clientAddress } from './client-address';
import { sendMetrics } from './metrics-route';
import { sendJson, sendTooMany } from './respond';
import { signIn, signOut } from './session-routes';

type Handler = (ctx: AppContext, req: IncomingMessage, res: ServerResponse) => Promise<void>;

const ADMIN_ROUTES: Record<string, Handler> = {
  'POST /api/admin/users': addUser,
  'POST /api/admin/conversations': addConversation,
  'GET /api/metrics': sendMetrics,
};

/** Admin routes that do not exist at all (404) while the admin API is off; the others answer 401 then. */
const HIDDEN_WITHOUT_TOKEN: ReadonlySet<string> = new Set(['GET /api/metrics']);

const ROUTES: Record<string, Handler> = {
  'POST /api/session': signIn,
  'DELETE /api/session': signOut,
  'GET /api/health': async (ctx, _req, res) =>
    sendJson(res, 200, { ok: true, db: ctx.dialect, redis: ctx.redisReady() }),
};

export async function handleApi(ctx: AppContext, req: IncomingMessage, res: ServerResponse, pathname: string) {
  const key = `${req.method} ${pathname.replace(/\/+$/, '')}`;
  const admin = ADMIN_ROUTES[key];
  if (admin && HIDDEN_WITHOUT_TOKEN.has(key) && !ctx.config.adminToken) return sendJson(res, 404, { error: 'not found' });
  if (admin) {
    // Guessing the token is throttled like sign-in, per client address.
    const attempt = await ctx.throttles.admin.attempt([clientAddress(req, ctx.config.trustProxy)]);
    if (!attempt.allowed) return sendTooMany(res, attempt.retryAfterSeconds, 'failed admin calls');
    // With the admin API off (no ADMIN_TOKEN) every caller is unauthorized.
    const authorized = isAdmin(ctx, req);
    await attempt.settle(authorized ? 'success' : 'failure');
    if (!authorized) return sendJson(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' });
    return admin(ctx, req, res);
  }
  const route = ROUTES[key];
  if (route) return route(ctx, req, res);
  const known = Object.keys({ ...ROUTES, ...ADMIN_ROUTES }).some((k) => k.endsWith(` ${pathname}`));
  sendJson(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
}
