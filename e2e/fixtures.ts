// The fixtures every spec imports: the QA kit (e2e/kit/), under the names specs have always used.
export { expect, test } from './kit';
export type { ConsoleLine, EnterOptions, People, Person } from './kit';
