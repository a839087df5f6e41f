// A WebSocket speaking engine.io v4 / socket.io v4 by hand, for what a browser's client never does: send a
// second CONNECT, stop reading, keep a refused connection open. It answers pings until told to stop reading.
import WebSocket from 'ws';
import { SOCKET_PATH } from '../../protocol';
import { decodeFrame, type DecodedFrame } from './socket-frames';
import { until } from './until';

export class RawSocket {
  /** Every socket.io frame received, decoded (engine.io keep-alives left out). */
  readonly frames: DecodedFrame[] = [];
  /** Resolves with the close code once the connection has closed, whoever closed it. */
  readonly closed: Promise<number>;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const raw = data.toString();
      if (raw === '2') return ws.send('3'); // ping → pong
      const frame = decodeFrame(raw);
      if (frame.kind !== 'engine') this.frames.push(frame);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => {}); // a reset is seen as 'close'
  }

  /** Opens the WebSocket as the browser's client does (engine.io's `open` packet received). */
  static async open(url: string, cookie: string | null): Promise<RawSocket> {
    const address = `${url.replace(/^http/, 'ws')}${SOCKET_PATH}?EIO=4&transport=websocket`;
    const ws = new WebSocket(address, { headers: cookie ? { cookie } : {} });
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('message', (data) => (data.toString().startsWith('0') ? resolve() : reject(new Error(`unexpected ${data.toString()}`))));
      ws.once('error', reject);
    });
    const socket = new RawSocket(ws);
    await opened;
    return socket;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one engine.io packet as it is, e.g. `40` (socket.io CONNECT) or `41` (leave the namespace). */
  sendRaw(packet: string): void {
    this.ws.send(packet);
  }

  /** Sends socket.io's CONNECT to the main namespace. */
  sendConnect(): void {
    this.sendRaw('40');
  }

  /** Sends CONNECT and resolves with `connect` or the connect_error message. */
  async connect(timeoutMs = 10_000): Promise<string> {
    const seen = this.frames.length;
    this.sendConnect();
    let answer: DecodedFrame | undefined;
    await until(() => (answer = this.frames.slice(seen).find((f) => f.kind === 'connect' || f.kind === 'connect_error')) !== undefined, 'the CONNECT answer', timeoutMs);
    return answer!.kind === 'connect' ? 'connect' : (answer!.payload as { message: string }).message;
  }

  emit(event: string, payload: unknown): void {
    this.sendRaw(`42${JSON.stringify([event, payload])}`);
  }

  /** Stops reading: the kernel's buffers fill, then the server's. Pings go unanswered too. */
  stopReading(): void {
    this.ws.pause();
  }

  /** Ends the TCP connection at once (no close handshake). */
  terminate(): void {
    this.ws.terminate();
  }

  events(name: string): DecodedFrame[] {
    return this.frames.filter((f) => f.kind === 'event' && f.event === name);
  }
}
