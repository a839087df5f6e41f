// The suite runs against a production build, made here when it is missing or older than its sources (the
// same rule as `npm start`; `npm test` has built already, so this is a check). Against a deployment
// (E2E_BASE_URL) nothing is served from here, so nothing is built.
import { ensureBuild } from '../scripts/next-build';

export default function globalSetup(): void {
  if (process.env.E2E_BASE_URL) return;
  if (!ensureBuild()) throw new Error('next build failed');
}
