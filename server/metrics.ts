// What GET /api/metrics shows (Prometheus text format, prom-client): sockets open, frames by event and by
// error code, send-to-ack and commit latency, the size of each commit's batch, and the process metrics
// (CPU, memory, GC, event-loop delay). One registry per server, never prom-client's global one, so several
// servers in one process (tests) count each on their own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CLIENT_EVENTS } from '../protocol';

/**
 * Seconds: from half a millisecond (a relay's ack) to several seconds (a commit waiting on a stalled disk),
 * close enough around 1 to 300 ms for the bench's quantiles from the buckets to mean something.
 */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5,
];
/** Units of work per transaction (group-commit.ts caps a batch at 256). */
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export type Metrics = {
  registry: Registry;
  /** Every frame a client sent, by event (`unknown` for a name that is not a client event). */
  frameReceived: (event: unknown) => void;
  /** Every error answered (an error ack or an `error` event), by event and code. */
  frameFailed: (event: unknown, code: string) => void;
  /** From a `send_message` frame's arrival to its ack (ok or not). */
  sendAcked: (seconds: number) => void;
  /** One transaction committed (or failed) after `seconds`, holding `units` units of work. */
  committed: (seconds: number, units: number) => void;
};

/** Event names as labels: the client events, and one label for everything else (bounded cardinality). */
function eventLabel(event: unknown): string {
  return typeof event === 'string' && (CLIENT_EVENTS as readonly string[]).includes(event) ? event : 'unknown';
}

/** `socketsOpen`: read at each scrape (the sockets connected to this process now). */
export function createMetrics(socketsOpen: () => number): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'inbox_sockets_open',
    help: 'Inbox sockets connected to this process.',
    registers,
    collect() {
      this.set(socketsOpen());
    },
  });
  const frames = new Counter({
    name: 'inbox_frames_total',
    help: 'Frames received from clients, by event.',
    labelNames: ['event'] as const,
    registers,
  });
  const errors = new Counter({
    name: 'inbox_frame_errors_total',
    help: 'Errors answered to client frames (error acks and error events), by event and error code.',
    labelNames: ['event', 'code'] as const,
    registers,
  });
  const sendToAck = new Histogram({
    name: 'inbox_send_ack_seconds',
    help: 'From a send_message frame arriving to its ack (after the commit), in seconds.',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const commit = new Histogram({
    name: 'inbox_commit_seconds',
    help: 'One write transaction (sends, edits, presence), from its start to its commit on disk, in seconds.',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const batch = new Histogram({
    name: 'inbox_commit_batch_size',
    help: 'Units of work (a send, an edit, a presence mark) committed together in one transaction (one fsync).',
    buckets: BATCH_BUCKETS,
    registers,
  });
  return {
    registry,
    frameReceived: (event) => frames.inc({ event: eventLabel(event) }),
    frameFailed: (event, code) => errors.inc({ event: eventLabel(event), code }),
    sendAcked: (seconds) => sendToAck.observe(seconds),
    committed: (seconds, units) => {
      commit.observe(seconds);
      batch.observe(units);
    },
  };
}
