// Small helpers for the JSON API.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** 429 with the seconds until the caller may try again. */
export function sendTooMany(res: ServerResponse, retryAfterSeconds: number, what: string): void {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  sendJson(
    res,
    429,
    { error: `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export const MAX_BODY_BYTES = 64 * 1024;

export type Body<T> = { ok: true; value: T } | { ok: false; status: 400 | 413 | 415; error: string };

/**
 * Answers a body readJsonBody refused. After a 413 or 415 the body was not read (it may be huge), so the
 * connection closes instead of reading it to the end.
 */
export function sendBodyError(res: ServerResponse, body: { status: number; error: string }): void {
  sendJson(res, body.status, { error: body.error }, body.status === 400 ? {} : { connection: 'close' });
}

/** The body's bytes, or null as soon as it passes `max` (reading stops there; the caller closes the connection). */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (result: Buffer | null) => {
      req.off('data', onData).off('end', onEnd).off('error', reject).off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.pause();
      stop(null);
    };
    const onEnd = () => stop(Buffer.concat(chunks));
    // The client went away before the end of its body: nothing to answer.
    const onClose = () => reject(new Error('request closed before its body ended'));
    req.on('data', onData).on('end', onEnd).on('error', reject).on('close', onClose);
  });
}

/** Reads a JSON body and validates it: 415 unless `application/json`, 400 when malformed, 413 past 64 kB. */
export async function readJsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<Body<T>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, error: 'expected application/json' };
  const tooLarge = { ok: false, status: 413, error: 'body too large' } as const;
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge;
  const bytes = await readCapped(req, MAX_BODY_BYTES);
  if (!bytes) return tooLarge;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, status: 400, error: 'malformed JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, status: 400, error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, value: parsed.data };
}
