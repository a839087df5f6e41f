// A socket's participation in memory (socket/participation.ts): a send asks the database nothing about who is
// in the conversation. Shown by taking the participants' rows away under open sockets: a socket that learned
// the conversation on connect, or from the admin API while open, still sends; a socket that connects after
// (and so must ask the database) is answered not_found. Runs on SQLite, and on PostgreSQL when reachable.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dialectCases } from '../../test/support/databases';
import { serverOn } from '../../test/support/dialect-server';
import { ADMIN_TOKEN, CASEY, WES, WREN } from '../../test/support/sign-in';
import { type ClientSocket, nextEvent, send, titled } from '../../test/support/sockets';

const cases = await dialectCases();

for (const dialect of cases) {
  describe.skipIf(dialect.skipReason !== null)(`participation in memory on ${dialect.name}`, () => {
    const running = serverOn(dialect);
    const open = running.open;
    /** Takes the conversation's participants away behind the server's back (no route does this). */
    const forgetParticipants = (conversationId: number) =>
      running.server.db.deleteFrom('participants').where('conversation_id', '=', conversationId).execute();
    const sendTo = (socket: ClientSocket, conversationId: number, message: string) =>
      send(socket, { conversation_id: conversationId, message, type: 'TEXT', client_id: randomUUID() });

    it('sends to a conversation known since connect without asking the database who is in it', async () => {
      const casey = await open(CASEY);
      const wes = await open(WES);
      const fence = titled(casey.conversations, 'Paint the fence').id;
      await forgetParticipants(fence);
      const delivered = nextEvent(wes.socket, 'message', (e) => e.conversation_id === fence);
      const ack = await sendTo(casey.socket, fence, 'known since connect');
      expect(ack).toMatchObject({ ok: true, message: { message_text: 'known since connect', is_mine: true } });
      expect((await delivered).message.message_text).toBe('known since connect');
      // A socket opened now reads the participants afresh, and finds none.
      const later = await open(CASEY);
      expect(await sendTo(later.socket, fence, 'asked the database')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    it('knows a conversation the admin API creates at once on its participants open sockets', async () => {
      const casey = await open(CASEY);
      const wren = await open(WREN);
      const listed = nextEvent(casey.socket, 'conversation_updated', (e) => e.conversation.job.title === 'Hang the shelves');
      const res = await fetch(`${running.server.url}/api/admin/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ client_email: CASEY, worker_email: WREN, title: 'Hang the shelves' }),
      });
      expect(res.status).toBe(201);
      const { conversation_id: shelves } = (await res.json()) as { conversation_id: number };
      await listed;
      await forgetParticipants(shelves);
      const delivered = nextEvent(wren.socket, 'message', (e) => e.conversation_id === shelves);
      expect(await sendTo(casey.socket, shelves, 'known from the admin API')).toMatchObject({ ok: true });
      expect((await delivered).message.is_mine).toBe(false);
    });

    it('still answers not_found for a conversation the user is not in, and remembers nothing for it', async () => {
      const wes = await open(WES);
      const casey = await open(CASEY);
      const wardrobe = titled(casey.conversations, 'Assemble wardrobe').id;
      for (let i = 0; i < 2; i += 1) {
        expect(await sendTo(wes.socket, wardrobe, 'not his')).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
      wes.socket.emit('typing', { conversation_id: wardrobe });
      expect((await nextEvent(wes.socket, 'error', (e) => e.conversation_id === wardrobe)).code).toBe('not_found');
    });
  });
}
