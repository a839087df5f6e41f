// The page's JavaScript holds no zod: the browser checks a send with text.ts and the limits in types.ts,
// and the schemas (with zod, whose module runs at load and so cannot be left out by the bundler) stay on
// the server. Follows every value import from the client entry points through the project's files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const CLIENT_ENTRIES = ['app/inbox/_components/InboxShell.tsx', 'app/login/LoginForm.tsx'];
/** Modules the page must never load. */
const SERVER_ONLY = ['zod', 'protocol/schemas.ts', 'protocol/index.ts'];

/** The specifiers of a file's value imports and re-exports (`import type` and `export type` left out). */
function valueImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gms)) if (!m[1]) found.push(m[2]!);
  for (const m of source.matchAll(/^import\s+'([^']+)'/gm)) found.push(m[1]!);
  return found;
}

function resolveFile(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && !candidate.endsWith('/') && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

/** Every module reachable from the entries: project files by path, packages by name. */
function reachable(entries: string[]): Map<string, string> {
  const seen = new Map<string, string>(); // module → the file that imported it
  const queue = entries.map((e) => join(ROOT, e));
  for (const e of queue) seen.set(relative(ROOT, e), 'entry');
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        if (!seen.has(specifier)) seen.set(specifier, relative(ROOT, file));
        continue;
      }
      const target = resolveFile(file, specifier);
      if (target === null || /\.(css|svg)$/.test(specifier)) continue;
      const key = relative(ROOT, target);
      if (seen.has(key)) continue;
      seen.set(key, relative(ROOT, file));
      queue.push(target);
    }
  }
  return seen;
}

describe('the browser bundle', () => {
  it('reaches the store and the protocol types, never zod or the schemas', () => {
    const modules = reachable(CLIENT_ENTRIES);
    expect(modules.has('store/index.ts')).toBe(true);
    expect(modules.has('protocol/types.ts')).toBe(true);
    const offending = SERVER_ONLY.filter((m) => modules.has(m)).map((m) => `${m} (imported by ${modules.get(m)})`);
    expect(offending).toEqual([]);
  });
});
