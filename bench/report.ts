// One row per figure: its value, its baseline from the same run, the ratio, the target and whether it is
// met; printed as a table and written as JSON.
export type Target = { of: 'value' | 'ratio'; op: '<=' | '>='; limit: number };

export type Row = {
  label: string;
  unit: string;
  value: number;
  baseline: number | null;
  baselineLabel: string | null;
  /** value / baseline. */
  ratio: number | null;
  target: Target | null;
  met: boolean | null;
};

export function row(
  label: string,
  unit: string,
  value: number,
  options: { baseline?: number; baselineLabel?: string; target?: Target } = {},
): Row {
  const baseline = options.baseline ?? null;
  // A ratio to a baseline at or below zero (memory that shrank in a noisy short run) means nothing.
  const ratio = baseline === null || baseline <= 0 ? null : value / baseline;
  const target = options.target ?? null;
  let met: boolean | null = null;
  if (target) {
    const measured = target.of === 'value' ? value : ratio;
    met = measured === null || !Number.isFinite(measured) ? false : target.op === '<=' ? measured <= target.limit : measured >= target.limit;
  }
  return { label, unit, value, baseline, baselineLabel: options.baselineLabel ?? null, ratio, target, met };
}

const fmt = (n: number | null) =>
  n === null ? '' : !Number.isFinite(n) ? 'MISSING' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

function targetText(t: Target | null, unit: string): string {
  if (!t) return '';
  return t.of === 'ratio' ? `ratio ${t.op} ${t.limit}` : `${t.op} ${t.limit} ${unit}`;
}

export function table(rows: Record<string, Row>): string {
  const lines = [['figure', 'value', 'baseline', 'ratio', 'target', 'met']];
  for (const [key, r] of Object.entries(rows)) {
    lines.push([
      key,
      `${fmt(r.value)} ${r.unit}`,
      r.baseline === null ? '' : `${fmt(r.baseline)} (${r.baselineLabel})`,
      fmt(r.ratio),
      targetText(r.target, r.unit),
      r.met === null ? '' : r.met ? 'yes' : 'NO',
    ]);
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  return lines.map((l) => l.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}
