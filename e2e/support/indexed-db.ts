// What the browser keeps in IndexedDB, read from inside the page with the plain IndexedDB API (not the
// app's module): every database of the origin (`indexedDB.databases()`), every store, every record. Each
// database is closed again at once, so that reading never blocks the app's own upgrades or deletes.
import type { Page, WebSocketRoute } from '@playwright/test';
import type { Message } from '../../protocol';

export type DatabaseDump = { name: string; stores: Record<string, unknown[]> };

/**
 * The reading, as a string: run by `page.evaluate` as it is, so that no helper a TypeScript transform
 * adds to functions (tsx names them with `__name`) is missing in the page.
 */
const DUMP = `(async () => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const out = [];
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const open = indexedDB.open(name);
    // Gone meanwhile: do not create it.
    open.onupgradeneeded = () => open.transaction && open.transaction.abort();
    let db;
    try {
      db = await request(open);
    } catch {
      continue;
    }
    const stores = {};
    for (const store of Array.from(db.objectStoreNames)) {
      stores[store] = await request(db.transaction(store, 'readonly').objectStore(store).getAll());
    }
    db.close();
    out.push({ name, stores });
  }
  return out;
})()`;

export async function dumpIndexedDb(page: Page): Promise<DatabaseDump[]> {
  return (await page.evaluate(DUMP)) as DatabaseDump[];
}

/** The messages of one conversation as kept on disk (by seq), across the origin's inbox databases. */
export async function messagesOnDisk(page: Page, conversationId: number): Promise<Message[]> {
  const dumps = await dumpIndexedDb(page);
  return dumps
    .flatMap((d) => (d.stores.messages ?? []) as Message[])
    .filter((m) => m.conversation_id === conversationId)
    .sort((a, b) => a.seq - b.seq);
}

/** The texts of the messages waiting in the outbox on disk. */
export async function outboxOnDisk(page: Page): Promise<string[]> {
  const dumps = await dumpIndexedDb(page);
  return dumps.flatMap((d) => (d.stores.outbox ?? []) as Message[]).map((m) => m.message_text);
}

/**
 * Holds the page's socket off until `online()` is called; later connections then reach the server.
 * Playwright answers each WebSocket itself, never connecting to the server: with a frame engine.io cannot
 * parse, then a close, so the page sees the connection fail with an error, as it does when the server is
 * unreachable (a bare close while the handshake is pending would leave socket.io waiting for its
 * 20-second connect timeout).
 */
export async function holdSocketOff(page: Page): Promise<{ online: () => void }> {
  let offline = true;
  await page.routeWebSocket(/\/ws\/inbox\//, (ws: WebSocketRoute) => {
    if (!offline) return void ws.connectToServer();
    ws.send('unreachable');
    void ws.close();
  });
  return { online: () => void (offline = false) };
}
