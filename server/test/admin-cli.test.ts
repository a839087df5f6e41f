// `npm run admin`: the CLI against a real server's admin API.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../paths';
import { ADMIN_TOKEN, signIn } from '../../test/support/sign-in';
import { startTestServer, type TestServer } from '../../test/support/test-server';

type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI; `stdin` is written to it (and closed) as a pipe would. */
function admin(args: string[], env: Record<string, string> = { ADMIN_TOKEN }, stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'server/admin/cli.ts', ...args],
      { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, timeout: 30_000 },
      (error, stdout: string, stderr: string) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
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
    const added = await admin(args);
    expect(added).toMatchObject({ code: 0, stdout: 'kim@example.test\n' });
    // The contract's --password form works, with a warning that the command line is not private.
    expect(added.stderr).toContain('--password on the command line is visible to other users of this machine');
    const again = await admin(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('409');
  });

  it('reads the password from stdin when --password is left out', async () => {
    const args = ['user:add', '--email', 'lee@example.test', '--name', 'Lee Ladder', '--url', server.url];
    const added = await admin(args, { ADMIN_TOKEN }, 'lee-secret-pw\nignored second line\n');
    expect(added).toMatchObject({ code: 0, stdout: 'lee@example.test\n', stderr: '' });
    expect((await signIn(server.url, 'lee@example.test', 'lee-secret-pw')).startsWith('session=')).toBe(true);
    // Nothing on stdin: a usage error, not an empty password.
    const none = await admin(['user:add', '--email', 'mo@example.test', '--name', 'Mo', '--url', server.url]);
    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining('no password given') });
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
