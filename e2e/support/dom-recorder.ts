// A MutationObserver installed before any page script runs, so elements that live for a few milliseconds
// (the loading placeholder, a pending message) are still seen. Times are the page's Date.now(), the same
// wall clock the network recorder uses in the test process.
import type { BrowserContext, Page } from '@playwright/test';

export type DomEvent =
  | { what: 'thread-loading'; t: number; conversation: string | null }
  | { what: 'message'; t: number; status: string | null; mine: string | null; text: string }
  | { what: 'connection'; t: number; state: string | null };

declare global {
  interface Window {
    __domLog?: DomEvent[];
  }
}

function installObserver(): void {
  const log: DomEvent[] = [];
  window.__domLog = log;
  const watched = '[data-testid="thread-loading"],[data-testid="message"],[data-testid="connection-status"]';
  const visit = (el: Element): void => {
    const t = Date.now();
    switch (el.getAttribute('data-testid')) {
      case 'thread-loading': {
        const thread = el.closest('[data-conversation-id]') ?? document.querySelector('[data-testid="thread"]');
        log.push({ what: 'thread-loading', t, conversation: thread?.getAttribute('data-conversation-id') ?? null });
        break;
      }
      case 'message':
        log.push({
          what: 'message',
          t,
          status: el.getAttribute('data-status'),
          mine: el.getAttribute('data-mine'),
          text: el.textContent ?? '',
        });
        break;
      case 'connection-status':
        log.push({ what: 'connection', t, state: el.getAttribute('data-state') });
        break;
    }
  };
  const scan = (node: Node): void => {
    if (!(node instanceof Element)) return;
    visit(node);
    node.querySelectorAll(watched).forEach(visit);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList') record.addedNodes.forEach(scan);
      else if (record.target instanceof Element) visit(record.target);
    }
  }).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-status', 'data-state', 'data-testid'],
  });
}

export async function installDomRecorder(context: BrowserContext): Promise<void> {
  await context.addInitScript(installObserver);
}

/** The DOM events recorded since the page's last navigation. */
export async function domEvents(page: Page): Promise<DomEvent[]> {
  return page.evaluate(() => window.__domLog ?? []);
}

/** A checkpoint in the DOM log: events after it are returned by `domEventsSince`. */
export async function domMark(page: Page): Promise<number> {
  return (await domEvents(page)).length;
}

export async function domEventsSince(page: Page, mark: number): Promise<DomEvent[]> {
  return (await domEvents(page)).slice(mark);
}
