// Runs the load generator in its own process and returns its result.
import { spawnTs } from '../../test/support/processes';
import { RESULT_PREFIX, type LoadResult, type LoadSpec } from './spec';

const CONNECT_ALLOWANCE_MS = 60_000;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const generator = await spawnTs('bench/load/generator.ts');
  generator.child.stdin?.end(JSON.stringify(spec));
  const budget = CONNECT_ALLOWANCE_MS + spec.warmupMs + spec.durationMs + spec.drainMs;
  const timer = setTimeout(() => void generator.stop(), budget);
  const code = await new Promise<number | null>((resolve) => generator.child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  await generator.stop();
  const line = generator.stdout().split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (code !== 0 || !line) throw new Error(`load generator failed (exit ${code}):\n${generator.stdout().slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as LoadResult;
}
