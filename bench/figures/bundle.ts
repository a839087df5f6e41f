// Figure: the JavaScript a page loads before it runs (first load), gzip, from the production build's
// manifests: the framework's root chunks plus the route's client entry chunks (the polyfill chunk is left
// out: browsers with ES modules never load it). What makes it up is told by chunk: its size, whether
// /login loads it too (the framework), and which packages it holds, known by strings only they contain
// (minified, scope-hoisted chunks carry no module names; a byte count per package would need source maps).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../server/paths';

export type ChunkSize = { file: string; raw: number; gzip: number; holds: string[] };
export type PageBundle = { route: string; gzip: number; raw: number; chunks: ChunkSize[] };

const SIGNATURES: [string, RegExp][] = [
  ['zod', /ZodError|\$ZodType/],
  ['socket.io-client', /engine\.io|socket\.io/],
  ['immer', /\[Immer\]/],
  ['redux toolkit', /weakMapMemoize|listenerMiddleware/],
  ['idb', /IDBKeyRange/],
  ['react-dom', /react\.dev\/errors|__reactFiber/],
  ['next runtime', /__NEXT|next-router/],
  ['the inbox (app, store)', /Stream Controller/],
];

type ClientManifest = { entryJSFiles: Record<string, string[]> };

function routeEntryFiles(next: string, appPath: string): string[] {
  const g = globalThis as { self?: unknown; __RSC_MANIFEST?: Record<string, ClientManifest> };
  g.self ??= globalThis;
  const file = join(next, 'server', 'app', ...appPath.split('/'), 'page_client-reference-manifest.js');
  // The manifest is a script that sets globalThis.__RSC_MANIFEST[page].
  new Function(readFileSync(file, 'utf8'))();
  const manifest = g.__RSC_MANIFEST?.[`/${appPath}/page`];
  if (!manifest) throw new Error(`no client manifest for /${appPath}`);
  return [...new Set(Object.values(manifest.entryJSFiles).flat())];
}

/** First-load JS of the app route at `appPath` (e.g. `inbox/[[...conversationId]]`). */
export function pageBundle(appPath: string, route: string): PageBundle {
  const next = join(PROJECT_ROOT, '.next');
  const build = JSON.parse(readFileSync(join(next, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
  const files = [...new Set([...build.rootMainFiles, ...routeEntryFiles(next, appPath)])];
  const chunks = files.map((file): ChunkSize => {
    const source = readFileSync(join(next, file), 'utf8');
    const holds = SIGNATURES.filter(([, re]) => re.test(source)).map(([name]) => name);
    return { file, raw: Buffer.byteLength(source), gzip: gzipSync(source, { level: 9 }).length, holds };
  });
  return { route, gzip: chunks.reduce((n, c) => n + c.gzip, 0), raw: chunks.reduce((n, c) => n + c.raw, 0), chunks };
}

/** The make-up, biggest chunk first, for the console; `shared`: a page whose chunks count as the framework. */
export function describeBundle(b: PageBundle, shared?: PageBundle): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const common = new Set(shared?.chunks.map((c) => c.file) ?? []);
  const lines = [`${b.route}: ${kb(b.gzip)} gzip (${kb(b.raw)} raw) in ${b.chunks.length} chunks`];
  for (const c of [...b.chunks].sort((x, y) => y.gzip - x.gzip)) {
    const also = common.has(c.file) ? `, also loaded by ${shared!.route}` : '';
    lines.push(`  ${c.file}: ${kb(c.gzip)}${also}${c.holds.length ? ` (${c.holds.join(', ')})` : ''}`);
  }
  return lines.join('\n');
}
