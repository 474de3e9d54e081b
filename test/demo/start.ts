/**
 * `npm start`: the demo. Serves the bundled real recordings on 127.0.0.1,
 * opens Chromium with the extension loaded, DevTools open on the demo page and
 * the Responses panel shown. No API key: the page's `openai` client talks to
 * the local replay server.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright';
import { ChromiumWithDevtools, EXTENSION_DIR } from '../e2e/chromium-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { startServerCallDemo } from '../server/server-call-demo.ts';
import type { CaptureProxy } from '../../extension/cli/proxy-command.ts';
import { ensureBrowsers } from '../setup/ensure-browsers.ts';
import { FIREFOX_PATH, FirefoxWithDevtools } from '../e2e/firefox-devtools.ts';

function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
  ];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  try {
    // Playwright's own Chromium, if the user installed it (`npx playwright install chromium`).
    const bundled = chromium.executablePath();
    if (existsSync(bundled)) return bundled;
  } catch {
    // none
  }
  return undefined;
}

function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

async function main(): Promise<void> {
  // Always the extension of this tree: a build takes a second, a stale one would show yesterday's code.
  const built = spawnSync('npx', ['tsx', 'build.ts'], { stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(`${EXTENSION_DIR}/manifest.json`)) {
    console.log('The extension did not build (see above).');
    process.exitCode = 1;
    return;
  }
  const port = Number(process.env.PORT ?? 8787);
  const server = await startTestSite({ port });
  const url = `${server.url}/`;
  console.log(`Demo server: ${url} (replaying ${server.recordings().length} recordings from test/fixtures/responses-streams)`);
  // The demo app's server calls through responses-devtools proxy, at the address the panel listens to by default.
  const proxyPort = Number(process.env.PROXY_PORT ?? 8788);
  let proxy: CaptureProxy | undefined;
  try {
    proxy = await startServerCallDemo(server, proxyPort, (line) => console.log(`proxy: ${line}`));
    console.log(`The demo app's server calls through responses-devtools proxy at ${proxy.url}: the panel shows those calls too.`);
  } catch (error) {
    console.log(`The demo's proxy cannot listen on 127.0.0.1:${proxyPort} (${error instanceof Error ? error.message : String(error)}): the server-call button's call will not show in the panel.`);
    console.log('PROXY_PORT=… npm start picks another port; give the panel the same address in its Settings.');
  }
  const stopServers = async () => {
    await proxy?.stop();
    await server.stop();
  };

  const wantsFirefox = process.argv.includes('firefox') && process.argv.includes('--browser');
  // `--headless`: the same demo with no window (a machine without a display; the tests of the demo itself).
  const headless = process.argv.includes('--headless');
  // Installs Debian's browser when it can (root with apt-get); otherwise the messages below say what to do.
  ensureBrowsers([wantsFirefox ? 'firefox' : 'chromium']);
  if (wantsFirefox) {
    await startFirefox(url, stopServers, headless);
    return;
  }
  const executablePath = findChromium();
  const manual = `To use your own Chrome instead: open chrome://extensions, turn on Developer mode, "Load unpacked" → ${EXTENSION_DIR}, then open ${url} and DevTools → Responses.`;
  if (!headless && !hasDisplay()) {
    console.log(`No display found ($DISPLAY is not set), so no browser window can open here.`);
    console.log(`Run it on a desktop session, or under a virtual display: xvfb-run -a npm start`);
    console.log(manual);
    await stopServers();
    process.exitCode = 1;
    return;
  }
  if (!executablePath) {
    console.log('No Chromium found (branded Google Chrome no longer accepts --load-extension).');
    console.log('Install Chromium (Debian/Ubuntu: apt install chromium) or set CHROMIUM_PATH, then run npm start again.');
    console.log(manual);
    console.log('The demo server keeps running until you press Ctrl+C.');
    return;
  }
  const browser = await ChromiumWithDevtools.launch({ headless, executablePath, ownSignals: true });
  await browser.firstPage().goto(url);
  await browser.openPanel();
  // Closing the window or Ctrl+C: the browser closes, its temporary profile goes, and the demo ends without an error.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= browser
      .close()
      .catch(() => undefined)
      .then(stopServers)
      .finally(() => process.exit(0)));
  browser.context.on('close', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log('Chromium is open with DevTools on the demo page and the Responses panel shown. Press a button on the page.');
  console.log('Close the browser window (or press Ctrl+C) to stop.');
}

async function startFirefox(url: string, stopServer: () => Promise<void>, headless: boolean): Promise<void> {
  if (!headless && !hasDisplay()) {
    console.log('No display found ($DISPLAY is not set). Run it on a desktop session, or: xvfb-run -a npm start -- --browser firefox');
    console.log(`By hand: about:debugging → This Firefox → Load Temporary Add-on → ${EXTENSION_DIR.replace(/chrome$/, 'firefox')}/manifest.json, then open ${url}.`);
    await stopServer();
    process.exitCode = 1;
    return;
  }
  if (!existsSync(FIREFOX_PATH)) {
    console.log(`No Firefox at ${FIREFOX_PATH}: install firefox-esr (or set FIREFOX_PATH) and run again.`);
    await stopServer();
    process.exitCode = 1;
    return;
  }
  const firefox = await FirefoxWithDevtools.launch({ headless, ownSignals: true });
  const page = await firefox.page();
  await page.goto(url);
  await firefox.openPanel();
  // Closing the window or Ctrl+C: Firefox closes (puppeteer removes its temporary profile) and the demo ends without an error.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= firefox
      .close()
      .catch(() => undefined)
      .then(stopServer)
      .finally(() => process.exit(0)));
  firefox.browser.on('disconnected', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log('Firefox is open with the toolbox on the demo page and the Responses panel shown. Press a button on the page.');
  console.log('Close the browser window (or press Ctrl+C) to stop.');
}

void main();
