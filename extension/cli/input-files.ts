/** Reading the command's input files, and the errors it reports. */
import { readFileSync } from 'node:fs';
import { oneLine, readInput, UnreadableBodyError } from '../core/index.ts';

/** A wrong command line: reported with the usage, exit status 2. */
export class UsageError extends Error {}

export function cannotRead(path: string, error: unknown): UnreadableBodyError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
  return new UnreadableBodyError(`cannot read ${path}: ${reason}`);
}

export function readFile(path: string): Buffer {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

export function named(path: string, error: UnreadableBodyError): UnreadableBodyError {
  return new UnreadableBodyError(`${path}: ${error.message}`);
}

export function readNamed(path: string, bytes: Buffer = readFile(path)): ReturnType<typeof readInput> {
  try {
    return readInput(bytes);
  } catch (error) {
    if (error instanceof UnreadableBodyError) throw named(path, error);
    throw error;
  }
}

export function reportHarProblems(path: string, problems: ReadonlyArray<{ message: string }>): void {
  for (const problem of problems) process.stderr.write(`responses-devtools: ${oneLine(`${path}: skipped ${problem.message}`)}\n`);
}
