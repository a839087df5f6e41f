// Figure 1, switching in the browser: Casey's conversations, each opened once (the first, uncached opens
// that wait for the server), then switched among from the store's cache; socket.io frames sent counted.
import type { Browser } from '@playwright/test';
import type { NetworkRecorder } from '../../test/support/network-recorder';
import { openInbox, settle, switchTo, type Switch } from '../browser';
import { addUser, type Inbox } from '../inbox';
import { addConversations, seedBySocket } from '../seed';
import type { Sizes } from '../sizes';

export type SwitchingResult = { first: Switch[]; cached: Switch[]; framesFirst: number; framesCached: number };

/** The i-th switch target: never the open one, every conversation in turn. */
function nextTarget(current: number, i: number, count: number): number {
  return (current + 1 + (i % (count - 1))) % count;
}

export async function switching(browser: Browser, inbox: Inbox, sizes: Sizes['switching']): Promise<SwitchingResult> {
  const casey = await addUser(inbox, 'casey@bench.test', 'Casey Client');
  const wes = await addUser(inbox, 'wes@bench.test', 'Wes Worker');
  const ids = await addConversations(inbox, casey, wes, sizes.conversations);
  await seedBySocket(inbox, [wes, casey], ids, sizes.messages);

  const { page, net } = await openInbox(browser, inbox, casey, ids.length);
  try {
    const sentSince = (mark: ReturnType<NetworkRecorder['mark']>) => net.since(mark).filter((f) => f.dir === 'sent').length;
    const firstMark = net.mark();
    const first: Switch[] = [];
    for (const id of ids) {
      first.push(await switchTo(page, id));
      await settle(page);
    }
    // Opening marked everything read; the cached switches start once the read marks are back.
    await page.waitForFunction(() => !document.querySelector('[data-testid="unread-count"]'), null, { timeout: 30_000 });
    const framesFirst = sentSince(firstMark);

    const cachedMark = net.mark();
    const cached: Switch[] = [];
    let current = ids.length - 1;
    for (let i = 0; i < sizes.switches; i++) {
      current = nextTarget(current, i, ids.length);
      cached.push(await switchTo(page, ids[current]!));
      await settle(page);
    }
    return { first, cached, framesFirst, framesCached: sentSince(cachedMark) };
  } finally {
    await page.context().close();
  }
}
