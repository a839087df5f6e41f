// What the browser checks before a send leaves, without zod: the page imports this (and types.ts,
// avatar.ts) directly, never the schemas, so zod is not part of its JavaScript.
import { LIMITS, type ErrorCode, type ProtocolError } from './types';

export type Parsed<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export function protocolError(code: ErrorCode, message: string): ProtocolError {
  return { code, message };
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
