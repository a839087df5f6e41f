// The suite runs against a production build, made here when it is missing or older than its sources (the
// same rule as `npm start`; `npm test` has built already, so this is a check).
import { ensureBuild } from '../scripts/next-build';

export default function globalSetup(): void {
  if (!ensureBuild()) throw new Error('next build failed');
}
