// Typing, a side load (side-process.ts): one more socket for each person given (a second tab), each
// sending `typing` into its conversation every `everyMs`, at its own offset, in the on phases only
// (`phaseAt`, the load generator's clock). The server relays each to every socket of the counterpart: the
// generator's and this process's.
// Run: `node --import tsx bench/load/typists.ts` (see side-process.ts).
import { connectClient, type Client } from '../socket';
import { ready, sideProcess } from './side-process';
import { phaseAt, type TypistsResult, type TypistsSpec } from './spec';

await sideProcess<TypistsSpec, TypistsResult>(async (spec, stopped) => {
  const result: TypistsResult = { sent: 0, received: 0 };
  const sockets: Client[] = await Promise.all(spec.typists.map((t) => connectClient(spec.url, { cookie: t.cookie })));
  const timers: NodeJS.Timeout[] = [];
  for (const [i, socket] of sockets.entries()) {
    const { conversationId } = spec.typists[i]!;
    socket.on('typing', () => void (result.received += 1));
    const type = () => {
      if (!phaseAt(Date.now(), spec.phaseMs).on) return;
      result.sent += 1;
      socket.emit('typing', { conversation_id: conversationId });
    };
    timers.push(setTimeout(() => timers.push(setInterval(type, spec.everyMs)), (i / sockets.length) * spec.everyMs));
  }
  ready();
  await stopped;
  for (const timer of timers) clearInterval(timer);
  for (const socket of sockets) socket.close();
  return result;
});
