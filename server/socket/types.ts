// The typed socket.io server and socket of the inbox.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol';
import type { SessionUser } from '../db/sessions';

/** Kept on the server side of each socket; never sent in a frame. */
export type SocketData = { user: SessionUser };

type NoInterServerEvents = {};

export type InboxServer = Server<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;
export type InboxSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>;
