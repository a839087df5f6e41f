// zod schemas for every client → server frame, and the payload types inferred from them: one source for
// both. The server validates each frame with these before it touches anything; the browser uses the same
// limits (text.ts, types.ts) to refuse a bad send before it leaves, without loading zod.
import { z } from 'zod';
import { protocolError, type Parsed } from './text';
import {
  LIMITS,
  type MarkCompleteAck,
  type MessageChangeAck,
  type SendMessageAck,
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
    .array(z.strictObject({ conversation_id: id, after_seq: seq, after_rev: seq.optional() }))
    .max(LIMITS.syncMaxEntries)
    // A repeat would only make the server read and send the same conversation again.
    .refine((entries) => new Set(entries.map((e) => e.conversation_id)).size === entries.length, {
      message: 'each conversation at most once',
    }),
});

export const markCompleteSchema = z.strictObject({ conversation_id: id });

export const markReadSchema = z.strictObject({ conversation_id: id, up_to_seq: seq });

/** A message's opaque id as the server gave it. */
const messageId = z.string().min(1).max(64);

export const editMessageSchema = z.strictObject({ conversation_id: id, message_id: messageId, message: z.string() });

export const deleteMessageSchema = z.strictObject({ conversation_id: id, message_id: messageId });

export const typingSchema = z.strictObject({ conversation_id: id });

/** Every client event and the schema of its payload: the event names and payload types derive from it. */
export const clientSchemas = {
  get_messages: getMessagesSchema,
  send_message: sendMessageSchema,
  sync: syncSchema,
  mark_complete: markCompleteSchema,
  mark_read: markReadSchema,
  edit_message: editMessageSchema,
  delete_message: deleteMessageSchema,
  typing: typingSchema,
} as const;

export type ClientEventName = keyof typeof clientSchemas;
export const CLIENT_EVENTS = Object.keys(clientSchemas) as readonly ClientEventName[];

export type GetMessagesPayload = z.infer<typeof getMessagesSchema>;
export type SendMessagePayload = z.infer<typeof sendMessageSchema>;
export type SyncPayload = z.infer<typeof syncSchema>;
export type MarkCompletePayload = z.infer<typeof markCompleteSchema>;
export type MarkReadPayload = z.infer<typeof markReadSchema>;
export type EditMessagePayload = z.infer<typeof editMessageSchema>;
export type DeleteMessagePayload = z.infer<typeof deleteMessageSchema>;
export type TypingPayload = z.infer<typeof typingSchema>;

/** The acks of the events that have one; the others are answered by events (types.ts). */
type Acks = {
  send_message: SendMessageAck;
  mark_complete: MarkCompleteAck;
  edit_message: MessageChangeAck;
  delete_message: MessageChangeAck;
};

export type ClientToServerEvents = {
  [E in ClientEventName]: E extends keyof Acks
    ? (payload: z.infer<(typeof clientSchemas)[E]>, ack: (res: Acks[E]) => void) => void
    : (payload: z.infer<(typeof clientSchemas)[E]>) => void;
};

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

export { checkMessageText, protocolError, type Parsed } from './text';
