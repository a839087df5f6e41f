// @vitest-environment jsdom
// The page's real thread component (MessageList), two of them as the page keeps them, each measured by a
// React <Profiler>: a frame for conversation B commits nothing in A's thread.
import { describe, expect, it } from 'vitest';
import { Profiler } from 'react';
import { act, render } from '@testing-library/react';
import { Provider } from 'react-redux';
import { MessageList } from '../../app/inbox/_components/MessageList';
import { historyLoaded, messageReceived } from '../events';
import { conversationOpened, makeStore } from '../index';
import { conversation, message, messages } from '../test/fixtures';

// jsdom has no layout, so no ResizeObserver; MessageList only uses it to stay pinned to the newest end.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

describe('MessageList', () => {
  it('does not re-render a thread when a message arrives for another conversation', () => {
    const store = makeStore();
    for (const id of [1, 2]) {
      store.dispatch(conversationOpened({ conversationId: id }));
      store.dispatch(historyLoaded({ conversation_id: id, messages: messages(id, 1, 3), conversation: conversation(id), has_more: false, rev: 0 }));
    }
    const commits = { 1: 0, 2: 0 };
    const count = (id: string) => (commits[Number(id) as 1 | 2] += 1);
    const view = render(
      <Provider store={store}>
        <Profiler id="1" onRender={count}>
          <MessageList conversationId={1} active={false} />
        </Profiler>
        <Profiler id="2" onRender={count}>
          <MessageList conversationId={2} active />
        </Profiler>
      </Provider>,
    );
    const before = { ...commits };
    const rows = (id: number) => view.container.querySelectorAll(`[data-conversation-id="${id}"] [data-status]`);
    expect(rows(1)).toHaveLength(3);

    act(() => {
      store.dispatch(messageReceived({ conversation_id: 2, message: message(2, 4) }, true));
    });
    expect(commits[1]).toBe(before[1]);
    expect(commits[2]).toBeGreaterThan(before[2]);
    expect(rows(2)).toHaveLength(4);

    act(() => {
      store.dispatch(messageReceived({ conversation_id: 1, message: message(1, 4) }, false));
    });
    expect(commits[1]).toBe(before[1] + 1);
    expect(rows(1)).toHaveLength(4);
    view.unmount();
  });
});
