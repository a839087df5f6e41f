// Helpers for the server suites: a real server (in this process, or spawned as `server/index.ts`), real
// HTTP sign-in and real socket.io-client sockets. Spawned servers run with INBOX_WEB=0 (no Next: only
// /api/* and the socket answer), which other suites may reuse.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ConversationSummary,
  MarkCompleteAck,
  Message,
  SendMessageAck,
  SendMessagePayload,
  ServerEventName,
  ServerToClientEvents,
} from '../../protocol';
import { SOCKET_PATH } from '../../protocol';
import { startServer, type RunningServer, type StartOptions } from '../app';
import { PROJECT_ROOT } from '../paths';

export const DEMO_PASSWORD = 'demo1234';
export const CASEY = 'client@demo.test';
export const WES = 'worker@demo.test';
export const WREN = 'worker2@demo.test';
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A fresh SQLite file in the OS temp folder; `remove()` deletes its folder. */
export function tempSqlite(): { url: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-test-'));
  return { url: `file:${join(dir, 'inbox.db')}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export type TestServer = RunningServer & { stop: () => Promise<void> };

/** A real server in this process on an ephemeral port, without Next, on a fresh SQLite file unless told. */
export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const sqlite = tempSqlite();
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    web: false,
    adminToken: ADMIN_TOKEN,
    log: pino({ level: 'silent' }),
    databaseUrl: sqlite.url,
    ...options,
  });
  return {
    ...server,
    stop: async () => {
      await server.close();
      sqlite.remove();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether a Redis server answers at 127.0.0.1:6379 (a PING within a second). */
export function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connectTcp(6379, '127.0.0.1');
    const done = (ok: boolean) => {
      probe.destroy();
      resolve(ok);
    };
    probe.setTimeout(1000, () => done(false));
    probe.once('error', () => done(false));
    probe.once('connect', () => probe.write('PING\r\n'));
    probe.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export type SpawnedServer = {
  url: string;
  child: ChildProcess;
  /** Everything the process printed on stdout so far. */
  output: () => string;
  /** Sends the signal and resolves with the exit code once the process has ended. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

const spawned = new Set<ChildProcess>();

/** Kills every server process spawned by this test file that is still running (for afterEach/afterAll). */
export function killSpawnedServers(): void {
  for (const child of spawned) child.kill('SIGKILL');
}

/**
 * Spawns `server/index.ts` with INBOX_WEB=0 on a free port and waits for its "listening" line. Call
 * killSpawnedServers() in afterEach/afterAll: it also reaches a server whose start a test gave up on.
 */
export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<SpawnedServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_ENV: 'production', INBOX_WEB: '0', HOST: '127.0.0.1', PORT: String(port), ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  spawned.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      spawned.delete(child);
      resolve(code);
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    child.stdout?.on('data', () => {
      if (stdout.includes('"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => fail(new Error(`server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => stdout, stop };
}

/** Signs in through POST /api/session and returns the `session=…` cookie. */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie;
}

/** Every frame any test socket received (events and acks), for the privacy scan. */
export const receivedFrames: unknown[] = [];

/** Opens a socket.io-client socket as the browser would, with the session cookie. Not yet waited for. */
export function openSocket(url: string, cookie: string | null, headers: Record<string, string> = {}): ClientSocket {
  const socket: ClientSocket = io(url, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(cookie ? { cookie } : {}), ...headers },
  });
  socket.onAny((event: string, ...args: unknown[]) => receivedFrames.push({ event, args }));
  return socket;
}

export type Connected = { socket: ClientSocket; conversations: ConversationSummary[] };

/** Signs in (or uses the cookie), connects, and waits for the first `conversations` event. */
export async function connectAs(url: string, who: string | { cookie: string }): Promise<Connected> {
  const cookie = typeof who === 'string' ? await signIn(url, who) : who.cookie;
  const socket = openSocket(url, cookie);
  const list = await nextEvent(socket, 'conversations');
  return { socket, conversations: list.conversations };
}

type Payload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** The next `event` (matching `where`) on the socket; fails after `timeoutMs` so no test hangs. */
export function nextEvent<E extends ServerEventName>(
  socket: ClientSocket,
  event: E,
  where: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (eventName: string, payload: Payload<E>) => {
      if (eventName !== event || !where(payload)) return;
      clearTimeout(timer);
      socket.offAny(listener);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.offAny(listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.onAny(listener);
  });
}

/** Collects every `event` the socket receives from now on. */
export function record<E extends ServerEventName>(socket: ClientSocket, event: E): Payload<E>[] {
  const seen: Payload<E>[] = [];
  socket.onAny((eventName: string, payload: Payload<E>) => {
    if (eventName === event) seen.push(payload);
  });
  return seen;
}

/** Sends a message and waits (bounded) for its ack, kept for the privacy scan. */
export async function send(socket: ClientSocket, payload: SendMessagePayload): Promise<SendMessageAck> {
  const ack = await socket.timeout(10_000).emitWithAck('send_message', payload);
  receivedFrames.push({ ack: 'send_message', args: [ack] });
  return ack;
}

/** Sends a text with a fresh client_id to a conversation; fails unless the ack is ok. */
export async function say(socket: ClientSocket, conversationId: number, text: string): Promise<Message> {
  const ack = await send(socket, { conversation_id: conversationId, message: text, type: 'TEXT', client_id: randomUUID() });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.message;
}

export async function markComplete(socket: ClientSocket, conversationId: number): Promise<MarkCompleteAck> {
  const ack = await socket.timeout(10_000).emitWithAck('mark_complete', { conversation_id: conversationId });
  receivedFrames.push({ ack: 'mark_complete', args: [ack] });
  return ack;
}

/** Resolves with the `connect_error` message of a socket that is refused. */
export function refusal(socket: ClientSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (error) => resolve(error.message));
    socket.once('connect', () => reject(new Error('the socket was accepted')));
  });
}

export function titled(conversations: ConversationSummary[], title: string): ConversationSummary {
  const found = conversations.find((c) => c.job.title === title);
  if (!found) throw new Error(`no conversation "${title}"`);
  return found;
}
