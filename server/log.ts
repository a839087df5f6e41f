// One JSON line per event worth keeping (connections, errors, lifecycle) on stdout.
import pino from 'pino';

export const log = pino({
  base: undefined,
  level: process.env.LOG_LEVEL ?? 'info',
  timestamp: pino.stdTimeFunctions.isoTime,
});
export type Logger = typeof log;
