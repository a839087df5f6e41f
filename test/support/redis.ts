// Redis for the suites: whether one answers at the default port, and a private redis-server on its own port
// without persistence that a test can kill and start again (on the same port) to simulate an outage.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './ports';
import { spawnChild, type Child } from './processes';

/** Whether a Redis server answers at 127.0.0.1:6379 (a PING within a second). */
export function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(6379, '127.0.0.1');
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

/** Why this machine cannot start a redis-server, or null when it can. */
export function redisSkipReason(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.error ? `redis-server is not on PATH (${probe.error.message})` : null;
}

export type RedisServer = {
  url: string;
  /** Kills the server (SIGKILL: as in a crash) and resolves once it has exited. */
  stop: () => Promise<void>;
  /** Starts it again on the same port, empty. */
  start: () => Promise<void>;
};

function launch(port: number): Promise<Child> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  return spawnChild('redis-server', args, { ready: 'Ready to accept connections', readyTimeoutMs: 10_000 });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: Child | null = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const running = child;
      child = null;
      await running?.stop('SIGKILL');
    },
    start: async () => {
      if (child) throw new Error('redis-server is already running');
      child = await launch(port);
    },
  };
}
