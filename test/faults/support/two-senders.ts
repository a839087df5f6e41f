// The scenario the restart and cut-connection tests share: Casey's and Wes's real stores each queue
// `perClient` messages into one conversation at once (the outbox sends them as fast as acks allow) while
// a fault is injected; afterwards the database and both caches must hold every message exactly once.
import { expect } from 'vitest';
import type { ServerProcess } from '../../support/server-process';
import { CASEY, signIn, WES } from '../../support/sign-in';
import { conversationTitled, loadWholeHistory, openThread, type StoreSet, threadMessages } from '../../support/stores';
import { settled } from '../../support/until';
import { messageQueued, type AppStore, type StoreOptions } from '../../../store';
import { expectExactlyOnce, readConversation, sized, type Tally } from './exactly-once';

/** How long the last messages may take to be confirmed: every send and every read mark is a synced
 *  commit (~150/s on this disk), and a loaded machine is slower still. */
const SETTLE_MS = sized(180_000, 900_000);

export type TwoSenders = {
  server: ServerProcess;
  stores: StoreSet;
  /** Where the stores' sockets connect: the server itself or a proxy in front of it. */
  socketUrl: string;
  perClient: number;
  outbox?: StoreOptions['outbox'];
  /** Injects the fault; `confirmed()` counts the messages acked so far out of `total`. */
  whileSending: (confirmed: () => number, total: number) => Promise<void>;
  /** Runs once every sender's message is confirmed, before the caches are checked. */
  afterSending?: () => void;
};

export async function twoSenders(run: TwoSenders): Promise<Tally> {
  const { server, sink, casey, wes } = await enter(run);
  const texts = { casey: [] as string[], wes: [] as string[] };
  for (let i = 0; i < run.perClient; i += 1) {
    for (const [who, store] of [['casey', casey], ['wes', wes]] as const) {
      const text = `${who} ${i}`;
      texts[who].push(text);
      store.dispatch(messageQueued({ conversationId: sink, text }));
    }
  }
  const sent = [...texts.casey, ...texts.wes];
  const wanted = new Set(sent);
  const ours = (store: AppStore) => threadMessages(store, sink).filter((m) => wanted.has(m.message_text));
  const confirmed = (store: AppStore) => ours(store).filter((m) => m.status === 'sent').length;
  const unconfirmed = () => [...ours(casey), ...ours(wes)].filter((m) => m.status !== 'sent');

  const everFailed = watchFailures([casey, wes], sink);

  await run.whileSending(() => confirmed(casey) + confirmed(wes), sent.length);
  await settled(() => unconfirmed().length === 0, SETTLE_MS);
  expect(unconfirmed().map((m) => `${m.message_text}: ${m.status}`), 'messages never confirmed').toEqual([]);
  run.afterSending?.();
  // A reconnect that missed more than a page gets the latest page instead: scroll back to the start.
  await loadWholeHistory(casey, sink, SETTLE_MS);
  await loadWholeHistory(wes, sink, SETTLE_MS);
  await settled(() => confirmed(casey) === sent.length && confirmed(wes) === sent.length);

  // Not even for a moment may a message look lost: no `failed` with its Retry button along the way.
  expect([...everFailed], 'messages shown as failed').toEqual([]);
  const rows = readConversation(server.dbPath, sink);
  const tally = expectExactlyOnce(sent, rows, { casey: threadMessages(casey, sink), wes: threadMessages(wes, sink) });
  for (const [who, mine] of Object.entries(texts)) {
    const own = new Set(mine);
    expect(rows.filter((r) => own.has(r.text)).map((r) => r.text), `${who}'s messages in send order`).toEqual(mine);
  }
  return tally;
}

async function enter({ server, stores, socketUrl, outbox }: TwoSenders) {
  const casey = await stores.open(await signIn(server.url, CASEY), socketUrl, { outbox });
  const wes = await stores.open(await signIn(server.url, WES), socketUrl, { outbox });
  const sink = conversationTitled(casey, 'Fix my sink');
  await openThread(casey, sink);
  await openThread(wes, sink);
  return { server, sink, casey, wes };
}

/** Every optimistic message that was ever `failed` in any of the stores (checked after each action). */
function watchFailures(stores: AppStore[], conversationId: number): Set<string> {
  const failed = new Set<string>();
  for (const store of stores) {
    let seen: unknown;
    store.subscribe(() => {
      const t = store.getState().messages.byConversation[conversationId];
      if (t === undefined || t === seen) return;
      seen = t;
      for (const id of t.localIds) if (t.entities[id]?.status === 'failed') failed.add(t.entities[id]!.message_text);
    });
  }
  return failed;
}
