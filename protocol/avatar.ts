// Which avatar URLs a page may load, decided by parsing, not by prefix: a path under this site's
// /avatars/, or an https: URL. The admin API refuses anything else, and the page shows initials for it.
// A prefix check would pass `/\evil.com/x.png` (browsers read `\` as `/`: another host) or
// `/avatars/../x` (another path).

/** Stands in for the page's own origin: a relative URL resolves against it, as in the browser. */
const SITE = 'https://site.invalid';
const AVATARS = '/avatars/';

function parseUrl(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/** The avatar as it should be stored and shown, or null when it is not one. */
export function normalizeAvatarUrl(value: string): string | null {
  const absolute = parseUrl(value);
  if (absolute) {
    // An absolute URL: https only, without credentials.
    const ok = absolute.protocol === 'https:' && absolute.username === '' && absolute.password === '';
    return ok ? absolute.href : null;
  }
  // A relative one, resolved as the browser would. It must stay on this site and name a file under
  // /avatars/ exactly as written: no dots, backslashes or escapes that change what it names.
  const url = parseUrl(value, `${SITE}/inbox/`);
  if (!url) return null;
  const path = url.pathname + url.search;
  const ours = url.origin === SITE && url.pathname.startsWith(AVATARS) && url.pathname.length > AVATARS.length;
  return ours && path === value ? path : null;
}

export function isAvatarUrl(value: string): boolean {
  return normalizeAvatarUrl(value) !== null;
}
