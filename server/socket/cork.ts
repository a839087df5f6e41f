// One write per connection per turn of the event loop. engine.io writes each packet to its socket as it is
// emitted, a syscall each (writev was a third of the event loop's time at the fan-out's saturation, by
// its CPU profile): a commit answers a sender's 4 sends in one turn, and its acks and its counterpart's
// messages went out as 4 writes each. Corking the connection's TCP socket at the first packet of a turn and
// uncorking it after that turn's I/O callbacks sends them in one.
import type { Socket as TcpSocket } from 'node:net';
import type { InboxServer } from './types';

type Transport = { send: (packets: unknown[]) => void; socket?: { _socket?: TcpSocket } };

export function corkEachTurn(io: InboxServer): void {
  io.engine.on('connection', (connection: { transport: Transport }) => {
    const { transport } = connection;
    const tcp = transport.socket?._socket;
    if (!tcp) return;
    const send = transport.send.bind(transport);
    let corked = false;
    transport.send = (packets) => {
      if (!corked) {
        corked = true;
        tcp.cork();
        setImmediate(() => {
          corked = false;
          tcp.uncork();
        });
      }
      send(packets);
    };
  });
}
