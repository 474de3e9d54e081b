import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { buildTranscript, callsOfInput, oneLine, readInput, summarizeRecord, UnreadableBodyError, writeJson, type TranscriptCall } from '../core/index.ts';
import { formatResponseText } from './format-text.ts';

const USAGE = `Usage:
  responses-devtools inspect [--json] FILE         Assemble the Responses API stream(s) in FILE ("-" for stdin)
  responses-devtools har FILE... -o OUT.har        Write one HAR 1.2 transcript of the Responses calls in FILEs
                         [--keep-secrets]          (credentials are redacted unless this is given)

FILE may be a Server-Sent Events recording of a streaming call (several may be
concatenated), a Response JSON body, JSON lines of stream events, or a HAR file
(ours, Chrome's, Firefox's, Playwright's): every Responses entry, in order.
  --json   print {"responses":[{"response","events","usage","timing","warnings"}]}`;

class UsageError extends Error {}

function readFile(path: string): Buffer {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UnreadableBodyError(`cannot read ${path}: ${reason}`);
  }
}

function readNamed(path: string, bytes: Buffer = readFile(path)): ReturnType<typeof readInput> {
  try {
    return readInput(bytes);
  } catch (error) {
    if (error instanceof UnreadableBodyError) throw new UnreadableBodyError(`${path}: ${error.message}`);
    throw error;
  }
}

function reportHarProblems(path: string, problems: ReadonlyArray<{ message: string }>): void {
  for (const problem of problems) process.stderr.write(`responses-devtools: ${oneLine(`${path}: skipped ${problem.message}`)}\n`);
}

/** The calls of one input file: a HAR's Responses entries, or a recording as one call. */
function callsOf(path: string): TranscriptCall[] {
  const bytes = readFile(path);
  const reading = readNamed(path, bytes);
  reportHarProblems(path, reading.har?.problems ?? []);
  return callsOfInput(basename(path), bytes.toString('utf8'), reading);
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
  const calls = files.flatMap(callsOf);
  const pieces = jsonPieces(buildTranscript(calls, { keepSecrets }));
  if (out === undefined || out === '-') {
    for (const piece of pieces) process.stdout.write(piece);
    return;
  }
  try {
    const fd = openSync(out, 'w');
    try {
      for (const piece of pieces) writeFileSync(fd, piece);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UnreadableBodyError(`cannot write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
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

function inspect(args: string[]): string[] {
  const json = args.includes('--json');
  const files = args.filter((arg) => arg !== '--json');
  const unknownOption = files.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknownOption) throw new UsageError(`unknown option ${unknownOption}`);
  if (files.length !== 1) throw new UsageError('inspect takes one FILE');
  const path = files[0] as string;
  const reading = readNamed(path);
  reportHarProblems(path, reading.har?.problems ?? []);
  const summaries = reading.responses.map(summarizeRecord);
  if (json) return jsonPieces({ responses: summaries });
  return summaries.map((summary, index) => (index === 0 ? '' : '\n\n') + formatResponseText(summary, index, summaries.length)).concat('\n');
}

function main(argv: string[]): number {
  const [command, ...args] = argv;
  try {
    if (command === 'inspect') {
      for (const piece of inspect(args)) process.stdout.write(piece);
      return 0;
    }
    if (command === 'har') {
      har(args);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
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
}

process.exitCode = main(process.argv.slice(2));
