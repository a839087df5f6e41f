// Child processes of the benchmark: our server, the bare relay and the load generator, each spawned as
// `node --import tsx <entry>` (and redis-server for the scale figure) in its own process group, so stopping
// one ends whatever it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../e2e/support/inbox-server';

export const ROOT = join(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;
/** Variables of the caller's shell that would point a spawned server at something shared. */
const SCRUBBED_ENV = ['REDIS_URL', 'ALLOWED_ORIGINS', 'SESSION_SECRET', 'RATE_LIMIT_PER_SOCKET', 'INBOX_WEB', 'DATABASE_URL'];

export type Child = {
  pid: number;
  child: ChildProcess;
  /** Everything the process printed on stdout so far. */
  output: () => string;
  /** Resolves once the process has ended (SIGTERM, then SIGKILL after a grace period). */
  stop: () => Promise<void>;
};

/** Spawns a TypeScript entry; with `ready`, waits until stdout contains it. */
export function spawnTs(entry: string, env: Record<string, string>, ready?: string, nodeArgs: string[] = []): Promise<Child> {
  return spawnChild(process.execPath, [...nodeArgs, '--import', 'tsx', entry], env, ready);
}

/** Spawns any command; with `ready`, waits until stdout contains it. */
export async function spawnChild(command: string, args: string[], env: Record<string, string>, ready?: string): Promise<Child> {
  const entry = [command, ...args].join(' ');
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED_ENV) delete childEnv[name];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...childEnv, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${entry}`);
  const pid = child.pid;
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  live.add(pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    killGroup(pid, 'SIGKILL');
    live.delete(pid);
  };
  if (ready !== undefined) {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        void stop();
        reject(new Error(`${entry}: ${why}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
      };
      const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
      child.stdout?.on('data', () => {
        if (stdout.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => fail(`exited with ${child.exitCode ?? child.signalCode}`));
    });
  }
  return { pid, child, output: () => stdout, stop };
}

/** Process groups still running: killed if the bench itself ends early (an error, Ctrl-C), so none is left. */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const line = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) * 1024;
}

export type Server = Child & { url: string };

/** A server entry (ours or the relay) on a free port of 127.0.0.1, ready once it logs "listening". */
export async function spawnServer(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = await spawnTs(entry, { HOST: '127.0.0.1', PORT: String(port), ...env }, '"listening"', nodeArgs);
  return { ...child, url: `http://127.0.0.1:${port}` };
}
