import { readFileSync } from 'node:fs';
import { readResponsesBody, summarizeRecord, UnreadableBodyError } from '../core/index.ts';
import { formatResponseText } from './format-text.ts';

const USAGE = `Usage:
  responses-devtools inspect [--json] FILE     Assemble the Responses API stream(s) in FILE ("-" for stdin)

FILE may be a Server-Sent Events recording of a streaming call (several may be
concatenated), a Response JSON body, or JSON lines of stream events.
  --json   print {"responses":[{"response","events","usage","timing","warnings"}]}`;

class UsageError extends Error {}

function readInput(path: string): Buffer {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UnreadableBodyError(`cannot read ${path}: ${reason}`);
  }
}

function inspect(args: string[]): string {
  const json = args.includes('--json');
  const files = args.filter((arg) => arg !== '--json');
  const unknownOption = files.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknownOption) throw new UsageError(`unknown option ${unknownOption}`);
  if (files.length !== 1) throw new UsageError('inspect takes one FILE');
  const path = files[0] as string;
  const input = readInput(path);
  let body;
  try {
    body = readResponsesBody(input);
  } catch (error) {
    if (error instanceof UnreadableBodyError) throw new UnreadableBodyError(`${path}: ${error.message}`);
    throw error;
  }
  const summaries = body.responses.map(summarizeRecord);
  if (json) return JSON.stringify({ responses: summaries }, null, 2);
  return summaries.map((summary, index) => formatResponseText(summary, index, summaries.length)).join('\n\n');
}

function main(argv: string[]): number {
  const [command, ...args] = argv;
  try {
    if (command === 'inspect') {
      process.stdout.write(inspect(args) + '\n');
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
      process.stderr.write(`responses-devtools: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`responses-devtools: internal error: ${message}\n`);
    return 70;
  }
}

process.exitCode = main(process.argv.slice(2));
