// Presence against the real server: the list says whether each counterpart is online when it arrives,
// and `presence` frames keep it current as their first socket comes and their last one goes.
import { describe, expect, it } from 'vitest';
import { inboxStopped, selectConversation } from '../index';
import { CASEY, conversationTitled, inboxPerTest, TITLES, until, WES } from '../test/inbox';

const each = inboxPerTest();

describe('presence', () => {
  it('the counterpart comes online and goes offline, with when they were last seen', async () => {
    const server = await each.start();
    const wes = await server.store(WES);
    const [sink, fence] = [conversationTitled(wes, TITLES.sink), conversationTitled(wes, TITLES.fence)];
    const counterpart = (id: number) => selectConversation(wes.getState(), id)!.counterpart;
    expect(counterpart(sink)).toMatchObject({ name: 'Casey Client', online: false, last_seen_at: null });

    const casey = await server.store(CASEY);
    await until(() => counterpart(sink).online && counterpart(fence).online, 'Casey online in both conversations');
    // A list fetched now says so too.
    const later = await server.store(WES);
    expect(selectConversation(later.getState(), sink)!.counterpart).toMatchObject({ online: true, last_seen_at: null });
    // And Casey's list, which came while Wes was here, has him online.
    expect(selectConversation(casey.getState(), sink)!.counterpart).toMatchObject({ name: 'Wes Worker', online: true });

    const left = Date.now();
    casey.dispatch(inboxStopped());
    await until(() => !counterpart(sink).online && !counterpart(fence).online, 'Casey offline', 15_000);
    const seen = Date.parse(counterpart(sink).last_seen_at!);
    expect(seen).toBeGreaterThanOrEqual(left - 1000);
    expect(seen).toBeLessThanOrEqual(Date.now());
    // One departure, one time, in every conversation with her.
    expect(counterpart(fence).last_seen_at).toBe(counterpart(sink).last_seen_at);
  }, 30_000);
});
