// The server's own view of a load: GET /api/metrics scraped before and after, its histograms subtracted, and
// quantiles estimated from the buckets the way Prometheus' histogram_quantile does (linear inside a bucket).
import type { Inbox } from './inbox';

/** Cumulative bucket counts by upper bound (seconds or units, ascending, +Inf last), their sum and count. */
export type Histogram = { buckets: [le: number, count: number][]; sum: number; count: number };

/** What a figure reports of one histogram. */
export type HistogramSummary = { p50: number; p99: number; mean: number; count: number };

export async function scrapeMetrics(inbox: Inbox): Promise<string> {
  const res = await fetch(`${inbox.url}/api/metrics`, { headers: { authorization: `Bearer ${inbox.adminToken}` } });
  if (res.status !== 200) throw new Error(`GET /api/metrics answered ${res.status}`);
  return res.text();
}

/** The unlabelled histogram `name` of a scrape (empty when it is not there). */
export function histogramOf(text: string, name: string): Histogram {
  const histogram: Histogram = { buckets: [], sum: 0, count: 0 };
  for (const line of text.split('\n')) {
    const [series, value] = line.split(' ');
    if (series === undefined || value === undefined) continue;
    const le = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\}$`).exec(series)?.[1];
    if (le !== undefined) histogram.buckets.push([le === '+Inf' ? Infinity : Number(le), Number(value)]);
    else if (series === `${name}_sum`) histogram.sum = Number(value);
    else if (series === `${name}_count`) histogram.count = Number(value);
  }
  return histogram;
}

/** What was observed between two scrapes of one server. */
export function since(before: Histogram, after: Histogram): Histogram {
  const earlier = new Map(before.buckets);
  return {
    buckets: after.buckets.map(([le, count]) => [le, count - (earlier.get(le) ?? 0)]),
    sum: after.sum - before.sum,
    count: after.count - before.count,
  };
}

/** The q-quantile (0..1), linear inside its bucket; NaN without observations. In the +Inf bucket: the last bound. */
export function quantile(histogram: Histogram, q: number): number {
  if (histogram.count <= 0) return Number.NaN;
  const rank = q * histogram.count;
  let lower = 0;
  let below = 0;
  for (const [le, count] of histogram.buckets) {
    if (count >= rank) {
      if (le === Infinity) return lower;
      return lower + (le - lower) * ((rank - below) / Math.max(1, count - below));
    }
    [lower, below] = [le, count];
  }
  return lower;
}

export function summarize(histogram: Histogram): HistogramSummary {
  return {
    p50: quantile(histogram, 0.5),
    p99: quantile(histogram, 0.99),
    mean: histogram.count > 0 ? histogram.sum / histogram.count : Number.NaN,
    count: histogram.count,
  };
}

/** The server side of a load: send-to-ack and commit latency (ms) and sends per commit, between two scrapes. */
export type ServerSide = { sendAck: HistogramSummary; commit: HistogramSummary; batch: HistogramSummary };

/** Runs `load` and answers its result with what the server's own histograms saw meanwhile. */
export async function withServerSide<T>(inbox: Inbox, load: () => Promise<T>): Promise<{ result: T; server: ServerSide }> {
  const before = await scrapeMetrics(inbox);
  const result = await load();
  const after = await scrapeMetrics(inbox);
  const delta = (name: string) => since(histogramOf(before, name), histogramOf(after, name));
  const ms = (s: HistogramSummary): HistogramSummary => ({ ...s, p50: s.p50 * 1000, p99: s.p99 * 1000, mean: s.mean * 1000 });
  return {
    result,
    server: {
      sendAck: ms(summarize(delta('inbox_send_ack_seconds'))),
      commit: ms(summarize(delta('inbox_commit_seconds'))),
      batch: summarize(delta('inbox_commit_batch_size')),
    },
  };
}
