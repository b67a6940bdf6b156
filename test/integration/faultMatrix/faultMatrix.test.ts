/**
 * The fault matrix: every file in `rows/` exports `rows: FaultRow[]` (a fault and the outcome it
 * must get within a bound). Each row runs as one test whose timeout is its bound, so a hang fails
 * at the bound instead of stalling the run; at the end the whole matrix is printed as a table.
 * A rows folder without rows, or a rows file that does not export them, fails loudly.
 */
import { AssertionError } from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import type { FaultRow } from './faultRow';
import { matrixEmulator, resetMatrixEmulator, stopMatrixEmulator } from './support/matrixEmulator';

const ROWS_DIR = path.join(__dirname, 'rows');
const MAX_ITEM = 10;

interface Loaded {
  rows: Array<FaultRow & { file: string }>;
  /** What is wrong with the rows folder or a rows file; each becomes a failing test. */
  problems: Array<{ source: string; message: string }>;
}

interface Result {
  row: FaultRow;
  outcome: string;
  ms?: number;
}

/** Why `value` is not a usable row, or undefined when it is one. */
function rowProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return 'is not an object';
  }
  const row = value as Partial<Record<keyof FaultRow, unknown>>;
  if (typeof row.fault !== 'string' || row.fault.trim() === '') {
    return 'has no "fault"';
  }
  if (typeof row.expected !== 'string' || row.expected.trim() === '') {
    return `"${row.fault}" has no "expected"`;
  }
  // 0: a fault that was handled before the hardening issue, kept as a baseline.
  if (typeof row.item !== 'number' || !Number.isInteger(row.item) || row.item < 0 || row.item > MAX_ITEM) {
    return `"${row.fault}" has "item" ${String(row.item)}, not an integer from 0 to ${MAX_ITEM}`;
  }
  if (typeof row.boundMs !== 'number' || !Number.isFinite(row.boundMs) || row.boundMs <= 0) {
    return `"${row.fault}" has "boundMs" ${String(row.boundMs)}, not a positive number of milliseconds`;
  }
  if (typeof row.run !== 'function') {
    return `"${row.fault}" has no "run" function`;
  }
  return undefined;
}

function loadRows(): Loaded {
  const loaded: Loaded = { rows: [], problems: [] };
  let files: string[];
  try {
    files = readdirSync(ROWS_DIR)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
      .sort();
  } catch (error) {
    loaded.problems.push({ source: 'rows/', message: `Cannot read ${ROWS_DIR}: ${errorText(error)}` });
    return loaded;
  }
  if (files.length === 0) {
    loaded.problems.push({ source: 'rows/', message: `${ROWS_DIR} holds no rows files: the fault matrix would pass with nothing in it.` });
  }
  for (const file of files) {
    let exported: unknown;
    try {
      // Rows files are found at run time, so they cannot be static imports (mocha loads through tsx/cjs).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = (require(path.join(ROWS_DIR, file)) as { rows?: unknown }).rows;
    } catch (error) {
      loaded.problems.push({ source: file, message: `${file} does not load: ${errorText(error)}` });
      continue;
    }
    if (!Array.isArray(exported) || exported.length === 0) {
      const found = exported === undefined ? 'no "rows"' : `a "rows" that is ${Array.isArray(exported) ? 'empty' : typeof exported}`;
      loaded.problems.push({ source: file, message: `${file} must export "rows", a non-empty FaultRow[]; it exports ${found}.` });
      continue;
    }
    exported.forEach((row: unknown, index) => {
      const problem = rowProblem(row);
      if (problem) {
        loaded.problems.push({ source: file, message: `${file}, row ${index + 1}, ${problem}.` });
      } else {
        loaded.rows.push({ ...(row as FaultRow), file });
      }
    });
  }
  return loaded;
}

function itemTitle(item: number): string {
  return item === 0 ? 'baseline (handled before the hardening issue)' : `item ${item}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One line for the table: an assertion's own message, or what it expected and got. */
function firstLine(error: unknown): string {
  let text: string;
  if (error instanceof AssertionError) {
    text = error.generatedMessage ? `expected ${inspect(error.expected)}, got ${inspect(error.actual)}` : error.message;
  } else {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 160);
}

/** A plain-text table, one line per row, columns padded to their widest cell. */
function formatTable(results: Result[]): string {
  const header = ['item', 'fault', 'expected', 'outcome', 'ms'];
  const lines = results.map((r) => [String(r.row.item), r.row.fault, r.row.expected, r.outcome, r.ms === undefined ? '' : String(Math.round(r.ms))]);
  const widths = header.map((h, column) => Math.max(h.length, ...lines.map((cells) => cells[column].length)));
  const format = (cells: string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

const { rows, problems } = loadRows();

describe('fault matrix', function () {
  const results: Result[] = [];
  let current: Result | undefined;
  let startedAt = 0;

  before(async function () {
    // Started here, not inside the first row, so that no row's bound pays for it.
    this.timeout(180_000);
    await matrixEmulator();
    for (const prepare of new Set(rows.flatMap((row) => (row.prepare ? [row.prepare] : [])))) {
      await prepare();
    }
  });

  afterEach(async function () {
    if (current && current.outcome === 'not run' && this.currentTest?.state === 'failed') {
      // The row's promise has not settled: mocha stopped it at the bound.
      current.outcome = `HUNG: no outcome within ${current.row.boundMs} ms`;
      current.ms = performance.now() - startedAt;
    }
    current = undefined;
    await resetMatrixEmulator();
  });

  after(async function () {
    this.timeout(30_000);
    await stopMatrixEmulator();
    if (results.length > 0) {
      console.log(`\n${formatTable(results)}\n`);
    }
  });

  for (const problem of problems) {
    it(`loads its rows (${problem.source})`, () => {
      throw new Error(problem.message);
    });
  }

  const items = [...new Set(rows.map((row) => row.item))].sort((a, b) => a - b);
  for (const item of items) {
    describe(itemTitle(item), () => {
      for (const row of rows.filter((r) => r.item === item)) {
        const result: Result = { row, outcome: 'not run' };
        results.push(result);
        it(`${row.fault} → ${row.expected}`, async function () {
          this.timeout(row.boundMs);
          current = result;
          startedAt = performance.now();
          // A row that settles after its bound was already reported HUNG: keep that.
          const settle = (outcome: string): void => {
            if (result.outcome === 'not run') {
              result.outcome = outcome;
              result.ms = performance.now() - startedAt;
            }
          };
          try {
            await row.run();
            settle('ok');
          } catch (error) {
            settle(`FAIL: ${firstLine(error)}`);
            throw error;
          }
        });
      }
    });
  }
});
