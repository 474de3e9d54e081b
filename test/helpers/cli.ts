/** Running the built command in tests, and files for it to read. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'responses-devtools.js');

export function runCli(args: string[], input?: string | Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder, and a function that writes a named file in it and gives its path. */
export function scratchWriter(prefix: string): { directory: string; write: (name: string, content: string | Uint8Array) => string } {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  return {
    directory,
    write: (name, content) => {
      const path = join(directory, name);
      writeFileSync(path, content);
      return path;
    },
  };
}
