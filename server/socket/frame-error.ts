// An answer a handler gives instead of a result: becomes an error ack or an `error` event.
import type { ErrorCode, ErrorEvent } from '../../protocol';

export class FrameError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly conversationId?: number,
  ) {
    super(message);
  }

  toEvent(): ErrorEvent {
    const event: ErrorEvent = { code: this.code, message: this.message };
    if (this.conversationId !== undefined) event.conversation_id = this.conversationId;
    return event;
  }
}

export function notFound(conversationId: number): FrameError {
  return new FrameError('not_found', 'conversation not found', conversationId);
}
