// `npm run admin`: the CLI against a real server's admin API.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers';

type Run = { code: number; stdout: string; stderr: string };

function admin(args: string[], env: Record<string, string> = { ADMIN_TOKEN }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/admin/cli.ts', ...args],
      { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, timeout: 30_000 },
      (error, stdout: string, stderr: string) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('admin CLI', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('adds a user and prints the email; a second time fails with the reason', async () => {
    const args = ['user:add', '--email', 'kim@example.test', '--name', 'Kim Kitchen', '--password', 'pw-kim-kitchen', '--url', server.url];
    expect(await admin(args)).toMatchObject({ code: 0, stdout: 'kim@example.test\n' });
    const again = await admin(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409');
  });

  it('adds a conversation and prints its id', async () => {
    const run = await admin(['conversation:add', '--client', 'client@demo.test', '--worker', 'kim@example.test', '--title', 'Tile the bathroom', '--url', server.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\n$/);
  });

  it('exits non-zero with a clear message without a token, with a wrong one, or with missing flags', async () => {
    const add = ['user:add', '--email', 'x@example.test', '--name', 'X', '--password', 'p', '--url', server.url];
    const [noToken, wrongToken, missingFlag, unknown] = await Promise.all([
      admin(add, {}),
      admin(add, { ADMIN_TOKEN: 'wrong' }),
      admin(['user:add', '--email', 'y@example.test', '--url', server.url]),
      admin(['user:remove']),
    ]);
    expect(noToken).toMatchObject({ code: 1, stderr: expect.stringContaining('ADMIN_TOKEN') });
    expect(wrongToken).toMatchObject({ code: 1, stderr: expect.stringContaining('401') });
    expect(missingFlag).toMatchObject({ code: 2, stderr: expect.stringContaining('--name') });
    expect(unknown.code).toBe(2);
  });
});
