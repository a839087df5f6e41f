// Scenarios 4 and 6: messages arrive live in the open thread, and one's own message shows at once as
// pending, becomes sent on the ack, stays cached, and reaches the other side exactly once.
import type { Message, MessageEvent, SendMessageAck } from '../protocol';
import { expect, test, TITLES, uniqueText } from './kit';

test('a message Wes sends in the conversation Casey is viewing appears without Casey asking for it', async ({
  casey,
  wes,
}) => {
  const a = await casey.inbox.open(TITLES.sink);
  await wes.inbox.open(TITLES.sink);
  const count = await casey.inbox.messages().count();
  await casey.net.quiet();
  const before = casey.net.mark();

  const text = uniqueText('The part arrived, coming over now.');
  await wes.inbox.send(text);
  await expect(casey.inbox.message(text)).toHaveCount(1);
  await expect(casey.inbox.message(text)).toHaveAttribute('data-mine', 'false');
  await expect(casey.inbox.messages()).toHaveCount(count + 1);
  await expect(casey.inbox.link(TITLES.sink)).toContainText(text);
  await expect(casey.inbox.unreadBadge(TITLES.sink)).toHaveCount(0);
  await casey.net.quiet();

  expect(casey.net).toHaveReceivedOnce(
    'message',
    { conversation_id: a, message: { conversation_id: a, message_text: text, is_mine: false } },
    { since: before },
  );
  expect(casey.net).toHaveReceived('message', undefined, { since: before, times: 1 });
  const message = (casey.net.receivedEvents('message', before)[0]?.payload as MessageEvent | undefined)?.message;

  // Decision: the message itself must come only from the live `message` event: no get_messages, sync or
  // send. Viewing a conversation reads what arrives in it, and CONTRACT counts unread messages above the
  // reader's mark, so one `mark_read` up to this message's seq is what a messenger should send (and is the
  // only frame allowed); sending none is also accepted, since the contract does not demand read receipts.
  const sent = casey.net.since(before).filter((f) => f.dir === 'sent');
  expect(sent.filter((f) => f.event !== 'mark_read'), 'frames other than mark_read').toEqual([]);
  expect(sent.map((f) => f.payload)).toEqual(
    sent.length ? [{ conversation_id: a, up_to_seq: message?.seq }] : [],
  );
});

test('Casey sends: pending at once, sent on the ack, cached on return, delivered to Wes once', async ({
  casey,
  wes,
}) => {
  const a = await casey.inbox.open(TITLES.sink);
  await casey.inbox.open(TITLES.fence);
  await casey.inbox.link(TITLES.sink).click();
  await casey.inbox.shows(a);
  await wes.inbox.open(TITLES.sink);
  await casey.net.quiet();
  const before = casey.net.mark();
  const wesBefore = wes.net.mark();
  const domBefore = await casey.dom.mark();

  const text = uniqueText('Could you also check the tap in the bathroom?');
  await casey.inbox.send(text);
  await expect(casey.inbox.message(text)).toHaveAttribute('data-status', 'sent');
  await expect(casey.inbox.message(text)).toHaveAttribute('data-mine', 'true');
  await expect(casey.inbox.composer()).toHaveValue('');

  await expect.poll(() => casey.net.sentEvents('send_message', before).map((f) => f.payload)).toEqual([
    { conversation_id: a, message: text, type: 'TEXT', client_id: expect.any(String) },
  ]);
  const [send] = casey.net.sentEvents('send_message', before);
  await expect.poll(() => send && casey.net.ackFor(send), 'ack of send_message').toBeDefined();
  const ack = send && casey.net.ackFor(send);
  const acked = ack?.payload as SendMessageAck;
  expect(acked).toMatchObject({ ok: true, message: { message_text: text, is_mine: true } });
  const stored = (acked as { message: Message }).message;
  expect(stored.client_id).toBe((send?.payload as { client_id: string }).client_id);

  // Both clocks are Date.now() on this machine. The recorder learns of the ack after the page got it, so
  // the page drawing the message before `ack.t` is necessary; and the first drawing being `pending` (not
  // `sent`) shows that it did not wait for the server.
  const drawn = (await casey.dom.since(domBefore)).filter(
    (e) => e.what === 'message' && e.text.includes(text),
  );
  expect(drawn[0]).toMatchObject({ status: 'pending', mine: 'true' });
  expect(drawn[0]?.t).toBeLessThanOrEqual(ack?.t ?? 0);
  expect(drawn.at(-1)).toMatchObject({ status: 'sent' });

  // A → B → A: the sent message is in the cache, no frame leaves.
  await casey.net.quiet();
  const away = casey.net.mark();
  await casey.inbox.open(TITLES.fence);
  await casey.inbox.link(TITLES.sink).click();
  await casey.inbox.shows(a);
  await expect(casey.inbox.message(text)).toHaveCount(1);
  await expect(casey.inbox.message(text)).toHaveAttribute('data-status', 'sent');
  await casey.net.quiet();
  expect(casey.net).toHaveSentNothingSince(away);

  // Wes: exactly one `message` event with it, and it shows once.
  await expect(wes.inbox.message(text)).toHaveCount(1);
  await expect(wes.inbox.message(text)).toHaveAttribute('data-mine', 'false');
  await wes.net.quiet();
  expect(wes.net).toHaveReceivedOnce('message', { message: { message_text: text } }, { since: wesBefore });
  expect(wes.net).toHaveReceivedOnce(
    'message',
    { conversation_id: a, message: { message_text: text, seq: stored.seq, is_mine: false } },
    { since: wesBefore },
  );
});
