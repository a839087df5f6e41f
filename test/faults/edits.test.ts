// Two real stores edit and delete their own messages in one conversation while a TCP proxy cuts their
// connections at random points (seeded; also between a change reaching the server and its ack, and
// swallowing the server's last frame, a `message_updated` among them) and the server restarts: afterwards
// the database and both caches hold the same texts, tombstones and revisions, every message as its sender
// last left it, and no change was ever shown as refused.
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { messageDeleteRequested, messageEditRequested, messageQueued, type AppStore } from '../../store';
import { ServerProcess } from '../support/server-process';
import { CASEY, signIn, WES } from '../support/sign-in';
import { conversationTitled, loadWholeHistory, openThread, threadMessages } from '../support/stores';
import { settled, until } from '../support/until';
import { reportFigures, sized } from './support/exactly-once';
import { runSeed, seeded } from './support/prng';
import { proxiedRig } from './support/rig';
import { TcpProxy } from './support/tcp-proxy';

const PER_CLIENT = sized(20, 100);
const ROUNDS = sized(60, 400);
const SETTLE_MS = sized(120_000, 600_000);

type Row = { id: string; seq: number; text: string; deleted: boolean; rev: number };

/** The conversation as stored, read straight from the SQLite file, and its revision. */
function readStored(dbPath: string, conversationId: number): { rows: Row[]; rev: number } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT public_id AS id, seq, text, deleted, rev FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(conversationId) as (Omit<Row, 'deleted'> & { deleted: number })[];
    const { rev } = db.prepare('SELECT rev FROM conversations WHERE id = ?').get(conversationId) as { rev: number };
    return { rows: rows.map((r) => ({ ...r, deleted: r.deleted === 1 })), rev };
  } finally {
    db.close();
  }
}

const cached = (store: AppStore, id: number): Row[] =>
  threadMessages(store, id).map((m) => ({ id: m.id, seq: m.seq!, text: m.message_text, deleted: m.deleted, rev: m.rev }));

const pendingChanges = (store: AppStore, id: number) => Object.keys(store.getState().messages.byConversation[id]?.changes ?? {}).length;

/** Every change that was ever refused in any of the stores (checked after each action). */
function watchRefusals(stores: AppStore[], id: number): string[] {
  const refused: string[] = [];
  for (const store of stores) {
    let seen: unknown;
    store.subscribe(() => {
      const changes = store.getState().messages.byConversation[id]?.changes;
      if (changes === undefined || changes === seen) return;
      seen = changes;
      for (const [messageId, c] of Object.entries(changes)) if (c.status === 'refused') refused.push(`${messageId}: ${c.error?.code}`);
    });
  }
  return refused;
}

const rig = proxiedRig();
const { stores } = rig;

it(`keeps ${ROUNDS} rounds of edits and deletes by two stores the same everywhere through cut connections and a restart`, async () => {
  const seed = runSeed();
  const random = seeded(seed);
  const running = rig.server(await ServerProcess.fresh({ env: { RATE_LIMIT_PER_SOCKET: '100000' } }));
  await running.start();
  const cutter = rig.proxy(await TcpProxy.start(running.port));
  // A dropped ack is retried after the ack timeout: shortened so the run stays quick.
  const outbox = { ackTimeoutMs: 1000, maxAttempts: 30 };
  const people = [
    { who: 'casey', store: await stores.open(await signIn(running.url, CASEY), cutter.url, { outbox }) },
    { who: 'wes', store: await stores.open(await signIn(running.url, WES), cutter.url, { outbox }) },
  ];
  const sink = conversationTitled(people[0]!.store, 'Fix my sink');
  for (const { store } of people) await openThread(store, sink);

  // Each sends its messages, on a quiet line.
  for (const { who, store } of people) {
    for (let i = 0; i < PER_CLIENT; i++) store.dispatch(messageQueued({ conversationId: sink, text: `${who} ${i}` }));
  }
  const sentBy = (who: string, store: AppStore) =>
    threadMessages(store, sink).filter((m) => m.is_mine && m.seq !== null && m.message_text.startsWith(`${who} `));
  await until(() => people.every(({ who, store }) => sentBy(who, store).length === PER_CLIENT), 'the messages sent', SETTLE_MS);
  /** By message id: what its sender last asked for. */
  const wanted = new Map<string, { text: string; deleted: boolean }>();
  const own = new Map(people.map(({ who, store }) => [who, sentBy(who, store).map((m) => m.id)]));
  const refused = watchRefusals(people.map((p) => p.store), sink);

  // Then they change them, while the line is cut at random and the server restarts halfway.
  cutter.setChaos({ random: seeded(seed + 1), cutChance: 0.01, swallowChance: 0.5, ackCutChance: 0.05, ackDropChance: 0.05 });
  let restarted: Promise<void> | undefined;
  let edits = 0;
  let deletes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const { who, store } of people) {
      const alive = own.get(who)!.filter((id) => !wanted.get(id)?.deleted);
      const id = alive[Math.floor(random() * alive.length)];
      if (id === undefined) continue;
      if (random() < 0.2) {
        wanted.set(id, { text: '', deleted: true });
        store.dispatch(messageDeleteRequested({ conversationId: sink, messageId: id }));
        deletes += 1;
      } else {
        const text = `${who} edit ${round}`;
        wanted.set(id, { text, deleted: false });
        store.dispatch(messageEditRequested({ conversationId: sink, messageId: id, text }));
        edits += 1;
      }
    }
    if (round === Math.floor(ROUNDS / 2)) restarted = running.restart('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 5 + random() * 40));
  }
  await restarted;

  // Every change settles: acked (a retry of one already stored changes nothing), none refused.
  await settled(() => people.every(({ store }) => pendingChanges(store, sink) === 0), SETTLE_MS);
  cutter.setChaos(null);
  expect(people.map(({ store }) => pendingChanges(store, sink)), 'changes never settled').toEqual([0, 0]);
  expect(refused, 'changes shown as refused').toEqual([]);

  const stored = readStored(running.dbPath, sink);
  for (const [id, want] of wanted) {
    expect(stored.rows.find((r) => r.id === id), `message ${id} as its sender left it`).toMatchObject(want);
  }
  // Both caches hold exactly what the database holds (a reconnect that missed much got the latest page:
  // scroll back to the start), and know the conversation's revision.
  for (const { who, store } of people) {
    await loadWholeHistory(store, sink, SETTLE_MS);
    await settled(() => JSON.stringify(cached(store, sink)) === JSON.stringify(stored.rows) && store.getState().messages.byConversation[sink]!.rev === stored.rev, SETTLE_MS);
    expect(cached(store, sink), `${who}'s cache`).toEqual(stored.rows);
    expect(store.getState().messages.byConversation[sink]!.rev, `${who}'s revision`).toBe(stored.rev);
  }
  const tombstones = stored.rows.filter((r) => r.deleted);
  expect(tombstones.every((r) => r.text === '')).toBe(true);
  reportFigures('edits and deletes through cuts and a restart', {
    seed,
    edits,
    deletes,
    rev: stored.rev,
    tombstones: tombstones.length,
    restarts: 1,
    ...cutter.counts,
  });
}, sized(300_000, 1_200_000));
