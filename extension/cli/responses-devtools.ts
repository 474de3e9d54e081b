import { closeSync, fstatSync, openSync, readSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import {
  callsOfInput,
  harCalls,
  harEntries,
  JsonItems,
  noHarCallError,
  NotStreamableError,
  oneLine,
  readHarEntry,
  streamedTranscript,
  inspectCalls,
  parseReplayPoint,
  type ReplayPoint,
  UnreadableBodyError,
  writeJson,
  type HarCall,
  type HarReading,
  type ReadBytes,
  type InspectedResponse,
  type ResponseSummary,
  type TranscriptCall,
} from '../core/index.ts';
import { formatResponseText, formatThreadHeading } from './format-text.ts';
import { cannotRead, named, readFile, readNamed, reportHarProblems, UsageError } from './input-files.ts';
import { priceTable } from '../prices/price-table.ts';
import { diffCommand } from './diff-command.ts';
import { proxyCommand } from './proxy-command.ts';

const USAGE = `Usage:
  responses-devtools inspect [--json] FILE         Assemble the Responses API stream(s) in FILE ("-" for stdin)
                         [--at N | --at 2.5s]      each response as it stood after N events, or that long after its start
  responses-devtools har FILE... -o OUT.har        Write one HAR 1.2 transcript of the Responses calls in FILEs
                         [--keep-secrets]          (credentials are redacted unless this is given)
  responses-devtools diff [--json] A B             Compare two calls: request differences, outputs, usage, cost
                                                   and timing (A and B: FILE, or FILE#N for a HAR's N-th call)
  responses-devtools proxy [--port 8788]           Forward an app's server calls to the API, chunk for chunk, and
                         [--upstream URL]          show them live in the panel (OPENAI_BASE_URL=http://127.0.0.1:8788/v1);
                         [--har FILE]              upstream https://api.openai.com unless given; --har keeps a
                         [--host ADDRESS]          redacted HAR; --host listens beyond 127.0.0.1 (with a warning)

FILE may be a Server-Sent Events recording of a streaming call (several may be
concatenated), a Response JSON body, JSON lines of stream events, or a HAR file
(ours, Chrome's, Firefox's, Playwright's): every Responses entry, in order.
  --json   print {"responses":[{"response","thread","events","usage","cost","rateLimits","timing","warnings"}]}
           (diff: {"request":[{"path","change","a","b"}],"output","usage","cost","timing"})`;

function emptyReading(): HarReading {
  return { calls: [], skipped: 0, problems: [] };
}

/**
 * An open regular file, to be read in pieces; undefined for stdin or anything
 * else (a pipe, once read, could not be read again whole when it is no HAR),
 * and for the file `except` is (one about to be written).
 */
function openFile(path: string, except?: Stats): number | undefined {
  if (path === '-') return undefined;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw cannotRead(path, error);
  }
  let streamable = false;
  try {
    const stat = fstatSync(fd);
    streamable = stat.isFile() && !(except !== undefined && stat.dev === except.dev && stat.ino === except.ino);
  } finally {
    if (!streamable) closeSync(fd);
  }
  return streamable ? fd : undefined;
}

/** Reads the file on from where it stands. */
function reader(fd: number, path: string): ReadBytes {
  return (into, offset, length) => {
    try {
      return readSync(fd, into, offset, length, null);
    } catch (error) {
      throw cannotRead(path, error);
    }
  };
}

/**
 * The calls of a file read whole, with its HAR problems: any input but a HAR
 * `harEntries` reads.
 */
interface WholeInput {
  path: string;
  calls: TranscriptCall[];
  problems: ReadonlyArray<{ message: string }>;
}

/** A HAR `harEntries` reads, checked: read again entry by entry as the transcript is written. */
interface StreamedInput {
  path: string;
}

function readWhole(path: string): WholeInput {
  const bytes = readFile(path);
  const reading = readNamed(path, bytes);
  return { path, calls: callsOfInput(basename(path), bytes.toString('utf8'), reading), problems: reading.har?.problems ?? [] };
}

/**
 * Reads an input through before anything is written: a HAR is parsed entry by
 * entry (and dropped) to know it is valid and has a Responses call, which is
 * all `readInput` would have refused it for; anything else is read whole, and
 * so is the file about to be written (`output`), as it cannot be read again.
 */
