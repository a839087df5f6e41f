// zod schemas for every client → server frame. The server validates each frame with these before it
// touches anything; the browser uses the same limits to refuse a bad send before it leaves.
import { z } from 'zod';
import {
  LIMITS,
  type ClientEventName,
  type ErrorCode,
  type GetMessagesPayload,
  type MarkCompletePayload,
  type MarkReadPayload,
  type ProtocolError,
  type SendMessagePayload,
  type SyncPayload,
} from './types';

// In the browser zod must not compile parsers with `new Function`: the page's Content-Security-Policy
// forbids eval, and Chromium reports even zod's guarded probe for it as a violation. (The server keeps the
// faster compiled parsers.)
if (typeof window !== 'undefined') z.config({ jitless: true });

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const getMessagesSchema = z.strictObject({
  conversation_id: id,
  before_seq: seq.optional(),
  limit: z.number().int().min(1).max(LIMITS.pageMax).optional(),
});

export const sendMessageSchema = z.strictObject({
  conversation_id: id,
  message: z.string(),
  type: z.literal('TEXT'),
  client_id: z.string().min(1).max(LIMITS.clientIdMaxChars),
});

export const syncSchema = z.strictObject({
  conversations: z
    .array(z.strictObject({ conversation_id: id, after_seq: seq }))
    .max(500),
});

export const markCompleteSchema = z.strictObject({ conversation_id: id });

export const markReadSchema = z.strictObject({ conversation_id: id, up_to_seq: seq });

export const clientSchemas = {
  get_messages: getMessagesSchema,
  send_message: sendMessageSchema,
  sync: syncSchema,
  mark_complete: markCompleteSchema,
  mark_read: markReadSchema,
} as const satisfies Record<ClientEventName, z.ZodType>;

// The schemas must describe exactly the payload types of types.ts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShapes: [
  Same<z.infer<typeof getMessagesSchema>, GetMessagesPayload>,
  Same<z.infer<typeof sendMessageSchema>, SendMessagePayload>,
  Same<z.infer<typeof syncSchema>, SyncPayload>,
  Same<z.infer<typeof markCompleteSchema>, MarkCompletePayload>,
  Same<z.infer<typeof markReadSchema>, MarkReadPayload>,
] = [true, true, true, true, true];
void sameShapes;

export type Parsed<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export function protocolError(code: ErrorCode, message: string): ProtocolError {
  return { code, message };
}

/** Validates one frame's payload; the error names the first offending field in plain words. */
export function parseFrame<E extends ClientEventName>(
  event: E,
  payload: unknown,
): Parsed<z.infer<(typeof clientSchemas)[E]>> {
  const result = clientSchemas[event].safeParse(payload);
  if (result.success) return { ok: true, data: result.data as z.infer<(typeof clientSchemas)[E]> };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return {
    ok: false,
    error: protocolError('bad_request', `${event}: ${where}: ${issue?.message ?? 'invalid'}`),
  };
}

/**
 * Checks a message text as the server stores it: trimmed, 1..4000 characters.
 * Too long is `too_large`; empty is `bad_request`.
 */
export function checkMessageText(text: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed.length === 0) {
    return { ok: false, error: protocolError('bad_request', 'message: must not be empty') };
  }
  if (trimmed.length > LIMITS.messageMaxChars) {
    return {
      ok: false,
      error: protocolError('too_large', `message: at most ${LIMITS.messageMaxChars} characters`),
    };
  }
  return { ok: true, data: trimmed };
}
