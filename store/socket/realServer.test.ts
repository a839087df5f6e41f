// Two stores, Casey's and Wes's, against the project's real server (server/) on a fresh SQLite file:
// the middleware and the server agree on the protocol.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CASEY, signIn, startTestServer, WES, type TestServer } from '../../server/test/helpers';
import {
  conversationOpened,
  inboxStarted,
  inboxStopped,
  jobMarkedComplete,
  makeStore,
  messageSent,
  selectConversationList,
  selectConversationsLoaded,
  selectThread,
  type AppStore,
} from '../index';

let server: TestServer;
const stores: AppStore[] = [];

async function until(condition: () => boolean, what: string): Promise<void> {
  await vi.waitFor(() => {
    if (!condition()) throw new Error(`waiting for ${what}`);
  }, { timeout: 15_000, interval: 10 });
}

async function signedIn(email: string): Promise<AppStore> {
  const cookie = await signIn(server.url, email);
  const store = makeStore({ socket: { url: server.url, headers: { cookie } } });
  stores.push(store);
  store.dispatch(inboxStarted());
  await until(() => selectConversationsLoaded(store.getState()), `${email}'s conversations`);
  return store;
}

const idOf = (store: AppStore, title: string) =>
  selectConversationList(store.getState()).find((c) => c.job.title === title)!.id;
const texts = (store: AppStore, id: number) => selectThread(store.getState(), id).messages.map((m) => m.message_text);

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const store of stores) store.dispatch(inboxStopped());
  await server.stop();
});

describe('the store against the real server', () => {
  it('loads, sends, receives live, counts unread and invalidates on mark complete', async () => {
    const casey = await signedIn(CASEY);
    const wes = await signedIn(WES);
    const sink = idOf(casey, 'Fix my sink');
    const fence = idOf(casey, 'Paint the fence');

    casey.dispatch(conversationOpened({ conversationId: sink }));
    await until(() => selectThread(casey.getState(), sink).loaded, 'the sink history');
    const history = texts(casey, sink).length;
    expect(history).toBeGreaterThanOrEqual(5);

    casey.dispatch(messageSent({ conversationId: sink, text: 'Is Tuesday fine?' }));
    await until(() => selectThread(casey.getState(), sink).messages.at(-1)?.status === 'sent', 'the ack');

    wes.dispatch(messageSent({ conversationId: fence, text: 'Which colour?' }));
    await until(() => casey.getState().conversations.byId[fence]!.unread_count > 0, 'the unread count');
    expect(selectConversationList(casey.getState())[0]!.id).toBe(fence);
    expect(casey.getState().messages.byConversation[fence]).toBeUndefined(); // never loaded: list only

    wes.dispatch(messageSent({ conversationId: sink, text: 'Tuesday works.' }));
    await until(() => texts(casey, sink).at(-1) === 'Tuesday works.', 'the live message');
    expect(texts(casey, sink)).toHaveLength(history + 2);

    casey.dispatch(jobMarkedComplete({ conversationId: sink }));
    await until(() => casey.getState().conversations.byId[sink]!.job.clientMarkedComplete, 'the job update');
    await until(() => !selectThread(casey.getState(), sink).loaded, 'the invalidation');
    expect(texts(casey, sink).length).toBeGreaterThanOrEqual(history + 2); // still on screen

    casey.dispatch(conversationOpened({ conversationId: fence }));
    await until(() => selectThread(casey.getState(), fence).loaded, 'the fence history');
    casey.dispatch(conversationOpened({ conversationId: sink }));
    await until(() => selectThread(casey.getState(), sink).loaded, 'the fresh sink history');
    expect(texts(casey, sink).at(-1)).toMatch(/complete/i);
  });
});
