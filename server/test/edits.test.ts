// Edits and deletes end to end on a real server (CONTRACT section 9): acks, `message_updated` to every other
// socket of both sides, every refusal, `rev`, `sync … after_rev` (no ghost after a change made while a
// client was away) and its 200 bound. Runs on SQLite, and on PostgreSQL when it is reachable.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, Message, MessagesResponseEvent } from '../../protocol';
import { changeMessage } from '../db/message-changes';
import { storeMessage } from '../db/messages';
import { findUserByEmail } from '../db/users';
import { dialectCases, type TestDatabase } from '../../test/support/databases';
import { eventsIn, privateDataIn } from '../../test/support/privacy';
import { CASEY, WES, WREN } from '../../test/support/sign-in';
import {
  type ClientSocket,
  connectAs,
  edit,
  markComplete,
  nextEvent,
  openDemoSockets,
  receivedFrames,
  record,
  remove,
  say,
  send,
  titled,
} from '../../test/support/sockets';
import { startTestServer, type TestServer } from '../../test/support/test-server';

const cases = await dialectCases();
const sockets: ClientSocket[] = [];

afterAll(() => {
  for (const socket of sockets) socket.close();
});

async function open(url: string, who: string) {
  const connected = await connectAs(url, who);
  sockets.push(connected.socket);
  return connected;
}

