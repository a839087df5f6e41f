import { describe, expect, it } from 'vitest';
import { messageReceived, socketDisconnected, typingExpired, typingReceived } from '../events';
import { inboxStopped } from '../intents';
import { reduce } from '../test/reduce';
import { message } from '../test/fixtures';
import { selectTyping } from './slice';

const typing = (id: number, name = 'Wes Worker') => typingReceived({ conversation_id: id, name });

describe('typing slice', () => {
  it('shows who types where until it expires; a repeat changes nothing', () => {
    const s = reduce(undefined, typing(1), typing(2));
    expect([selectTyping(s, 1), selectTyping(s, 2), selectTyping(s, 3)]).toEqual(['Wes Worker', 'Wes Worker', undefined]);
    expect(reduce(s, typing(1))).toBe(s);
    const expired = reduce(s, typingExpired({ conversationId: 1 }));
    expect([selectTyping(expired, 1), selectTyping(expired, 2)]).toEqual([undefined, 'Wes Worker']);
    expect(reduce(expired, typingExpired({ conversationId: 1 }))).toBe(expired);
  });

  it('their message ends it; mine does not', () => {
    const s = reduce(undefined, typing(1));
    expect(selectTyping(reduce(s, messageReceived({ conversation_id: 1, message: message(1, 6, { is_mine: true }) }, true)), 1)).toBe('Wes Worker');
    expect(selectTyping(reduce(s, messageReceived({ conversation_id: 1, message: message(1, 6) }, true)), 1)).toBeUndefined();
  });

  it('nobody types while the connection or the inbox is down', () => {
    const s = reduce(undefined, typing(1), typing(2));
    expect(reduce(s, socketDisconnected({ reason: 'transport close' })).typing).toEqual({});
    expect(reduce(s, inboxStopped()).typing).toEqual({});
    const none = reduce();
    expect(reduce(none, socketDisconnected({ reason: 'transport close' })).typing).toBe(none.typing);
  });
});
