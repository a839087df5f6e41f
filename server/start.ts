// `npm start`: builds the app when the build is missing or older than its sources, then serves it in
// production mode from this same process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths';

const SOURCES = ['app', 'store', 'protocol', 'public', 'next.config.js', 'package.json'];

/** The newest modification time of a file or of any file below a folder (0 when it does not exist). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

function buildIsStale(): boolean {
  const buildId = join(PROJECT_ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(PROJECT_ROOT, source)) > builtAt);
}

if (buildIsStale()) {
  console.log('Building the app (next build)…');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) {
    console.error('next build failed');
    process.exit(build.status ?? 1);
  }
}

Object.assign(process.env, { NODE_ENV: 'production' });
await import('./index');
