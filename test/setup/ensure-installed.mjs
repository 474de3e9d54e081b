/**
 * Installs the project's packages (`npm ci`) unless node_modules already holds
 * what package-lock.json names: `npm start` and `npm test` set up a fresh
 * clone by themselves, and start at once on one already set up (an `npm ci`
 * each time took seconds and removed node_modules under a running test).
 * Plain JavaScript: it runs before any package (tsx) is there.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const MARK = 'node_modules/.responses-devtools-installed';
const lock = createHash('sha256').update(readFileSync('package-lock.json')).update(readFileSync('package.json')).digest('hex');

if (existsSync(MARK) && readFileSync(MARK, 'utf8') === lock) process.exit(0);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
if (install.status !== 0) process.exit(install.status ?? 1);
writeFileSync(MARK, lock);
