// Assertions on a person's network recording (`person.net`) that read like the network-tab scenarios:
//
//   expect(net).toHaveSentOnce('get_messages', { conversation_id }, { since: opened })
//   expect(net).toHaveSentNothingSince(mark)
//   expect(net).toHaveOnlyTheInboxSocket()
//
// They check what has been recorded at the moment they run (call `await net.quiet()` first to let the page
// settle, or wrap them in `expect(…).toPass()` to wait). A failure prints the frames seen, one per line:
// time since the recording began, ↑ sent / ↓ received / → request, event, ack id, a short payload.
import type { ExpectMatcherState, MatcherReturnType } from '@playwright/test';
import { NetworkRecorder, type Direction, type Frame, type Mark, type RecordedRequest } from '../../test/support/network-recorder';
import { SOCKET_PATH } from '../../protocol';
import { brief, frameRow, lastLines, requestRow, rows, textLines } from './timeline';

export type FrameQuery = {
  /** Only what was recorded after this `net.mark()`. */
  since?: Mark;
};
export type CountQuery = FrameQuery & {
  /** Exactly this many matching frames; without it, at least one. */
  times?: number;
};

type AsymmetricMatcher = { asymmetricMatch(other: unknown): boolean };

function isAsymmetric(value: unknown): value is AsymmetricMatcher {
  return typeof (value as AsymmetricMatcher | null)?.asymmetricMatch === 'function';
}

/**
 * Whether `actual` contains `expected`, the way `toMatchObject` reads it: every field given must match (in
 * nested objects too), fields not given are ignored, arrays match item by item and in length, and
 * `expect.any(String)` or `expect.stringContaining(…)` stand for a value.
 */
export function contains(actual: unknown, expected: unknown): boolean {
  if (isAsymmetric(expected)) return expected.asymmetricMatch(actual);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => contains(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([key, e]) => contains((actual as Record<string, unknown>)[key], e));
  }
  return Object.is(actual, expected);
}

function recording(received: unknown, matcher: string): NetworkRecorder {
  if (received instanceof NetworkRecorder) return received;
  throw new Error(`expect(net).${matcher}(): net must be a person's network recorder (person.net), got ${brief(received, 60)}`);
}

function at(net: NetworkRecorder, mark?: Mark): string {
  return mark ? ` since the mark at +${((mark.t - net.startedAt) / 1000).toFixed(3)}s` : '';
}

/** The call as written, e.g. `expect(net).toHaveSentOnce('get_messages', {"conversation_id":7}, { since: mark })`. */
function call(matcher: string, args: (string | undefined)[], isNot: boolean): string {
  const given = args.slice(0, args.findLastIndex((a) => a !== undefined) + 1);
  return `expect(net)${isNot ? '.not' : ''}.${matcher}(${given.map((a) => a ?? 'undefined').join(', ')})`;
}

/** How the options argument is shown in the call: the mark by name, not by its numbers. */
function shownQuery(query: CountQuery): string | undefined {
  const parts = [query.since && 'since: mark', query.times !== undefined && `times: ${query.times}`].filter(Boolean);
  return parts.length ? `{ ${parts.join(', ')} }` : undefined;
}

/** The frames of one direction and event since a mark, and those among them whose payload contains `fields`. */
function select(net: NetworkRecorder, dir: Direction, event: string, fields: object | undefined, since?: Mark) {
  const ofEvent = net.since(since).filter((f) => f.dir === dir && f.kind === 'event' && f.event === event);
  const matching = ofEvent.filter((f) => fields === undefined || contains(f.payload, fields));
  return { ofEvent, matching };
}

function described(dir: Direction, event: string, fields: object | undefined): string {
  const containing = fields && Object.keys(fields).length ? ` whose payload contains ${brief(fields, 200)}` : '';
  return `${dir} '${event}' frame(s)${containing}`;
}

