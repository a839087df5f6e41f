// The browser side: Debian Chromium through Playwright's library API, a signed-in inbox page, and the
// in-page switch probe. The probe is a string so that nothing of the bundler's helpers leaks into it.
import { chromium, type Browser, type Page } from '@playwright/test';
import { NetworkRecorder } from '../test/support/network-recorder';
import playwrightConfig from '../playwright.config';
import { signIn, type Inbox } from './inbox';

/** The same Chromium and flags as the end-to-end suite. */
export function launchBrowser(): Promise<Browser> {
  const launch = playwrightConfig.use?.launchOptions ?? {};
  return chromium.launch({
    ...launch,
    // performance.memory is otherwise rounded to hide it from fingerprinting.
    args: [...(launch.args ?? []), '--enable-precise-memory-info'],
  });
}

/** `frames`: the frame after the commit that painted the thread's rows (1: the first). */
export type Switch = { commit: number; paint: number; frames: number };

/**
 * window.__benchSwitch(id): clicks the conversation's link and resolves with the times from the click to
 * the DOM showing its thread with messages (commit) and to the end of the first frame that paints its rows
 * (paint): a task posted from that frame's animation callback runs once the frame's style, layout and paint
 * are done. A row the browser skips (`content-visibility: auto`) is painted as an empty box until the
 * browser finds it near the view, which it does after a frame's paint and announces by a
 * `contentvisibilityautostatechange` event before the next frame. So a frame counts only when no row in view
 * changed state after it; otherwise the next frame is judged (`frames` counts them). Judging a frame in the
 * next costs the probe a frame, not the figure.
 */
const SWITCH_PROBE = `
window.__benchSwitch = (id) => new Promise((resolve, reject) => {
  const link = document.querySelector('[data-testid="conversation-' + id + '"]');
  if (!link) return reject(new Error('no link for conversation ' + id));
  const thread = () => document.querySelector('[data-testid="thread"][data-conversation-id="' + id + '"]');
  const shown = () => {
    const log = thread();
    return !!log && !!log.querySelector('[data-testid="message"]') && !document.querySelector('[data-testid="thread-loading"]');
  };
  if (shown()) return reject(new Error('conversation ' + id + ' is already open'));
  const inView = (row, log) => {
    const box = row.getBoundingClientRect();
    const view = log.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  };
  // A row in view changed its skipped state: it was painted empty before.
  let changes = 0;
  const onState = (event) => {
    const log = thread();
    if (log && log.contains(event.target) && inView(event.target, log)) changes += 1;
  };
  document.addEventListener('contentvisibilityautostatechange', onState, true);
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('conversation ' + id + ' not shown within 20 s')); }, 20000);
  let commit = 0;
  let frames = 0;
  // The frame before: its end, and the changes counted when it began. It is judged in the next one.
  let candidate = null;
  const onFrame = () => {
    if (candidate && changes === candidate.changes) {
      document.removeEventListener('contentvisibilityautostatechange', onState, true);
      return resolve({ commit, paint: candidate.end, frames });
    }
    frames += 1;
    const before = changes;
    const after = new MessageChannel();
    after.port1.onmessage = () => {
      candidate = { end: performance.now() - clicked, changes: before };
      requestAnimationFrame(onFrame);
    };
    after.port2.postMessage(null);
  };
  const observer = new MutationObserver(() => {
    if (!shown()) return;
    commit = performance.now() - clicked;
    observer.disconnect();
    clearTimeout(timer);
    requestAnimationFrame(onFrame);
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  const clicked = performance.now();
  link.click();
});
`;

export type InboxPage = { page: Page; net: NetworkRecorder };

/** A page of `email`'s inbox, signed in, connected, its list showing `conversations` links; its frames recorded. */
export async function openInbox(browser: Browser, inbox: Inbox, email: string, conversations: number): Promise<InboxPage> {
  const context = await browser.newContext({ baseURL: inbox.url, viewport: { width: 1280, height: 800 } });
  const cookie = (await signIn(inbox, email)).split('=');
  await context.addCookies([{ name: cookie[0]!, value: cookie.slice(1).join('='), url: inbox.url }]);
  await context.addInitScript({ content: SWITCH_PROBE });
  const page = await context.newPage();
  const net = new NetworkRecorder(page);
  await page.goto('/inbox');
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    (n) => document.querySelectorAll('nav [data-testid^="conversation-"]').length === n,
    conversations,
    { timeout: 30_000 },
  );
  return { page, net };
}

export function switchTo(page: Page, conversationId: number): Promise<Switch> {
  return page.evaluate(`window.__benchSwitch(${conversationId})`) as Promise<Switch>;
}

/** Lets the page finish what a switch started (read marks, effects) before the next one. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)))');
}
