// The real server in this process (startServer from server/app.ts) on an ephemeral port, without Next: the
// quickest real server for a test that needs no process of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer, type StartOptions } from '../../server/app';
import { ADMIN_TOKEN } from './sign-in';

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
