// kill -9 of the server the moment a burst of acks has arrived: after a restart every acked message is in
// the database with the seq and text its ack gave (synchronous=FULL: acked means committed to disk).
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { ServerProcess } from '../support/server-process';
import { SOCKET_LIMITS } from '../../server/socket/limits';
import { CASEY, WES } from '../support/sign-in';
import { connectAs, type Connected, titled } from '../support/sockets';
import { readConversation, reportFigures, sized } from './support/exactly-once';

const KILLS = sized(2, 10);
// Each socket pipelines no more sends than the server holds for one socket (beyond them: rate_limited, never
// acked, and the kill would wait for acks that cannot come); the full run uses more sockets instead.
const SOCKETS = sized(4, 12);
const PER_SOCKET = Math.min(60, SOCKET_LIMITS.queuedFrames);

let server: ServerProcess | undefined;
const open: Connected[] = [];

afterEach(async () => {
  for (const { socket } of open.splice(0)) socket.close();
  await server?.dispose();
});

/** Every socket pipelines its sends; the server is SIGKILLed from inside the ack that reaches `killAt`. */
function sendUntilKilled(running: ServerProcess, sockets: Connected[], conversationId: number, killAt: number, acked: Message[]) {
  let killed = false;
  return new Promise<void>((resolve) => {
    for (const [s, { socket }] of sockets.entries()) {
      for (let i = 0; i < PER_SOCKET; i += 1) {
        const payload = { conversation_id: conversationId, message: `k${running.starts} s${s} m${i}`, type: 'TEXT' as const, client_id: randomUUID() };
        socket.emit('send_message', payload, (ack) => {
          if (!ack.ok) return;
          // An ack that arrives after the signal was still sent by the server: it counts too.
          acked.push(ack.message);
          if (killed || acked.length < killAt) return;
          killed = true;
          resolve(void running.stop('SIGKILL'));
        });
      }
    }
  });
}

it(`keeps every acked message across ${KILLS} kill -9s`, async () => {
  const running = await ServerProcess.fresh({ env: { RATE_LIMIT_PER_SOCKET: '100000' } });
  server = running;
  await running.start();
  const acked: Message[] = [];
  for (let k = 0; k < KILLS; k += 1) {
    const sockets = await Promise.all([...Array(SOCKETS).keys()].map((i) => connectAs(running.url, i % 2 === 0 ? CASEY : WES)));
    open.push(...sockets);
    const sink = titled(sockets[0]!.conversations, 'Fix my sink').id;
    // Killed partway: some sends are acked, the rest are on their way or not yet read by the server.
    await sendUntilKilled(running, sockets, sink, acked.length + (SOCKETS * PER_SOCKET) / 2, acked);
    await running.stop();
    for (const { socket } of open.splice(0)) socket.close();
    await running.start();

    const stored = readConversation(running.dbPath, sink);
    const rows = new Map(stored.map((r) => [r.client_id, r]));
    const lost = acked.filter((m) => rows.get(m.client_id)?.seq !== m.seq || rows.get(m.client_id)?.text !== m.message_text);
    expect(lost.map((m) => `${m.seq}: ${m.message_text}`), `acked but not stored after kill ${k + 1}`).toEqual([]);
    expect(stored.map((r) => r.seq), 'gapless seqs').toEqual(stored.map((_, i) => i + 1));
  }
  reportFigures('kill -9 after acks', { acked: acked.length, lost: 0, kills: KILLS });
}, sized(180_000, 900_000));
