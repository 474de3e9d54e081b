/**
 * What the extension costs requests that are no LLM call, on every site: 300
 * sequential small fetch GETs, XHR GETs and 2 KB JSON POSTs to one local
 * server, page time with the extension over the same page without it, DevTools
 * closed, in Chromium and in Firefox. Medians of alternating rounds.
 */
import { chromium, type Page as PlaywrightPage } from 'playwright';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH, EXTENSION_DIR } from '../e2e/chromium-devtools.ts';
import { FirefoxWithDevtools } from '../e2e/firefox-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { report } from './report.ts';

const ROUNDS = 9;
const server = await startTestSite();

/** Runs in the page: 300 requests of one kind, one after another; the page's time for all. */
const traffic = async (kind: 'fetch' | 'xhr' | 'post') => {
  const body = JSON.stringify({ text: 'x'.repeat(2000) });
  const started = performance.now();
  for (let index = 0; index < 300; index++) {
    if (kind === 'fetch') await (await fetch(`/echo?n=${index}`)).text();
    else if (kind === 'post') await (await fetch('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
    else
      await new Promise<void>((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', `/echo?n=${index}`);
        xhr.onloadend = () => resolve();
        xhr.send();
      });
  }
  return performance.now() - started;
};

type Run = (kind: 'fetch' | 'xhr' | 'post') => Promise<number>;

async function medians(runWithout: Run, runWith: Run): Promise<Record<string, number>> {
  const ratios: Record<string, number> = {};
  for (const kind of ['fetch', 'xhr', 'post'] as const) {
    const without: number[] = [];
    const withExtension: number[] = [];
    await runWithout(kind);
    await runWith(kind);
    for (let round = 0; round < ROUNDS; round++) {
      without.push(await runWithout(kind));
      withExtension.push(await runWith(kind));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    ratios[kind] = median(withExtension) / median(without);
  }
  return ratios;
}

const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Both alike (a persistent profile each), but for the extension.
const bareProfile = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
const bare = await chromium.launchPersistentContext(bareProfile, { executablePath: CHROMIUM_PATH, headless: true, args });
const profile = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
const loaded = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...args, `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`],
});
const bareChrome: PlaywrightPage = bare.pages()[0] ?? (await bare.newPage());
const loadedChrome: PlaywrightPage = loaded.pages()[0] ?? (await loaded.newPage());
await bareChrome.goto(`${server.url}/`);
await loadedChrome.goto(`${server.url}/`);
const chrome = await medians(
  (kind) => bareChrome.evaluate(traffic, kind),
  (kind) => loadedChrome.evaluate(traffic, kind),
);
await bare.close();
await loaded.close();
rmSync(profile, { recursive: true, force: true });
rmSync(bareProfile, { recursive: true, force: true });

const bareFirefox = await FirefoxWithDevtools.launchBare();
const loadedFirefox = await FirefoxWithDevtools.launch();
const bareFirefoxPage: PuppeteerPage = await bareFirefox.newPage();
const loadedFirefoxPage: PuppeteerPage = await loadedFirefox.page();
await bareFirefoxPage.goto(`${server.url}/`);
await loadedFirefoxPage.goto(`${server.url}/`);
const firefox = await medians(
  (kind) => bareFirefoxPage.evaluate(traffic, kind),
  (kind) => loadedFirefoxPage.evaluate(traffic, kind),
);
await bareFirefox.close();
await loadedFirefox.close();
await server.stop();

for (const [browser, ratios] of [
  ['Chrome', chrome],
  ['Firefox', firefox],
] as const) {
  const worst = Math.max(...Object.values(ratios));
  report({
    what: `${browser}, ordinary traffic (300 fetch GETs / XHR GETs / 2 KB POSTs), page time with the extension vs none, DevTools closed`,
    figure: `${(ratios.fetch ?? 0).toFixed(2)}× / ${(ratios.xhr ?? 0).toFixed(2)}× / ${(ratios.post ?? 0).toFixed(2)}×`,
    goal: '≤ 1.02×',
    met: worst <= 1.02,
  });
}
