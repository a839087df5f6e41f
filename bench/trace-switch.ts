// `node --import tsx bench/trace-switch.ts [messages] [switches] [conversations]`: where a cached switch's time
// goes. `conversations` (default 2) of `messages` (default 5,000) written into the database and paged in whole, then
// `switches` cached switches under Chrome's trace; prints, per switch, the click → commit and → paint
// times of the bench probe and the main thread's time by trace event (script, style, layout, paint…).
// TRACE_FILE=/tmp/switch.json also writes the trace there (open it in Chrome's performance panel).
import { writeFileSync } from 'node:fs';
import { launchBrowser, settle, switchTo } from './browser';
import { startInbox } from './inbox';
import { pagedInPage } from './figures/switching';

const messages = Number(process.argv[2] ?? 5_000);
const switches = Number(process.argv[3] ?? 4);
const conversations = Number(process.argv[4] ?? 2);
/** The main thread's top-level work, by the trace event's name. */
const KINDS = ['FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'V8.Execute', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'Commit', 'HitTest', 'ParseHTML', 'MinorGC', 'MajorGC'];

type TraceEvent = { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: { data?: { frame?: string } } };

const inbox = await startInbox({ web: true });
const browser = await launchBrowser();
try {
  const { page, ids } = await pagedInPage(browser, inbox, conversations, messages);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'] });
  const probes = [];
  for (let i = 0; i < switches; i++) {
    probes.push(await switchTo(page, ids[i % conversations]!));
    await settle(page);
  }
  const raw = await browser.stopTracing();
  if (process.env.TRACE_FILE) writeFileSync(process.env.TRACE_FILE, raw);
  const trace = JSON.parse(raw.toString()) as TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  // The renderer's main thread: the one that styled the page.
  const styled = events.find((e) => e.name === 'UpdateLayoutTree' || e.name === 'Layout');
  const onMain = events.filter((e) => e.ph === 'X' && e.pid === styled?.pid && e.tid === styled?.tid);
  const totals: Record<string, number> = {};
  for (const e of onMain) if (KINDS.includes(e.name)) totals[e.name] = (totals[e.name] ?? 0) + (e.dur ?? 0) / 1000;
  console.log(`${messages}-message threads, ${switches} cached switches`);
  console.log('probe (ms):', probes.map((p) => `commit ${p.commit.toFixed(1)} paint ${p.paint.toFixed(1)} (frame ${p.frames})`).join('; '));
  console.log('main thread by event, ms per switch (nested events counted in each):');
  for (const [name, ms] of Object.entries(totals).sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(20)} ${(ms / switches).toFixed(1)}`);
} finally {
  await browser.close();
  await inbox.dispose();
}
