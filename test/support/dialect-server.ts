// For a describe block per dialect: a real server on a fresh database of that dialect, started before its
// tests and stopped after them, with the sockets its tests open closed first.
import { afterAll, beforeAll } from 'vitest';
import type { DialectCase, TestDatabase } from './databases';
import { type ClientSocket, type Connected, connectAs } from './sockets';
import { startTestServer, type TestServer } from './test-server';

export type DialectServer = {
  /** The running server (after beforeAll). */
  readonly server: TestServer;
  /** Signs in (or uses the cookie) and connects a socket, closed after the block. */
  open: (who: string | { cookie: string }) => Promise<Connected>;
  /** Stops the server and starts a new one on the same database. */
  restart: () => Promise<void>;
};

export function serverOn(dialect: DialectCase): DialectServer {
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    database = await dialect.create();
    server = await startTestServer({ databaseUrl: database.url });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.stop();
    await database?.drop();
  });

  return {
    get server() {
      if (!server) throw new Error('the server starts in beforeAll');
      return server;
    },
    open: async (who) => {
      const connected = await connectAs(server!.url, who);
      sockets.push(connected.socket);
      return connected;
    },
    restart: async () => {
      await server!.stop();
      server = await startTestServer({ databaseUrl: database!.url });
    },
  };
}
