// A recording as a person reads the network tab: one row per request, WebSocket and socket.io frame (and,
// when given, per change the page showed), in time order, with the time since recording began. The same
// rows make the frame lists in the matchers' failure messages and the timeline attached to a failed test.
import type { Frame, Mark, NetworkRecorder, RecordedRequest } from '../../test/support/network-recorder';
import type { DomEvent } from '../support/dom-recorder';

export type Row = {
  t: number;
  /** ↑ a frame the page sent, ↓ one it received, → an HTTP request, ⇄ a WebSocket opened, · the page changed. */
  dir: '↑' | '↓' | '→' | '⇄' | '·';
  /** The event name; `ack`, `connect`, `connect_error`, `disconnect` for other packets; the request type. */
  what: string;
  ack: string;
  detail: string;
};

/** JSON cut to `max` characters; long strings and arrays shortened first, so the start of each part shows. */
export function brief(value: unknown, max = 110): string {
  if (value === undefined) return '';
  const text = JSON.stringify(shorten(value)) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function shorten(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 48 ? `${value.slice(0, 47)}…` : value;
  if (Array.isArray(value)) {
    const items = value.map(shorten);
    return items.length > 2 ? [items[0], `…${items.length - 2} more…`, items.at(-1)] : items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, shorten(v)]));
  }
  return value;
}

function requestPath(url: string): string {
  const parsed = new URL(url);
  const path = `${parsed.pathname}${parsed.search}`;
  return path.length > 90 ? `${path.slice(0, 89)}…` : path;
}

export function frameRow(frame: Frame): Row {
  const what = frame.kind === 'event' ? (frame.event ?? '?') : frame.kind;
  return {
    t: frame.t,
    dir: frame.dir === 'sent' ? '↑' : '↓',
    what,
    ack: frame.ackId === undefined ? '' : String(frame.ackId),
    detail: brief(frame.payload),
  };
}

export function requestRow(request: RecordedRequest): Row {
  return { t: request.t, dir: '→', what: request.type, ack: '', detail: `${request.method} ${requestPath(request.url)}` };
}

function domRow(event: DomEvent): Row {
  const detail =
    event.what === 'message'
      ? `${event.status ?? ''} mine=${event.mine ?? ''} ${brief(event.text, 70)}`
      : event.what === 'connection'
        ? `${event.state ?? ''}`
        : `conversation ${event.conversation ?? '?'}`;
  return { t: event.t, dir: '·', what: event.what, ack: '', detail };
}

/** Files a page loads to draw itself: in a run of two or more, one row says how many of each. */
const STATIC = new Set(['script', 'stylesheet', 'image', 'font', 'media', 'texttrack', 'manifest']);

/**
 * Readability: a run of static files becomes one row, and the DOM recorder's repeats (the same element
 * seen again by the observer, unchanged) are dropped.
 */
function condense(list: Row[]): Row[] {
  const out: Row[] = [];
  let run: Row[] = [];
  const flush = (): void => {
    if (run.length === 1) out.push(...run);
    if (run.length > 1) {
      const counts = new Map<string, number>();
      for (const r of run) counts.set(r.what, (counts.get(r.what) ?? 0) + 1);
      const kinds = [...counts].map(([what, n]) => `${what} ×${n}`).join(', ');
      out.push({ t: run[0]?.t ?? 0, dir: '→', what: 'static files', ack: '', detail: `${run.length}: ${kinds}` });
    }
    run = [];
  };
  for (const row of list) {
    if (row.dir === '→' && STATIC.has(row.what)) {
      run.push(row);
      continue;
    }
    flush();
    const last = out.findLast((r) => r.dir === '·');
    if (row.dir === '·' && out.at(-1) === last && last?.what === row.what && last.detail === row.detail) continue;
    out.push(row);
  }
  flush();
  return out;
}

export type TimelineOptions = {
  since?: Mark;
  /** Engine.io pings and pongs (keep-alives) are left out unless asked for. */
  keepAlives?: boolean;
  dom?: DomEvent[];
};

