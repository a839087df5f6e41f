// GET /api/health of a running server, and waiting until it reports a state (Redis connected or not).
import { until } from './until';

export type Health = { ok: boolean; db: string; redis: boolean };

export async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/api/health`)).json()) as Health;
}

/** Polls GET /api/health until `ready` holds for it; fails after `timeoutMs`. */
export async function waitForHealth(url: string, ready: (h: Health) => boolean, timeoutMs = 20_000): Promise<void> {
  await until(async () => ready(await health(url)), `the wanted health of ${url}`, timeoutMs, 100);
}
