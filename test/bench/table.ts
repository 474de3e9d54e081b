/** Prints the table of every row the bench files of this run reported (see report.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { printTable, RESULTS_FILE, type BenchRow } from './report.ts';

const rows = existsSync(RESULTS_FILE)
  ? readFileSync(RESULTS_FILE, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as BenchRow)
  : [];
printTable(rows);
const missed = rows.filter((row) => !row.met).length;
console.log(`\n${rows.length - missed} of ${rows.length} rows at their goal.`);
