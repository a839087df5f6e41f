// What one user's sockets may cost the server (CONTRACT section 4, "Limits that keep one user from hurting
// others"). The rate limit itself is RATE_LIMIT_PER_SOCKET (config.ts); a sync's price is in protocol/.
export const SOCKET_LIMITS = {
  /** Sockets one user holds at once on one process; the next handshake gets `too_many_connections`. */
  socketsPerUser: 20,
  /** Frames of one socket accepted and not yet answered; beyond it, `rate_limited`. */
  queuedFrames: 64,
  /** Output written for a socket that its client has not read yet; beyond it the socket is cut off. */
  unreadOutputBytes: 4 * 1024 * 1024,
  /** Handshakes (session lookup, then joining rooms and listing conversations) run at once; the rest wait. */
  concurrentHandshakes: 16,
  /** A connection that has not completed its handshake by then is closed (socket.io's default is 45 s). */
  connectTimeoutMs: 10_000,
} as const;
