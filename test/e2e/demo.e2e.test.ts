/**
 * `npm start` itself, as a newcomer runs it (headless here: no display): it starts at once when the packages are
 * installed, opens the browser with the panel on the demo page, and Ctrl+C (SIGINT to its process group, as a
 * terminal sends it) ends it with status 0, the browser closed and its temporary profile gone. In both browsers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';

/** The browsers' temporary profiles: ours for Chromium, puppeteer's for Firefox. */
function profiles(): Set<string> {
  return new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('responses-devtools-chromium-') || name.startsWith('puppeteer_dev_firefox_profile-')));
}

async function startThenInterrupt(args: string[], port: number): Promise<{ status: number | null; output: string; profileDuring: string[] }> {
  const before = profiles();
  const child = spawn('npm', ['start', '--', '--headless', ...args], { detached: true, env: { ...process.env, PORT: String(port), PROXY_PORT: String(port + 10) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      if (/Press a button on the page/.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => reject(new Error(`npm start ended before it was ready:\n${output}`)));
  });
  await ready;
  const profileDuring = [...profiles()].filter((name) => !before.has(name));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
  // Ctrl+C in a terminal: SIGINT to every process of the foreground group.
  process.kill(-(child.pid as number), 'SIGINT');
  return { status: await exited, output, profileDuring };
}

describe('npm start', () => {
  for (const [browser, args, port] of [
    ['Chromium', [], 8791],
    ['Firefox', ['--browser', 'firefox'], 8792],
  ] as const) {
    it(`starts at once when installed, and Ctrl+C ends it cleanly (${browser})`, async () => {
      const { status, output, profileDuring } = await startThenInterrupt([...args], port);
      assert.equal(status, 0, output);
      // Nothing was installed again: the packages were there.
      assert.doesNotMatch(output, /added \d+ packages|npm ci/);
      assert.equal(profileDuring.length, 1, `one profile while it ran: ${profileDuring.join(', ')}`);
      assert.equal(profiles().has(profileDuring[0] as string), false, 'its profile is gone');
      // The demo app's server calls through its own proxy, on the port it was given.
      assert.match(output, new RegExp(`calls through responses-devtools proxy at http://127\\.0\\.0\\.1:${port + 10}`));
    });
  }
});
