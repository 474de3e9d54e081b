/**
 * The command on a big transcript: a HAR of 2,000 real Responses calls (about
 * 100 MB), read by `inspect --json` and rewritten by `har`, against the least
 * any tool does with the same file (JSON.parse; JSON.parse + JSON.stringify),
 * each in its own Node process: time, and peak resident memory over the
 * file's size.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BIG_HAR_CALLS, writeBigHar } from './big-har.ts';
import { report } from './report.ts';

const CALLS = BIG_HAR_CALLS;
const directory = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
const harPath = join(directory, 'big.har');
const rssPath = join(directory, 'rss');
const preload = join(directory, 'rss.mjs');
// Each measured process writes its peak resident memory when it exits.
writeFileSync(preload, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssPath)}, String(process.resourceUsage().maxRSS * 1024)));\n`);

writeBigHar(harPath);
const size = statSync(harPath).size;
console.log(`HAR of ${CALLS} calls: ${(size / 1e6).toFixed(1)} MB`);

function measure(args: string[]): { ms: number; rss: number } {
  const samples: Array<{ ms: number; rss: number }> = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['--import', preload, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`);
    samples.push({ ms, rss: Number(readFileSync(rssPath, 'utf8')) });
  }
  samples.sort((a, b) => a.ms - b.ms);
  return samples[1] as { ms: number; rss: number };
}

const cli = resolve('dist', 'cli', 'responses-devtools.js');
const parse = measure(['-e', `JSON.parse(require('node:fs').readFileSync(${JSON.stringify(harPath)}, 'utf8'))`]);
const inspect = measure([cli, 'inspect', '--json', harPath]);
report({ what: `inspect --json on a ${(size / 1e6).toFixed(0)} MB HAR (${CALLS} calls) vs JSON.parse of it`, figure: `${(inspect.ms / parse.ms).toFixed(2)}×`, goal: '≤ 1.5×', met: inspect.ms / parse.ms <= 1.5 });
report({ what: 'inspect --json: peak memory over the file size', figure: `${(inspect.rss / size).toFixed(1)}×`, goal: '≤ 2×', met: inspect.rss / size <= 2 });
const roundTrip = measure(['-e', `const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(join(directory, 'copy.har'))}, JSON.stringify(JSON.parse(fs.readFileSync(${JSON.stringify(harPath)}, 'utf8')), null, 2))`]);
const har = measure([cli, 'har', harPath, '-o', join(directory, 'out.har')]);
report({ what: `har on the same HAR vs JSON.parse + JSON.stringify`, figure: `${(har.ms / roundTrip.ms).toFixed(2)}×`, goal: '≤ 2×', met: har.ms / roundTrip.ms <= 2 });
report({ what: 'har: peak memory over the file size', figure: `${(har.rss / size).toFixed(1)}×`, goal: '≤ 2×', met: har.rss / size <= 2 });
rmSync(directory, { recursive: true, force: true });