function frameList(net: NetworkRecorder, since: Mark | undefined, heading: string): string[] {
  return ['', `${heading} (↑ sent, ↓ received, → request; time since the recording began):`, ...lastLines(rows(net, { since }), net.startedAt)];
}

function countMatcher(
  state: ExpectMatcherState,
  name: string,
  received: unknown,
  dir: Direction,
  event: string,
  fields: object | undefined,
  query: CountQuery,
  /** Exactly this many (the …Once matchers say 1); without it, `query.times` or at least one. */
  times = query.times,
): MatcherReturnType {
  const net = recording(received, name);
  const { ofEvent, matching } = select(net, dir, event, fields, query.since);
  const pass = times === undefined ? matching.length > 0 : matching.length === times;
  const wanted = times === undefined ? 'at least one' : times === 1 ? 'exactly one' : `exactly ${times}`;
  const args = [`'${event}'`, fields === undefined ? undefined : brief(fields, 80), shownQuery(query)];
  const message = () =>
    [
      call(name, args, state.isNot),
      '',
      `Expected: ${state.isNot ? 'not ' : ''}${wanted} ${described(dir, event, fields)}${at(net, query.since)}`,
      `Received: ${matching.length} such frame(s), among ${ofEvent.length} '${event}' frame(s) ${dir}`,
      ...frameList(net, query.since, `Frames${at(net, query.since) || ' recorded'}`),
    ].join('\n');
  return { name, pass, message, expected: times ?? '≥ 1', actual: matching.length };
}

function nothingMatcher(
  state: ExpectMatcherState,
  name: string,
  net: NetworkRecorder,
  mark: Mark,
  what: string,
  offending: { frames: Frame[]; requests: RecordedRequest[] },
): MatcherReturnType {
  const count = offending.frames.length + offending.requests.length;
  const message = () =>
    [
      call(name, ['mark'], state.isNot),
      '',
      `Expected: ${state.isNot ? 'something' : 'nothing'} ${what}${at(net, mark)}`,
      `Received: ${offending.frames.length} frame(s) sent, ${offending.requests.length} request(s):`,
      ...textLines([...offending.frames.map(frameRow), ...offending.requests.map(requestRow)].sort((a, b) => a.t - b.t), net.startedAt),
      ...frameList(net, mark, `Everything${at(net, mark)}`),
    ].join('\n');
  return { name, pass: count === 0, message, expected: 0, actual: count };
}

function requireMark(mark: unknown, name: string): Mark {
  const m = mark as Mark | undefined;
  if (typeof m?.frames !== 'number' || typeof m.requests !== 'number') {
    throw new Error(`expect(net).${name}(mark): mark must come from net.mark(), got ${brief(mark, 60)}`);
  }
  return m;
}

