/**
 * `npm run bench`: speed, requests, memory and size against the budgets in budgets.ts, the
 * network rows side by side with an az-style baseline measured in the same run. Prints what
 * it sees, then one table, and exits 1 when a row is over budget. Timed assertions live here,
 * never in `npm test`. Run on a quiet machine: wall times include whatever else it is doing.
 */
import { bundleBench } from './bundleBench';
import { badgeBench, referenceBench, trackerBench } from './coreBench';
import { emulatorBench } from './emulatorBench';
import type { Result } from './result';
import { printTable } from './table';

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const results: Result[] = [...(await trackerBench()), ...badgeBench(), ...referenceBench(), ...(await emulatorBench(log)), ...bundleBench(log)];
  console.log('');
  const failures = printTable(results);
  process.exit(failures ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
