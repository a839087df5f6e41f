// The load generator (its own process): one sender and one receiver socket per pair. Closed loop: every
// sender keeps `inFlight` sends unacked; open loop: sends at a fixed total rate, round robin over the
// senders, each stamped with its intended send time so a stalled server cannot hide its backlog.
// Latencies are measured in this process only: the send time travels in the message text. With `phaseMs`,
// the delivery latencies are also filed by the phase (on or off) their message was sent in, for a side load
// (typists.ts, churn.ts) that runs in the on phases.
// Run: `node --import tsx bench/load/generator.ts` with a LoadSpec as JSON on stdin.
import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { connectClient } from '../socket';
import { percentile } from '../stats';
import { phaseAt, printResultAndExit, type LoadPair, type LoadResult, type LoadSpec } from './spec';

const spec = JSON.parse(await text(process.stdin)) as LoadSpec;
const FILLER = 'Can you come by tomorrow at ten to look at the sink?';
/** client_ids must differ between runs against one server, or the server rightly takes them for repeats. */
const RUN = randomUUID().slice(0, 8);

const sockets = await Promise.all(
  spec.pairs.map(async (pair: LoadPair) => {
    const [sender, receiver] = await Promise.all([
      connectClient(spec.url, { cookie: pair.senderCookie, conversations: [pair.conversationId] }),
      connectClient(spec.receiverUrl ?? spec.url, { cookie: pair.receiverCookie, conversations: [pair.conversationId] }),
    ]);
    return { pair, sender, receiver };
  }),
);

const start = performance.now();
const from = start + spec.warmupMs;
const end = from + spec.durationMs;
const inWindow = (t: number) => t >= from && t < end;
const ackLatencies: number[] = [];
const deliveryLatencies: number[] = [];
const phased = { on: [] as number[], off: [] as number[] };
/** performance.now() → the wall clock that every process of the run shares for its phases. */
const phaseOf = (t: number) => (spec.phaseMs ? phaseAt(performance.timeOrigin + t, spec.phaseMs) : null);
let sent = 0;
let acked = 0;
let delivered = 0;
let failed = 0;
let ackedInWindow = 0;
let deliveredInWindow = 0;
let outstanding = 0;

for (const { receiver } of sockets) {
  receiver.on('message', ({ message }) => {
    const now = performance.now();
    const sentAt = Number(message.message_text.split(' ')[1]);
    delivered += 1;
    if (inWindow(now)) deliveredInWindow += 1;
    if (!inWindow(sentAt)) return;
    deliveryLatencies.push(now - sentAt);
    const phase = phaseOf(sentAt);
    if (phase?.settled) phased[phase.on ? 'on' : 'off'].push(now - sentAt);
  });
}

/** Sends one message stamped `sentAt`; `onAck` runs once the server has answered. */
function send(index: number, sentAt: number, onAck: () => void): void {
  const { pair, sender } = sockets[index]!;
  sent += 1;
  outstanding += 1;
  const payload = {
    conversation_id: pair.conversationId,
    message: `bench ${sentAt.toFixed(3)} ${FILLER}`,
    type: 'TEXT' as const,
    client_id: `${RUN}-${index}-${sent}`,
  };
  sender.emit('send_message', payload, (ack) => {
    const now = performance.now();
    outstanding -= 1;
    if (!ack.ok) failed += 1;
    else {
      acked += 1;
      if (inWindow(now)) ackedInWindow += 1;
      if (inWindow(sentAt)) ackLatencies.push(now - sentAt);
    }
    onAck();
  });
}

const mode = spec.mode;
if (mode.kind === 'closed') {
  const pump = (index: number) => {
    const now = performance.now();
    if (now < end) send(index, now, () => pump(index));
  };
  for (let i = 0; i < sockets.length; i++) for (let k = 0; k < mode.inFlight; k++) pump(i);
  await waitUntil(() => performance.now() >= end, end - performance.now() + 1000);
} else {
  const interval = 1000 / mode.ratePerSecond;
  let due = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      for (; start + due * interval <= Math.min(now, end); due++) send(due % sockets.length, start + due * interval, () => {});
      if (now >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
}

// Outstanding acks and deliveries get `drainMs` to arrive; anything later counts as not delivered.
await waitUntil(() => outstanding === 0 && delivered >= acked, spec.drainMs);

const seconds = spec.durationMs / 1000;
const result: LoadResult = {
  ackedPerSecond: ackedInWindow / seconds,
  deliveredPerSecond: deliveredInWindow / seconds,
  ack: { p50: percentile(ackLatencies, 50), p99: percentile(ackLatencies, 99) },
  delivery: { p50: percentile(deliveryLatencies, 50), p99: percentile(deliveryLatencies, 99) },
  sent,
  acked,
  delivered,
  failed,
  ...(spec.phaseMs ? { phased } : {}),
};
for (const { sender, receiver } of sockets) {
  sender.close();
  receiver.close();
}
await printResultAndExit(result);

function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const giveUp = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const check = () => (done() || performance.now() >= giveUp ? resolve() : setTimeout(check, 10));
    check();
  });
}
