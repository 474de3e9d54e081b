/**
 * Runs fuzz cases in a worker thread under a watchdog, and some of them
 * through the built command. Shared by `npm run fuzz` and the unit suite.
 *
 * The watchdog is a hang detector, not a time limit: work per case is bounded
 * by design (the core is linear in its input); a case still running after
 * HANG_MS has looped, and fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describeCase, makeCase, type FuzzCase } from './cases.ts';
import type { WorkerInput, WorkerMessage } from './worker.ts';

export const HANG_MS = 10_000;

/** The worker is TypeScript: it starts by registering tsx in its own thread, then loads worker.ts. */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`;

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'responses-devtools.js');

export interface FuzzFailureReport {
  index: number;
  description: string;
  error: string;
  /** The command that replays this case alone. */
  reproduce: string;
  /** The failing input, written out. */
  inputPath: string;
}

export interface FuzzReport {
  seed: number;
  from: number;
  count: number;
  read: number;
  unreadable: number;
  commandRuns: number;
  failures: FuzzFailureReport[];
}

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Smaller cases (see makeCase), for the unit suite. */
  quick?: boolean;
  /** The first case number (to replay one case: from = its number, count = 1). */
  from?: number;
  /** How many cases also go through the built command (spread over the run). */
  commandCases?: number;
  onProgress?: (done: number, report: FuzzReport) => void;
}

let scratch: string | undefined;
function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'responses-devtools-fuzz-'));
  return scratch;
}

function extensionOf(fuzzCase: FuzzCase): string {
  return { sse: 'sse', 'json-lines': 'jsonl', 'json-array': 'json', 'response-json': 'json', har: 'har', 'browser-har': 'har' }[fuzzCase.form];
}

function saveInput(fuzzCase: FuzzCase): string {
  const path = join(scratchDir(), `seed-${fuzzCase.seed}-case-${fuzzCase.index}.${extensionOf(fuzzCase)}`);
  writeFileSync(path, fuzzCase.input);
  return path;
}

function failure(seed: number, quick: boolean, index: number, description: string, error: string): FuzzFailureReport {
  const reproduce = `npm run fuzz -- --seed ${seed} --case ${index}${quick ? ' --quick' : ''}`;
  return { index, description, error, reproduce, inputPath: saveInput(makeCase(seed, index, { quick })) };
}

/** Runs cases [from, from + count) in a worker; a case that hangs is reported and the run goes on after it. */
async function runInWorker(seed: number, quick: boolean, from: number, count: number, report: FuzzReport, onProgress?: FuzzOptions['onProgress']): Promise<void> {
  let start = from;
  const end = from + count;
  while (start < end) {
    const heartbeat = new SharedArrayBuffer(12);
    const beat = new Int32Array(heartbeat);
    Atomics.store(beat, 0, start);
    const input: WorkerInput = { seed, quick, from: start, to: end, heartbeat };
    const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: input });
    const hung = await new Promise<number | undefined>((resolve, reject) => {
      let watched = Atomics.load(beat, 0);
      let since = Date.now();
      let settled = false;
      const finish = (value: number | undefined, error?: unknown) => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        if (error) reject(error);
        else resolve(value);
      };
      const watchdog = setInterval(() => {
        const current = Atomics.load(beat, 0);
        if (current !== watched) {
          watched = current;
          since = Date.now();
        } else if (Date.now() - since > HANG_MS) {
          void worker.terminate();
          finish(current);
        }
      }, 200);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'failure') {
          report.failures.push(failure(seed, quick, message.index, message.description, message.error));
        } else if (message.type === 'progress') {
          onProgress?.(start - from + message.done, { ...report, read: report.read + message.read, unreadable: report.unreadable + message.unreadable });
        } else {
          finish(undefined);
        }
      });
      worker.on('error', (error) => finish(undefined, error));
      worker.on('exit', (code) => {
        if (!settled) finish(undefined, new Error(`the fuzz worker exited with code ${code} near case ${Atomics.load(beat, 0)}`));
      });
    });
    report.read += Atomics.load(beat, 1);
    report.unreadable += Atomics.load(beat, 2);
    if (hung === undefined) return;
    report.failures.push(failure(seed, quick, hung, describeCase(makeCase(seed, hung, { quick })), `still running after ${HANG_MS / 1000} s: a hang`));
    start = hung + 1;
  }
}

/** Problems running the built command on one case: exit codes, messages, hangs. */
export function checkCommand(fuzzCase: FuzzCase): string[] {
  const path = saveInput(fuzzCase);
  const problems: string[] = [];
  const runs: Array<[string, string[]]> = [
    ['inspect --json', ['inspect', '--json', path]],
    ['inspect', ['inspect', path]],
    ['har', ['har', path, '-o', `${path}.out.har`]],
  ];
  const statuses: Array<number | null> = [];
  for (const [label, args] of runs) {
    const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: HANG_MS, maxBuffer: 1 << 30 });
    statuses.push(result.status);
    const stderr = result.stderr ?? '';
    if (result.error || result.status === null) {
      problems.push(`${label}: ${result.error?.message ?? `killed by ${result.signal}`} (a hang?)`);
      continue;
    }
    if (result.status !== 0 && result.status !== 1) problems.push(`${label}: exit ${result.status}: ${stderr.slice(0, 400)}`);
    if (/internal error|\n\s+at /.test(stderr)) problems.push(`${label}: a stack trace or internal error on stderr: ${stderr.slice(0, 400)}`);
    if (result.status === 1 && (stderr.trim().split('\n').length !== 1 || !stderr.startsWith('responses-devtools: '))) {
      problems.push(`${label}: exit 1 without one clear line on stderr: ${stderr.slice(0, 400)}`);
    }
    if (result.status === 0 && label === 'inspect --json') {
      try {
        JSON.parse(result.stdout);
      } catch (error) {
        problems.push(`${label}: exit 0 but the output is not JSON (${(error as Error).message})`);
      }
    }
  }
  if (new Set(statuses).size > 1) problems.push(`the commands disagree on whether the input is readable: exit ${statuses.join(', ')}`);
  return problems;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const from = options.from ?? 0;
  const report: FuzzReport = { seed: options.seed, from, count: options.count, read: 0, unreadable: 0, commandRuns: 0, failures: [] };
  const quick = options.quick === true;
  await runInWorker(options.seed, quick, from, options.count, report, options.onProgress);
  const commandCases = Math.min(options.commandCases ?? 0, options.count);
  if (commandCases > 0) {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsx build.ts --cli-only\` first`);
    const stride = options.count / commandCases;
    for (let n = 0; n < commandCases; n++) {
      const index = from + Math.floor(n * stride);
      const fuzzCase = makeCase(options.seed, index, { quick });
      const problems = checkCommand(fuzzCase);
      report.commandRuns++;
      if (problems.length > 0) report.failures.push(failure(options.seed, quick, index, describeCase(fuzzCase), `the command: ${problems.join('; ')}`));
    }
  }
  report.failures.sort((a, b) => a.index - b.index);
  return report;
}

/** A failure, ready to print. */
export function formatFailure(failure: FuzzFailureReport): string {
  return `${failure.description}\n  ${failure.error.split('\n').slice(0, 12).join('\n  ')}\n  input: ${failure.inputPath}\n  replay: ${failure.reproduce}`;
}
