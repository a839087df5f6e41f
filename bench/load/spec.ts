// What the bench tells a load generator (on its stdin) and what it answers (one `RESULT {…}` line).
export type LoadPair = {
  conversationId: number;
  /** Session cookies for our server; absent for the relay, which joins by `auth.conversations`. */
  senderCookie?: string;
  receiverCookie?: string;
};

export type LoadMode = { kind: 'closed'; inFlight: number } | { kind: 'open'; ratePerSecond: number };

export type LoadSpec = {
  url: string;
  /** Where the receivers connect, when not to `url` (another process of a scaled-out server). */
  receiverUrl?: string;
  pairs: LoadPair[];
  mode: LoadMode;
  /** Not counted: lets the JIT and the database settle. */
  warmupMs: number;
  durationMs: number;
  /** After sending stops, how long to wait for outstanding acks and deliveries. */
  drainMs: number;
  /**
   * Split the delivery latencies by the phase (`phaseAt`) their message was sent in, on or off: a side load
   * (typists.ts, churn.ts) given the same length runs in the on phases only, so off is the baseline of on,
   * measured in the same run, interleaved, and the machine's drift falls on both alike.
   */
  phaseMs?: number;
};

export type Percentiles = { p50: number; p99: number };

export type LoadResult = {
  /** Acks (ok) and deliveries per second inside the measured window. */
  ackedPerSecond: number;
  deliveredPerSecond: number;
  /** Latencies (ms) of the messages sent inside the window. */
  ack: Percentiles;
  delivery: Percentiles;
  /** Every send, ok ack and delivery of the whole run (warm-up and drain included). */
  sent: number;
  acked: number;
  delivered: number;
  failed: number;
  /** With `phaseMs`: the delivery latencies (ms) of the window's messages sent in on and in off phases. */
  phased?: { on: number[]; off: number[] };
};

/**
 * Phases of `phaseMs` by the wall clock, the same in every process on the machine: on in the odd ones. A
 * phase's first quarter is not `settled` (what the last phase started, a connect, may spill into it), and
 * is left out of `phased`.
 */
export function phaseAt(epochMs: number, phaseMs: number): { on: boolean; settled: boolean } {
  const period = Math.floor(epochMs / phaseMs);
  return { on: period % 2 === 1, settled: epochMs - period * phaseMs >= phaseMs / 4 };
}

export const RESULT_PREFIX = 'RESULT ';

/**
 * Prints the `RESULT {…}` line and exits once it is written: a result of a megabyte (the phased latencies)
 * was cut short by exiting at once.
 */
export function printResultAndExit(result: unknown): Promise<never> {
  return new Promise<never>(() => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0)));
}

/** The result a generator or side load printed, or null when it printed none. */
export function resultIn<Result>(stdout: string): Result | null {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  return line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as Result) : null;
}

/** What bench/load/churn.ts is told: whose sockets come and go, how many lifecycles a second in all. */
export type ChurnSpec = { url: string; cookies: string[]; perSecond: number; phaseMs: number };

export type ChurnResult = {
  /** Sockets that connected (got their `conversations`) and left. */
  completed: number;
  failed: number;
  /** Turns on which the user was still connecting: the server could not keep up with the rate asked. */
  skipped: number;
  /** How long the churn was on (the on phases of its life), ms. */
  onMs: number;
};

/** What bench/load/typists.ts is told: who types where, and how often each. */
export type TypistsSpec = { url: string; typists: { cookie: string; conversationId: number }[]; everyMs: number; phaseMs: number };

/** `typing` frames the typists sent, and received from their counterparts' typists. */
export type TypistsResult = { sent: number; received: number };
