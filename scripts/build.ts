// `npm test`'s build step: the same staleness rule as `npm start`.
import { ensureBuild } from './next-build';

process.exit(ensureBuild() ? 0 : 1);
