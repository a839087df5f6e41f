// What the browser's network tab shows for one page: every request and every WebSocket frame, decoded.
// Times are Date.now() in the test process when Playwright reports the event.
import type { Page } from '@playwright/test';
import { decodeFrame, type DecodedFrame } from './socket-frames';

export type Direction = 'sent' | 'received';
export type Frame = DecodedFrame & { dir: Direction; t: number; socket: number };
export type RecordedRequest = { type: string; method: string; url: string; t: number };
export type RecordedSocket = { url: string; t: number };
/** A checkpoint: what had been recorded when it was taken. */
export type Mark = { frames: number; requests: number; t: number };

/** Resource types that mean "the page went back to the server" (CONTRACT section 3). */
const FORBIDDEN_TYPES = new Set(['document', 'fetch', 'xhr', 'eventsource']);

/** A request the contract forbids once the inbox has loaded: a document, fetch/XHR, EventSource, RSC or API call. */
export function isForbiddenRequest(request: RecordedRequest): boolean {
  const url = new URL(request.url);
  return FORBIDDEN_TYPES.has(request.type) || url.searchParams.has('_rsc') || url.pathname.startsWith('/api/');
}

export type RecorderOptions = {
  /** The clock (Date.now by default); a recording built by hand in a test can bring its own. */
  now?: () => number;
};

export class NetworkRecorder {
  readonly frames: Frame[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly sockets: RecordedSocket[] = [];
  /** Frames that could not be decoded: each one is a protocol violation worth reporting. */
  readonly undecodable: { raw: string; error: string }[] = [];
  /** When recording began: timelines count from here. */
  readonly startedAt: number;
  private readonly now: () => number;

  /** Records `page` from now on; without a page, a recording filled by the `record…` methods. */
  constructor(page?: Page, options: RecorderOptions = {}) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    if (!page) return;
    page.on('request', (request) => this.recordRequest(request.resourceType(), request.method(), request.url()));
    page.on('websocket', (ws) => {
      const socket = this.recordSocket(ws.url());
      const text = (payload: string | Buffer) => (typeof payload === 'string' ? payload : payload.toString('utf8'));
      ws.on('framesent', ({ payload }) => this.recordFrame(socket, 'sent', text(payload)));
      ws.on('framereceived', ({ payload }) => this.recordFrame(socket, 'received', text(payload)));
    });
  }

  recordRequest(type: string, method: string, url: string): void {
    this.requests.push({ type, method, url, t: this.now() });
  }

  /** A WebSocket opened; returns its number, for `recordFrame`. */
  recordSocket(url: string): number {
    return this.sockets.push({ url, t: this.now() }) - 1;
  }

  /** One WebSocket text frame as it went over the wire, e.g. `42["get_messages",{"conversation_id":1}]`. */
  recordFrame(socket: number, dir: Direction, raw: string): void {
    try {
      this.frames.push({ ...decodeFrame(raw), dir, t: this.now(), socket });
    } catch (error) {
      this.undecodable.push({ raw: raw.slice(0, 200), error: String(error) });
    }
  }

  mark(): Mark {
    return { frames: this.frames.length, requests: this.requests.length, t: this.now() };
  }

  /** socket.io frames (engine.io pings and pongs are keep-alives, not frames of the app) since a mark. */
  since(mark?: Mark): Frame[] {
    return this.frames.slice(mark?.frames ?? 0).filter((f) => f.kind !== 'engine');
  }

  sentEvents(name?: string, mark?: Mark): Frame[] {
    return this.since(mark).filter((f) => f.dir === 'sent' && f.kind === 'event' && (!name || f.event === name));
  }

  receivedEvents(name?: string, mark?: Mark): Frame[] {
    return this.since(mark).filter((f) => f.dir === 'received' && f.kind === 'event' && (!name || f.event === name));
  }

  /** The ack the server sent for one of our frames that asked for one. */
  ackFor(sent: Frame): Frame | undefined {
    return this.frames.find(
      (f) => f.dir === 'received' && f.kind === 'ack' && f.socket === sent.socket && f.ackId === sent.ackId,
    );
  }

  requestsSince(mark?: Mark): RecordedRequest[] {
    return this.requests.slice(mark?.requests ?? 0);
  }

  /** Requests the contract forbids once the inbox has loaded: documents, fetch/XHR, EventSource, RSC, API. */
  forbiddenRequestsSince(mark: Mark): RecordedRequest[] {
    return this.requestsSince(mark).filter(isForbiddenRequest);
  }

  /** Resolves once nothing new was recorded for `quietMs` (bounded by `maxMs`): the page has settled. */
  async quiet(quietMs = 400, maxMs = 5_000): Promise<void> {
    const started = Date.now();
    let count = this.frames.length + this.requests.length;
    let lastChange = Date.now();
    while (Date.now() - lastChange < quietMs && Date.now() - started < maxMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = this.frames.length + this.requests.length;
      if (now !== count) {
        count = now;
        lastChange = Date.now();
      }
    }
  }

  toJSON(): unknown {
    return {
      startedAt: this.startedAt,
      sockets: this.sockets,
      requests: this.requests,
      frames: this.frames,
      undecodable: this.undecodable,
    };
  }
}
