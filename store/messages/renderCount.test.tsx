// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act, render } from '@testing-library/react';
import { Provider } from 'react-redux';
import { messageReceived, messagesReceived } from '../events';
import { useAppSelector } from '../hooks';
import { conversationOpened, makeStore } from '../index';
import { conversation, message, messages } from '../test/fixtures';
import { selectThread } from './selectors';

describe('a component showing one thread', () => {
  it('does not re-render when a message arrives for another conversation', () => {
    const store = makeStore();
    for (const id of [1, 2]) {
      store.dispatch(conversationOpened({ conversationId: id }));
      store.dispatch(messagesReceived({ conversation_id: id, messages: messages(id, 1, 3), conversation: conversation(id), has_more: false }));
    }
    let renders = 0;
    function Thread({ id }: { id: number }) {
      const thread = useAppSelector((s) => selectThread(s, id));
      renders += 1;
      return <ol>{thread.messages.map((m) => <li key={m.id}>{m.message_text}</li>)}</ol>;
    }
    const view = render(<Provider store={store}><Thread id={1} /></Provider>);
    const before = renders;

    act(() => {
      store.dispatch(messageReceived({ conversation_id: 2, message: message(2, 4) }, false));
    });
    expect(renders).toBe(before);

    act(() => {
      store.dispatch(messageReceived({ conversation_id: 1, message: message(1, 4) }, false));
    });
    expect(renders).toBe(before + 1);
    expect(view.getAllByRole('listitem')).toHaveLength(4);
    view.unmount();
  });
});
