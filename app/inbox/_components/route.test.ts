// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { pushConversation } from './route';

/** Until every push scheduled so far has run (each waits for a frame, or 200 ms at the most). */
const pushesDone = () => new Promise((resolve) => setTimeout(resolve, 250));

describe('pushConversation', () => {
  afterEach(() => window.history.replaceState(null, '', '/inbox'));

  it('writes the entry after the switch, once, and every switch in order', async () => {
    window.history.replaceState(null, '', '/inbox');
    const entries = window.history.length;
    expect(pushConversation(1)).toBe(true);
    // The address changes after the switch's frame, not in the click.
    expect(window.location.pathname).toBe('/inbox');
    // A second click on it meanwhile is no switch.
    expect(pushConversation(1)).toBe(false);
    expect(pushConversation(2)).toBe(true);
    await pushesDone();
    expect(window.location.pathname).toBe('/inbox/2');
    expect(window.history.length).toBe(entries + 2);
    expect(pushConversation(2)).toBe(false);
  });

  it('a Back or Forward before the entry is written drops it: the reader has moved on', async () => {
    window.history.replaceState(null, '', '/inbox/3');
    expect(pushConversation(4)).toBe(true);
    window.history.replaceState(null, '', '/inbox/5');
    window.dispatchEvent(new PopStateEvent('popstate'));
    await pushesDone();
    expect(window.location.pathname).toBe('/inbox/5');
  });
});
