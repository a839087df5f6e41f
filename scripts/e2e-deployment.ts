// The Playwright suite the way QA runs it against a deployment: one production server with the demo seed,
// started here on a free port and shared by every test (E2E_BASE_URL), then stopped. Scenarios that must
// control the server skip themselves; their reasons are printed at the end. `npm test` runs a part of it
// after the per-test-server run (see scripts/test.ts).
//
//   node --import tsx scripts/e2e-deployment.ts [playwright test arguments, e.g. spec files]
//
// The server's admin token is handed on as E2E_ADMIN_TOKEN, as QA would for a staging deployment, so the
// scenarios that mark a job complete get a fresh job each; `E2E_ADMIN_TOKEN= node …` runs without it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/paths';
import { startServerProcess } from '../test/support/server-process';
import { ADMIN_TOKEN } from '../test/support/sign-in';

type Spec = { title: string; file: string; tests: { annotations: { type: string; description?: string }[]; status: string }[] };
type Suite = { title: string; specs?: Spec[]; suites?: Suite[] };

/** "file › title — reason" for every skipped test, and for every step a test left unchecked, of a JSON report. */
function summary(report: { suites: Suite[] }): { skipped: string[]; partly: string[] } {
  const skipped: string[] = [];
  const partly: string[] = [];
  const visit = (suite: Suite): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const where = `  - ${spec.file} › ${spec.title}`;
        if (test.status === 'skipped') {
          skipped.push(`${where} — ${test.annotations.find((a) => a.type === 'skip')?.description ?? '(no reason given)'}`);
        }
        for (const a of test.annotations.filter((a) => a.type.startsWith('not checked'))) {
          partly.push(`${where}: ${a.type} — ${a.description ?? ''}`);
        }
      }
    }
    suite.suites?.forEach(visit);
  };
  report.suites.forEach(visit);
  return { skipped, partly };
}

const reports = join(PROJECT_ROOT, '.tmp', 'test-reports');
mkdirSync(reports, { recursive: true });
const jsonReport = process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ?? join(reports, 'playwright-deployment.json');

const server = await startServerProcess({ web: true });
let status = 1;
try {
  console.log(`Deployment under test: ${server.url} (a production server with the demo seed, pid ${server.pid})`);
  const run = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      E2E_BASE_URL: server.url,
      E2E_ADMIN_TOKEN: process.env.E2E_ADMIN_TOKEN ?? ADMIN_TOKEN,
      PLAYWRIGHT_JSON_OUTPUT_FILE: jsonReport,
    },
  });
  status = run.status ?? 1;
  if (existsSync(jsonReport)) {
    const { skipped, partly } = summary(JSON.parse(readFileSync(jsonReport, 'utf8')) as { suites: Suite[] });
    console.log(skipped.length ? `Skipped against a deployment:\n${skipped.join('\n')}` : 'Nothing skipped.');
    if (partly.length) console.log(`Steps left unchecked:\n${partly.join('\n')}`);
  }
} finally {
  if (status !== 0) console.log(`--- server log (last 20 kB)\n${server.log().slice(-20_000)}`);
  await server.dispose();
}
process.exit(status);
