// The one socket of a store, kept here and not in the state (a socket is not serializable), and the one
// way frames leave the browser. The offline policy, the same for every emit: a frame goes out only on a
// connected socket. What could not go out, or was lost with a connection, stays recorded in the state (a
// thread loading, a pending message, a job being marked, a read mark) and its listener sends it again on
// `socketConnected`; socket.io's own buffer is never used.
import type { Dispatch, UnknownAction } from '@reduxjs/toolkit';
import type { ClientEventName, ClientToServerEvents } from '../../protocol';
import { SERVER_EVENTS } from '../../protocol/types';
import { socketAuthFailed, socketConnected, socketDisconnected } from '../events';
import type { RootState } from '../reducer';
import { openSocket, type InboxSocket, type SocketOptions } from './client';
import { frameActions } from './frames';

type Emitted = { [E in ClientEventName]: Parameters<ClientToServerEvents[E]> };
type Payload<E extends ClientEventName> = Emitted[E][0];
/** Events the server answers with an ack, and the ack they get. */
type AckedEvent = {
  [E in ClientEventName]: Emitted[E] extends [unknown, (ack: never) => void] ? E : never;
}[ClientEventName];
type UnackedEvent = Exclude<ClientEventName, AckedEvent>;
type AckOf<E extends AckedEvent> = Parameters<Emitted[E][1]>[0];

/** How an acked request ended: answered, not sent (offline), lost with the connection, or unanswered. */
export type Answer<T> = { kind: 'ack'; ack: T } | { kind: 'offline' } | { kind: 'lost' } | { kind: 'timeout' };

export type SocketLink = {
  /** Opens the socket (once) and wires it to the store: frames through the frame table, lifecycle events. */
  open: (dispatch: Dispatch<UnknownAction>, getState: () => RootState) => void;
  close: () => void;
  /** Connects again after the server hung up (socket.io leaves that to us). */
  reconnect: () => void;
  connected: () => boolean;
  /** Sends a frame now if connected; false when it was not sent. */
  send: <E extends UnackedEvent>(event: E, payload: Payload<E>) => boolean;
  /** Sends a frame now if connected and waits for its ack, at most `timeoutMs`. */
  request: <E extends AckedEvent>(event: E, payload: Payload<E>, timeoutMs: number) => Promise<Answer<AckOf<E>>>;
};

export function createSocketLink(options: SocketOptions): SocketLink {
  let socket: InboxSocket | null = null;
  const live = (): InboxSocket | null => (socket?.connected ? socket : null);

  return {
    open(dispatch, getState) {
      if (socket !== null) return;
      const s = openSocket(options);
      socket = s;
      for (const event of SERVER_EVENTS) {
        const toAction = frameActions[event] as (payload: unknown, state: RootState) => UnknownAction;
        s.on(event, ((payload: unknown) => dispatch(toAction(payload, getState()))) as never);
      }
      s.on('connect', () => dispatch(socketConnected()));
      s.on('disconnect', (reason) => dispatch(socketDisconnected({ reason })));
      s.on('connect_error', (err) =>
        dispatch(err.message === 'unauthorized' ? socketAuthFailed() : socketDisconnected({ reason: 'connect_error' })),
      );
    },
    close() {
      socket?.removeAllListeners();
      socket?.close();
      socket = null;
    },
    reconnect() {
      if (socket !== null && !socket.connected) socket.connect();
    },
    connected: () => live() !== null,
    send(event, payload) {
      const s = live();
      if (s === null) return false;
      (s as unknown as { emit: (event: string, payload: unknown) => void }).emit(event, payload);
      return true;
    },
    request(event, payload, timeoutMs) {
      const s = live();
      if (s === null) return Promise.resolve({ kind: 'offline' });
      return new Promise((resolve) => {
        const timed = s.timeout(timeoutMs) as unknown as {
          emit: (event: string, payload: unknown, ack: (err: Error | null, ack: never) => void) => void;
        };
        timed.emit(event, payload, (err, ack) => {
          if (err === null) resolve({ kind: 'ack', ack });
          // socket.io answers every pending ack with an error when the connection drops.
          else resolve(s.connected ? { kind: 'timeout' } : { kind: 'lost' });
        });
      });
    },
  };
}
