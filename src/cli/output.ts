/**
 * How results reach stdout: one JSON document with `--output json`, or lines for people
 * (tables and "label  value" blocks). Registry text is stripped of control characters before it
 * reaches a terminal; in JSON, characters a terminal could act on are escaped.
 */
import { InvalidInputError } from '../core/errors';
import type { TextSink } from './cliDeps';
import { stripControl } from './stderrChannel';
import { quoteInput } from '../core/quoteInput';

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What a command prints: `data` for JSON, `lines` for people. */
export interface CommandResult {
  data: unknown;
  lines: string[];
}

export function parseOutputFormat(value: string | undefined): OutputFormat {
  const format = (value ?? 'table').trim().toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidInputError('output', `${quoteInput(value)} is not an output format.`, `Use one of: ${OUTPUT_FORMATS.join(', ')}.`);
  }
  return format as OutputFormat;
}

/** JSON.stringify escapes C0 controls; DEL and C1 controls (e.g. U+009B, a CSI) are escaped here. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function writeResult(sink: TextSink, format: OutputFormat, result: CommandResult): void {
  if (format === 'json') {
    sink.write(`${toJson(result.data)}\n`);
  } else if (result.lines.length > 0) {
    sink.write(`${result.lines.join('\n')}\n`);
  }
}

/** One line of registry text for a terminal: no control characters, bounded. */
export function cell(value: string | number | boolean | undefined, max = 200): string {
  if (value === undefined) {
    return '';
  }
  const flat = stripControl(String(value).replace(/[\r\n\t]+/g, ' ')).trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Columns padded to their widest cell; the last column is not padded. */
export function renderTable(headers: string[], rows: Array<Array<string | number | undefined>>): string[] {
  const cells = [headers, ...rows.map((row) => headers.map((_, i) => cell(row[i])))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) =>
    row
      .map((value, i) => (i === row.length - 1 ? value : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** `Label   value` lines; fields without a value are left out. */
export function renderFields(fields: Array<[string, string | number | undefined]>): string[] {
  const shown = fields.filter(([, value]) => value !== undefined && value !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${cell(value, 1_000)}`);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
