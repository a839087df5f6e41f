// An example of a network-tab check written with nothing but the QA kit (e2e/README.md walks through
// it). Copy it to start a scenario of your own; it runs on a fresh server and against a deployment alike.
import { expect, test, TITLES, uniqueText } from './kit';

test('open a conversation, send, come back: one socket, one history request, nothing on the return', async ({ casey, wes }) => {
  const { net, inbox } = casey;

  // Opening a conversation asks for its history once, over the socket.
  const loaded = net.mark();
  const sink = await inbox.open(TITLES.sink);
  await net.quiet();
  expect(net).toHaveSentOnce('get_messages', { conversation_id: sink }, { since: loaded });
  expect(net).toHaveReceivedOnce('messages_response', { conversation_id: sink }, { since: loaded });

  // Sending is a frame with an ack; Wes receives it once, live.
  const text = uniqueText('Example: is Thursday fine?');
  await wes.inbox.open(TITLES.sink);
  const wesBefore = wes.net.mark();
  await inbox.send(text);
  await expect(inbox.message(text)).toHaveAttribute('data-status', 'sent');
  await expect(wes.inbox.message(text)).toBeVisible();
  expect(net).toHaveSentOnce('send_message', { conversation_id: sink, message: text }, { since: loaded });
  expect(wes.net).toHaveReceivedOnce('message', { conversation_id: sink, message: { message_text: text } }, { since: wesBefore });

  // Away and back: the history comes from the cache, nothing at all goes out.
  await inbox.open(TITLES.fence);
  await net.quiet();
  const back = net.mark();
  await inbox.link(TITLES.sink).click();
  await inbox.shows(sink);
  await net.quiet();
  expect(net).toHaveSentNothingSince(back);

  // And all of it on the one WebSocket, with no HTTP request after the page loaded.
  expect(net).toHaveMadeNoRequestSince(loaded);
  expect(net).toHaveOnlyTheInboxSocket();
});
