// The kit's own tests: the network matchers on recordings built by hand (the raw frames as socket.io puts
// them on the wire, decoded by the same recorder a page uses), so each can be shown to fail, with the
// message a person would read. No browser, no server.
import { expect, markdownTimeline, NetworkRecorder, test, type Mark } from '.';

const ORIGIN = 'http://inbox.test';
const SOCKET = 'ws://inbox.test/ws/inbox/?EIO=4&transport=websocket';

/** A recording with its own clock: `at(1.5)` makes what is recorded next happen 1.5 s after the start. */
function recording() {
  const start = 1_700_000_000_000;
  let now = start;
  const net = new NetworkRecorder(undefined, { now: () => now });
  return {
    net,
    at(seconds: number) {
      now = start + seconds * 1000;
    },
  };
}

/** The inbox loaded: its document, its one socket, connected, the conversation list received. */
function loadedInbox() {
  const r = recording();
  const { net, at } = r;
  at(0.1);
  net.recordRequest('document', 'GET', `${ORIGIN}/inbox`);
  at(0.4);
  net.recordRequest('script', 'GET', `${ORIGIN}/_next/static/chunks/main.js`);
  at(0.6);
  const socket = net.recordSocket(SOCKET);
  net.recordFrame(socket, 'received', '0{"sid":"e1","upgrades":[],"pingInterval":25000,"pingTimeout":20000}');
  net.recordFrame(socket, 'sent', '40');
  at(0.7);
  net.recordFrame(socket, 'received', '40{"sid":"s1"}');
  net.recordFrame(socket, 'received', '42["conversations",{"conversations":[{"id":7},{"id":8}]}]');
  return { ...r, socket };
}

/** Casey opens conversation 7: one get_messages, its answer, a keep-alive in between. */
function openedSeven() {
  const r = loadedInbox();
  const { net, at, socket } = r;
  at(1);
  const opened = net.mark();
  at(1.2);
  net.recordFrame(socket, 'sent', '42["get_messages",{"conversation_id":7}]');
  at(1.3);
  net.recordFrame(socket, 'received', '2');
  net.recordFrame(socket, 'sent', '3');
  at(1.4);
  net.recordFrame(
    socket,
    'received',
    '42["messages_response",{"conversation_id":7,"messages":[{"seq":1,"message_text":"Hi"},{"seq":2,"message_text":"Hello"},{"seq":3,"message_text":"Tuesday?"}],"has_more":false}]',
  );
  return { ...r, opened };
}