function readAhead(path: string, output: Stats | undefined): WholeInput | StreamedInput {
  const fd = openFile(path, output);
  if (fd !== undefined) {
    try {
      const reading = emptyReading();
      let found = false;
      let entryIndex = 0;
      for (const entry of harEntries(reader(fd, path))) {
        if (!found) found = readHarEntry(entry, entryIndex++, reading) !== undefined;
      }
      if (!found) throw named(path, noHarCallError(reading));
      return { path };
    } catch (error) {
      if (!(error instanceof NotStreamableError)) throw error;
    } finally {
      closeSync(fd);
    }
  }
  return readWhole(path);
}

/** The calls of a HAR read entry by entry, its problems added to `reading`. */
function* streamedCalls(path: string, reading: HarReading): Generator<HarCall, void, undefined> {
  const changed = () => new UnreadableBodyError(`${path}: changed while it was read`);
  const fd = openFile(path);
  if (fd === undefined) throw changed();
  try {
    yield* harCalls(reader(fd, path), reading);
  } catch (error) {
    if (error instanceof NotStreamableError) throw changed();
    throw error;
  } finally {
    closeSync(fd);
  }
}

function reportProblems(input: WholeInput | StreamedInput): void {
  if ('calls' in input) {
    reportHarProblems(input.path, input.problems);
    return;
  }
  const reading = emptyReading();
  // Read through for its problems; the calls are dropped.
  for (const call of streamedCalls(input.path, reading)) void call;
  reportHarProblems(input.path, reading.problems);
}

function* callsOf(inputs: ReadonlyArray<WholeInput | StreamedInput>): Generator<TranscriptCall, void, undefined> {
  for (const input of inputs) {
    if ('calls' in input) {
      reportHarProblems(input.path, input.problems);
      yield* input.calls;
      continue;
    }
    const reading = emptyReading();
    yield* streamedCalls(input.path, reading);
    reportHarProblems(input.path, reading.problems);
  }
}

function cannotWrite(out: string, error: unknown): UnreadableBodyError {
  return new UnreadableBodyError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
}

function har(args: string[]): void {
  const keepSecrets = args.includes('--keep-secrets');
  const outIndex = args.findIndex((arg) => arg === '-o' || arg === '--output');
  const out = outIndex === -1 ? undefined : args[outIndex + 1];
  if (outIndex !== -1 && (out === undefined || (out.startsWith('-') && out !== '-'))) throw new UsageError('-o needs a file name');
  const outArgs = outIndex === -1 ? [] : [outIndex, outIndex + 1];
  const files = args.filter((arg, index) => arg !== '--keep-secrets' && !outArgs.includes(index));
  const unknownOption = files.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknownOption) throw new UsageError(`unknown option ${unknownOption}`);
  if (files.length === 0) throw new UsageError('har takes at least one FILE');
  if (files.includes('-')) throw new UsageError('har reads files, not stdin');
  // Every input is read through before the output is opened: an input that cannot be read leaves it untouched.
  const inputs: Array<WholeInput | StreamedInput> = [];
  let output: Stats | undefined;
  try {
    output = out === undefined || out === '-' ? undefined : statSync(out);
  } catch {
    output = undefined;
  }
  for (const path of files) {
    try {
      inputs.push(readAhead(path, output));
    } catch (error) {
      // The problems of the inputs before come first, as when each input was read whole in turn.
      for (const input of inputs) reportProblems(input);
      throw error;
    }
  }
  const transcript = streamedTranscript(callsOf(inputs), { keepSecrets });
  if (out === undefined || out === '-') {
    writeJson(transcript, (piece) => process.stdout.write(piece), 2);
    process.stdout.write('\n');
    return;
  }
  let fd: number;
  try {
    fd = openSync(out, 'w');
  } catch (error) {
    throw cannotWrite(out, error);
  }
  const write = (piece: string): void => {
    try {
      writeFileSync(fd, piece);
    } catch (error) {
      throw cannotWrite(out, error);
    }
  };
  try {
    writeJson(transcript, write, 2);
    write('\n');
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // The first error says more.
    }
    throw error;
  }
  try {
    closeSync(fd);
  } catch (error) {
    throw cannotWrite(out, error);
  }
}

/**
 * Indented JSON text and a final newline, in pieces: a value of any depth,
 * and text longer than one string may hold.
 */
function jsonPieces(value: unknown): string[] {
  const pieces: string[] = [];
  writeJson(value, (piece) => pieces.push(piece), 2);
  pieces.push('\n');
  return pieces;
}

function* summariesOf(inspected: Iterable<InspectedResponse>): Generator<ResponseSummary, void, undefined> {
  for (const one of inspected) yield one.summary;
}

