import { describe, expect, it } from 'vitest';
import {
  conversationUpdated,
  conversationsReceived,
  markCompleteAcked,
  markCompleteFailed,
  messageAcked,
  messageChangeAcked,
  messageReceived,
  messageUpdated,
  presenceChanged,
  readReceived,
} from '../events';
import { conversationRead, markCompleteRequested } from '../intents';
import type { RootState } from '../reducer';
import { frame, reduce } from '../test/reduce';
import { conversation, message, summary } from '../test/fixtures';
import { selectConversationList } from './selectors';


const listed = () =>
  reduce(undefined, conversationsReceived({ conversations: [summary(1, message(1, 5)), summary(2, message(2, 3)), summary(3)] }));
const order = (s: RootState) => selectConversationList(s).map((c) => c.id);

describe('conversations slice', () => {
  it('takes the list from the conversations frame, newest activity first', () => {
    const s = listed();
    expect(s.conversations.loaded).toBe(true);
    expect(order(s)).toEqual([1, 2, 3]);
  });

  it('a new message of the other side moves its conversation up and counts as unread unless open', () => {
    let s = reduce(listed(), messageReceived({ conversation_id: 3, message: message(3, 1) }, false));
    expect(order(s)).toEqual([3, 1, 2]);
    expect(s.conversations.byId[3]).toMatchObject({ unread_count: 1, last_message: { seq: 1 } });
    s = reduce(s, messageReceived({ conversation_id: 2, message: message(2, 4) }, true));
    expect(order(s)).toEqual([2, 3, 1]);
    expect(s.conversations.byId[2]!.unread_count).toBe(0);
  });

  it('a new message replaces only its own summary; the other summaries keep their objects', () => {
    const s = listed();
    const next = reduce(s, messageReceived({ conversation_id: 2, message: message(2, 4) }, false));
    expect(next.conversations.byId[1]).toBe(s.conversations.byId[1]);
    expect(next.conversations.byId[3]).toBe(s.conversations.byId[3]);
    expect(next.conversations.byId[2]).not.toBe(s.conversations.byId[2]);
    expect(s.conversations.byId[2]!.last_message!.seq).toBe(3);
    expect(order(s)).toEqual([1, 2, 3]);
  });

  it('my own messages and repeats of a message do not count', () => {
    const s = reduce(listed(), messageReceived({ conversation_id: 1, message: message(1, 6, { is_mine: true }) }, false));
    expect(s.conversations.byId[1]!.unread_count).toBe(0);
    expect(reduce(s, messageReceived({ conversation_id: 1, message: message(1, 6) }, false))).toBe(s);
  });

  it('an acked send becomes the last message', () => {
    const s = reduce(listed(), messageAcked({ conversationId: 2, clientId: 'c', message: message(2, 4, { is_mine: true }) }));
    expect(order(s)).toEqual([2, 1, 3]);
    expect(s.conversations.byId[2]!.last_message!.seq).toBe(4);
  });

  it('reading clears the unread count; read marks of the other side mark my last message read', () => {
    let s = reduce(listed(), messageReceived({ conversation_id: 1, message: message(1, 6) }, false), messageReceived({ conversation_id: 1, message: message(1, 7) }, false));
    expect(s.conversations.byId[1]!.unread_count).toBe(2);
    expect(reduce(s, readReceived({ conversation_id: 1, up_to_seq: 6, reader_is_me: true })).conversations.byId[1]!.unread_count).toBe(1);
    s = reduce(s, conversationRead({ conversationId: 1, upToSeq: 7 }));
    expect(s.conversations.byId[1]).toMatchObject({ unread_count: 0, last_message: { is_read: true } });
    s = reduce(s, messageAcked({ conversationId: 1, clientId: 'c', message: message(1, 8, { is_mine: true }) }));
    s = reduce(s, readReceived({ conversation_id: 1, up_to_seq: 8, reader_is_me: false }));
    expect(s.conversations.byId[1]!.last_message!.is_read).toBe(true);
  });

  it('job updates change the header; an unchanged one is a no-op; a new conversation appears on top', () => {
    const s = reduce(listed(), markCompleteAcked({ conversation: conversation(2, { clientMarkedComplete: true }) }));
    expect(s.conversations.byId[2]!.job.clientMarkedComplete).toBe(true);
    expect(reduce(s, conversationUpdated({ conversation_id: 2, conversation: conversation(2, { clientMarkedComplete: true }) }))).toBe(s);
    const added = reduce(s, conversationUpdated({ conversation_id: 9, conversation: conversation(9) }));
    expect(order(added)).toEqual([9, 1, 2, 3]);
    expect(added.conversations.byId[9]).toMatchObject({ last_message: null, unread_count: 0 });
  });

  describe('"Mark complete" requests', () => {
    const requested = () => reduce(listed(), markCompleteRequested({ conversationId: 2 }));

    it('on its way until acked; a second click is a no-op', () => {
      const s = requested();
      expect(s.conversations.markComplete[2]).toEqual({ status: 'sending' });
      expect(reduce(s, markCompleteRequested({ conversationId: 2 }))).toBe(s);
      const acked = reduce(s, markCompleteAcked({ conversation: conversation(2, { clientMarkedComplete: true }) }));
      expect(acked.conversations.markComplete).toEqual({});
    });

    it('refused or unanswered: kept with its error until asked again; a new list keeps it', () => {
      const error = { code: 'not_found' as const, message: 'conversation not found' };
      let s = reduce(requested(), markCompleteFailed({ conversationId: 2, error }));
      expect(s.conversations.markComplete[2]).toEqual({ status: 'failed', error });
      s = reduce(s, conversationsReceived({ conversations: [summary(2)] }));
      expect(s.conversations.markComplete[2]).toEqual({ status: 'failed', error });
      expect(reduce(s, markCompleteRequested({ conversationId: 2 })).conversations.markComplete[2]).toEqual({ status: 'sending' });
    });

    it('a conversation_updated that shows it marked by me ends it; a late failure then changes nothing', () => {
      const s = reduce(requested(), conversationUpdated({ conversation_id: 2, conversation: conversation(2, { clientMarkedComplete: true }) }));
      expect(s.conversations.markComplete).toEqual({});
      expect(reduce(s, markCompleteFailed({ conversationId: 2, error: null }))).toBe(s);
    });
  });

  describe('edits and deletes', () => {
    const changed = (seq: number, rev: number, over = {}) => message(1, seq, { message_text: `edit ${rev}`, rev, ...over });

    it('the last message follows edits and deletes by rev; changes of older messages leave it', () => {
      let s = reduce(listed(), messageUpdated({ conversation_id: 1, message: changed(5, 2) }, false));
      expect(s.conversations.byId[1]!.last_message).toMatchObject({ seq: 5, message_text: 'edit 2' });
      expect(reduce(s, messageUpdated({ conversation_id: 1, message: changed(5, 1) }, false))).toBe(s);
      expect(reduce(s, messageUpdated({ conversation_id: 1, message: changed(3, 3) }, false))).toBe(s);
      s = reduce(s, messageChangeAcked({ conversationId: 1, messageId: 'm-1-5', changeId: 'x', message: changed(5, 4, { message_text: '', deleted: true }) }));
      expect(s.conversations.byId[1]!.last_message).toMatchObject({ seq: 5, message_text: '', deleted: true });
      expect(s.conversations.byId[1]!.unread_count).toBe(0);
      expect(order(s)).toEqual([1, 2, 3]);
    });

    it('a change that overtakes a new message is its arrival, counted once', () => {
      let s = reduce(listed(), messageUpdated({ conversation_id: 2, message: message(2, 4, { rev: 1, message_text: 'edited' }) }, false));
      expect(order(s)).toEqual([2, 1, 3]);
      expect(s.conversations.byId[2]).toMatchObject({ unread_count: 1, last_message: { seq: 4, message_text: 'edited' } });
      s = reduce(s, messageReceived({ conversation_id: 2, message: message(2, 4) }, false));
      expect(s.conversations.byId[2]).toMatchObject({ unread_count: 1, last_message: { message_text: 'edited' } });
    });

    it('a sync answer brings the last message as it is now', () => {
      const s = reduce(listed(), frame('messages_response', { conversation_id: 1, messages: [changed(5, 3, { message_text: '', deleted: true })], conversation: conversation(1), has_more: false, rev: 3, after_seq: 5 }));
      expect(s.conversations.byId[1]!.last_message).toMatchObject({ seq: 5, deleted: true, message_text: '' });
    });
  });

  it('presence: the counterpart comes online and goes offline with a last-seen time', () => {
    let s = reduce(listed(), presenceChanged({ conversation_id: 2, online: true, last_seen_at: null }));
    expect(s.conversations.byId[2]!.counterpart).toMatchObject({ name: 'Wes Worker', online: true, last_seen_at: null });
    expect(reduce(s, presenceChanged({ conversation_id: 2, online: true, last_seen_at: null }))).toBe(s);
    s = reduce(s, presenceChanged({ conversation_id: 2, online: false, last_seen_at: '2026-01-01T10:00:00.000Z' }));
    expect(s.conversations.byId[2]!.counterpart).toMatchObject({ online: false, last_seen_at: '2026-01-01T10:00:00.000Z' });
    // A job update does not carry presence: it stays as it was.
    s = reduce(s, conversationUpdated({ conversation_id: 2, conversation: conversation(2, { clientMarkedComplete: true }) }));
    expect(s.conversations.byId[2]!.counterpart).toMatchObject({ online: false, last_seen_at: '2026-01-01T10:00:00.000Z' });
    expect(reduce(s, presenceChanged({ conversation_id: 99, online: true, last_seen_at: null }))).toBe(s);
  });
});
