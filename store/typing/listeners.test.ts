// Typing against the real server: at most one `typing` per LIMITS.typingEveryMs while the composer holds
// text, none while offline (and none queued for later); the other side shows it until it expires or
// their message arrives.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../protocol';
import { composerTyped, messageQueued, selectConnectionState, selectTyping, type AppStore } from '../index';
import { CASEY, conversationTitled, inboxPerTest, openThread, TITLES, until, WES, type Inbox } from '../test/inbox';

const each = inboxPerTest();

async function pair(server: Inbox, options: { socketUrl?: string } = {}) {
  const casey = await server.store(CASEY, options);
  const wes = await server.store(WES);
  const sink = conversationTitled(casey, TITLES.sink);
  await openThread(wes, sink);
  return { casey, wes, sink };
}

const typingSent = (server: Inbox) => server.sent('typing');
/** Keystrokes as a person types them: each in a task of its own. */
async function keystrokes(store: AppStore, id: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    store.dispatch(composerTyped({ conversationId: id }));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('typing', () => {
  it('sends one typing per few seconds of typing; the other side shows it, then it expires', async () => {
    const server = await each.start();
    const { casey, wes, sink } = await pair(server);
    const started = Date.now();
    await keystrokes(casey, sink, 10);
    await until(() => selectTyping(wes.getState(), sink) === 'Casey Client', 'the typing line at Wes');
    const shownAt = Date.now();
    // More typing inside the window (which opened after `started`): nothing more goes out.
    while (Date.now() - started < LIMITS.typingEveryMs - 500) await keystrokes(casey, sink, 1);
    // A history asked for after them on the same socket: every typing sent before it has arrived by then.
    await openThread(casey, conversationTitled(casey, TITLES.fence));
    expect(typingSent(server)).toEqual([{ conversation_id: sink }]);
    await until(() => selectTyping(wes.getState(), sink) === undefined, 'the expiry', LIMITS.typingShownMs + 5000);
    expect(Date.now() - shownAt).toBeGreaterThanOrEqual(LIMITS.typingShownMs - 500);
    // Past the window, typing is announced again.
    await keystrokes(casey, sink, 1);
    await until(() => typingSent(server).length === 2, 'the next typing');
  }, 30_000);

  it('their message ends the typing line at once; a sent message lets the next keystroke announce', async () => {
    const server = await each.start();
    const { casey, wes, sink } = await pair(server);
    await keystrokes(casey, sink, 1);
    await until(() => selectTyping(wes.getState(), sink) !== undefined, 'the typing line');
    casey.dispatch(messageQueued({ conversationId: sink, text: 'On my way' }));
    await until(() => selectTyping(wes.getState(), sink) === undefined, 'the message ending it');
    await keystrokes(casey, sink, 1);
    await until(() => typingSent(server).length === 2, 'a typing right after the send');
    expect(typingSent(server)).toHaveLength(2);
  });

  it('is never queued: keystrokes while offline send nothing, then or later', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const { casey, sink } = await pair(server, { socketUrl: proxy.url });
    proxy.goOffline();
    await until(() => selectConnectionState(casey.getState()) === 'disconnected', 'the drop');
    await keystrokes(casey, sink, 5);
    proxy.goOnline();
    await until(() => selectConnectionState(casey.getState()) === 'connected', 'the reconnect');
    // A frame sent after the reconnect: anything queued while offline would have reached the server first.
    casey.dispatch(messageQueued({ conversationId: sink, text: 'Back online' }));
    await until(() => server.sent('send_message').length === 1, 'the message after the reconnect');
    expect(typingSent(server)).toEqual([]);
    await keystrokes(casey, sink, 1);
    await until(() => typingSent(server).length === 1, 'typing once connected');
  });
});
