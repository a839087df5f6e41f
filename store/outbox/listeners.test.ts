// The outbox against the real server: optimistic sends, the queue kept through an outage, retries of
// unanswered sends (acks dropped by the TCP proxy) and refusals.
import { describe, expect, it } from 'vitest';
import { messageQueued, messageRetried, selectConnectionState } from '../index';
import { CASEY, conversationTitled, dropAcks, inboxPerTest, openThread, texts, thread, TITLES, until, WES } from '../test/inbox';

const each = inboxPerTest();

type Sent = { conversation_id: number; message: string; client_id: string };

describe('outbox', () => {
  it('a queued message shows at once as pending, then sent once acked', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    const loaded = thread(store, sink).messages.length;
    store.dispatch(messageQueued({ conversationId: sink, text: 'hello' }));
    expect(texts(store, sink).at(-1)).toBe('hello:pending');
    await until(() => texts(store, sink).at(-1) === 'hello:sent', 'the ack');
    expect(thread(store, sink).messages.at(-1)!.seq).toBe(loaded + 1);
    expect((await server.storedTexts(sink)).at(-1)).toBe('hello');
    expect(each.lines).toContain(`[Stream Controller] Added optimistic message to cache for conversation ${sink}`);
  });

  it('keeps messages typed while the server is down and sends them in order when it returns', async () => {
    const server = await each.start();
    const store = await server.store(CASEY);
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    const port = server.port;
    await server.stop();
    await until(() => selectConnectionState(store.getState()) === 'disconnected', 'the drop');
    for (const text of ['one', 'two', 'three']) store.dispatch(messageQueued({ conversationId: sink, text }));
    expect(texts(store, sink).slice(-3)).toEqual(['one:pending', 'two:pending', 'three:pending']);

    await server.restart(port);
    await until(() => texts(store, sink).slice(-3).join() === 'one:sent,two:sent,three:sent', 'the outbox', 30_000);
    expect((server.sent('send_message') as Sent[]).map((p) => p.message)).toEqual(['one', 'two', 'three']);
    expect((await server.storedTexts(sink)).slice(-3)).toEqual(['one', 'two', 'three']);
    expect(selectConnectionState(store.getState())).toBe('connected');
  });

  it('retries an unacked send with the same client_id, and the server keeps it once', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const store = await server.store(CASEY, { socketUrl: proxy.url });
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    const loaded = thread(store, sink).messages.length;
    dropAcks(proxy, 1);
    store.dispatch(messageQueued({ conversationId: sink, text: 'lost ack' }));
    await until(() => texts(store, sink).at(-1) === 'lost ack:sent', 'the retried ack');
    const sends = server.sent('send_message') as Sent[];
    expect(sends).toHaveLength(2);
    expect(sends[1]!.client_id).toBe(sends[0]!.client_id);
    expect(proxy.counts.acksDropped).toBe(1);
    expect(thread(store, sink).messages).toHaveLength(loaded + 1);
    expect((await server.storedTexts(sink)).filter((t) => t === 'lost ack')).toHaveLength(1);
  });

  it('gives up after the tries are spent, and Retry sends it again', async () => {
    const server = await each.start();
    const proxy = await server.proxy();
    const store = await server.store(CASEY, { socketUrl: proxy.url, outbox: { ackTimeoutMs: 300, retryDelayMs: 10, maxAttempts: 3 } });
    const sink = conversationTitled(store, TITLES.sink);
    await openThread(store, sink);
    dropAcks(proxy, 3);
    store.dispatch(messageQueued({ conversationId: sink, text: 'unlucky' }));
    await until(() => texts(store, sink).at(-1) === 'unlucky:failed', 'the failure');
    expect(server.sent('send_message')).toHaveLength(3);
    const clientId = thread(store, sink).messages.at(-1)!.id;
    store.dispatch(messageRetried({ conversationId: sink, clientId }));
    await until(() => texts(store, sink).at(-1) === 'unlucky:sent', 'the retry');
    expect(server.sent('send_message')).toHaveLength(4);
    expect((await server.storedTexts(sink)).filter((t) => t === 'unlucky')).toHaveLength(1);
  });

  it('a refused send fails at once', async () => {
    const server = await each.start();
    const casey = await server.store(CASEY);
    const wardrobe = conversationTitled(casey, TITLES.wardrobe);
    const wes = await server.store(WES); // not in "Assemble wardrobe": the server answers not_found
    wes.dispatch(messageQueued({ conversationId: wardrobe, text: 'refused' }));
    await until(() => texts(wes, wardrobe).at(-1) === 'refused:failed', 'the failure');
    expect(server.sent('send_message', 'Wes Worker')).toHaveLength(1);
    expect(await server.storedTexts(wardrobe)).not.toContain('refused');
  });
});
