// Child processes of the tests and the benchmark (server processes, the load generator, redis-server). Each
// runs in its own process group, so that stopping it also ends whatever it started; whatever is still
// running when this process exits is killed. Children get the caller's environment without the variables
// that would point them at something shared.
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../server/paths';

/** From the caller's shell, these would point a server at a shared database or Redis, or change what the
 *  suites wait for (LOG_LEVEL hides the "listening" line); a child gets them only when told. */
const SCRUBBED_ENV = [
  'DATABASE_URL',
  'REDIS_URL',
  'SEED_DEMO',
  'SESSION_SECRET',
  'ALLOWED_ORIGINS',
  'ADMIN_TOKEN',
  'RATE_LIMIT_PER_SOCKET',
  'PRESENCE_HEARTBEAT_MS',
  'TRUST_PROXY',
  'INBOX_WEB',
  'LOG_LEVEL',
  'PORT',
  'HOST',
];
const READY_TIMEOUT_MS = 60_000; // a loaded 2-core machine can take that long to boot tsx
const STOP_GRACE_MS = 20_000; // longer than the server's own 15 s limit on a graceful shutdown

export type Child = {
  pid: number;
  child: ChildProcess;
  /** What it printed on stdout so far. */
  stdout: () => string;
  /** Everything it printed, stdout and stderr, in the order it arrived. */
  output: () => string;
  running: () => boolean;
  /**
   * Sends `signal` to its process group (SIGKILL after a grace period) and resolves with its exit code once
   * it has ended (null when a signal ended it). Whatever it left in its group is killed too.
   */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export type SpawnOptions = {
  env?: Record<string, string>;
  /** Resolve once stdout contains this (else at once). */
  ready?: string;
  readyTimeoutMs?: number;
};

/** Process groups still running. */
const live = new Set<number>();
process.once('exit', killChildren);

/** Kills every child still running (SIGKILL to its group): for an afterEach after a test that gave up. */
export function killChildren(): void {
  for (const pid of live) killGroup(pid, 'SIGKILL');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function spawnChild(command: string, args: string[], options: SpawnOptions = {}): Promise<Child> {
  const name = [command, ...args].join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of SCRUBBED_ENV) delete env[variable];
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: { ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...options.env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
  const pid = child.pid;
  live.add(pid);
  let stdout = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (running()) {
      killGroup(pid, signal);
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    killGroup(pid, 'SIGKILL');
    live.delete(pid);
    return exited;
  };
  const handle: Child = { pid, child, stdout: () => stdout, output: () => output, running, stop };
  const { ready, readyTimeoutMs = READY_TIMEOUT_MS } = options;
  if (ready === undefined) return handle;
  await new Promise<void>((resolve, reject) => {
    let waiting = true;
    const fail = (why: string) => {
      if (!waiting) return;
      waiting = false;
      clearTimeout(timer);
      void stop('SIGKILL');
      reject(new Error(`${name}: ${why}\n${output.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const onData = () => {
      if (!waiting || !stdout.includes(ready)) return;
      waiting = false;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => fail(`exited (${code ?? child.signalCode}) before it was ready`));
  });
  return handle;
}

/** `node [nodeArgs] --import tsx <entry>` from the project root. */
export function spawnTs(entry: string, options: SpawnOptions & { nodeArgs?: string[] } = {}): Promise<Child> {
  return spawnChild(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], options);
}
