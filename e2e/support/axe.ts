// axe-core (the engine behind Lighthouse's accessibility audit) on parts of the page: the WCAG 2.0 and
// 2.1 A and AA rules, failing on any serious or critical violation inside the parts named. Every finding
// is attached to the test's report as `axe-<screen>.json`.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const BLOCKING: readonly string[] = ['serious', 'critical'];

export type Finding = { rule: string; impact: string; target: string; summary: string };

/** Runs axe on the elements matching `include` (CSS selectors), or on the whole page. */
export async function axeFindings(page: Page, include: string[] = []): Promise<Finding[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of include) builder = builder.include(selector);
  const results = await builder.analyze();
  return results.violations.flatMap((rule) =>
    rule.nodes.map((node) => ({
      rule: rule.id,
      impact: node.impact ?? rule.impact ?? 'unknown',
      target: node.target.join(' '),
      // axe's own words, with the numbers (e.g. the contrast ratio and both colours).
      summary: (node.any[0] ?? node.all[0] ?? node.none[0])?.message ?? rule.help,
    })),
  );
}

/** No serious or critical violation in `include` (the whole page when empty). */
export async function expectAccessible(page: Page, screen: string, include: string[] = []): Promise<void> {
  const all = await axeFindings(page, include);
  await test.info().attach(`axe-${screen.replace(/\W+/g, '-')}.json`, {
    body: JSON.stringify(all, null, 2),
    contentType: 'application/json',
  });
  const blocking = all.filter((f) => BLOCKING.includes(f.impact)).map((f) => `${f.rule} (${f.impact}) at ${f.target}: ${f.summary}`);
  expect(blocking, `accessibility violations on ${screen}`).toEqual([]);
}
