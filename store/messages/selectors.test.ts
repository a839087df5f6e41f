import { describe, expect, it } from 'vitest';
import { historyLoaded, messageReceived } from '../events';
import { conversationOpened } from '../intents';
import { createRootReducer, type RootState } from '../reducer';
import { conversation, message, messages } from '../test/fixtures';
import { selectThread } from './selectors';

const rootReducer = createRootReducer();
const load = (s: RootState, id: number) =>
  [conversationOpened({ conversationId: id }), historyLoaded({ conversation_id: id, messages: messages(id, 1, 3), conversation: conversation(id), has_more: false, rev: 0 })].reduce(rootReducer, s);

describe('selectThread', () => {
  const base = load(load(rootReducer(undefined, { type: 'init' }), 1), 2);

  it('returns the same object for an unchanged thread while another conversation changes', () => {
    const a = selectThread(base, 1);
    const b = selectThread(base, 2);
    const next = rootReducer(base, messageReceived({ conversation_id: 2, message: message(2, 4) }, false));
    expect(selectThread(next, 1)).toBe(a);
    expect(selectThread(next, 2)).not.toBe(b);
    expect(selectThread(next, 2).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('gives an empty, stable thread for a conversation never opened', () => {
    expect(selectThread(base, 9)).toBe(selectThread(base, 10));
    expect(selectThread(base, 9)).toMatchObject({ messages: [], loaded: false, loading: false });
  });
});
