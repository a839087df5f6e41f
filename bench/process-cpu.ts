// CPU time a process has used, all its threads together, from /proc (Linux): for the fan-out's server CPU
// per message, which, unlike a rate, the other processes on the machine do not change much.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of process `pid` so far; null where /proc is missing. */
export function cpuSeconds(pid: number): number | null {
  try {
    // The fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Runs `work` and returns its result with the CPU seconds `pid` used meanwhile (null without /proc). */
export async function withCpuOf<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number | null }> {
  const before = cpuSeconds(pid);
  const result = await work();
  const after = cpuSeconds(pid);
  return { result, cpuSeconds: before === null || after === null ? null : after - before };
}
