// Every incoming frame passes here: the rate limit, then its schema, then its handler. Frames of one socket
// are handled one after another, in the order they arrived, so a client's sends keep their order.
import { CLIENT_EVENTS, LIMITS, parseFrame, type ClientEventName } from '../../protocol';
import { deleteMessageFrame, editMessageFrame } from './edit-handlers';
import { FrameError } from './frame-error';
import { markComplete } from './job-handlers';
import { SOCKET_LIMITS } from './limits';
import { getMessages, sendMessageFrame, sync } from './message-handlers';
import { TokenBucket } from './rate-limit';
import { markReadFrame } from './read-handlers';
import type { FrameTurn, Scope } from './scope';
import { typingFrame } from './typing';
import type { UserLanes } from './user-lanes';

type Handler = (scope: Scope, payload: never, frame: FrameTurn) => Promise<unknown>;

/** Never acked, and over the rate limit dropped without an error (CONTRACT section 8). */
const EPHEMERAL: ReadonlySet<string> = new Set<ClientEventName>(['typing']);

const HANDLERS = {
  get_messages: getMessages,
  send_message: sendMessageFrame,
  sync,
  mark_complete: markComplete,
  mark_read: markReadFrame,
  edit_message: editMessageFrame,
  delete_message: deleteMessageFrame,
  typing: typingFrame,
} satisfies Record<ClientEventName, Handler>;

function isClientEvent(event: unknown): event is ClientEventName {
  return typeof event === 'string' && (CLIENT_EVENTS as readonly string[]).includes(event);
}

function conversationIdOf(payload: unknown): number | undefined {
  const id = (payload as { conversation_id?: unknown } | null)?.conversation_id;
  return typeof id === 'number' ? id : undefined;
}

/** Tokens a frame costs: one, and a `sync` one per 10 entries (it makes the server read that much more). */
function costOf(event: unknown, payload: unknown): number {
  const entries = (payload as { conversations?: unknown } | null)?.conversations;
  if (event !== 'sync' || !Array.isArray(entries)) return 1;
  return Math.max(1, Math.ceil(entries.length / LIMITS.syncEntriesPerToken));
}

/** `ready`: the connection's setup, which every frame waits for; `lanes`: one frame of a user at a time. */
export function dispatchFrames(scope: Scope, ready: Promise<void>, lanes: UserLanes): void {
  const { socket, ctx } = scope;
  const bucket = new TokenBucket(ctx.config.ratePerSecond);
  let queue = ready;
  /** Frames accepted and not yet answered. */
  const counts = { waiting: 0 };

  /** The ack of a `send_message`, timed from the frame's arrival for the send-to-ack histogram. */
  const timedAck = (ack: Ack) => {
    const received = performance.now();
    return (res: unknown) => {
      ctx.metrics.sendAcked((performance.now() - received) / 1000);
      ack(res);
    };
  };

  // Every frame, whatever its name: a client frame named "error" (which socket.io also emits as the
  // socket's 'error') arrives here too, and is answered as an unknown event.
  socket.onAny((event: unknown, ...args: unknown[]) => {
    ctx.metrics.frameReceived(event);
    // socket.io appends an ack function only when the client asked for one; anything else is data.
    const asked = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const ephemeral = EPHEMERAL.has(event as string);
    const ack = ephemeral ? undefined : event === 'send_message' && asked ? timedAck(asked) : asked;
    const payload = args[0];
    if (!bucket.take(costOf(event, payload))) {
      if (ephemeral) return;
      return answerError(scope, event, ack, new FrameError('rate_limited', 'too many frames, slow down', conversationIdOf(payload)));
    }
    // The bucket bounds the rate; this bounds what waits behind a slow handler. Refused like a frame too
    // fast (the connection stays open), so the client's usual retry applies.
    if (counts.waiting >= SOCKET_LIMITS.queuedFrames) {
      if (ephemeral) return;
      return answerError(scope, event, ack, new FrameError('rate_limited', 'too many frames waiting, slow down', conversationIdOf(payload)));
    }
    if (!isClientEvent(event)) return answerError(scope, event, ack, new FrameError('bad_request', `unknown event: ${String(event).slice(0, 64)}`));
    const parsed = parseFrame(event, payload);
    if (!parsed.ok) {
      return answerError(scope, event, ack, new FrameError(parsed.error.code, parsed.error.message, conversationIdOf(payload)));
    }
    counts.waiting += 1;
    const frame: Frame = { event, payload: parsed.data, ack, counts, ordered: undefined!, turnOver: undefined! };
    frame.turnOver = new Promise<void>((resolve) => (frame.ordered = resolve));
    // The socket's next frame, and the user's, wait for this one's turn to be over; a shutdown waits for
    // every frame's answer.
    queue = ctx.inFlight.track(
      queue.then(() =>
        lanes.run(scope.user.userId, () => {
          void ctx.inFlight.track(handleFrame(scope, frame));
          return frame.turnOver;
        }),
      ),
    );
  });
}

type Ack = (res: unknown) => void;

/** One accepted frame on its way through its handler. `ordered` ends its turn (see `FrameTurn`). */
type Frame = {
  event: ClientEventName;
  payload: unknown;
  ack: Ack | undefined;
  /** The socket's count of frames accepted and not yet answered. */
  counts: { waiting: number };
  ordered: () => void;
  turnOver: Promise<void>;
};

// Module functions rather than closures made per frame: tsx keeps a closure's name with a defineProperty on
// every creation, which showed in the event loop's profile at the fan-out's saturation.

/** Runs the frame's handler and answers it; never rejects. */
async function handleFrame(scope: Scope, frame: Frame): Promise<void> {
  const { event, payload, ack } = frame;
  try {
    // Work for a socket that has gone is dropped: nobody would hear the answer, and a send that was
    // never acked is sent again (same client_id) by the client when it reconnects.
    if (!scope.socket.connected) return;
    const handler = HANDLERS[event] as (scope: Scope, payload: unknown, turn: FrameTurn) => Promise<unknown>;
    const result = await handler(scope, payload, frame);
    ack?.(result ?? { ok: true });
  } catch (error) {
    if (error instanceof FrameError) return answerError(scope, event, ack, error);
    scope.ctx.log.error({ err: error, event, user: scope.user.userId }, 'frame handler failed');
    answerError(scope, event, ack, new FrameError('bad_request', 'the server could not handle this frame', conversationIdOf(payload)));
  } finally {
    frame.counts.waiting -= 1;
    frame.ordered();
  }
}

/** In the ack when the client asked for one, else as an `error` frame. */
function answerError(scope: Scope, event: unknown, ack: Ack | undefined, error: FrameError): void {
  scope.ctx.metrics.frameFailed(event, error.code);
  if (ack) ack({ ok: false, error: { code: error.code, message: error.message } });
  else scope.socket.emit('error', error.toEvent());
}
