/**
 * What the extension costs requests that are no LLM call, on every site: 300
 * sequential small fetch GETs, XHR GETs and 2 KB JSON POSTs to one local
 * server, page time with the extension over the same page without it, DevTools
 * closed, in Chromium and in Firefox: the median over three pairs of launches,
 * each pair's figure the median of alternating rounds.
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

const ROUNDS = 5;
const PAIRS = 3;
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

interface Opened {
  run: Run;
  close: () => Promise<void>;
}

async function openChromium(extension: boolean): Promise<Opened> {
  // Both alike (a persistent profile each), but for the extension.
  const profile = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: extension ? [...args, `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : args,
  });
  const page: PlaywrightPage = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}/`);
  return {
    run: (kind) => page.evaluate(traffic, kind),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function openFirefox(extension: boolean): Promise<Opened> {
  const firefox = await FirefoxWithDevtools.launch({ extension });
  const page: PuppeteerPage = await firefox.page();
  await page.goto(`${server.url}/`);
  return { run: (kind) => page.evaluate(traffic, kind), close: () => firefox.close() };
}

/**
 * Two browser instances differ by a few per cent whatever runs in them: the figure is the median over independent
 * pairs of launches (the one without the extension launched first, then second), each pair's ratio the median of
 * alternating rounds.
 */
async function pairedLaunches(open: (extension: boolean) => Promise<Opened>): Promise<Record<string, number>> {
  const pairs: Array<Record<string, number>> = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const first = await open(pair % 2 === 1);
    const second = await open(pair % 2 === 0);
    const [bare, loaded] = pair % 2 === 0 ? [first, second] : [second, first];
    pairs.push(await medians(bare.run, loaded.run));
    await first.close();
    await second.close();
  }
  const ratios: Record<string, number> = {};
  for (const kind of ['fetch', 'xhr', 'post']) {
    const values = pairs.map((ratio) => ratio[kind] as number).sort((a, b) => a - b);
    ratios[kind] = values[Math.floor(values.length / 2)] as number;
    console.log(`  ${kind}: ${values.map((value) => value.toFixed(3)).join(' / ')} over ${PAIRS} pairs of launches`);
  }
  return ratios;
}

console.log('Chrome');
const chrome = await pairedLaunches(openChromium);
console.log('Firefox');
const firefox = await pairedLaunches(openFirefox);
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
