// Edits and deletes in the cache (CONTRACT section 9): the server's changes merge by rev in any order,
// a change that overtakes its message is not lost, the thread keeps the conversation's revision for its
// sync, and my own edits and deletes show at once, settle on the ack and roll back on a refusal.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import { messageChangeAcked, messageChangeFailed, messageUpdated, socketDisconnected } from '../events';
import {
  conversationOpened,
  messageChangeDismissed,
  messageDeleteRequested,
  messageEditRequested,
  messageQueued,
  olderMessagesRequested,
} from '../intents';
import type { RootState } from '../reducer';
import { frame, reduce, reducerWith } from '../test/reduce';
import { conversation, message, messages } from '../test/fixtures';
import { selectThread } from './selectors';

const response = (id: number, list: Message[], over: { has_more?: boolean; after_seq?: number; rev?: number } = {}) =>
  frame('messages_response', { conversation_id: id, messages: list, conversation: conversation(id), has_more: false, rev: 0, ...over });

const open = (id: number) => conversationOpened({ conversationId: id });
const loaded = (n = 5, rev = 0, state?: RootState) => reduce(state, open(1), response(1, messages(1, 1, n), { rev }));

const edited = (seq: number, rev: number, text = `edited ${rev}`, over: Partial<Message> = {}) =>
  message(1, seq, { message_text: text, edited_at: '2026-01-02T00:00:00.000Z', rev, ...over });
const deleted = (seq: number, rev: number, over: Partial<Message> = {}) =>
  message(1, seq, { message_text: '', deleted: true, rev, ...over });
const updated = (m: Message, open = true) => frame('message_updated', { conversation_id: m.conversation_id, message: m });

const thread = (s: RootState) => s.messages.byConversation[1]!;
const entity = (s: RootState, seq: number) => thread(s).entities[`m-1-${seq}`]!;
const shown = (s: RootState) => selectThread(s, 1).messages;

