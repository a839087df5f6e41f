// GET /api/metrics: this server's registry in the Prometheus text format (api.ts checks the bearer token).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context';

export async function sendMetrics(ctx: AppContext, _req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await ctx.metrics.registry.metrics();
  res.writeHead(200, {
    'content-type': ctx.metrics.registry.contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
