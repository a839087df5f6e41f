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
  let waiting = 0;

  /** The ack of a `send_message`, timed from the frame's arrival for the send-to-ack histogram. */
  const timedAck = (ack: (res: unknown) => void) => {
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
    const asked = typeof args.at(-1) === 'function' ? (args.pop() as (res: unknown) => void) : undefined;
    const ephemeral = EPHEMERAL.has(event as string);
    const ack = ephemeral ? undefined : event === 'send_message' && asked ? timedAck(asked) : asked;
    const payload = args[0];
    const answerError = (error: FrameError) => {
      ctx.metrics.frameFailed(event, error.code);
      if (ack) ack({ ok: false, error: { code: error.code, message: error.message } });
      else socket.emit('error', error.toEvent());
    };
    if (!bucket.take(costOf(event, payload))) {
      if (ephemeral) return;
      return answerError(new FrameError('rate_limited', 'too many frames, slow down', conversationIdOf(payload)));
    }
    // The bucket bounds the rate; this bounds what waits behind a slow handler. Refused like a frame too
    // fast (the connection stays open), so the client's usual retry applies.
    if (waiting >= SOCKET_LIMITS.queuedFrames) {
      if (ephemeral) return;
      return answerError(new FrameError('rate_limited', 'too many frames waiting, slow down', conversationIdOf(payload)));
    }
    if (!isClientEvent(event)) return answerError(new FrameError('bad_request', `unknown event: ${String(event).slice(0, 64)}`));
    const parsed = parseFrame(event, payload);
    if (!parsed.ok) {
      return answerError(new FrameError(parsed.error.code, parsed.error.message, conversationIdOf(payload)));
    }
    waiting += 1;
    const handler = HANDLERS[event] as (scope: Scope, payload: unknown, frame: FrameTurn) => Promise<unknown>;
    let ordered!: () => void;
    const turnOver = new Promise<void>((resolve) => (ordered = resolve));
    const handle = async () => {
      try {
        // Work for a socket that has gone is dropped: nobody would hear the answer, and a send that was
        // never acked is sent again (same client_id) by the client when it reconnects.
        if (!socket.connected) return;
        const result = await handler(scope, parsed.data, { ordered });
        ack?.(result ?? { ok: true });
      } catch (error) {
        if (error instanceof FrameError) return answerError(error);
        ctx.log.error({ err: error, event, user: scope.user.userId }, 'frame handler failed');
        answerError(new FrameError('bad_request', 'the server could not handle this frame', conversationIdOf(payload)));
      } finally {
        waiting -= 1;
        ordered();
      }
    };
    // The socket's next frame, and the user's, wait for this one's turn to be over; a shutdown waits for
    // every frame's answer.
    queue = ctx.inFlight.track(queue.then(() => lanes.run(scope.user.userId, () => {
      void ctx.inFlight.track(handle());
      return turnOver;
    })));
  });
}
