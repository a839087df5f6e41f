// The pages run under the Content-Security-Policy of CONTRACT section 3 (scripts by per-response nonce,
// connect-src 'self'): signing in, the inbox, its one WebSocket and a send all work, and Chromium reports
// no violation. Markup injected into the page runs nothing.
import { CASEY, expect, test, TITLES, uniqueText } from './kit';

declare global {
  interface Window {
    __pwned?: number;
  }
}

test('sign-in and the inbox run under the policy with no violation; injected markup runs nothing', async ({ people }) => {
  const casey = await people.enter('casey');
  // Reported from every page the context loads, across the navigation from /login to /inbox.
  const violations: string[] = [];
  await casey.context.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await casey.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation;
      report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`);
    });
  });
  const policies: string[] = [];
  casey.page.on('response', (response) => {
    if (response.request().resourceType() === 'document') policies.push(response.headers()['content-security-policy'] ?? '');
  });

  await casey.inbox.signIn(CASEY);
  await casey.inbox.open(TITLES.sink);
  const text = uniqueText('Sent under a strict policy');
  await casey.inbox.send(text);
  await expect(casey.inbox.message(text)).toHaveAttribute('data-status', 'sent');

  expect(policies.length, 'documents loaded: /login and /inbox').toBeGreaterThanOrEqual(2);
  for (const policy of policies) {
    expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
  }
  // The one socket is same-origin ws(s):, which connect-src 'self' covers.
  expect(casey.net).toHaveOnlyTheInboxSocket();
  expect(violations, 'CSP violations').toEqual([]);
  expect(casey.console.filter((line) => /content security policy/i.test(line.text))).toEqual([]);

  // What an XSS would try: an inline handler in injected markup. It is refused and reported.
  await casey.page.evaluate(() => {
    const box = document.createElement('div');
    box.innerHTML = '<img src="/no-such-picture.png" onerror="window.__pwned = 1">';
    document.body.append(box);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await casey.page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(violations[0]).toMatch(/^script-src-attr blocked inline on \/inbox/);
  // That refusal is the only console line (the test caused it); the fixture's check of page errors stays.
  casey.console.length = 0;
});
