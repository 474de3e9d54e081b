/**
 * The benchmark table: each row a figure measured in this run as a ratio
 * against a peer measured in the same run, its goal, and whether it is met.
 * Rows are also written as JSON lines to test-results/bench.jsonl, so that a
 * run of several bench files prints one table at the end (`table.ts`).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { ResponsesStreamReader } from '../../extension/core/index.ts';

/** What every core row measures: the stream reader over the chunks, assembly and all. */
export function readWithCore(chunks: Uint8Array[]): unknown {
  const reader = new ResponsesStreamReader();
  for (const chunk of chunks) reader.push(chunk, 0);
  reader.end(0);
  return reader.responses;
}

export interface BenchRow {
  what: string;
  figure: string;
  goal: string;
  met: boolean;
}

export const RESULTS_FILE = 'test-results/bench.jsonl';

export function report(row: BenchRow): void {
  mkdirSync('test-results', { recursive: true });
  appendFileSync(RESULTS_FILE, JSON.stringify(row) + '\n');
  console.log(`${row.met ? 'met    ' : 'NOT MET'} ${row.what}: ${row.figure} (goal ${row.goal})`);
}

export function printTable(rows: BenchRow[]): void {
  const width = Math.max(...rows.map((row) => row.what.length), 4);
  const figureWidth = Math.max(...rows.map((row) => row.figure.length), 6);
  console.log(`\n${'what'.padEnd(width)} | ${'figure'.padEnd(figureWidth)} | goal | met`);
  console.log(`${'-'.repeat(width)}-|-${'-'.repeat(figureWidth)}-|------|----`);
  for (const row of rows) console.log(`${row.what.padEnd(width)} | ${row.figure.padEnd(figureWidth)} | ${row.goal} | ${row.met ? 'yes' : 'NO'}`);
}

/** Median of repeated runs, after warm-up, for at least `minimumMs` (and 5 runs). */
export function timeMedian(run: () => unknown, minimumMs = 400): number {
  for (let warmup = 0; warmup < 3; warmup++) run();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < 5 || performance.now() - started < minimumMs) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (samples.length >= 200) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

/** The same for asynchronous work. */
export async function timeMedianAsync(run: () => Promise<unknown>, minimumMs = 400): Promise<number> {
  for (let warmup = 0; warmup < 3; warmup++) await run();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < 5 || performance.now() - started < minimumMs) {
    const start = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (samples.length >= 200) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}
