// The production build: made when `.next/BUILD_ID` is missing or older than any of its sources.
// Shared by `npm start`, `npm test` (scripts/build.ts), the e2e global setup and the benchmark, so none
// builds twice or serves a stale build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../server/paths';

const SOURCES = ['app', 'store', 'protocol', 'public', 'next.config.js', 'tsconfig.json', 'package.json', 'package-lock.json'];

/** The newest modification time of a file or of any file below a folder (0 when it does not exist). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

export function buildIsStale(): boolean {
  const buildId = join(PROJECT_ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(PROJECT_ROOT, source)) > builtAt);
}

/** Runs `next build` when the build is stale; false when the build failed. */
export function ensureBuild(): boolean {
  if (!buildIsStale()) return true;
  console.log('Building the app (next build)…');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  return build.status === 0;
}
