// `npm test`: every test the project has, in the order that fails fastest: type check, production build,
// unit and integration tests (vitest), end-to-end tests (Playwright), and the benchmark's quick mode.
// Exits non-zero on any failure and ends with one "N passed, N failed" line over all the suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, '.tmp', 'test-reports');
mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

type Step = { name: string; cmd: string[]; env?: Record<string, string>; count?: () => Counts };
type Counts = { passed: number; failed: number; skipped: number };

function run(step: Step): { ok: boolean; counts?: Counts } {
  const started = Date.now();
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const [cmd, ...args] = step.cmd as [string, ...string[]];
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...step.env } });
  const ok = res.status === 0;
  console.log(`=== ${step.name}: ${ok ? 'ok' : `FAILED (exit ${res.status ?? res.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  let counts: Counts | undefined;
  try {
    counts = step.count?.();
  } catch {
    counts = undefined;
  }
  return { ok, counts };
}

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function vitestCounts(): Counts {
  const r = readJson(join(out, 'vitest.json')) as
    | { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
    | undefined;
  if (!r) throw new Error('no vitest report');
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function playwrightCounts(): Counts {
  const r = readJson(join(out, 'playwright.json')) as
    | { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }
    | undefined;
  if (!r) throw new Error('no playwright report');
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
}

const steps: Step[] = [
  { name: 'type check', cmd: ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'build', cmd: ['node', '--import', 'tsx', 'scripts/build.ts'] },
  {
    name: 'unit and integration (vitest)',
    cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(out, 'vitest.json')}`],
    count: vitestCounts,
  },
  {
    name: 'end-to-end (playwright)',
    cmd: ['npx', 'playwright', 'test'],
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: join(out, 'playwright.json') },
    count: playwrightCounts,
  },
  { name: 'benchmark (quick)', cmd: ['node', '--import', 'tsx', 'bench/run.ts', '--quick'] },
];

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];
for (const step of steps) {
  const { ok, counts } = run(step);
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  } else {
    // A step without test counts (type check, build, bench) counts as one check.
    if (ok) total.passed += 1;
    else total.failed += 1;
  }
  if (!ok) failedSteps.push(step.name);
}

console.log(`\nfailed steps: ${failedSteps.length ? failedSteps.join(', ') : 'none'}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
