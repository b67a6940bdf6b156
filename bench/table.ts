/** The bench table: what | project | baseline | bound | goal | budget | ok. */
import { withinBudget, type Result } from './result';

function format(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) {
    return value === undefined ? '—' : String(value);
  }
  const text = Number.isInteger(value) || Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en') : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

export function printTable(results: readonly Result[], log: (line: string) => void = console.log): number {
  const rows = results.map((r) => {
    const ok = withinBudget(r);
    return {
      ok,
      cells: [
        r.name,
        format(r.value, r.unit),
        format(r.baseline, r.unit),
        format(r.bound, r.unit),
        r.goal ?? '—',
        r.budget === undefined ? '—' : `${r.lowerIsBetter ? '≤' : '≥'} ${format(r.budget, r.unit)}`,
        r.budget === undefined ? 'info' : ok ? 'ok' : '✗ OVER',
      ],
    };
  });
  const header = ['what', 'project', 'baseline', 'bound', 'goal', 'budget', 'ok'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  log(line(header));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) {
    log(line(row.cells));
  }
  const failures = rows.filter((r) => !r.ok);
  log(`bench: ${rows.length - failures.length} of ${rows.length} within budget, ${failures.length} over`);
  for (const row of failures) {
    log(`  ✗ OVER: ${row.cells[0]}: ${row.cells[1]} (budget ${row.cells[5]})`);
  }
  return failures.length;
}