describe('changes from the server', () => {
  it('merge by rev: a lower or equal rev than the cached copy changes nothing, in any order', () => {
    let s = reduce(loaded(), updated(edited(2, 2, 'second edit')));
    expect(entity(s, 2)).toMatchObject({ message_text: 'second edit', rev: 2, status: 'sent' });
    // The first edit, late: the copy stays (its revision still counts as seen).
    const late = reduce(s, updated(edited(2, 1, 'first edit')));
    expect(entity(late, 2)).toBe(entity(s, 2));
    expect(thread(late)).toMatchObject({ rev: 2, revsAhead: [] });
    expect(reduce(late, updated(edited(2, 2, 'second edit'))).messages).toBe(late.messages);
    // The original message (rev 0), arriving late, does not undo the edit either.
    expect(reduce(s, frame('message', { conversation_id: 1, message: message(1, 2) })).messages).toBe(s.messages);
    s = reduce(s, updated(deleted(2, 3)));
    expect(entity(s, 2)).toMatchObject({ message_text: '', deleted: true, rev: 3 });
  });

  it('a delete erases the text from the cache; a read mark is not undone by a copy made before it', () => {
    let s = reduce(loaded(), frame('read', { conversation_id: 1, up_to_seq: 5, reader_is_me: true }));
    s = reduce(s, updated(deleted(4, 1, { is_read: false })));
    expect(entity(s, 4)).toMatchObject({ message_text: '', deleted: true, is_read: true });
    expect(JSON.stringify(thread(s))).not.toContain('message 4');
  });

  it('a change that overtakes its message is the message: kept in its place, the late original ignored', () => {
    let s = reduce(loaded(5), updated(edited(6, 1)));
    expect(shown(s).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(thread(s)).toMatchObject({ gaplessSeq: 6, rev: 1, syncing: false });
    s = reduce(s, frame('message', { conversation_id: 1, message: message(1, 6) }));
    expect(entity(s, 6).message_text).toBe('edited 1');
    expect(shown(s)).toHaveLength(6);
  });

  it('a change beyond a gap is kept and the gap asks for a sync', () => {
    const s = reduce(loaded(5), updated(deleted(8, 1)));
    expect(entity(s, 8).deleted).toBe(true);
    expect(thread(s)).toMatchObject({ gaplessSeq: 5, syncing: true });
  });

  it('a change during the first load is not lost when the page was read before it', () => {
    let s = reduce(undefined, open(1), updated(edited(3, 1)));
    s = reduce(s, response(1, messages(1, 1, 5), { rev: 0 }));
    expect(entity(s, 3)).toMatchObject({ message_text: 'edited 1', rev: 1 });
    expect(thread(s)).toMatchObject({ rev: 1, revsAhead: [], loaded: true, syncing: false });
    // A page read after it carries it too, and is the revision the thread starts from.
    s = reduce(undefined, open(1), updated(edited(3, 1)), response(1, [...messages(1, 1, 2), edited(3, 1), ...messages(1, 4, 5)], { rev: 1 }));
    expect(thread(s)).toMatchObject({ rev: 1, revsAhead: [] });
  });

  it('a change of a message older than the cache waits for the older page on its way, else for the next page', () => {
    const paged = reduce(undefined, open(1), response(1, messages(1, 51, 100), { has_more: true }));
    const ignored = reduce(paged, updated(edited(10, 1)));
    expect(thread(ignored).ids).toEqual(thread(paged).ids);
    expect(thread(ignored)).toMatchObject({ rev: 1, held: {} });

    let s = reduce(paged, olderMessagesRequested({ conversationId: 1 }), updated(edited(10, 1)));
    expect(thread(s).held['m-1-10']).toMatchObject({ rev: 1 });
    s = reduce(s, response(1, messages(1, 1, 50), { has_more: false }));
    expect(entity(s, 10)).toMatchObject({ message_text: 'edited 1', rev: 1 });
    expect(thread(s).held).toEqual({});
    expect(shown(s).map((m) => m.seq)).toEqual(messages(1, 1, 100).map((m) => m.seq));
    // Lost with the connection, the page is asked for again later, and will carry the change itself.
    const dropped = reduce(paged, olderMessagesRequested({ conversationId: 1 }), updated(edited(10, 1)), socketDisconnected({ reason: 'transport close' }));
    expect(thread(dropped).held).toEqual({});
  });

  it('changes of a conversation never loaded leave the cache alone', () => {
    const s = reduce();
    expect(reduce(s, updated(message(7, 1, { rev: 1 }))).messages).toBe(s.messages);
  });
});

describe('the thread revision', () => {
  it('starts from the latest page and follows every change, gap-free', () => {
    let s = loaded(5, 4);
    expect(thread(s)).toMatchObject({ rev: 4, revsAhead: [] });
    s = reduce(s, updated(edited(1, 5)));
    expect(thread(s)).toMatchObject({ rev: 5, revsAhead: [], syncing: false });
    // 7 overtook 6: the run stops at 5 and a sync asks for what it missed; 6 arriving closes it.
    s = reduce(s, updated(edited(2, 7)));
    expect(thread(s)).toMatchObject({ rev: 5, revsAhead: [7], syncing: true });
    s = reduce(s, updated(edited(3, 6)));
    expect(thread(s)).toMatchObject({ rev: 7, revsAhead: [] });
  });

  it('a sync answer brings the changed messages, whatever their seq, and everything up to its rev', () => {
    let s = reduce(loaded(5, 2), updated(edited(1, 5)));
    expect(thread(s)).toMatchObject({ rev: 2, revsAhead: [5] });
    s = reduce(s, response(1, [deleted(2, 3), edited(4, 4), message(1, 6)], { after_seq: 5, rev: 5 }));
    expect(shown(s).map((m) => `${m.seq}:${m.message_text}`)).toEqual(['1:edited 5', '2:', '3:message 3', '4:edited 4', '5:message 5', '6:message 6']);
    expect(thread(s)).toMatchObject({ rev: 5, revsAhead: [], gaplessSeq: 6, syncing: false });
  });

  it('a sync answer does not put a changed message older than the cache into it', () => {
    const paged = reduce(undefined, open(1), response(1, messages(1, 51, 100), { has_more: true }));
    const s = reduce(paged, response(1, [edited(3, 1)], { after_seq: 100, rev: 1 }));
    expect(thread(s).ids).toEqual(thread(paged).ids);
    expect(thread(s).rev).toBe(1);
  });

  it('is forgotten with the cache', () => {
    const limited = reducerWith({ cacheLimit: 1 });
    let s = limited(undefined, open(1), response(1, messages(1, 1, 3), { rev: 9 }));
    s = limited(s, open(2), response(2, messages(2, 1, 3)));
    expect(s.messages.byConversation[1]).toBeUndefined();
  });
});

describe('my edits and deletes', () => {
  const mine = (seq: number) => message(1, seq, { is_mine: true, sender_name: 'Casey Client' });
  const withMine = () => reduce(undefined, open(1), response(1, [...messages(1, 1, 4), mine(5)], { rev: 3 }));
  const edit = (text: string, seq = 5) => messageEditRequested({ conversationId: 1, messageId: `m-1-${seq}`, text });
  const remove = (seq = 5) => messageDeleteRequested({ conversationId: 1, messageId: `m-1-${seq}` });

  it('an edit shows at once (text and "edited"), the cached copy stays until the ack', () => {
    const request = edit('  fixed  ');
    const s = reduce(withMine(), request);
    expect(thread(s).changes['m-1-5']).toMatchObject({ id: request.payload.changeId, kind: 'edit', text: 'fixed', status: 'sending' });
    expect(entity(s, 5).message_text).toBe('message 5');
    expect(shown(s).at(-1)).toMatchObject({ message_text: 'fixed', edited_at: request.payload.at, status: 'sent' });
  });

  it('the ack settles it: the server copy replaces the cached one, the revision follows', () => {
    const request = edit('fixed');
    const s = reduce(withMine(), request, messageChangeAcked({ conversationId: 1, messageId: 'm-1-5', changeId: request.payload.changeId, message: { ...mine(5), message_text: 'fixed', edited_at: '2026-01-03T00:00:00.000Z', rev: 4 } }));
    expect(thread(s).changes).toEqual({});
    expect(thread(s).rev).toBe(4);
    expect(shown(s).at(-1)).toMatchObject({ message_text: 'fixed', edited_at: '2026-01-03T00:00:00.000Z', rev: 4 });
    expect(shown(s).at(-1)!.change).toBeUndefined();
  });

  it('an ack of an earlier edit does not settle a newer one', () => {
    const first = edit('one');
    const second = edit('two');
    const s = reduce(withMine(), first, second, messageChangeAcked({ conversationId: 1, messageId: 'm-1-5', changeId: first.payload.changeId, message: { ...mine(5), message_text: 'one', rev: 4 } }));
    expect(thread(s).changes['m-1-5']).toMatchObject({ id: second.payload.changeId, text: 'two', status: 'sending' });
    expect(entity(s, 5).message_text).toBe('one');
    expect(shown(s).at(-1)!.message_text).toBe('two');
  });

  it('a refusal rolls it back and keeps the error until dismissed', () => {
    const request = edit('fixed');
    const error = { code: 'forbidden' as const, message: 'only the sender may edit a message' };
    let s = reduce(withMine(), request, messageChangeFailed({ conversationId: 1, messageId: 'm-1-5', changeId: request.payload.changeId, error }));
    expect(shown(s).at(-1)).toMatchObject({ message_text: 'message 5', edited_at: null, change: { status: 'refused', error } });
    s = reduce(s, messageChangeDismissed({ conversationId: 1, messageId: 'm-1-5' }));
    expect(thread(s).changes).toEqual({});
  });

  it('a refusal of a change the cache already shows (an earlier try was stored) is not an error', () => {
    const request = remove();
    const s = reduce(withMine(), request, updated(deleted(5, 4, { is_mine: true })), messageChangeFailed({ conversationId: 1, messageId: 'm-1-5', changeId: request.payload.changeId, error: { code: 'forbidden', message: 'deleted' } }));
    expect(thread(s).changes).toEqual({});
    expect(shown(s).at(-1)).toMatchObject({ deleted: true, message_text: '' });
  });

  it('a delete shows at once as a tombstone, and replaces an edit on its way', () => {
    const s = reduce(withMine(), edit('fixed'), remove());
    expect(thread(s).changes['m-1-5']).toMatchObject({ kind: 'delete', status: 'sending' });
    expect(shown(s).at(-1)).toMatchObject({ deleted: true, message_text: '' });
    // Deleting: no edit, no second delete.
    expect(reduce(s, edit('again'))).toBe(s);
    expect(reduce(s, remove())).toBe(s);
  });

  it('only my own sent, not deleted, text messages; not an empty text, not the same text', () => {
    const s = reduce(withMine(), messageQueued({ conversationId: 1, text: 'not sent yet' }));
    const pending = thread(s).localIds[0]!;
    expect(reduce(s, messageEditRequested({ conversationId: 1, messageId: pending, text: 'x' }))).toBe(s);
    expect(reduce(s, messageDeleteRequested({ conversationId: 1, messageId: pending }))).toBe(s);
    expect(reduce(s, edit('theirs', 4))).toBe(s);
    expect(reduce(s, edit('   '))).toBe(s);
    expect(reduce(s, edit('message 5'))).toBe(s);
    const system = reduce(undefined, open(1), response(1, [message(1, 1, { is_mine: true, message_type: 'SYSTEM' })]));
    expect(reduce(system, messageEditRequested({ conversationId: 1, messageId: 'm-1-1', text: 'x' }))).toBe(system);
    const gone = reduce(withMine(), updated(deleted(5, 4, { is_mine: true })));
    expect(reduce(gone, edit('back'))).toBe(gone);
  });

  it('an edit back to the stored text while another is on its way is sent', () => {
    const s = reduce(withMine(), edit('fixed'), edit('message 5'));
    expect(thread(s).changes['m-1-5']).toMatchObject({ text: 'message 5', status: 'sending' });
  });

  it('a change still to send outlives the eviction of its history; refused ones do not', () => {
    const limited = reducerWith({ cacheLimit: 1 });
    let s = limited(undefined, open(1), response(1, [...messages(1, 1, 4), mine(5)], { rev: 3 }), edit('fixed'));
    s = limited(s, open(2), response(2, messages(2, 1, 3)));
    expect(thread(s)).toMatchObject({ loaded: false, ids: [], rev: 0 });
    expect(thread(s).changes['m-1-5']).toMatchObject({ status: 'sending' });
    const request = thread(s).changes['m-1-5']!;
    s = limited(s, messageChangeAcked({ conversationId: 1, messageId: 'm-1-5', changeId: request.id, message: { ...mine(5), message_text: 'fixed', rev: 4 } }));
    expect(s.messages.byConversation[1]).toBeUndefined();
  });

  it('the selector shows a change over an unchanged cached copy as the same object', () => {
    const s = reduce(withMine(), edit('fixed'));
    const next = reduce(s, messageQueued({ conversationId: 1, text: 'another' }));
    expect(shown(next)[4]).toBe(shown(s)[4]);
  });
});
