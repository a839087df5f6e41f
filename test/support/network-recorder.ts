// What the browser's network tab shows for one page: every request and every WebSocket frame, decoded.
// Times are Date.now() in the test process when Playwright reports the event.
import type { Page } from '@playwright/test';
import { decodeFrame, type DecodedFrame } from './socket-frames';

export type Frame = DecodedFrame & { dir: 'sent' | 'received'; t: number; socket: number };
export type RecordedRequest = { type: string; method: string; url: string; t: number };
export type RecordedSocket = { url: string; t: number };
/** A checkpoint: what had been recorded when it was taken. */
export type Mark = { frames: number; requests: number; t: number };

/** Resource types that mean "the page went back to the server" (CONTRACT section 3). */
const FORBIDDEN_TYPES = new Set(['document', 'fetch', 'xhr', 'eventsource']);

export class NetworkRecorder {
  readonly frames: Frame[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly sockets: RecordedSocket[] = [];
  /** Frames that could not be decoded: each one is a protocol violation worth reporting. */
  readonly undecodable: { raw: string; error: string }[] = [];

  constructor(page: Page) {
    page.on('request', (request) => {
      this.requests.push({
        type: request.resourceType(),
        method: request.method(),
        url: request.url(),
        t: Date.now(),
      });
    });
    page.on('websocket', (ws) => {
      const socket = this.sockets.push({ url: ws.url(), t: Date.now() }) - 1;
      const record = (dir: Frame['dir'], payload: string | Buffer): void => {
        const raw = typeof payload === 'string' ? payload : payload.toString('utf8');
        try {
          this.frames.push({ ...decodeFrame(raw), dir, t: Date.now(), socket });
        } catch (error) {
          this.undecodable.push({ raw: raw.slice(0, 200), error: String(error) });
        }
      };
      ws.on('framesent', ({ payload }) => record('sent', payload));
      ws.on('framereceived', ({ payload }) => record('received', payload));
    });
  }

  mark(): Mark {
    return { frames: this.frames.length, requests: this.requests.length, t: Date.now() };
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
    return this.requestsSince(mark).filter((r) => {
      const url = new URL(r.url);
      return FORBIDDEN_TYPES.has(r.type) || url.searchParams.has('_rsc') || url.pathname.startsWith('/api/');
    });
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
    return { sockets: this.sockets, requests: this.requests, frames: this.frames, undecodable: this.undecodable };
  }
}
