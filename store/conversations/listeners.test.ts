// "Mark complete" against the real server: a refusal and a missing answer are kept for the page to show,
// and a request made offline goes out once when the connection is back (no socket.io buffer).
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../test/support/server-process';
import { signIn } from '../../test/support/sign-in';
import {
  inboxStarted,
  inboxStopped,
  makeStore,
  markCompleteRequested,
  selectConnectionState,
  selectConversationsLoaded,
  selectMarkCompleteRequest,
  type AppStore,
} from '../index';
import { CASEY, conversationTitled, inboxPerTest, openThread, TITLES, until, WES } from '../test/inbox';

const each = inboxPerTest();
let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const clean of cleanups.reverse()) await clean();
  cleanups = [];
});

const markedByMe = (store: AppStore, id: number) => store.getState().conversations.byId[id]!.job.clientMarkedComplete;

describe('mark complete', () => {
  it('a refused mark complete is kept as failed with its error, and can be asked again', async () => {
    const server = await each.start();
    const wardrobe = conversationTitled(await server.store(CASEY), TITLES.wardrobe);
    const wes = await server.store(WES); // not in "Assemble wardrobe": the server answers not_found
    wes.dispatch(markCompleteRequested({ conversationId: wardrobe }));
    expect(selectMarkCompleteRequest(wes.getState(), wardrobe)).toEqual({ status: 'sending' });
    await until(() => selectMarkCompleteRequest(wes.getState(), wardrobe)?.status === 'failed', 'the refusal');
    expect(selectMarkCompleteRequest(wes.getState(), wardrobe)).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    wes.dispatch(markCompleteRequested({ conversationId: wardrobe }));
    await until(() => server.sent('mark_complete', 'Wes Worker').length === 2, 'the second request');
  });

  it('an unanswered mark complete is shown as failed; the late confirmation clears it', async () => {
    // A real server process, frozen (SIGSTOP) as an overloaded host would be: the frame waits unanswered.
    const server: ServerProcess = await startServerProcess();
    cleanups.push(() => server.dispose());
    const store = makeStore({ ackTimeoutMs: 500, socket: { url: server.url, headers: { cookie: await signIn(server.url, CASEY) } } });
    cleanups.push(() => void store.dispatch(inboxStopped()));
    store.dispatch(inboxStarted());
    await until(() => selectConversationsLoaded(store.getState()), 'the list', 30_000);
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);

    process.kill(server.pid, 'SIGSTOP');
    const pid = server.pid;
    cleanups.push(() => void process.kill(pid, 'SIGCONT'));
    store.dispatch(markCompleteRequested({ conversationId: sink }));
    await until(() => selectMarkCompleteRequest(store.getState(), sink)?.status === 'failed', 'the timeout');
    expect(selectMarkCompleteRequest(store.getState(), sink)).toEqual({ status: 'failed', error: null });
    expect(markedByMe(store, sink)).toBe(false);

    process.kill(pid, 'SIGCONT'); // it marks after all: conversation_updated says so
    await until(() => markedByMe(store, sink), 'the late confirmation');
    expect(selectMarkCompleteRequest(store.getState(), sink)).toBeUndefined();
  });

  it('asked for while offline, mark_complete goes out once when the connection is back', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const store = await server.store(CASEY, { socketUrl: proxy.url });
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    proxy.goOffline();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    store.dispatch(markCompleteRequested({ conversationId: sink }));
    store.dispatch(markCompleteRequested({ conversationId: sink })); // a second click changes nothing
    expect(selectMarkCompleteRequest(store.getState(), sink)).toEqual({ status: 'sending' });
    proxy.goOnline();
    await until(() => markedByMe(store, sink), 'the marking', 30_000);
    await until(() => selectMarkCompleteRequest(store.getState(), sink) === undefined, 'the ack');
    expect(server.sent('mark_complete')).toEqual([{ conversation_id: sink }]);
  });
});
