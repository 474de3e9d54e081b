/**
 * Makes sure the browsers the end-to-end suites and the demo drive are there:
 * Debian's `chromium` and `firefox-esr`. As root on a Debian-like system it
 * installs the missing ones with apt-get; otherwise it says what to install.
 *
 *   tsx test/setup/ensure-browsers.ts chromium firefox
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const BROWSERS = {
  chromium: { path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', debianPackage: 'chromium' },
  firefox: { path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', debianPackage: 'firefox-esr' },
} as const;

export type BrowserName = keyof typeof BROWSERS;

function canInstall(): boolean {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && spawnSync('apt-get', ['--version']).status === 0;
}

/** Returns true when every browser asked for is present (installing what it can). */
export function ensureBrowsers(names: readonly BrowserName[]): boolean {
  const missing = names.filter((name) => !existsSync(BROWSERS[name].path));
  if (missing.length === 0) return true;
  const packages = missing.map((name) => BROWSERS[name].debianPackage);
  if (!canInstall()) {
    console.error(`Missing browser(s): ${missing.map((name) => BROWSERS[name].path).join(', ')}.`);
    console.error(`Install them (Debian/Ubuntu: sudo apt-get install ${packages.join(' ')}), or point CHROMIUM_PATH / FIREFOX_PATH at them.`);
    return false;
  }
  console.log(`Installing ${packages.join(' ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  return missing.every((name) => existsSync(BROWSERS[name].path));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = process.argv.slice(2).filter((name): name is BrowserName => name in BROWSERS);
  process.exitCode = ensureBrowsers(names) ? 0 : 1;
}
