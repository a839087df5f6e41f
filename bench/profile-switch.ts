// `node --import tsx bench/profile-switch.ts [messages] [switches]`: the page's JavaScript during cached
// switches, by function. Six conversations of `messages` (default 200) paged in whole, then `switches`
// cached switches under V8's sampling profiler (CDP, 100 µs); prints the probe's commit p50/p95 and the
// self time per switch of the 30 costliest functions (native ones too: pushState, setAttribute…).
import { launchBrowser, settle, switchTo } from './browser';
import { startInbox } from './inbox';
import { pagedInPage } from './figures/switching';

const messages = Number(process.argv[2] ?? 200);
const switches = Number(process.argv[3] ?? 40);
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] };
const inbox = await startInbox({ web: true });
const browser = await launchBrowser();
try {
  const { page, ids } = await pagedInPage(browser, inbox, 6, messages);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const probes = [];
  for (let i = 0; i < switches; i++) {
    probes.push(await switchTo(page, ids[i % ids.length]!));
    await settle(page);
  }
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
  const commits = probes.map((p) => p.commit).sort((a, b) => a - b);
  console.log('commit p50', commits[Math.floor(commits.length / 2)]!.toFixed(1), 'p95', commits[Math.floor(commits.length * 0.95)]!.toFixed(1));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (self.get(n.id) ?? 0));
  }
  const total = [...byFn.values()].reduce((a, b) => a + b, 0);
  console.log('JS self ms per switch', (total / 1000 / switches).toFixed(2));
  for (const [k, v] of [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / 1000 / switches).toFixed(3), k);
} finally {
  await browser.close();
  await inbox.dispose();
}
