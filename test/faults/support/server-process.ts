// The real server as a child process on a port and a SQLite file that stay the same across restarts, so
// clients reconnect to "the same server" after SIGTERM or kill -9. INBOX_WEB=0: only /api/* and the socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, freePort } from '../../../server/test/helpers';
import { PROJECT_ROOT } from '../../../server/paths';

const READY_TIMEOUT_MS = 60_000; // a loaded 2-core machine can take that long to boot tsx
/** Variables from the caller's shell that would point the server somewhere shared. */
const SCRUBBED_ENV = ['REDIS_URL', 'ALLOWED_ORIGINS', 'SESSION_SECRET', 'RATE_LIMIT_PER_SOCKET', 'DATABASE_URL'];

export class ServerProcess {
  private child: ChildProcess | null = null;
  private output = '';
  /** How many times the process was started. */
  starts = 0;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly env: Record<string, string>,
    private readonly ownsDir = true,
  ) {}

  /** A server (not started yet) on a free port with a fresh SQLite file and the demo seed. */
  static async fresh(env: Record<string, string> = {}): Promise<ServerProcess> {
    return new ServerProcess(await freePort(), mkdtempSync(join(tmpdir(), 'inbox-faults-')), env);
  }

  /** A second process (not started yet) on another port over the same database. */
  async sibling(): Promise<ServerProcess> {
    return new ServerProcess(await freePort(), this.dir, this.env, false);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get dbPath(): string {
    return join(this.dir, 'inbox.db');
  }

  log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('already running');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of SCRUBBED_ENV) delete env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...env,
        NODE_ENV: 'production',
        INBOX_WEB: '0',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        DATABASE_URL: `file:${this.dbPath}`,
        ADMIN_TOKEN,
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`not listening after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`server ${why}:\n${this.output}`));
      };
      child.stdout?.on('data', (chunk: Buffer) => {
        this.output += chunk.toString();
        seen += chunk.toString();
        if (seen.includes('"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        fail(`exited (${code ?? signal})`);
      });
    });
  }

  /** Sends the signal and resolves with the exit code (null after a kill signal) once it has ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    const exited = new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('exit', (code) => resolve(code));
    });
    child.kill(signal);
    const code = await exited;
    this.child = null;
    return code;
  }

  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  get running(): boolean {
    return this.child !== null;
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
