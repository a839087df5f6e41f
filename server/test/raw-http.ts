// A raw TCP client for what fetch cannot do: send part of a request and see what the server does with
// the connection (answers and closes it, or keeps waiting for the rest).
import { connect } from 'node:net';

export type RawExchange = {
  /** Everything the server sent back. */
  response: string;
  /** Whether the server closed the connection within the wait. */
  closed: boolean;
};

/**
 * Writes `chunks` to a fresh connection (stopping early if the server closes it) and collects the answer
 * until the server closes the connection or `waitMs` has passed.
 */
export function rawExchange(url: string, chunks: (string | Buffer)[], waitMs: number): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    let closed = false;
    const timer = setTimeout(() => finish(), waitMs);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, closed });
    };
    socket.on('data', (data) => (response += data.toString('latin1')));
    socket.on('error', () => {}); // a reset while we write is one way of closing ('close' follows)
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.once('connect', async () => {
      for (const chunk of chunks) {
        if (closed || socket.destroyed) return;
        if (!socket.write(chunk)) await new Promise((drained) => socket.once('drain', drained).once('close', drained));
      }
    });
  });
}

/** The status code of a raw HTTP response, or null when none came. */
export function statusOf(response: string): number | null {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return match ? Number(match[1]) : null;
}
