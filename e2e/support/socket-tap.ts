// Sits between a page and the real server on the inbox socket (Playwright's routeWebSocket), so a test
// can make states that are otherwise slow or racy to reach: a send the server refuses (a failed message
// at once, instead of after the outbox's retries run out), a history that does not come yet (the
// loading placeholder held on screen), a page cut off for good (offline). Everything else passes
// through unchanged, both ways.
import type { Page, WebSocketRoute } from '@playwright/test';
import type { ErrorCode } from '../../protocol';
import { decodeFrame, type DecodedFrame } from '../../test/support/socket-frames';

type Refusal = { match: (text: string) => boolean; code: ErrorCode };

function sentText(frame: DecodedFrame): string | null {
  if (frame.kind !== 'event' || frame.event !== 'send_message') return null;
  const payload = frame.payload as { message?: unknown } | undefined;
  return typeof payload?.message === 'string' ? payload.message : null;
}

export class SocketTap {
  private readonly refusals: Refusal[] = [];
  private readonly heldEvents = new Set<string>();
  private readonly held: { server: WebSocketRoute; raw: string }[] = [];
  private readonly sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  private cutOff = false;
  /** Sends answered with an error ack instead of reaching the server. */
  refused = 0;

  private constructor() {}

  /** Taps every inbox socket the page opens from now on (install it before the page connects). */
  static async on(page: Page): Promise<SocketTap> {
    const tap = new SocketTap();
    await page.routeWebSocket(/\/ws\/inbox\//, (ws) => tap.attach(ws));
    return tap;
  }

  /** The next `send_message` whose text matches is answered `{ok: false, error: {code}}`, once. */
  refuseNextSend(match: (text: string) => boolean, code: ErrorCode = 'forbidden'): void {
    this.refusals.push({ match, code });
  }

  /** Keeps the page's frames of this event (e.g. `get_messages`) from the server until `release()`. */
  hold(event: string): void {
    this.heldEvents.add(event);
  }

  release(): void {
    this.heldEvents.clear();
    for (const { server, raw } of this.held.splice(0)) server.send(raw);
  }

  /** Closes the page's socket and refuses every reconnect from then on: the page stays offline. */
  async goOffline(): Promise<void> {
    this.cutOff = true;
    const closing = this.sockets.splice(0).flatMap(({ page, server }) => [page.close(), server.close()]);
    await Promise.all(closing.map((closed) => closed.catch(() => undefined)));
  }

  private attach(ws: WebSocketRoute): void {
    if (this.cutOff) return void ws.close();
    const server = ws.connectToServer();
    this.sockets.push({ page: ws, server });
    ws.onMessage((message) => {
      const raw = typeof message === 'string' ? message : message.toString('utf8');
      const frame = decodeFrame(raw);
      const text = sentText(frame);
      const refusal = text === null ? -1 : this.refusals.findIndex((r) => r.match(text));
      if (refusal >= 0 && frame.ackId !== undefined) {
        const [{ code }] = this.refusals.splice(refusal, 1) as [Refusal];
        this.refused += 1;
        ws.send(`43${frame.ackId}${JSON.stringify([{ ok: false, error: { code, message: `refused by the test (${code})` } }])}`);
        return;
      }
      if (frame.kind === 'event' && frame.event !== undefined && this.heldEvents.has(frame.event)) {
        this.held.push({ server, raw });
        return;
      }
      server.send(message);
    });
  }
}
