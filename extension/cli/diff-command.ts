/**
 * `responses-devtools diff A B [--json]`: two Responses calls compared. A and B
 * are each a recording or a HAR file, `FILE#N` naming a HAR's N-th Responses call.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import {
  callsOfInput,
  redactBody,
  formatUsd,
  responseCost,
  stringifyJson,
  writeJson,
  type JsonValue,
  type OutputItem,
  type ResponseTiming,
  type TranscriptCall,
  type UsageSummary,
} from '../core/index.ts';
import { compareCalls, type CallComparison, type RequestDifference, type TimingDelta } from '../compare/compare-calls.ts';
import { priceTable } from '../prices/price-table.ts';
import { escapeControlCharacters, formatItem } from './format-text.ts';
import { readFile, readNamed, reportHarProblems, UsageError } from './input-files.ts';

/** One side of the comparison: the call, and what names it. */
interface ChosenCall {
  label: string;
  call: TranscriptCall;
}

/**
 * Runs `diff` on its arguments (after the command name) and gives what to
 * print, in pieces. A wrong command line throws `UsageError`; unreadable input
 * throws `UnreadableBodyError`.
 */
export function diffCommand(args: readonly string[]): string[] {
  const json = args.includes('--json');
  const operands = args.filter((arg) => arg !== '--json');
  const unknownOption = operands.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknownOption) throw new UsageError(`unknown option ${unknownOption}`);
  if (operands.length !== 2) throw new UsageError('diff takes two calls: A B (each FILE or FILE#N)');
  const [first, second] = operands as [string, string];
  if (first === '-' && second === '-') throw new UsageError('diff reads stdin ("-") for one of A and B, not both');
  const a = chooseCall(first);
  const b = chooseCall(second);
  const comparison = compareCalls(masked(a.call), masked(b.call), priceTable);
  if (json) {
    const pieces: string[] = [];
    writeJson(comparison, (piece) => pieces.push(piece), 2);
    pieces.push('\n');
    return pieces;
  }
  return [formatComparisonText(comparison, a, b) + '\n'];
}

// ── choosing the calls ───────────────────────────────────────────────────

function chooseCall(operand: string): ChosenCall {
  const { path, number } = splitOperand(operand);
  const calls = readCalls(path);
  if (number === undefined) {
    if (calls.length !== 1) throw new UsageError(`${path} has ${calls.length} Responses calls: pick one with ${path}#N (N from 1 to ${calls.length})`);
    return { label: operand, call: calls[0] as TranscriptCall };
  }
  const call = calls[number - 1];
  if (!call) throw new UsageError(`${operand}: ${path} has ${countOf(calls.length, 'Responses call')}`);
  return { label: operand, call };
}

/** `FILE#N` as its file and call number; a path that exists is a file, whatever it holds. */
function splitOperand(operand: string): { path: string; number?: number } {
  const hash = operand.lastIndexOf('#');
  if (hash === -1 || operand === '-' || existsSync(operand)) return { path: operand };
  const path = operand.slice(0, hash);
  const selector = operand.slice(hash + 1);
  const number = /^[0-9]+$/.test(selector) ? Number(selector) : NaN;
  if (!(number >= 1)) throw new UsageError(`${operand}: the N of FILE#N is a call number, from 1`);
  return { path, number };
}

function readCalls(path: string): TranscriptCall[] {
  const bytes = readFile(path);
  const reading = readNamed(path, bytes);
  reportHarProblems(path, reading.har?.problems ?? []);
  return callsOfInput(basename(path), bytes.toString('utf8'), reading);
}

