// The suite runs against a production build. `npm test` builds first; a bare `npx playwright test` builds
// here only when there is no build at all (a stale build is the caller's business: `npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
  const root = join(import.meta.dirname, '..');
  if (existsSync(join(root, '.next', 'BUILD_ID'))) return;
  console.log('e2e: no production build (.next/BUILD_ID), running next build');
  const res = spawnSync('npx', ['next', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status ?? res.signal})`);
}
