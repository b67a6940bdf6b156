/**
 * `npm run bench`: speed, memory and size against the budgets in budgets.ts.
 * Prints a table and exits 1 when something is over budget. Run on a quiet machine: the
 * numbers are wall/CPU times on whatever else the machine is doing.
 */
import { bundleBench } from './bundleBench';
import { badgeBench, referenceBench, trackerBench } from './coreBench';
import { emulatorBench } from './emulatorBench';
import { withinBudget, type Result } from './result';

async function main(): Promise<void> {
  const results: Result[] = [...(await trackerBench()), ...badgeBench(), ...referenceBench(), ...(await emulatorBench()), ...bundleBench()];
  let failures = 0;
  for (const r of results) {
    const ok = withinBudget(r);
    failures += ok ? 0 : 1;
    const value = r.value >= 100 ? Math.round(r.value).toLocaleString('en') : r.value.toFixed(2);
    console.log(`${ok ? 'ok  ' : 'OVER'} ${r.name}: ${value} ${r.unit} (budget ${r.lowerIsBetter ? '≤' : '≥'} ${r.budget.toLocaleString('en')} ${r.unit})`);
  }
  console.log(`bench: ${results.length - failures} within budget, ${failures} over`);
  process.exit(failures ? 1 : 0);
}

void main();
