// The real server as a child process: `node --import tsx server/index.ts` in production mode on a free port
// with its own SQLite file, so every test starts from the seeded demo data and the reconnect test can stop
// and start it on the same port with the same database.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const READY_TIMEOUT_MS = 45_000;
const STOP_TIMEOUT_MS = 10_000;
/** Variables that would point the server somewhere shared; each test's server must stand alone. */
const SCRUBBED_ENV = ['REDIS_URL', 'ALLOWED_ORIGINS', 'SESSION_SECRET', 'RATE_LIMIT_PER_SOCKET', 'INBOX_WEB'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export class InboxServer {
  readonly adminToken: string;
  private child: ChildProcess | undefined;
  private output: string[] = [];

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    adminToken: string,
    private readonly ownsDataDir: boolean,
  ) {
    this.adminToken = adminToken;
  }

  /** A server on a free port with a fresh temp database (not started yet). */
  static async fresh(): Promise<InboxServer> {
    const dir = mkdtempSync(join(tmpdir(), 'inbox-e2e-'));
    return new InboxServer(await freePort(), dir, randomBytes(16).toString('hex'), true);
  }

  /** A second process on another port over the same database file (not started yet). */
  async sibling(): Promise<InboxServer> {
    return new InboxServer(await freePort(), this.dataDir, this.adminToken, false);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get databaseUrl(): string {
    return `file:${join(this.dataDir, 'inbox.db')}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Everything the server printed, for the report of a failed test. */
  log(): string {
    return this.output.join('');
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('server already running');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of SCRUBBED_ENV) delete env[name];
    Object.assign(env, {
      NODE_ENV: 'production',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATABASE_URL: this.databaseUrl,
      SEED_DEMO: '1',
      ADMIN_TOKEN: this.adminToken,
      NEXT_TELEMETRY_DISABLED: '1',
    });
    // Its own process group, so stopping it also ends anything it spawned.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output.push(`--- start on port ${this.port}\n`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`server not listening after ${READY_TIMEOUT_MS} ms:\n${this.log()}`));
      }, READY_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString();
        this.output.push(text);
        if (text.includes('"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.output.push(`--- exited (${code ?? signal})\n`);
        if (this.child === child) this.child = undefined;
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${this.log()}`));
      });
    }).catch(async (error: unknown) => {
      await this.stop();
      throw error;
    });
  }

  /** SIGTERM (graceful), SIGKILL if it is still alive after the grace period. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return;
    const pid = child.pid;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    // Whatever the server left in its group goes too.
    killGroup(pid, 'SIGKILL');
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
