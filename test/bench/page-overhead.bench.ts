/**
 * What the Chrome page hook costs the page: the same streams read by the same
 * page code in Chromium without the extension and with it (DevTools closed and
 * open on our panel), medians over repeated runs, printed as ratios.
 * Run: npm run bench
 */
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_PATH, ChromiumWithDevtools, EXTENSION_DIR } from '../e2e/chromium-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { longMessageStream } from '../helpers/synthetic.ts';
import { report } from './report.ts';
import { burstMedian, evaluatorOf, pacedLatency, type Evaluator, type Latency } from './page-reading.ts';

const RUNS = 15;
const server = await startTestSite();
server.addRecording('bench-20k', longMessageStream(20_000));
server.addRecording('bench-paced', longMessageStream(300));
const cases = ['bench-20k', 'vercel-ai__web-search-gpt-5-mini', 'seed__hello-gpt-4.1-nano'];

async function measure(evaluate: Evaluator): Promise<Record<string, number>> {
  const medians: Record<string, number> = {};
  for (const route of cases) medians[route] = await burstMedian(evaluate, route, RUNS);
  return medians;
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh profile, with or without the extension and DevTools: the page's timings on it. */
async function onProfile(options: { extension: boolean; devtools: boolean }): Promise<{ bursts: Record<string, number>; paced?: Latency }> {
  const profile = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
  const args = [...ARGS, ...(options.devtools ? ['--auto-open-devtools-for-tabs'] : []), ...(options.extension ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : [])];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}/`);
  const bursts = await measure(evaluatorOf(page));
  const paced = options.devtools ? undefined : await pacedLatency(server, evaluatorOf(page), 'bench-paced/pace/5');
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  return paced ? { bursts, paced } : { bursts };
}

const plainRun = await onProfile({ extension: false, devtools: false });
const hookedRun = await onProfile({ extension: true, devtools: false });
const devtoolsRun = await onProfile({ extension: false, devtools: true });
const without = plainRun.bursts;
const hooked = hookedRun.bursts;
const latencyWithout = plainRun.paced as Latency;
const latencyWith = hookedRun.paced as Latency;

// DevTools open on our panel, against DevTools open without the extension.
const withExtension = await ChromiumWithDevtools.launch();
const page = withExtension.firstPage();
await page.goto(`${server.url}/`);
await withExtension.openPanel();
const withPanel = await measure(evaluatorOf(page));
await withExtension.close();
await server.stop();

console.log(`Chromium ${CHROMIUM_PATH}. A stream paced like a model's (a frame every 5 ms), server write to page read:`);
console.log(
  `  without extension median ${latencyWithout.median.toFixed(2)} ms, p95 ${latencyWithout.p95.toFixed(2)} ms | ` +
    `with extension and panel median ${latencyWith.median.toFixed(2)} ms (${(latencyWith.median / latencyWithout.median).toFixed(2)}x), p95 ${latencyWith.p95.toFixed(2)} ms (${(latencyWith.p95 / latencyWithout.p95).toFixed(2)}x)`,
);
console.log(`\nUnpaced bursts (the server writes every frame at once), request to last byte, median of ${RUNS} runs:`);
for (const route of cases) {
  const base = without[route] as number;
  const cell = (ms: number) => `${ms.toFixed(1).padStart(7)} ms (${(ms / base).toFixed(2)}x)`;
  console.log(`${route.padEnd(34)} without extension ${base.toFixed(1).padStart(7)} ms | hooked ${cell(hooked[route] as number)} | hooked + panel open ${cell(withPanel[route] as number)}`);
}

const burst = 'bench-20k';
const burstBytes = server.recordingText(burst).length;
const devtoolsBase = devtoolsRun.bursts;
report({
  what: `Chrome page reading a ${(burstBytes / 1e6).toFixed(1)} MB burst with the extension, DevTools closed, vs no extension: read speed`,
  figure: `${((without[burst] as number) / (hooked[burst] as number)).toFixed(2)}×`,
  goal: '≥ 0.95×',
  met: (without[burst] as number) / (hooked[burst] as number) >= 0.95,
});
report({
  what: 'the same with DevTools open on our panel, vs DevTools open without the extension',
  figure: `${((devtoolsBase[burst] as number) / (withPanel[burst] as number)).toFixed(2)}×`,
  goal: '≥ 0.95×',
  met: (devtoolsBase[burst] as number) / (withPanel[burst] as number) >= 0.95,
});
report({
  what: 'Chrome, paced stream (a frame every 5 ms), server write to page read, added by the extension (DevTools closed): median',
  figure: `${(latencyWith.median - latencyWithout.median >= 0 ? '+' : '')}${(latencyWith.median - latencyWithout.median).toFixed(2)} ms`,
  goal: '≤ +0.3 ms',
  met: latencyWith.median - latencyWithout.median <= 0.3,
});
report({
  what: 'the same: p95 with the extension over p95 without',
  figure: `${(latencyWith.p95 / latencyWithout.p95).toFixed(2)}×`,
  goal: '≤ 1.1×',
  met: latencyWith.p95 / latencyWithout.p95 <= 1.1,
});
