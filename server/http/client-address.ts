// What a request says about its client. Proxy headers are anyone's to send, so they count only with
// TRUST_PROXY=1, when the server sits behind a proxy that sets them (and overwrites the client's own).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

function firstEntry(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first ? first : null;
}

/** The TCP peer, or the first X-Forwarded-For entry when the proxy is trusted. IPv4-mapped IPv6 as IPv4. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? firstEntry(req.headers['x-forwarded-for']) : null;
  const address = forwarded ?? req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** Whether the browser reached us over TLS: this connection, or `X-Forwarded-Proto: https` from a trusted proxy. */
export function cameOverTls(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  return trustProxy && firstEntry(req.headers['x-forwarded-proto'])?.toLowerCase() === 'https';
}
