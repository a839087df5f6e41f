// What a screen reader would be told by the thread's live region: a MutationObserver, installed before
// any page script runs, notes for every message row put into a log (and for every log that is shown)
// how polite the log was at that moment. The observer runs right after the DOM change, before the
// browser turns it into accessibility events, so what it sees is what assistive tech is handed.
import type { Page } from '@playwright/test';

export type LiveEntry =
  | { kind: 'rows'; conversation: string; live: string; texts: string[] }
  | { kind: 'shown'; conversation: string; live: string };

declare global {
  interface Window {
    __liveLog?: LiveEntry[];
  }
}

function installLiveRecorder(): void {
  const entries: LiveEntry[] = [];
  window.__liveLog = entries;
  const LOG = '[data-conversation-id]';
  const ROW = '[data-status]';
  // role="log" is polite unless aria-live says otherwise; a log without the role is not live at all.
  const politeness = (log: Element): string =>
    log.getAttribute('aria-live') ?? (log.getAttribute('role') === 'log' ? 'polite' : 'off');
  const shown = (log: Element): void => {
    if (log.matches(LOG) && log.getAttribute('role') === 'log') {
      entries.push({ kind: 'shown', conversation: log.getAttribute('data-conversation-id') ?? '', live: politeness(log) });
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        shown(record.target as Element);
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        const into = node.matches(LOG) ? null : node.closest(LOG);
        const logs = node.matches(LOG) ? [node] : [...node.querySelectorAll(LOG)];
        // Rows put into a log that is there already, or whole logs put in with their rows.
        const added = into ? [{ log: into, within: node }] : logs.map((log) => ({ log, within: log }));
        for (const { log, within } of added) {
          if (!into) shown(log);
          const rows = within.matches(ROW) ? [within] : [...within.querySelectorAll(ROW)];
          if (rows.length === 0) continue;
          entries.push({
            kind: 'rows',
            conversation: log.getAttribute('data-conversation-id') ?? '',
            live: politeness(log),
            texts: rows.map((row) => row.textContent ?? ''),
          });
        }
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['role'] });
}

export async function recordLiveRegions(page: Page): Promise<void> {
  await page.addInitScript(installLiveRecorder);
}

export async function liveEntries(page: Page): Promise<LiveEntry[]> {
  return page.evaluate(() => window.__liveLog ?? []);
}
