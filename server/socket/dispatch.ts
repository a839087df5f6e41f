// Every incoming frame passes here: the rate limit, then its schema, then its handler. Frames of one socket
// are handled one after another, in the order they arrived, so a client's sends keep their order.
import { CLIENT_EVENTS, parseFrame, type ClientEventName } from '../../protocol';
import { deleteMessageFrame, editMessageFrame } from './edit-handlers';
import { FrameError } from './frame-error';
import { markComplete } from './job-handlers';
import { getMessages, sendMessageFrame, sync } from './message-handlers';
import { TokenBucket } from './rate-limit';
import { markReadFrame } from './read-handlers';
import type { Scope } from './scope';
import { typingFrame } from './typing';

type Handler = (scope: Scope, payload: never) => Promise<unknown>;

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

/** `ready`: the connection's setup, which every frame waits for. */
export function dispatchFrames(scope: Scope, ready: Promise<void>): void {
  const { socket, ctx } = scope;
  const bucket = new TokenBucket(ctx.config.ratePerSecond);
  let queue = ready;

  const answerError = (error: FrameError, ack: ((res: unknown) => void) | undefined) => {
    if (ack) ack({ ok: false, error: { code: error.code, message: error.message } });
    else socket.emit('error', error.toEvent());
  };

  socket.onAny((event: unknown, ...args: unknown[]) => {
    // socket.io appends an ack function only when the client asked for one; anything else is data.
    const asked = typeof args.at(-1) === 'function' ? (args.pop() as (res: unknown) => void) : undefined;
    const ephemeral = EPHEMERAL.has(event as string);
    const ack = ephemeral ? undefined : asked;
    const payload = args[0];
    if (!bucket.take()) {
      if (ephemeral) return;
      return answerError(new FrameError('rate_limited', 'too many frames, slow down', conversationIdOf(payload)), ack);
    }
    if (!isClientEvent(event)) return answerError(new FrameError('bad_request', `unknown event: ${String(event).slice(0, 64)}`), ack);
    const parsed = parseFrame(event, payload);
    if (!parsed.ok) {
      return answerError(new FrameError(parsed.error.code, parsed.error.message, conversationIdOf(payload)), ack);
    }
    const handler = HANDLERS[event] as (scope: Scope, payload: unknown) => Promise<unknown>;
    queue = ctx.inFlight.track(queue.then(async () => {
      try {
        const result = await handler(scope, parsed.data);
        ack?.(result ?? { ok: true });
      } catch (error) {
        if (error instanceof FrameError) return answerError(error, ack);
        ctx.log.error({ err: error, event, user: scope.user.userId }, 'frame handler failed');
        answerError(new FrameError('bad_request', 'the server could not handle this frame', conversationIdOf(payload)), ack);
      }
    }));
  });
}
