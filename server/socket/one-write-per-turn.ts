// One write per connection per turn of the event loop. engine.io writes each packet to the connection as it
// is emitted, a syscall each (writev was a third of the event loop's time at the fan-out's saturation, by its
// CPU profile), and a commit answers a sender's sends in one turn: their acks, and the counterpart's
// messages, went out as one write each. Here a connection's packets wait in engine.io's buffer until the
// end of the turn and leave in one write (the TCP socket corked while the transport writes them).
import type { Socket as TcpSocket } from 'node:net';
import type { InboxServer } from './types';

type Connection = { flush: () => void; transport: { send: (packets: unknown[]) => void; socket?: { _socket?: TcpSocket } } };

export function oneWritePerTurn(io: InboxServer): void {
  io.engine.on('connection', (connection: Connection) => {
    const { transport } = connection;
    const tcp = transport.socket?._socket;
    if (!tcp) return;
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      tcp.cork();
      send(packets);
      tcp.uncork();
    };
    const flush = connection.flush.bind(connection);
    let due = false;
    connection.flush = () => {
      if (due) return;
      due = true;
      setImmediate(() => {
        due = false;
        flush();
      });
    };
  });
}
