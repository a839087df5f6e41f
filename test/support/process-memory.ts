// A process's memory as Linux reports it in /proc/<pid>/status, for the tests and the benchmark that bound
// or measure a server's memory.
import { readFileSync } from 'node:fs';

export const MB = 1024 * 1024;

/** Resident memory now (`VmRSS`) and its peak so far (`VmHWM`), in bytes. */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const bytes = (field: string): number => {
    const kb = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
    if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(kb) * 1024;
  };
  return { rss: bytes('VmRSS'), peak: bytes('VmHWM') };
}
