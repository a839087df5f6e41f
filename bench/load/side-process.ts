// The plumbing of a side load (churn.ts, typists.ts): a process of its own beside the load generator, so
// that its client work never delays the generator's clock. It reads its spec as one JSON line on stdin,
// prints READY once it runs, stops when stdin closes, and prints one `RESULT {…}` line.
import { createInterface } from 'node:readline';
import { printResultAndExit } from './spec';

export async function sideProcess<Spec, Result>(run: (spec: Spec, stopped: Promise<void>) => Promise<Result>): Promise<never> {
  const lines = createInterface({ input: process.stdin });
  const spec = await new Promise<Spec>((resolve) => lines.once('line', (line) => resolve(JSON.parse(line) as Spec)));
  const stopped = new Promise<void>((resolve) => lines.once('close', resolve));
  const result = await run(spec, stopped);
  return printResultAndExit(result);
}

export function ready(): void {
  console.log('READY');
}
