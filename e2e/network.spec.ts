// Scenario 1, the network tab: once the inbox has loaded, everything a person does travels as frames on
// one WebSocket; no document, fetch, XHR, EventSource, RSC or API request (CONTRACT sections 3 and 4).
import { canMarkAJob, expect, NEEDS_FRESH_JOB, test, TITLES, uniqueText } from './kit';

test('after the inbox has loaded, opening, switching, sending, receiving and completing use only the one socket', async ({
  casey,
  wes,
  jobs,
}) => {
  test.slow(); // some forty steps through two browsers
  const { inbox, net, page } = casey;
  // The job Casey marks at the end: "Fix my sink" on a fresh server, a job of its own on a deployment.
  const job = canMarkAJob ? await jobs.unmarked() : null;
  const loaded = net.mark();

  const ids = [
    await inbox.open(TITLES.sink),
    await inbox.open(TITLES.fence),
    await inbox.open(TITLES.wardrobe),
  ];
  const titles = [TITLES.sink, TITLES.fence, TITLES.wardrobe];
  for (let i = 0; i < 10; i++) await inbox.open(titles[i % titles.length] ?? TITLES.sink);

  // Back and Forward switch conversations the same way, without a request.
  await page.goBack();
  await inbox.shows(ids[2] ?? 0);
  await page.goForward();
  await inbox.shows(ids[0] ?? 0);

  const mine = uniqueText('Can you come on Tuesday?');
  await inbox.send(mine);
  await expect(inbox.message(mine)).toHaveAttribute('data-status', 'sent');

  await wes.inbox.open(TITLES.sink);
  const theirs = uniqueText('Tuesday works, see you at 9.');
  await wes.inbox.send(theirs);
  await expect(inbox.message(theirs)).toBeVisible();

  const jobId = job === null ? null : await inbox.open(job);
  if (job !== null) {
    await inbox.markCompleteButton().click();
    await expect(inbox.markCompleteButton()).toBeDisabled();
  } else {
    test.info().annotations.push({ type: 'not checked: marking complete', description: NEEDS_FRESH_JOB });
  }
  await net.quiet();

  expect(net).toHaveMadeNoRequestSince(loaded);
  expect(net).toHaveOnlyTheInboxSocket();
  // The work really went over the socket: each history asked for once however often it was opened, the
  // message sent once, the job marked once.
  for (const id of ids) expect(net).toHaveSentOnce('get_messages', { conversation_id: id }, { since: loaded });
  expect(net).toHaveSentOnce('send_message', { conversation_id: ids[0], message: mine }, { since: loaded });
  expect(net).toHaveSent('send_message', undefined, { since: loaded, times: 1 });
  if (jobId !== null) expect(net).toHaveSentOnce('mark_complete', { conversation_id: jobId }, { since: loaded });
});
