// Our server for a figure: spawned on a fresh SQLite file (or the given database and Redis), with the admin
// API on and the rate limit raised (the benchmark seeds and loads faster than a person types), plus the
// admin and sign-in calls.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type Server } from './processes';

export const PASSWORD = 'bench-password';

export type Inbox = Server & { adminToken: string; databaseFile: string; dispose: () => Promise<void> };

/** Without `databaseUrl`, a fresh SQLite file (`databaseFile`, removed on dispose). */
export async function startInbox(options: { web: boolean; databaseUrl?: string; redisUrl?: string }): Promise<Inbox> {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-bench-'));
  const databaseFile = join(dir, 'inbox.db');
  const adminToken = randomBytes(16).toString('hex');
  const server = await spawnServer('server/index.ts', {
    DATABASE_URL: options.databaseUrl ?? `file:${databaseFile}`,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    SEED_DEMO: '0',
    ADMIN_TOKEN: adminToken,
    RATE_LIMIT_PER_SOCKET: '1000000',
    INBOX_WEB: options.web ? '1' : '0',
  }, profileArgs());
  const dispose = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...server, adminToken, databaseFile, dispose };
}

/** BENCH_CPU_PROF=<dir>: our server writes a V8 CPU profile there when it stops (open it in DevTools). */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

async function admin(inbox: Inbox, path: string, body: object): Promise<unknown> {
  const res = await fetch(`${inbox.url}/api/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${inbox.adminToken}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/admin/${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export async function addUser(inbox: Inbox, email: string, name: string): Promise<string> {
  await admin(inbox, 'users', { email, name, password: PASSWORD });
  return email;
}

export async function addConversation(inbox: Inbox, client: string, worker: string, title: string): Promise<number> {
  const body = (await admin(inbox, 'conversations', { client_email: client, worker_email: worker, title })) as {
    conversation_id: number;
  };
  return body.conversation_id;
}

/** Signs in through POST /api/session; returns the `session=…` cookie. */
export async function signIn(inbox: Inbox, email: string): Promise<string> {
  const res = await fetch(`${inbox.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const cookie = /session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return cookie;
}

/** Runs `task` over `items` with at most `limit` at a time (scrypt makes user creation and sign-in slow). */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
