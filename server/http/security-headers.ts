// Headers every response carries (CONTRACT section 3). The Content-Security-Policy allows scripts only
// with this response's nonce ('strict-dynamic': and what those load), so injected markup runs nothing.
// Next reads the nonce from the request's own Content-Security-Policy header and puts it on every script
// it renders; pages are rendered per request for it (app/layout.tsx).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // Development builds evaluate code for their stack traces and hot reload.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React's style attributes (avatar sizes) are inline styles.
    "style-src 'self' 'unsafe-inline'",
    // Avatars: this site's /avatars/, or https pictures the admin API accepted.
    "img-src 'self' https:",
    "font-src 'self'",
    // 'self' covers the same-origin ws: / wss: socket (CSP Level 3; Chromium, Firefox, Safari ≥ 15.4).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const policy = contentSecurityPolicy(randomBytes(16).toString('base64'), dev);
  // For Next to find the nonce; a client's own copy of this header is never used.
  req.headers['content-security-policy'] = policy;
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('content-security-policy', policy);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
}
