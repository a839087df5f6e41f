// Two stores, Casey's and Wes's, against the project's real server (server/) on a fresh SQLite file:
// the listeners and the server agree on the protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conversationOpened,
  markCompleteRequested,
  messageQueued,
  selectConversationList,
  selectThread,
  type AppStore,
} from '../index';
import { CASEY, conversationTitled, Inbox, TITLES, until, WES } from '../test/inbox';

let server: Inbox;

const texts = (store: AppStore, id: number) => selectThread(store.getState(), id).messages.map((m) => m.message_text);

beforeAll(async () => {
  server = await Inbox.start();
});

afterAll(async () => {
  await server.close();
});

describe('the store against the real server', () => {
  it('loads, sends, receives live, counts unread and invalidates on mark complete', async () => {
    const casey = await server.store(CASEY, { debug: false });
    const wes = await server.store(WES, { debug: false });
    const sink = conversationTitled(casey, TITLES.sink);
    const fence = conversationTitled(casey, TITLES.fence);

    casey.dispatch(conversationOpened({ conversationId: sink }));
    await until(() => selectThread(casey.getState(), sink).loaded, 'the sink history');
    const history = texts(casey, sink).length;
    expect(history).toBeGreaterThanOrEqual(5);

    casey.dispatch(messageQueued({ conversationId: sink, text: 'Is Tuesday fine?' }));
    await until(() => selectThread(casey.getState(), sink).messages.at(-1)?.status === 'sent', 'the ack');

    wes.dispatch(messageQueued({ conversationId: fence, text: 'Which colour?' }));
    await until(() => casey.getState().conversations.byId[fence]!.unread_count > 0, 'the unread count');
    expect(selectConversationList(casey.getState())[0]!.id).toBe(fence);
    expect(casey.getState().messages.byConversation[fence]).toBeUndefined(); // never loaded: list only

    wes.dispatch(messageQueued({ conversationId: sink, text: 'Tuesday works.' }));
    await until(() => texts(casey, sink).at(-1) === 'Tuesday works.', 'the live message');
    expect(texts(casey, sink)).toHaveLength(history + 2);

    casey.dispatch(markCompleteRequested({ conversationId: sink }));
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
