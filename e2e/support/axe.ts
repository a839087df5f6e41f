// axe-core (the engine behind Lighthouse's accessibility audit) on whatever the page shows at the moment:
// the WCAG 2.0 and 2.1 A and AA rules, plus the structure rules axe files under best practice (one main
// landmark, an h1, headings in order, all content in landmarks). A new screen gets its check with one
// line: `await expectAccessible(page, 'edit dialog')`, once the screen is on the page.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

type Result = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Best-practice rules that keep a page navigable by landmarks and headings: any violation counts. */
export const STRUCTURE_RULES = [
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'landmark-unique',
  'page-has-heading-one',
  'heading-order',
  'region',
];

const BLOCKING: readonly string[] = ['serious', 'critical'];

export type Finding = { rule: string; impact: string; target: string; summary: string };

function findings(results: Result[]): Finding[] {
  return results.flatMap((rule) =>
    rule.nodes.map((node) => ({
      rule: rule.id,
      impact: node.impact ?? rule.impact ?? 'unknown',
      target: node.target.join(' '),
      // axe's own words, with the numbers (e.g. the contrast ratio and both colours).
      summary: (node.any[0] ?? node.all[0] ?? node.none[0])?.message ?? rule.help,
    })),
  );
}

/** Every violation axe finds on the page now (all impacts), in axe's words. */
export async function axeFindings(page: Page): Promise<Finding[]> {
  const results = await new AxeBuilder({ page })
    .options({
      runOnly: { type: 'tag', values: WCAG_TAGS },
      rules: Object.fromEntries(STRUCTURE_RULES.map((id) => [id, { enabled: true }])),
    })
    .analyze();
  return findings(results.violations);
}

/** A serious or critical violation, or any violation of a structure rule. */
export function isBlocking(finding: Finding): boolean {
  return BLOCKING.includes(finding.impact) || STRUCTURE_RULES.includes(finding.rule);
}

/**
 * Runs axe on the page as it is and fails on what blocks people (see isBlocking). Every finding, blocking
 * or not, is attached to the test's report as `axe-<screen>.json`.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const all = await axeFindings(page);
  await test.info().attach(`axe-${screen.replace(/\W+/g, '-')}.json`, {
    body: JSON.stringify(all, null, 2),
    contentType: 'application/json',
  });
  const blocking = all.filter(isBlocking).map((f) => `${f.rule} (${f.impact}) at ${f.target}: ${f.summary}`);
  expect(blocking, `accessibility violations on ${screen}`).toEqual([]);
}
