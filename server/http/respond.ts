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

const MAX_BODY_BYTES = 64 * 1024;

export type Body<T> = { ok: true; value: T } | { ok: false; status: 400 | 413 | 415; error: string };

/** Reads a JSON body and validates it: 415 unless `application/json`, 400 when malformed, 413 when huge. */
export async function readJsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<Body<T>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return { ok: false, status: 415, error: 'expected application/json' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large, so the answer can still be written on this connection.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) return { ok: false, status: 413, error: 'body too large' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
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