function inspectOutput(inspected: Iterable<InspectedResponse>, json: boolean): string[] {
  if (json) return jsonPieces({ responses: new JsonItems(summariesOf(inspected)) });
  const list = [...inspected];
  const pieces: string[] = [];
  for (const thread of threadsOf(list)) {
    const heading = thread.positions.length > 1 || thread.previousMissing ? formatThreadHeading(thread.id, thread.positions.length, thread.previousMissing) + '\n\n' : '';
    thread.positions.forEach((position, index) => {
      pieces.push((pieces.length === 0 ? '' : '\n\n') + (index === 0 ? heading : '') + formatResponseText(list[position] as InspectedResponse, position, list.length));
    });
  }
  return pieces.concat('\n');
}

/** The responses of each thread, threads in the order they began; a response keeps its place in the input (`positions`). */
function threadsOf(inspected: readonly InspectedResponse[]): Array<{ id: string; positions: number[]; previousMissing: boolean }> {
  const threads = new Map<string, { id: string; positions: number[]; previousMissing: boolean }>();
  inspected.forEach(({ summary }, position) => {
    const id = summary.thread?.id ?? `#${position}`;
    const thread = threads.get(id) ?? { id, positions: [], previousMissing: summary.thread?.previousMissing === true };
    thread.positions.push(position);
    threads.set(id, thread);
  });
  return [...threads.values()];
}

/**
 * inspect on a HAR read entry by entry, each dropped once summarized;
 * undefined for any other input (read whole). The output is held until the
 * end: a HAR found broken at its end is then read whole, as before, with
 * nothing printed yet.
 */
function inspectStreamed(path: string, json: boolean, at: ReplayPoint | undefined): string[] | undefined {
  const fd = openFile(path);
  if (fd === undefined) return undefined;
  try {
    const reading = emptyReading();
    let calls = 0;
    const counted = function* (): Generator<HarCall, void, undefined> {
      for (const call of harCalls(reader(fd, path), reading)) {
        calls++;
        yield call;
      }
    };
    const output = inspectOutput(inspectCalls(counted(), priceTable, at), json);
    if (calls === 0) throw named(path, noHarCallError(reading));
    reportHarProblems(path, reading.problems);
    return output;
  } catch (error) {
    if (error instanceof NotStreamableError) return undefined;
    throw error;
  } finally {
    closeSync(fd);
  }
}

function inspect(args: string[]): string[] {
  const json = args.includes('--json');
  const atIndex = args.indexOf('--at');
  let at: ReplayPoint | undefined;
  if (atIndex !== -1) {
    const value = args[atIndex + 1];
    at = value === undefined ? undefined : parseReplayPoint(value);
    if (!at) throw new UsageError('--at takes a number of events (--at 120) or a time after the request started (--at 2.5s, --at 300ms)');
  }
  const files = args.filter((arg, index) => arg !== '--json' && (atIndex === -1 || (index !== atIndex && index !== atIndex + 1)));
  const unknownOption = files.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknownOption) throw new UsageError(`unknown option ${unknownOption}`);
  if (files.length !== 1) throw new UsageError('inspect takes one FILE');
  const path = files[0] as string;
  const streamed = inspectStreamed(path, json, at);
  if (streamed) return streamed;
  const reading = readNamed(path);
  reportHarProblems(path, reading.har?.problems ?? []);
  return inspectOutput(inspectCalls(reading.har ? reading.har.calls : [{ records: reading.responses }], priceTable, at), json);
}

/** The exit code, or undefined for a command that runs on (the proxy). */
function main(argv: string[]): number | undefined {
  const [command, ...args] = argv;
  try {
    if (command === 'proxy') {
      proxyCommand(args).catch((error: unknown) => {
        process.exitCode = reportError(error);
      });
      return undefined;
    }
    if (command === 'inspect') {
      for (const piece of inspect(args)) process.stdout.write(piece);
      return 0;
    }
    if (command === 'har') {
      har(args);
      return 0;
    }
    if (command === 'diff') {
      for (const piece of diffCommand(args)) process.stdout.write(piece);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`responses-devtools: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (error instanceof UnreadableBodyError) {
    process.stderr.write(`responses-devtools: ${oneLine(error.message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`responses-devtools: internal error: ${oneLine(message)}\n`);
  return 70;
}

// A reader that stops early (`| head`) closes the pipe: what it did not read is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const exitCode = main(process.argv.slice(2));
if (exitCode !== undefined) process.exitCode = exitCode;
