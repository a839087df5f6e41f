// The inbox server as a child process, `node --import tsx server/index.ts` in production mode on a free port
// of 127.0.0.1: for every suite that needs a real process (server, fault and scale tests, e2e, bench). It
// keeps its port and database across stop and start, so clients reconnect to "the same server" after
// SIGTERM or kill -9, and a sibling can run beside it on the same database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { spawnTs, type Child } from './processes';
import { ADMIN_TOKEN } from './sign-in';

export type ServerOptions = {
  /** Serve the pages too (needs a production build); otherwise only /api/* and the socket (INBOX_WEB=0). */
  web?: boolean;
  /** Over the defaults: a fresh SQLite file with the demo seed, ADMIN_TOKEN; e.g. DATABASE_URL, REDIS_URL. */
  env?: Record<string, string>;
  /** Node flags before the entry (e.g. --cpu-prof). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
};

export class ServerProcess {
  private current: Child | null = null;
  private readonly output: string[] = [];
  /** How many times the process was started. */
  starts = 0;

  private constructor(
    readonly port: number,
    readonly databaseUrl: string,
    private readonly options: ServerOptions,
    /** The temp folder of its SQLite file, removed on dispose; null when not this server's to remove. */
    private readonly ownDir: string | null,
  ) {}

  /** A server (not started yet) on a free port; without a DATABASE_URL in `env`, on a fresh SQLite file. */
  static async fresh(options: ServerOptions = {}): Promise<ServerProcess> {
    const port = await freePort();
    const given = options.env?.DATABASE_URL;
    if (given) return new ServerProcess(port, given, options, null);
    const dir = mkdtempSync(join(tmpdir(), 'inbox-server-'));
    return new ServerProcess(port, `file:${join(dir, 'inbox.db')}`, options, dir);
  }

  /** A second process (not started yet) on another port over the same database. */
  async sibling(): Promise<ServerProcess> {
    return new ServerProcess(await freePort(), this.databaseUrl, this.options, null);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The SQLite file (WAL lets a test read it beside the running server). */
  get dbPath(): string {
    if (!this.databaseUrl.startsWith('file:')) throw new Error(`not a SQLite database: ${this.databaseUrl}`);
    return this.databaseUrl.slice('file:'.length);
  }

  get running(): boolean {
    return this.current?.running() ?? false;
  }

  get pid(): number {
    if (!this.current) throw new Error('not running');
    return this.current.pid;
  }

  /** Everything every start of it printed, for the report of a failed test. */
  log(): string {
    return [...this.output, this.current?.output() ?? ''].join('');
  }

  async start(): Promise<void> {
    if (this.current) throw new Error('already running');
    this.starts += 1;
    const env = {
      HOST: '127.0.0.1',
      PORT: String(this.port),
      DATABASE_URL: this.databaseUrl,
      ADMIN_TOKEN,
      INBOX_WEB: this.options.web ? '1' : '0',
      ...this.options.env,
    };
    const { nodeArgs, readyTimeoutMs } = this.options;
    this.output.push(`--- start ${this.starts} on port ${this.port}\n`);
    try {
      this.current = await spawnTs('server/index.ts', { env, nodeArgs, readyTimeoutMs, ready: '"listening"' });
    } catch (error) {
      this.output.push(`${(error as Error).message}\n`);
      throw error;
    }
  }

  /** Sends the signal and resolves with the exit code (null after a kill signal) once it has ended. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.current;
    if (!child) return null;
    const code = await child.stop(signal);
    if (this.current === child) {
      this.output.push(child.output(), `--- exited (${code ?? signal})\n`);
      this.current = null;
    }
    return code;
  }

  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
  }
}

/** A fresh server, started; one that fails to start is disposed of (its process and its database) before the error goes on. */
export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  const server = await ServerProcess.fresh(options);
  try {
    await server.start();
    return server;
  } catch (error) {
    await server.dispose();
    throw error;
  }
}
