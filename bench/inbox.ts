// The servers a figure runs against: ours (spawned on a fresh SQLite file, or the given database and Redis,
// with the rate limit raised: the benchmark seeds and loads faster than a person types) and the bare relay,
// plus the admin and sign-in calls.
import { randomBytes } from 'node:crypto';
import { inspectable, type Inspected } from './inspector';
import { freePort } from '../test/support/ports';
import { spawnTs } from '../test/support/processes';
import { ServerProcess } from '../test/support/server-process';
import { signIn as signInAt } from '../test/support/sign-in';

export const PASSWORD = 'bench-password';
/** A cold start on a loaded machine, with Next for the browser figures. */
const READY_TIMEOUT_MS = 90_000;

/** A process serving on `url`, with the pid to measure it by and its inspector. */
export type Served = { url: string; pid: number; inspected: Inspected };

/** `databaseFile`: its SQLite file (empty when it runs on the given database). */
export type Inbox = Served & { adminToken: string; databaseFile: string; dispose: () => Promise<void> };

/** Without `databaseUrl`, a fresh SQLite file (`databaseFile`, removed on dispose). */
export async function startInbox(options: { web: boolean; databaseUrl?: string; redisUrl?: string }): Promise<Inbox> {
  const adminToken = randomBytes(16).toString('hex');
  const { nodeArgs, inspected } = await inspectable();
  const server = await ServerProcess.fresh({
    web: options.web,
    env: {
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      SEED_DEMO: '0',
      ADMIN_TOKEN: adminToken,
      RATE_LIMIT_PER_SOCKET: '1000000',
    },
    nodeArgs: [...profileArgs(), ...nodeArgs],
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  try {
    await server.start();
  } catch (error) {
    await server.dispose();
    throw error;
  }
  const databaseFile = options.databaseUrl ? '' : server.dbPath;
  // A profile is written only on a graceful exit: SIGTERM first when one is asked for.
  const dispose = async () => {
    if (process.env.BENCH_CPU_PROF) await server.stop('SIGTERM');
    await server.dispose();
  };
  return { url: server.url, pid: server.pid, inspected, adminToken, databaseFile, dispose };
}

/** The bare relay (bench/relay.ts) on a free port. */
export async function startRelay(): Promise<Served & { stop: () => Promise<unknown> }> {
  const port = await freePort();
  const env = { HOST: '127.0.0.1', PORT: String(port) };
  const { nodeArgs, inspected } = await inspectable();
  const relay = await spawnTs('bench/relay.ts', { env, nodeArgs, ready: '"listening"', readyTimeoutMs: READY_TIMEOUT_MS });
  return { url: `http://127.0.0.1:${port}`, pid: relay.pid, inspected, stop: () => relay.stop() };
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
export function signIn(inbox: Inbox, email: string): Promise<string> {
  return signInAt(inbox.url, email, PASSWORD);
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