/** The answer to one frame: the next `messages_response` for the conversation after `emit`. */
async function answer(socket: ClientSocket, conversationId: number, emit: () => void): Promise<MessagesResponseEvent> {
  const response = nextEvent(socket, 'messages_response', (r) => r.conversation_id === conversationId);
  emit();
  return response;
}

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`edits and deletes on ${dialect.name}`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let url: string;
    let casey: { socket: ClientSocket; conversations: ConversationSummary[] };
    let caseyTab2: ClientSocket;
    let wes: ClientSocket;
    let wren: ClientSocket;
    let sink: number;
    let fence: number;
    let wardrobe: number;

    const latest = (socket: ClientSocket, conversationId: number) =>
      answer(socket, conversationId, () => socket.emit('get_messages', { conversation_id: conversationId }));
    const stored = (id: string) =>
      server.db.selectFrom('messages').select(['text', 'deleted', 'rev', 'edited_at']).where('public_id', '=', id).executeTakeFirstOrThrow();

    beforeAll(async () => {
      database = await dialect.create();
      // The rate limit is not under test here; the race below sends a burst from two tabs.
      server = await startTestServer({ databaseUrl: database.url, ratePerSecond: 1000 });
      url = server.url;
      const demo = await openDemoSockets(url, open);
      ({ casey, caseyTab2, wren, sink, fence, wardrobe } = demo);
      wes = demo.wes.socket;
    });

    afterAll(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('edits: the ack and message_updated to every other socket of both sides, each with its is_mine; rev rises by one', async () => {
      const sent = await say(casey.socket, sink, 'See you Thursday at 9');
      const before = await latest(casey.socket, sink);
      const atTab2 = nextEvent(caseyTab2, 'message_updated', (e) => e.message.id === sent.id);
      const atWes = nextEvent(wes, 'message_updated', (e) => e.message.id === sent.id);
      const echoes = record(casey.socket, 'message_updated');
      const overheard = record(wren, 'message_updated');

      const ack = await edit(casey.socket, { conversation_id: sink, message_id: sent.id, message: '  See you Thursday at 10  ' });
      expect(ack).toEqual({
        ok: true,
        message: { ...sent, message_text: 'See you Thursday at 10', edited_at: expect.any(String), rev: before.rev + 1 },
      });
      if (!ack.ok) return;
      expect(Date.parse(ack.message.edited_at!)).not.toBeNaN();
      expect(await atTab2).toEqual({ conversation_id: sink, message: ack.message });
      expect(await atWes).toEqual({ conversation_id: sink, message: { ...ack.message, is_mine: false } });

      const after = await latest(wes, sink);
      expect(after.rev).toBe(before.rev + 1);
      expect(after.messages.find((m) => m.id === sent.id)).toEqual({ ...ack.message, is_mine: false });
      expect(await stored(sent.id)).toEqual({ text: 'See you Thursday at 10', deleted: 0, rev: before.rev + 1, edited_at: ack.message.edited_at });
      // The acting socket learnt of it from the ack alone; nobody outside the conversation heard anything.
      expect(echoes).toEqual([]);
      expect(overheard).toEqual([]);
    });

    it('takes a repeated edit (a retry after a lost ack) as done: the same ack, no rev, no event', async () => {
      const sent = await say(casey.socket, sink, 'Bring the long wrench');
      const atWes = record(wes, 'message_updated');
      const first = await edit(casey.socket, { conversation_id: sink, message_id: sent.id, message: 'Bring the big wrench' });
      const again = await edit(casey.socket, { conversation_id: sink, message_id: sent.id, message: 'Bring the big wrench ' });
      expect(again).toEqual(first);
      const { rev } = await latest(casey.socket, sink);
      expect(first.ok && first.message.rev).toBe(rev);
      // A later change is the barrier: the repeat, had it sent anything, would have arrived before it.
      const barrier = nextEvent(wes, 'message_updated', (e) => e.message.message_text === 'Bring any wrench');
      await edit(casey.socket, { conversation_id: sink, message_id: sent.id, message: 'Bring any wrench' });
      await barrier;
      expect(atWes.map((e) => e.message.message_text)).toEqual(['Bring the big wrench', 'Bring any wrench']);
      expect(atWes.map((e) => e.message.rev)).toEqual([rev, rev + 1]);
    });

    it('deletes: a tombstone everywhere, the text erased in the database; twice is a no-op; it cannot be edited', async () => {
      const sent = await say(wes, sink, 'My door code is 4711');
      const before = await latest(wes, sink);
      const atCasey = nextEvent(casey.socket, 'message_updated', (e) => e.message.id === sent.id);
      const atTab2 = nextEvent(caseyTab2, 'message_updated', (e) => e.message.id === sent.id);
      const ack = await remove(wes, { conversation_id: sink, message_id: sent.id });
      const tombstone: Message = { ...sent, message_text: '', deleted: true, rev: before.rev + 1 };
      expect(ack).toEqual({ ok: true, message: tombstone });
      expect((await atCasey).message).toEqual({ ...tombstone, is_mine: false });
      expect((await atTab2).message).toEqual({ ...tombstone, is_mine: false });
      expect(await stored(sent.id)).toEqual({ text: '', deleted: 1, rev: before.rev + 1, edited_at: null });

      const quiet = record(casey.socket, 'message_updated');
      expect(await remove(wes, { conversation_id: sink, message_id: sent.id })).toEqual(ack);
      const refused = await edit(wes, { conversation_id: sink, message_id: sent.id, message: 'My door code is 1234' });
      expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: 'a deleted message cannot be edited' } });
      const page = await latest(casey.socket, sink);
      expect(page.rev).toBe(before.rev + 1);
      expect(page.messages.find((m) => m.id === sent.id)).toEqual({ ...tombstone, is_mine: false });
      expect(quiet).toEqual([]);
      expect(await stored(sent.id)).toMatchObject({ text: '', deleted: 1 });
    });

    it('refuses what the user may not change: forbidden for another’s or a SYSTEM message, not_found for unknown ids', async () => {
      const wesMessage = await say(wes, sink, 'Only I may change this');
      const inFence = await say(casey.socket, fence, 'A message of another conversation');
      const inWardrobe = await say(casey.socket, wardrobe, 'Wes is not in this one');
      const systemAt = nextEvent(casey.socket, 'message', (e) => e.conversation_id === fence && e.message.message_type === 'SYSTEM');
      await markComplete(casey.socket, fence);
      const system = (await systemAt).message;
      expect(system).toMatchObject({ is_mine: true, message_type: 'SYSTEM' });
      const before = await latest(casey.socket, sink);
      const errors = record(wes, 'error');

      const refusal = (code: string, message: string, conversationId: number) => ({ ok: false, error: { code, message }, conversationId });
      const tried = async (ack: Promise<{ ok: boolean }>, conversationId: number) => ({ ...(await ack), conversationId });
      const forbidden = [
        await tried(edit(casey.socket, { conversation_id: sink, message_id: wesMessage.id, message: 'hijacked' }), sink),
        await tried(remove(casey.socket, { conversation_id: sink, message_id: wesMessage.id }), sink),
        await tried(edit(casey.socket, { conversation_id: fence, message_id: system.id, message: 'rewritten' }), fence),
        await tried(remove(casey.socket, { conversation_id: fence, message_id: system.id }), fence),
      ];
      expect(forbidden).toEqual([
        refusal('forbidden', 'only the sender may change a message', sink),
        refusal('forbidden', 'only the sender may change a message', sink),
        refusal('forbidden', 'only text messages can be changed', fence),
        refusal('forbidden', 'only text messages can be changed', fence),
      ]);
      const notFound = [
        // Unknown, and one of another conversation named with this one.
        await edit(casey.socket, { conversation_id: sink, message_id: randomUUID(), message: 'x' }),
        await remove(casey.socket, { conversation_id: sink, message_id: inFence.id }),
        await edit(casey.socket, { conversation_id: sink, message_id: inFence.id, message: 'x' }),
      ];
      for (const ack of notFound) expect(ack).toEqual({ ok: false, error: { code: 'not_found', message: 'message not found' } });

      // A conversation Wes is not in: exactly as one that does not exist, whether or not the message is real.
      const probes = [
        await edit(wes, { conversation_id: wardrobe, message_id: inWardrobe.id, message: 'x' }),
        await remove(wes, { conversation_id: wardrobe, message_id: inWardrobe.id }),
        await edit(wes, { conversation_id: 987_654, message_id: inWardrobe.id, message: 'x' }),
        await remove(wes, { conversation_id: 987_654, message_id: randomUUID() }),
      ];
      for (const ack of probes) expect(ack).toEqual({ ok: false, error: { code: 'not_found', message: 'conversation not found' } });

      // Bad text: the same codes as for a send.
      expect(await edit(wes, { conversation_id: sink, message_id: wesMessage.id, message: '   ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(await edit(wes, { conversation_id: sink, message_id: wesMessage.id, message: 'x'.repeat(4001) })).toMatchObject({ ok: false, error: { code: 'too_large' } });
      // Without an ack callback the refusal is an `error` event naming the conversation.
      const event = nextEvent(wes, 'error', (e) => e.code === 'forbidden');
      (wes as unknown as { emit: (e: string, p: unknown) => void }).emit('delete_message', { conversation_id: fence, message_id: system.id });
      expect(await event).toMatchObject({ code: 'forbidden', conversation_id: fence });
      expect(errors).toHaveLength(1);

      // Nothing changed anywhere.
      expect((await latest(casey.socket, sink)).rev).toBe(before.rev);
      expect(await stored(wesMessage.id)).toMatchObject({ text: 'Only I may change this', deleted: 0, rev: 0 });
      expect(await stored(inWardrobe.id)).toMatchObject({ text: 'Wes is not in this one', deleted: 0, rev: 0 });
      expect(await stored(system.id)).toMatchObject({ deleted: 0, rev: 0 });
    });

    it('sync with after_rev brings an edit and a delete made while the client was away, whatever their seq', async () => {
      const old = await say(casey.socket, sink, 'Old news, soon corrected');
      const doomed = await say(casey.socket, sink, 'Old news, soon deleted');
      const away = await latest(wes, sink);
      const afterSeq = away.messages.at(-1)!.seq;
      wes.close();

      const fresh = await say(casey.socket, sink, 'New while Wes was away');
      await edit(casey.socket, { conversation_id: sink, message_id: old.id, message: 'Corrected while Wes was away' });
      await remove(casey.socket, { conversation_id: sink, message_id: doomed.id });

      wes = (await open(url, WES)).socket;
      const withRev = await answer(wes, sink, () =>
        wes.emit('sync', { conversations: [{ conversation_id: sink, after_seq: afterSeq, after_rev: away.rev }] }),
      );
      expect(withRev).toMatchObject({ conversation_id: sink, after_seq: afterSeq, has_more: true, rev: away.rev + 2 });
      expect(withRev.messages.map((m) => [m.seq, m.message_text, m.deleted, m.rev])).toEqual([
        [old.seq, 'Corrected while Wes was away', false, away.rev + 1],
        [doomed.seq, '', true, away.rev + 2],
        [fresh.seq, 'New while Wes was away', false, 0],
      ]);
      expect(withRev.messages.every((m) => !m.is_mine)).toBe(true);

      // Without after_rev only what is new, as before revisions existed; with the latest rev, nothing changed.
      const seqOnly = await answer(wes, sink, () => wes.emit('sync', { conversations: [{ conversation_id: sink, after_seq: afterSeq }] }));
      expect(seqOnly.messages.map((m) => m.seq)).toEqual([fresh.seq]);
      const upToDate = await answer(wes, sink, () =>
        wes.emit('sync', { conversations: [{ conversation_id: sink, after_seq: fresh.seq, after_rev: withRev.rev }] }),
      );
      expect(upToDate).toMatchObject({ messages: [], after_seq: fresh.seq, rev: withRev.rev });
    });

    it('answers at most 200 in all: changed and new together beyond that get the latest page instead', async () => {
      const author = (await findUserByEmail(server.db, WREN))!;
      const sender = { userId: author.id, name: author.name, avatar: author.avatar };
      // Stored and changed directly: through one socket they would exceed its rate limit.
      const store = (text: string) =>
        storeMessage(server, { conversationId: wardrobe, sender, clientId: randomUUID(), text, type: 'TEXT' }).then((s) => s.record);
      const olds = [];
      for (let i = 0; i < 51; i += 1) olds.push(await store(`to be edited ${i}`));
      const base = await latest(wren, wardrobe);
      for (const [i, r] of olds.entries()) {
        await changeMessage(server, { conversationId: wardrobe, publicId: r.publicId, userId: author.id, change: { kind: 'edit', text: `edited ${i}` } });
      }
      const afterSeq = olds.at(-1)!.seq;
      for (let i = 0; i < 150; i += 1) await store(`new ${i}`);
      const sync = (afterRev: number) =>
        answer(casey.socket, wardrobe, () =>
          casey.socket.emit('sync', { conversations: [{ conversation_id: wardrobe, after_seq: afterSeq, after_rev: afterRev }] }),
        );

      // 150 new and 50 changed: 200, answered in full.
      const full = await sync(base.rev + 1);
      expect(full.after_seq).toBe(afterSeq);
      expect(full.messages).toHaveLength(200);
      expect(full.messages.slice(0, 50).map((m) => m.message_text)).toEqual(olds.slice(1).map((_, i) => `edited ${i + 1}`));
      expect(full.messages.map((m) => m.seq)).toEqual([...full.messages.map((m) => m.seq)].sort((a, b) => a - b));
      // 150 new and 51 changed: the latest page, which replaces the cache.
      const page = await sync(base.rev);
      expect(page.after_seq).toBeUndefined();
      expect(page).toMatchObject({ has_more: true, rev: base.rev + 51 });
      expect(page.messages).toHaveLength(50);
      expect(page.messages.at(-1)).toMatchObject({ seq: afterSeq + 150, message_text: 'new 149' });
    }, 60_000);

    it('keeps an edit made while the send’s client_id retry is in flight: the retry acks the edited message', async () => {
      const payload = { conversation_id: sink, message: 'Arriving at 9', type: 'TEXT' as const, client_id: randomUUID() };
      const first = await send(casey.socket, payload);
      if (!first.ok) throw new Error('send failed');
      const atWes = record(wes, 'message');
      const edited = await edit(casey.socket, { conversation_id: sink, message_id: first.message.id, message: 'Arriving at 10' });
      // The outbox's retry of the original send (its ack was lost) reaches the server after the edit.
      const retry = await send(caseyTab2, payload);
      expect(retry).toEqual(edited);
      expect(await stored(first.message.id)).toMatchObject({ text: 'Arriving at 10' });
      const deleted = await remove(casey.socket, { conversation_id: sink, message_id: first.message.id });
      expect(await send(casey.socket, payload)).toEqual(deleted);
      expect(await stored(first.message.id)).toMatchObject({ text: '', deleted: 1 });
      const barrier = nextEvent(wes, 'message', (e) => e.message.message_text === 'barrier');
      await say(casey.socket, sink, 'barrier');
      await barrier;
      expect(atWes.map((e) => e.message.message_text)).toEqual(['barrier']);
    });

    it('shows edits and deletes in the conversation list’s last message', async () => {
      const last = await say(wes, fence, 'Paint dries by Friday');
      await edit(wes, { conversation_id: fence, message_id: last.id, message: 'Paint dries by Saturday' });
      const listed = (await open(url, CASEY)).conversations;
      expect(titled(listed, 'Paint the fence').last_message).toMatchObject({ id: last.id, message_text: 'Paint dries by Saturday', edited_at: expect.any(String), is_mine: false });
      await remove(wes, { conversation_id: fence, message_id: last.id });
      const after = (await open(url, CASEY)).conversations;
      expect(titled(after, 'Paint the fence').last_message).toMatchObject({ id: last.id, message_text: '', deleted: true });
    });

    it('orders an edit and a delete of one message racing from two tabs: a tombstone stays a tombstone', async () => {
      const messages = await Promise.all(Array.from({ length: 12 }, (_, i) => say(casey.socket, sink, `race ${i}`)));
      const before = await latest(casey.socket, sink);
      const acks = await Promise.all(
        messages.flatMap((m, i) => [
          edit(i % 2 ? casey.socket : caseyTab2, { conversation_id: sink, message_id: m.id, message: `raced ${i}` }),
          remove(i % 2 ? caseyTab2 : casey.socket, { conversation_id: sink, message_id: m.id }),
        ]),
      );
      const effective = acks.filter((a) => a.ok).length;
      for (const m of messages) expect(await stored(m.id)).toMatchObject({ text: '', deleted: 1 });
      // Every change that took effect has its own rev; an edit after the delete was refused.
      const after = await latest(casey.socket, sink);
      expect(after.rev).toBe(before.rev + effective);
      const revs = after.messages.filter((m) => messages.some((x) => x.id === m.id)).map((m) => m.rev);
      expect(new Set(revs).size).toBe(messages.length);
      for (const ack of acks.filter((a) => !a.ok)) expect(ack).toMatchObject({ error: { code: 'forbidden' } });
    });
  });
}

describe('privacy', () => {
  it('no frame of this run carried an email, a user id or a password hash, message_updated included', () => {
    expect(eventsIn(receivedFrames)).toContain('message_updated');
    expect(privateDataIn(receivedFrames)).toEqual([]);
  });
});
