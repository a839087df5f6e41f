// Casey in two tabs (two stores, one session) and Wes in one: a message sent from either of Casey's tabs
// shows once in both of hers, confirmed, and once in Wes's, all in the same order.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CASEY, signIn, WES } from '../support/sign-in';
import { conversationTitled, openThread, storeSet, threadMessages } from '../support/stores';
import { startTestServer, type TestServer } from '../support/test-server';
import { until } from '../support/until';
import { messageQueued, type AppStore } from '../../store';
import { reportFigures, tally } from './support/exactly-once';

const ROUNDS = 10;

const stores = storeSet();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  stores.stopAll();
  await server.stop();
});

it('shows a message sent from either of two tabs once in each tab and once on the other side', async () => {
  const caseyCookie = await signIn(server.url, CASEY);
  const tabs = [await stores.open(caseyCookie, server.url), await stores.open(caseyCookie, server.url)] as const;
  const wes = await stores.open(await signIn(server.url, WES), server.url);
  const sink = conversationTitled(wes, 'Fix my sink');
  for (const store of [...tabs, wes]) await openThread(store, sink);

  const sent: string[] = [];
  const texts = (store: AppStore) => threadMessages(store, sink).map((m) => m.message_text);
  const holdsAll = (store: AppStore) => sent.every((t) => texts(store).includes(t)) && threadMessages(store, sink).every((m) => m.status === 'sent');
  for (let i = 0; i < ROUNDS; i += 1) {
    // Alternate tabs, and sometimes both at once.
    const from = i % 3 === 2 ? tabs : [tabs[i % 2]!];
    for (const [t, tab] of from.entries()) {
      const text = `tab ${t} round ${i}`;
      sent.push(text);
      tab.dispatch(messageQueued({ conversationId: sink, text }));
    }
    await until(() => [...tabs, wes].every(holdsAll), `round ${i} everywhere`);
  }
  const order = texts(wes);
  for (const [who, store] of [['tab 1', tabs[0]], ['tab 2', tabs[1]], ['wes', wes]] as const) {
    expect(tally(sent, texts(store)), who).toEqual({ sent: sent.length, lost: 0, duplicated: 0 });
    expect(texts(store), `${who}'s order`).toEqual(order);
  }
  expect(threadMessages(wes, sink).filter((m) => sent.includes(m.message_text)).every((m) => !m.is_mine)).toBe(true);
  expect(threadMessages(tabs[1], sink).filter((m) => sent.includes(m.message_text)).every((m) => m.is_mine)).toBe(true);
  reportFigures('multi-tab', { tabs: 2, ...tally(sent, texts(wes)) });
}, 60_000);
