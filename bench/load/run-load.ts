// Runs the load generator in its own process and returns its result; starts and stops side loads beside it.
import { spawnTs } from '../../test/support/processes';
import { resultIn, type LoadResult, type LoadSpec } from './spec';

const CONNECT_ALLOWANCE_MS = 60_000;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const generator = await spawnTs('bench/load/generator.ts');
  generator.child.stdin?.end(JSON.stringify(spec));
  const budget = CONNECT_ALLOWANCE_MS + spec.warmupMs + spec.durationMs + spec.drainMs;
  const timer = setTimeout(() => void generator.stop(), budget);
  const code = await new Promise<number | null>((resolve) => generator.child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  await generator.stop();
  const result = resultIn<LoadResult>(generator.stdout());
  if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}):\n${generator.output().slice(-2000)}`);
  return result;
}

/** A side load (side-process.ts) running beside the generator; `stop` ends it and returns its result. */
export type SideLoad<Result> = { stop: () => Promise<Result> };

/** Starts a side load (bench/load/churn.ts, typists.ts) and waits until it runs. */
export async function startSideLoad<Spec, Result>(entry: string, spec: Spec): Promise<SideLoad<Result>> {
  const side = await spawnTs(entry);
  side.child.stdin?.write(`${JSON.stringify(spec)}\n`);
  const giveUp = Date.now() + CONNECT_ALLOWANCE_MS;
  while (!side.stdout().includes('READY')) {
    if (!side.running() || Date.now() > giveUp) {
      await side.stop();
      throw new Error(`${entry} did not start:\n${side.output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    stop: async () => {
      side.child.stdin?.end();
      // It finishes what it has started, then exits on its own (or is ended after a while).
      const giveUpAt = Date.now() + 30_000;
      while (side.running() && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 20));
      const code = await side.stop();
      const result = resultIn<Result>(side.stdout());
      if (code !== 0 || !result) throw new Error(`${entry} failed (exit ${code}):\n${side.output().slice(-2000)}`);
      return result;
    },
  };
}