/** Every row of a recording (since a mark), in time order; a stable sort keeps the recorded order at equal times. */
export function rows(net: NetworkRecorder, options: TimelineOptions = {}): Row[] {
  const frames = net.frames.slice(options.since?.frames ?? 0).filter((f) => options.keepAlives || f.kind !== 'engine');
  // At equal times: a socket opens before its first frame.
  const all: Row[] = [
    ...net.sockets.flatMap((s, i): Row[] =>
      s.t >= (options.since?.t ?? 0) ? [{ t: s.t, dir: '⇄', what: `websocket #${i}`, ack: '', detail: s.url }] : [],
    ),
    ...net.requestsSince(options.since).map(requestRow),
    ...frames.map(frameRow),
    ...(options.dom ?? []).filter((e) => e.t >= (options.since?.t ?? 0)).map(domRow),
  ];
  return condense(all.sort((a, b) => a.t - b.t));
}

function seconds(t: number, start: number): string {
  return `+${((t - start) / 1000).toFixed(3)}s`;
}

/** Rows as aligned plain text lines, for a failure message. */
export function textLines(list: Row[], start: number, indent = '  '): string[] {
  if (list.length === 0) return [`${indent}(nothing)`];
  const width = Math.max(...list.map((r) => r.what.length));
  return list.map((r) =>
    `${indent}${seconds(r.t, start).padStart(9)} ${r.dir} ${r.what.padEnd(width)} ${r.ack ? `ack ${r.ack} ` : ''}${r.detail}`.trimEnd(),
  );
}

/** At most `limit` rows: the last ones, which are the ones a failure is about, with a line for the rest. */
export function lastLines(list: Row[], start: number, limit = 40): string[] {
  const cut = list.length - limit;
  const lines = textLines(cut > 0 ? list.slice(cut) : list, start);
  return cut > 0 ? [`  … ${cut} earlier rows left out`, ...lines] : lines;
}

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'");
}

/** A whole recording as a Markdown document: the report attached to a failed test. */
export function markdownTimeline(name: string, net: NetworkRecorder, dom: DomEvent[] = [], pageUrl = ''): string {
  const list = rows(net, { dom });
  const head = [
    `# ${name}: network timeline`,
    '',
    `Recording started ${new Date(net.startedAt).toISOString()}${pageUrl ? `; the page ended at ${pageUrl}` : ''}.`,
    `${net.sockets.length} WebSocket(s), ${net.requests.length} request(s), ${net.frames.filter((f) => f.kind !== 'engine').length} socket.io frame(s)` +
      ` (keep-alive pings left out)${net.undecodable.length ? `, ${net.undecodable.length} UNDECODABLE` : ''}.`,
    '',
    '↑ sent by the page · ↓ received · → HTTP request · ⇄ WebSocket opened · "·" the page changed (DOM recorder)',
    '',
  ];
  const width = (pick: (r: Row) => string, title: string) => Math.max(title.length, ...list.map((r) => cell(pick(r)).length));
  const w = { t: width((r) => seconds(r.t, net.startedAt), 'time'), what: width((r) => r.what, 'event'), ack: width((r) => r.ack, 'ack') };
  const line = (t: string, dir: string, what: string, ack: string, detail: string) =>
    `| ${t.padStart(w.t)} | ${dir.padEnd(3)} | ${what.padEnd(w.what)} | ${ack.padEnd(w.ack)} | ${detail} |`;
  const table = [
    line('time', 'dir', 'event', 'ack', 'payload / request'),
    `|${'-'.repeat(w.t + 1)}:|-----|${'-'.repeat(w.what + 2)}|${'-'.repeat(w.ack + 2)}|---|`,
    ...list.map((r) => line(seconds(r.t, net.startedAt), r.dir, cell(r.what), r.ack, cell(r.detail))),
  ];
  const undecodable = net.undecodable.length
    ? ['', '## Frames that could not be decoded', '', ...net.undecodable.map((u) => `- ${cell(u.error)}: \`${cell(u.raw)}\``)]
    : [];
  return [...head, ...table, ...undecodable, ''].join('\n');
}