/** A call whose request body shows credentials masked, as every view and export does. */
function masked(call: TranscriptCall): TranscriptCall {
  if (call.requestBody === undefined) return call;
  const contentType = call.requestHeaders.find((header) => header.name.toLowerCase() === 'content-type')?.value;
  return { ...call, requestBody: redactBody(call.requestBody, contentType) };
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// ── the text ─────────────────────────────────────────────────────────────

/** Longest a value is shown on a request difference's line. */
const MAX_VALUE_CHARS = 100;

function formatComparisonText(comparison: CallComparison, a: ChosenCall, b: ChosenCall): string {
  const lines: string[] = [];
  lines.push(`A  ${a.label}${describeResponse(a.call)}`, `B  ${b.label}${describeResponse(b.call)}`, '');
  lines.push(...formatRequest(comparison.request, a.call, b.call), '');
  lines.push(...formatOutputs(comparison.output.a, comparison.output.b), '');
  lines.push(...formatNumbers(comparison, a.call, b.call));
  return escapeControlCharacters(lines.join('\n'));
}

/** `  (resp_…, gpt-4o, completed)` of the call's last response. */
function describeResponse(call: TranscriptCall): string {
  const response = call.records[call.records.length - 1]?.response;
  if (!response) return '  (no response)';
  const parts = [response.id, response.model, response.status].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? '' : `  (${parts.join(', ')})`;
}

function formatRequest(differences: readonly RequestDifference[], a: TranscriptCall, b: TranscriptCall): string[] {
  if (a.requestBody === undefined && b.requestBody === undefined) return ['Request', '  (neither call has a request body: a recording has none)'];
  const lines = [`Request (${differences.length === 0 ? 'the same' : countOf(differences.length, 'difference')})`];
  for (const side of [['A', a] as const, ['B', b] as const]) {
    if (side[1].requestBody === undefined) lines.push(`  (${side[0]} has no request body: a recording has none)`);
  }
  for (const difference of differences) lines.push(`  ${formatDifference(difference)}`);
  return lines;
}

/** `~ model: "gpt-4o" → "gpt-4.1"`, `+ input[3]: {…}`, `- tools[1]: {…}`. */
function formatDifference(difference: RequestDifference): string {
  const path = difference.path === '' ? '(request body)' : difference.path;
  switch (difference.change) {
    case 'added':
      return `+ ${path}: ${shortValue(difference.b)}`;
    case 'removed':
      return `- ${path}: ${shortValue(difference.a)}`;
    default:
      return `~ ${path}: ${shortValue(difference.a)} → ${shortValue(difference.b)}`;
  }
}

/** A value as compact JSON on one line, cut short past MAX_VALUE_CHARS. */
function shortValue(value: JsonValue | undefined): string {
  const text = stringifyJson(value ?? null).replace(/[\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
  if (text.length <= MAX_VALUE_CHARS) return text;
  // Never half of a surrogate pair.
  const cut = /[\uDC00-\uDFFF]/.test(text.charAt(MAX_VALUE_CHARS)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
  return `${text.slice(0, cut)}… (${text.length} chars)`;
}

function formatOutputs(a: OutputItem[] | null, b: OutputItem[] | null): string[] {
  if (a !== null && b !== null && stringifyJson(a) === stringifyJson(b)) return [`Output (the same in A and B, ${countOf(a.length, 'item')})`, ...outputLines(a)];
  return [`Output A${itemCount(a)}`, ...outputLines(a), '', `Output B${itemCount(b)}`, ...outputLines(b)];
}

function itemCount(output: OutputItem[] | null): string {
  return output === null ? '' : ` (${countOf(output.length, 'item')})`;
}

function outputLines(output: OutputItem[] | null): string[] {
  if (output === null) return ['  (no response)'];
  if (output.length === 0) return ['  (none)'];
  return output.flatMap((item, index) => formatItem(item, index));
}

/** Usage, cost and timing as a table: A, B, and B minus A. */
function formatNumbers(comparison: CallComparison, a: TranscriptCall, b: TranscriptCall): string[] {
  const rows: Array<[string, string, string, string] | string> = [];
  const { usage, cost, timing } = comparison;
  rows.push('Usage (tokens)');
  if (usage.a === null && usage.b === null) {
    rows.push('  (not reported)');
  } else {
    const withCacheWrite = usage.a?.cacheWrite !== undefined || usage.b?.cacheWrite !== undefined;
    const fields: Array<[string, (summary: UsageSummary) => number]> = [
      ['input', (summary) => summary.input],
      ['  cached', (summary) => summary.cached],
      ...(withCacheWrite ? [['  cache write', (summary: UsageSummary) => summary.cacheWrite ?? 0] as [string, (summary: UsageSummary) => number]] : []),
      ['output', (summary) => summary.output],
      ['  reasoning', (summary) => summary.reasoning],
      ['total', (summary) => summary.total],
    ];
    for (const [label, read] of fields) {
      const before = usage.a ? read(usage.a) : null;
      const after = usage.b ? read(usage.b) : null;
      rows.push([`  ${label}`, plain(before), plain(after), signed(before, after, String)]);
    }
  }
  rows.push(`Cost (USD)`);
  rows.push(['  total', cost.a ? formatUsd(cost.a.total) : 'n/a', cost.b ? formatUsd(cost.b.total) : 'n/a', cost.delta === null ? 'n/a' : signedUsd(cost.delta)]);
  for (const [name, call, known] of [['A', a, cost.a] as const, ['B', b, cost.b] as const]) {
    if (known) continue;
    const record = call.records[call.records.length - 1];
    const reading = record ? responseCost(record.response, record.usage, priceTable) : undefined;
    rows.push(`  ${name}: ${reading && reading.cost === null ? reading.reason : 'no response'}`);
  }
  rows.push('Timing');
  const timingRows = TIMING_ROWS.filter(([key]) => timing.a[key] !== null || timing.b[key] !== null);
  if (timingRows.length === 0) rows.push('  (no receive times in either input)');
  for (const [key, label, show] of timingRows) {
    const before = timing.a[key];
    const after = timing.b[key];
    rows.push([`  ${label}`, before === null ? 'n/a' : show(before), after === null ? 'n/a' : show(after), signed(before, after, show)]);
  }
  return table(rows);
}

const milliseconds = (value: number): string => `${Math.round(value)} ms`;

const TIMING_ROWS: Array<[keyof TimingDelta & keyof ResponseTiming, string, (value: number) => string]> = [
  ['firstByteMs', 'first byte', milliseconds],
  ['firstTokenMs', 'first token', milliseconds],
  ['lastEventMs', 'last event', milliseconds],
  ['durationMs', 'duration', milliseconds],
  ['outputTokensPerSecond', 'output rate', (value) => `${Math.round(value * 10) / 10} tokens/s`],
  ['serverDurationMs', 'server time', milliseconds],
];

function plain(value: number | null): string {
  return value === null ? 'n/a' : String(value);
}

/** B minus A with its sign (`+3`, `-2 ms`, `0`), or n/a. */
function signed(before: number | null, after: number | null, show: (value: number) => string): string {
  if (before === null || after === null) return 'n/a';
  const delta = after - before;
  const shown = show(Math.abs(delta));
  return shown === show(0) ? shown : `${delta > 0 ? '+' : '-'}${shown}`;
}

function signedUsd(delta: number): string {
  return delta === 0 ? '$0' : `${delta > 0 ? '+' : '-'}${formatUsd(Math.abs(delta))}`;
}

/** Rows of four cells in aligned columns (headed A, B, B − A); a plain string is a heading line. */
function table(rows: ReadonlyArray<[string, string, string, string] | string>): string[] {
  const cells = rows.filter((row): row is [string, string, string, string] => typeof row !== 'string');
  const header: [string, string, string, string] = ['', 'A', 'B', 'B − A'];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...[header, ...cells].map((row) => (row[column] as string).length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number)))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map((row) => (typeof row === 'string' ? row : line(row)))];
}
