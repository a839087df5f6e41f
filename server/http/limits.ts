// Bounds on the HTTP server itself. WebSockets are long-lived, but once upgraded they leave the HTTP
// parser: requestTimeout and headersTimeout bound only how long a request may take to arrive (a slow
// client holding a connection open), never an open socket (server/test/http-limits.test.ts proves it).
export type HttpLimits = {
  /** All of a request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request (headers and the ≤ 64 kB JSON body) must arrive within this. */
  requestTimeoutMs: number;
  /** How often Node looks for requests past those timeouts. */
  checkIntervalMs: number;
  /**
   * Open connections (pages, API calls and WebSockets together) past which new ones are dropped: 20
   * sockets for each of 500 users. Keep it below the process's open-file limit (`ulimit -n`).
   */
  maxConnections: number;
};

export const HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 5_000,
  maxConnections: 10_000,
};
