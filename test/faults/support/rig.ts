// What a fault test with stores behind a cutting proxy starts, stopped after each test however it ended.
import { afterEach } from 'vitest';
import type { ServerProcess } from '../../support/server-process';
import { storeSet } from '../../support/stores';
import type { TcpProxy } from './tcp-proxy';

export function proxiedRig() {
  const stores = storeSet();
  let server: ServerProcess | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    stores.stopAll();
    await proxy?.close();
    await server?.dispose();
  });
  return {
    stores,
    /** The test's server: disposed after it. */
    server: (started: ServerProcess) => (server = started),
    /** The test's proxy: closed after it. */
    proxy: (started: TcpProxy) => (proxy = started),
  };
}