export const networkMatchers = {
  /** Exactly one frame of `event` sent (since the mark) whose payload contains `fields`. */
  toHaveSentOnce(this: ExpectMatcherState, net: NetworkRecorder, event: string, fields?: object, query: FrameQuery = {}) {
    return countMatcher(this, 'toHaveSentOnce', net, 'sent', event, fields, query, 1);
  },

  /** Exactly one frame of `event` received (since the mark) whose payload contains `fields`. */
  toHaveReceivedOnce(this: ExpectMatcherState, net: NetworkRecorder, event: string, fields?: object, query: FrameQuery = {}) {
    return countMatcher(this, 'toHaveReceivedOnce', net, 'received', event, fields, query, 1);
  },

  /** At least one (or exactly `times`) frame(s) of `event` sent whose payload contains `fields`; `.not`: none. */
  toHaveSent(this: ExpectMatcherState, net: NetworkRecorder, event: string, fields?: object, query: CountQuery = {}) {
    return countMatcher(this, 'toHaveSent', net, 'sent', event, fields, query);
  },

  /** At least one (or exactly `times`) frame(s) of `event` received whose payload contains `fields`; `.not`: none. */
  toHaveReceived(this: ExpectMatcherState, net: NetworkRecorder, event: string, fields?: object, query: CountQuery = {}) {
    return countMatcher(this, 'toHaveReceived', net, 'received', event, fields, query);
  },

  /**
   * Since `mark`: no socket.io frame sent (engine.io keep-alive pongs aside) and no request of type document,
   * fetch, XHR or EventSource (nor any `_rsc` or `/api/` request): the page went nowhere.
   */
  toHaveSentNothingSince(this: ExpectMatcherState, received: NetworkRecorder, mark: Mark) {
    const name = 'toHaveSentNothingSince';
    const net = recording(received, name);
    const since = requireMark(mark, name);
    return nothingMatcher(this, name, net, since, 'sent (no frame, no request)', {
      frames: net.since(since).filter((f) => f.dir === 'sent'),
      requests: net.forbiddenRequestsSince(since),
    });
  },

  /** Since `mark`: no request of type document, fetch, XHR or EventSource, no `_rsc`, no `/api/` (frames may flow). */
  toHaveMadeNoRequestSince(this: ExpectMatcherState, received: NetworkRecorder, mark: Mark) {
    const name = 'toHaveMadeNoRequestSince';
    const net = recording(received, name);
    const since = requireMark(mark, name);
    return nothingMatcher(this, name, net, since, 'requested (document, fetch, XHR, EventSource, _rsc, /api/)', {
      frames: [],
      requests: net.forbiddenRequestsSince(since),
    });
  },

  /**
   * The page opened exactly one WebSocket, to the page's own host at `/ws/inbox/` with `EIO=4` and
   * `transport=websocket`, and made no HTTP request to `/ws/inbox/` (no long-polling).
   */
  toHaveOnlyTheInboxSocket(this: ExpectMatcherState, received: NetworkRecorder) {
    const name = 'toHaveOnlyTheInboxSocket';
    const net = recording(received, name);
    const page = net.requests.filter((r) => r.type === 'document').at(-1)?.url;
    const wsOrigin = page && new URL(page).origin.replace(/^http/, 'ws');
    const problems: string[] = [];
    if (net.sockets.length !== 1) problems.push(`${net.sockets.length} WebSockets were opened, not one`);
    for (const [i, socket] of net.sockets.entries()) {
      const url = new URL(socket.url);
      const wrong = [
        url.pathname !== SOCKET_PATH && `path ${url.pathname}, not ${SOCKET_PATH}`,
        url.searchParams.get('transport') !== 'websocket' && `transport=${url.searchParams.get('transport')}, not websocket`,
        url.searchParams.get('EIO') !== '4' && `EIO=${url.searchParams.get('EIO')}, not 4`,
        wsOrigin && url.origin !== wsOrigin && `origin ${url.origin}, not the page's ${wsOrigin}`,
      ].filter(Boolean);
      if (wrong.length) problems.push(`WebSocket #${i} ${socket.url}: ${wrong.join('; ')}`);
    }
    const polling = net.requests.filter((r) => new URL(r.url).pathname.startsWith(SOCKET_PATH));
    for (const r of polling) problems.push(`an HTTP ${r.type} request to the socket (long-polling): ${r.method} ${r.url}`);
    const message = () =>
      [
        call(name, [], this.isNot),
        '',
        `Expected: ${this.isNot ? 'not ' : ''}exactly one WebSocket, ${wsOrigin ?? '(the page origin)'}${SOCKET_PATH}?EIO=4&transport=websocket, and no long-polling`,
        problems.length ? `Received:\n${problems.map((p) => `  - ${p}`).join('\n')}` : `Received: exactly that (${net.sockets[0]?.url})`,
        '',
        'WebSockets opened:',
        ...(net.sockets.length ? net.sockets.map((s, i) => `  #${i} +${((s.t - net.startedAt) / 1000).toFixed(3)}s ${s.url}`) : ['  (none)']),
        ...(polling.length ? ['', 'Requests to the socket path:', ...textLines(polling.map(requestRow), net.startedAt)] : []),
      ].join('\n');
    return { name, pass: problems.length === 0, message };
  },
};