test.describe('toHaveSentOnce', () => {
  test('passes on exactly one frame of the event containing the fields, since the mark', () => {
    const { net, opened } = openedSeven();
    expect(net).toHaveSentOnce('get_messages', { conversation_id: 7 }, { since: opened });
    expect(net).toHaveSentOnce('get_messages', { conversation_id: 7 });
    expect(net).toHaveSentOnce('get_messages');
    expect(net).not.toHaveSentOnce('get_messages', { conversation_id: 8 });
  });

  test('fails on a second frame, printing every frame since the mark', () => {
    const { net, at, socket, opened } = openedSeven();
    at(2.25);
    net.recordFrame(socket, 'sent', '42["get_messages",{"conversation_id":7}]');
    const check = () => expect(net).toHaveSentOnce('get_messages', { conversation_id: 7 }, { since: opened });
    expect(check).toThrow(/expect\(net\)\.toHaveSentOnce\('get_messages', \{"conversation_id":7\}, \{ since: mark \}\)\n/);
    expect(check).toThrow(
      /Expected: exactly one sent 'get_messages' frame\(s\) whose payload contains \{"conversation_id":7\} since the mark at \+1\.000s/,
    );
    expect(check).toThrow(/Received: 2 such frame\(s\), among 2 'get_messages' frame\(s\) sent/);
    // The frames seen, one per line: time, direction, event, short payload; keep-alives left out.
    expect(check).toThrow(/\+1\.200s ↑ get_messages\s+\{"conversation_id":7\}/);
    expect(check).toThrow(/\+1\.400s ↓ messages_response \{"conversation_id":7,"messages":\[\{"seq":1,"message_text":"Hi"\},"…1 more…",/);
    expect(check).toThrow(/\+2\.250s ↑ get_messages\s+\{"conversation_id":7\}/);
    expect(check).not.toThrow(/↓ 2|↑ engine|conversations/);
  });

  test('fails when the only frame of the event is for another conversation', () => {
    const { net, opened } = openedSeven();
    expect(() => expect(net).toHaveSentOnce('get_messages', { conversation_id: 8 }, { since: opened })).toThrow(
      /Received: 0 such frame\(s\), among 1 'get_messages' frame\(s\) sent/,
    );
  });

  test('fails when nothing of the event was sent since the mark, though it was before it', () => {
    const { net } = openedSeven();
    const later = net.mark();
    expect(() => expect(net).toHaveSentOnce('get_messages', { conversation_id: 7 }, { since: later })).toThrow(
      /Received: 0 such frame\(s\)[\s\S]*Frames since the mark at \+1\.400s[\s\S]*\(nothing\)/,
    );
  });

  test('reads fields the way toMatchObject does: nested, partial, with expect.any', () => {
    const { net, at, socket } = loadedInbox();
    at(3);
    net.recordFrame(socket, 'sent', '421["send_message",{"conversation_id":7,"message":"On my way","type":"TEXT","client_id":"c-1"}]');
    expect(net).toHaveSentOnce('send_message', { message: 'On my way', client_id: expect.any(String) });
    expect(() => expect(net).toHaveSentOnce('send_message', { message: 'On my way', client_id: expect.any(Number) })).toThrow(
      /Received: 0 such frame[\s\S]*\+3\.000s ↑ send_message\s+ack 1 \{"conversation_id":7,"message":"On my way"/,
    );
  });

  test('a receiver that is not a recording is told so', () => {
    expect(() => expect({ frames: [] } as unknown as NetworkRecorder).toHaveSentOnce('get_messages')).toThrow(
      /net must be a person's network recorder \(person\.net\)/,
    );
  });
});

test.describe('toHaveReceivedOnce and toHaveSent / toHaveReceived', () => {
  test('count received frames, nested fields included', () => {
    const { net, at, socket, opened } = openedSeven();
    expect(net).toHaveReceivedOnce('messages_response', { conversation_id: 7, has_more: false }, { since: opened });
    at(4);
    net.recordFrame(socket, 'received', '42["message",{"conversation_id":7,"message":{"seq":4,"message_text":"Yes"}}]');
    net.recordFrame(socket, 'received', '42["message",{"conversation_id":7,"message":{"seq":4,"message_text":"Yes"}}]');
    expect(() => expect(net).toHaveReceivedOnce('message', { message: { seq: 4 } })).toThrow(
      /Expected: exactly one received 'message' frame\(s\) whose payload contains \{"message":\{"seq":4\}\}\nReceived: 2 such frame/,
    );
    expect(net).toHaveReceived('message', { message: { message_text: 'Yes' } }, { times: 2 });
    expect(net).toHaveSent('get_messages', undefined, { since: opened, times: 1 });
    expect(net).not.toHaveSent('mark_read');
    expect(() => expect(net).not.toHaveSent('get_messages', {}, { since: opened })).toThrow(
      /expect\(net\)\.not\.toHaveSent\('get_messages', \{\}, \{ since: mark \}\)\n\nExpected: not at least one sent 'get_messages' frame\(s\) since the mark at \+1\.000s/,
    );
  });
});

test.describe('toHaveSentNothingSince', () => {
  function returned(): { net: NetworkRecorder; at: (s: number) => void; socket: number; back: Mark } {
    const r = openedSeven();
    r.at(5);
    const back = r.net.mark();
    // On return: a keep-alive pong, a live message received, an avatar image: none of them is the page asking.
    r.at(5.5);
    r.net.recordFrame(r.socket, 'received', '2');
    r.net.recordFrame(r.socket, 'sent', '3');
    r.net.recordFrame(r.socket, 'received', '42["message",{"conversation_id":8,"message":{"seq":9}}]');
    r.net.recordRequest('image', 'GET', `${ORIGIN}/avatars/wes.png`);
    return { ...r, back };
  }

  test('passes when only received frames, keep-alives and images followed the mark', () => {
    const { net, back } = returned();
    expect(net).toHaveSentNothingSince(back);
  });

  test('fails on a frame sent after the mark, and lists it', () => {
    const { net, at, socket, back } = returned();
    at(6);
    net.recordFrame(socket, 'sent', '42["get_messages",{"conversation_id":7}]');
    const check = () => expect(net).toHaveSentNothingSince(back);
    expect(check).toThrow(/expect\(net\)\.toHaveSentNothingSince\(mark\)\n/);
    expect(check).toThrow(/Expected: nothing sent \(no frame, no request\) since the mark at \+5\.000s/);
    expect(check).toThrow(/Received: 1 frame\(s\) sent, 0 request\(s\):\n\s+\+6\.000s ↑ get_messages \{"conversation_id":7\}/);
  });

  test('fails on a fetch, a document or an RSC request after the mark', () => {
    for (const [type, url] of [
      ['fetch', `${ORIGIN}/api/messages?conversation=7`],
      ['document', `${ORIGIN}/inbox/7`],
      ['other', `${ORIGIN}/inbox/7?_rsc=1x2y`],
      ['eventsource', `${ORIGIN}/events`],
    ] as const) {
      const { net, at, back } = returned();
      at(6);
      net.recordRequest(type, 'GET', url);
      expect(() => expect(net).toHaveSentNothingSince(back)).toThrow(
        new RegExp(`0 frame\\(s\\) sent, 1 request\\(s\\):\\n\\s+\\+6\\.000s → ${type}\\s+GET ${new URL(url).pathname}`),
      );
    }
  });

  test('asks for a mark from net.mark()', () => {
    const { net } = returned();
    expect(() => expect(net).toHaveSentNothingSince(undefined as unknown as Mark)).toThrow(/mark must come from net\.mark\(\)/);
  });
});

test.describe('toHaveMadeNoRequestSince', () => {
  test('frames may flow; a request may not', () => {
    const { net, at, opened } = openedSeven();
    expect(net).toHaveMadeNoRequestSince(opened);
    at(7);
    net.recordRequest('xhr', 'POST', `${ORIGIN}/api/session`);
    expect(() => expect(net).toHaveMadeNoRequestSince(opened)).toThrow(
      /Expected: nothing requested \(document, fetch, XHR, EventSource, _rsc, \/api\/\) since the mark at \+1\.000s\nReceived: 0 frame\(s\) sent, 1 request\(s\):\n\s+\+7\.000s → xhr\s+POST \/api\/session/,
    );
  });
});

test.describe('toHaveOnlyTheInboxSocket', () => {
  test('passes on the one socket at /ws/inbox/ over websocket, same origin', () => {
    const { net } = loadedInbox();
    expect(net).toHaveOnlyTheInboxSocket();
  });

  test('fails on a second socket, listing both', () => {
    const { net, at } = loadedInbox();
    at(8);
    net.recordSocket(SOCKET);
    expect(() => expect(net).toHaveOnlyTheInboxSocket()).toThrow(
      /2 WebSockets were opened, not one[\s\S]*WebSockets opened:\n\s+#0 \+0\.600s ws:\/\/inbox\.test\/ws\/inbox\/\?EIO=4&transport=websocket\n\s+#1 \+8\.000s/,
    );
  });

  test('fails on long-polling: a polling transport and HTTP requests to the socket path', () => {
    const r = recording();
    r.net.recordRequest('document', 'GET', `${ORIGIN}/inbox`);
    r.net.recordRequest('xhr', 'GET', `${ORIGIN}/ws/inbox/?EIO=4&transport=polling&t=abc`);
    r.net.recordSocket('ws://inbox.test/ws/inbox/?EIO=4&transport=polling');
    const check = () => expect(r.net).toHaveOnlyTheInboxSocket();
    expect(check).toThrow(/transport=polling, not websocket/);
    expect(check).toThrow(/an HTTP xhr request to the socket \(long-polling\): GET http:\/\/inbox\.test\/ws\/inbox\/\?EIO=4&transport=polling/);
  });

  test('fails on a socket at another path or origin, and on none at all', () => {
    const r = recording();
    r.net.recordRequest('document', 'GET', `${ORIGIN}/inbox`);
    r.net.recordSocket('ws://elsewhere.test/socket.io/?EIO=4&transport=websocket');
    expect(() => expect(r.net).toHaveOnlyTheInboxSocket()).toThrow(
      /path \/socket\.io\/, not \/ws\/inbox\/; origin ws:\/\/elsewhere\.test, not the page's ws:\/\/inbox\.test/,
    );
    const none = recording();
    expect(() => expect(none.net).toHaveOnlyTheInboxSocket()).toThrow(/0 WebSockets were opened, not one[\s\S]*\(none\)/);
  });
});

// Playwright's own pattern for a check that must fail: this test passes only while the matcher throws.
test.fail('the pattern QA can use to prove a check can fail: a duplicate get_messages fails the test', () => {
  const { net, at, socket, opened } = openedSeven();
  at(2);
  net.recordFrame(socket, 'sent', '42["get_messages",{"conversation_id":7,"before_seq":1}]');
  expect(net).toHaveSentOnce('get_messages', undefined, { since: opened });
});

test('the timeline a failed test attaches: every row in time order, requests and page changes interleaved', () => {
  const { net, at } = openedSeven();
  at(1.5); // the history drawn: its avatars load, a run of static files
  net.recordRequest('image', 'GET', `${ORIGIN}/avatars/wes.svg`);
  net.recordRequest('image', 'GET', `${ORIGIN}/avatars/casey.svg`);
  net.recordRequest('font', 'GET', `${ORIGIN}/fonts/inter.woff2`);
  const loading = { what: 'thread-loading', t: 1_700_000_001_250, conversation: '7' } as const;
  // The observer sees the placeholder twice (added, then an attribute set): one row.
  const md = markdownTimeline('casey', net, [loading, { ...loading, t: loading.t + 1 }], `${ORIGIN}/inbox/7`);
  const lines = md.split('\n');
  expect(lines[0]).toBe('# casey: network timeline');
  const table = lines.filter((l) => /^\|\s+\+/.test(l)).map((l) => l.replace(/\s+/g, ' '));
  expect(table).toEqual([
    '| +0.100s | → | document | | GET /inbox |',
    '| +0.400s | → | script | | GET /_next/static/chunks/main.js |',
    '| +0.600s | ⇄ | websocket #0 | | ws://inbox.test/ws/inbox/?EIO=4&transport=websocket |',
    '| +0.600s | ↑ | connect | | |',
    '| +0.700s | ↓ | connect | | {"sid":"s1"} |',
    '| +0.700s | ↓ | conversations | | {"conversations":[{"id":7},{"id":8}]} |',
    '| +1.200s | ↑ | get_messages | | {"conversation_id":7} |',
    '| +1.250s | · | thread-loading | | conversation 7 |',
    expect.stringMatching(/^\| \+1\.400s \| ↓ \| messages_response \| \| \{"conversation_id":7,"messages":\[/),
    '| +1.500s | → | static files | | 3: image ×2, font ×1 |',
  ]);
});
