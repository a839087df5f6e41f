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
};

export const RESULT_PREFIX = 'RESULT ';
