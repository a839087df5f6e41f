// The server as a process: graceful shutdown on SIGTERM, no acked message lost across a restart, even after
// kill -9, and a PostgreSQL that drops its connections does not take the process down.
import { execFile } from 'node:child_process';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dialectCases } from '../../test/support/databases';
import { health } from '../../test/support/health';
import { killChildren } from '../../test/support/processes';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process';
import { CASEY, signIn, WES, WREN } from '../../test/support/sign-in';
import { connectAs, nextEvent, say, titled } from '../../test/support/sockets';
import { startTestServer, tempSqlite } from '../../test/support/test-server';
import { until } from '../../test/support/until';
import { connect } from '../db/connect';
import { PROJECT_ROOT } from '../paths';

describe('server process', () => {
  const running: ServerProcess[] = [];
  const database = tempSqlite();
  const start = async () => {
    const server = await startServerProcess({ env: { DATABASE_URL: database.url } });
    running.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
    killChildren();
  });
  afterAll(() => database.remove());

  it('keeps every acked message across a graceful stop and a kill -9', async () => {
    const first = await start();
    expect(first.log()).toContain(`"url":"${first.url}"`);
    // Seeding the demo accounts (published password) into a production server is worth a loud warning.
    expect(first.log()).toMatch(/"level":40,.*DEMO ACCOUNTS SEEDED IN PRODUCTION/);
    const wes = await connectAs(first.url, WES);
    const caseyCookie = await signIn(first.url, CASEY);
    const sink = titled(wes.conversations, 'Fix my sink').id;
    const acked = [];
    for (let i = 0; i < 5; i += 1) acked.push(await say(wes.socket, sink, `before restart ${i}`));
    const dropped = new Promise((resolve) => wes.socket.once('disconnect', resolve));
    expect(await first.stop('SIGTERM')).toBe(0);
    await dropped;
    expect(first.log()).toContain('"stopped"');

    const second = await start();
    expect(second.log()).not.toContain('DEMO ACCOUNTS SEEDED'); // nothing seeded this time
    // The generated session secret is kept in the database: a session outlives the restart.
    const casey = await connectAs(second.url, { cookie: caseyCookie });
    for (let i = 0; i < 5; i += 1) acked.push(await say(casey.socket, sink, `before kill ${i}`));
    await second.stop('SIGKILL');
    casey.socket.close();
    wes.socket.close();

    // Read back through a fresh server on the same file: every acked message is there.
    const third = await startTestServer({ databaseUrl: database.url });
    try {
      const reader = await connectAs(third.url, WES);
      reader.socket.emit('get_messages', { conversation_id: sink, limit: 20 });
      const page = await nextEvent(reader.socket, 'messages_response');
      const stored = new Map(page.messages.map((m) => [m.id, m]));
      for (const message of acked) expect(stored.get(message.id)).toMatchObject({ seq: message.seq, message_text: message.message_text });
      reader.socket.close();
    } finally {
      await third.stop();
    }
  }, 150_000);

  it('refuses to start with an ADMIN_TOKEN shorter than 32 characters: a clear message and exit code 1', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'server/index.ts'],
        {
          cwd: PROJECT_ROOT,
          env: { ...process.env, NODE_ENV: 'production', INBOX_WEB: '0', PORT: '0', DATABASE_URL: database.url, ADMIN_TOKEN: 'x'.repeat(31) },
          timeout: 60_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'stream-inbox: ADMIN_TOKEN must be at least 32 characters (it has 31); generate one with `openssl rand -hex 16`, ' +
        'or unset it to turn the admin API off',
    );
    expect(run.stdout).not.toContain('listening');
  }, 90_000);

  it('migrates and seeds a SQLite file once when two processes start on it together', async () => {
    const shared = tempSqlite();
    try {
      const [one, two] = await Promise.all([0, 1].map(() => startServerProcess({ env: { DATABASE_URL: shared.url } })));
      running.push(one!, two!);
      const connected = connect(shared.url);
      const { db } = connected;
      try {
        const users = await db.selectFrom('users').select('email').execute();
        expect(users.map((u) => u.email).sort()).toEqual([CASEY, WES, WREN].sort());
        expect(await db.selectFrom('conversations').select('id').execute()).toHaveLength(3);
      } finally {
        await connected.close();
      }
      // One session secret: a session from one process opens a socket on the other.
      const casey = await connectAs(two!.url, { cookie: await signIn(one!.url, CASEY) });
      expect(casey.conversations).toHaveLength(3);
      casey.socket.close();
    } finally {
      await Promise.all(running.splice(0).map((s) => s.stop('SIGKILL')));
      shared.remove();
    }
  }, 150_000);
});

const postgres = (await dialectCases()).find((c) => c.name === 'postgres')!;

/** Ends every other connection to the database from its side, as a PostgreSQL restart does; how many. */
async function terminateConnections(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.filter((r) => r.ended).length;
  } finally {
    await client.end();
  }
}

describe.skipIf(postgres.skipReason !== null)('server process on PostgreSQL', () => {
  afterEach(() => killChildren());

  it('keeps serving when the database ends its idle connections', async () => {
    const database = await postgres.create();
    const server = await startServerProcess({ env: { DATABASE_URL: database.url } });
    try {
      const wes = await connectAs(server.url, WES);
      const sink = titled(wes.conversations, 'Fix my sink').id;
      const before = await say(wes.socket, sink, 'before the connections were ended');
      // Acked: the pool's connections are idle now.
      const ended = await terminateConnections(database.url);
      expect(ended).toBeGreaterThan(0);
      const lost = () => server.log().split('idle database connection lost').length - 1;
      await until(() => lost() >= ended || !server.running, 'the server to hear of every ended connection', 20_000);
      expect(server.running, `the server process died:\n${server.log().slice(-2000)}`).toBe(true);
      expect(await health(server.url)).toMatchObject({ ok: true, db: 'postgres' });
      const after = await say(wes.socket, sink, 'after the connections were ended');
      expect(after.seq).toBe(before.seq + 1);
      wes.socket.close();
    } finally {
      await server.dispose();
      await database.drop();
    }
  }, 90_000);
});
