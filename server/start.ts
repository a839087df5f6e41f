// `npm start`: builds the app when the build is missing or older than its sources, then serves it in
// production mode from this same process.
import { ensureBuild } from '../scripts/next-build';

if (!ensureBuild()) {
  console.error('next build failed');
  process.exit(1);
}

Object.assign(process.env, { NODE_ENV: 'production' });
await import('./index');
