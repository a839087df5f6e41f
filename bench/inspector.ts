// A server's own view of its memory, through the V8 inspector it was started with (`inspectArgs`): a full
// garbage collection before RSS is read, so a memory figure counts what sockets keep, not the garbage their
// handshakes left and the young generation that garbage made grow (fixed costs, freed or reused later).
// The inspector listens on 127.0.0.1 only, and only in processes the bench starts.
import WebSocket from 'ws';
import { freePort } from '../test/support/ports';

export type Inspected = {
  /** Two full collections (the second frees what the first's finalizers let go). */
  collectGarbage: () => Promise<void>;
  /** Bytes of the JS heap in use. */
  heapUsed: () => Promise<number>;
};

/** Node flags for a process to inspect, and the way to reach it once it listens. */
export async function inspectable(): Promise<{ nodeArgs: string[]; inspected: Inspected }> {
  const port = await freePort();
  const call = async (methods: string[]): Promise<unknown[]> => {
    const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    if (!target) throw new Error(`no inspector target on port ${port}`);
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    try {
      await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
      const results: unknown[] = [];
      for (const [id, method] of methods.entries()) {
        const answered = new Promise<unknown>((resolve) => {
          const onMessage = (data: WebSocket.RawData) => {
            const reply = JSON.parse(String(data)) as { id?: number; result?: unknown };
            if (reply.id !== id) return;
            ws.off('message', onMessage);
            resolve(reply.result);
          };
          ws.on('message', onMessage);
        });
        ws.send(JSON.stringify({ id, method }));
        results.push(await answered);
      }
      return results;
    } finally {
      ws.close();
    }
  };
  return {
    nodeArgs: [`--inspect=127.0.0.1:${port}`],
    inspected: {
      collectGarbage: async () => void (await call(['HeapProfiler.collectGarbage', 'HeapProfiler.collectGarbage'])),
      heapUsed: async () => ((await call(['Runtime.getHeapUsage']))[0] as { usedSize: number }).usedSize,
    },
  };
}
