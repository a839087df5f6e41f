// Waiting for a condition instead of sleeping: polled until it holds, bounded so that no test hangs. A
// condition that throws (a server not listening yet) counts as not yet.

/** Polls `condition` until it holds; fails with `what` (and the last error it threw) after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
  intervalMs = 20,
): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= giveUp) {
      const why = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`still waiting for ${what} after ${timeoutMs} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Like `until`, but answers whether the condition came true instead of failing, so that the caller's
 *  expectations can say exactly what is wrong. */
export async function settled(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  try {
    await until(condition, 'settling', timeoutMs);
    return true;
  } catch {
    return false;
  }
}
