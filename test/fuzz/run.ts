/**
 * The long fuzz run:
 *
 *   npm run fuzz                       10,000 cases, a random seed
 *   npm run fuzz -- 100000             that many cases
 *   npm run fuzz -- 100000 --seed 42   a given seed
 *   npm run fuzz -- --seed 42 --case 1234   replay one case
 *   --commands N                       N cases also through the built command (default: one in 1,000, at least 5)
 *   --quick                            the unit suite's smaller cases
 *
 * Prints progress and a summary; exits 1 if any case failed, with the seed
 * and case number that replay it.
 */
import { formatFailure, runFuzz } from './runner.ts';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const quick = process.argv.includes('--quick');
const positional = process.argv.slice(2).filter((arg, index, args) => !arg.startsWith('--') && !['--seed', '--case', '--commands'].includes(args[index - 1] ?? ''));
const seed = option('--seed') === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(option('--seed'));
const replay = option('--case');
const from = replay === undefined ? 0 : Number(replay);
const count = replay === undefined ? Number(positional[0] ?? 10_000) : 1;
const commandCases = option('--commands') === undefined ? Math.max(replay === undefined ? 5 : 1, Math.floor(count / 1000)) : Number(option('--commands'));
if (![seed, from, count, commandCases].every((value) => Number.isInteger(value) && value >= 0)) {
  process.stderr.write('usage: npm run fuzz -- [COUNT] [--seed N] [--case N] [--commands N] [--quick]\n');
  process.exit(2);
}

process.stdout.write(`fuzz: seed ${seed}, ${quick ? 'quick ' : ''}cases ${from}..${from + count - 1}, ${commandCases} through the command\n`);
const started = Date.now();
let lastPrint = 0;
const report = await runFuzz({
  seed,
  quick,
  from,
  count,
  commandCases,
  onProgress(done, partial) {
    if (Date.now() - lastPrint < 2000 && done < count) return;
    lastPrint = Date.now();
    const rate = Math.round(done / ((Date.now() - started) / 1000));
    process.stdout.write(`  ${done}/${count} cases (${rate}/s): ${partial.read} read, ${partial.unreadable} refused, ${partial.failures.length} failed\n`);
  },
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `fuzz: ${report.count} cases in ${seconds} s, seed ${seed}: ${report.read} read, ${report.unreadable} refused as unreadable, ${report.commandRuns} through the command, ${report.failures.length} failed\n`,
);
for (const failure of report.failures.slice(0, 20)) process.stdout.write(`\nFAIL ${formatFailure(failure)}\n`);
if (report.failures.length > 20) process.stdout.write(`\n… and ${report.failures.length - 20} more\n`);
process.exitCode = report.failures.length > 0 ? 1 : 0;
