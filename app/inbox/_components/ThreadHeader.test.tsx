// @vitest-environment jsdom
// The job header with a real store: "Mark complete" on its way, then refused or unanswered, as the user
// sees it (the button, and an alert beside it that names the problem).
import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { Provider } from 'react-redux';
import { conversationsReceived, markCompleteFailed } from '../../../store/events';
import { makeStore, markCompleteRequested, selectConversation } from '../../../store';
import { summary } from '../../../store/test/fixtures';
import { ThreadHeader } from './ThreadHeader';

function header() {
  const store = makeStore(); // never started: no socket, so a request stays on its way
  store.dispatch(conversationsReceived({ conversations: [summary(1)] }));
  const view = render(
    <Provider store={store}>
      <ThreadHeader conversation={selectConversation(store.getState(), 1)} onBack={() => {}} onFocusThread={() => {}} />
    </Provider>,
  );
  return { store, view, button: () => screen.getByRole<HTMLButtonElement>('button', { name: 'Mark complete' }) };
}

describe('ThreadHeader', () => {
  it('shows a refused or unanswered "Mark complete" in an alert and lets the user try again', () => {
    const { store, view, button } = header();
    expect(button().disabled).toBe(false);
    act(() => void store.dispatch(markCompleteRequested({ conversationId: 1 })));
    expect(button().disabled).toBe(true);
    expect(screen.queryByRole('alert')).toBeNull();

    act(() => void store.dispatch(markCompleteFailed({ conversationId: 1, error: null })));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('The job was not marked complete: the server did not answer. Try again.');
    expect(button().disabled).toBe(false);
    expect(button().getAttribute('aria-describedby')).toBe(alert.id);

    act(() => void store.dispatch(markCompleteRequested({ conversationId: 1 })));
    act(() => void store.dispatch(markCompleteFailed({ conversationId: 1, error: { code: 'not_found', message: 'conversation not found' } })));
    expect(screen.getByRole('alert').textContent).toBe('The job was not marked complete: conversation not found.');
    view.unmount();
  });
});
