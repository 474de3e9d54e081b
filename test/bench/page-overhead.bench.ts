/**
 * What the Chrome page hook costs the page: the same streams read by the same
 * page code in Chromium without the extension and with it (DevTools closed and
 * open on our panel), medians over repeated runs, printed as ratios.
 * Run: npm run bench
 */
import { chromium } from 'playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM_PATH, ChromiumWithDevtools, EXTENSION_DIR } from '../e2e/chromium-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { longMessageStream } from '../helpers/synthetic.ts';
import { report } from './report.ts';
import { burstMedian, capturedAndUncaptured, evaluatorOf, inTurningRounds, medianOf, pacedLatency, type Evaluator, type Latency } from './page-reading.ts';

const RUNS = 15;
/** The least an extension does to move bodies to its background (see its manifest): what any capture costs at least. */
const BODY_RELAY_PEER_DIR = resolve('test', 'bench', 'body-relay-peer');
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

function extensionArgs(extension: boolean | string): string[] {
  if (!extension) return [];
  const dir = extension === true ? EXTENSION_DIR : extension;
  return [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`];
}

interface ProfileFigures {
  bursts: Record<string, number>;
  paced?: Latency;
  /** With the extension: the same paced stream on a path it lets pass, read in turn with the captured one. */
  uncaptured?: Latency;
}

/** A fresh profile, with or without the extension and DevTools: the page's timings on it. */
async function onProfile(options: { extension: boolean | string; devtools: boolean }): Promise<ProfileFigures> {
  const profile = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
  const args = [...ARGS, ...(options.devtools ? ['--auto-open-devtools-for-tabs'] : []), ...extensionArgs(options.extension)];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.url}/`);
  const bursts = await measure(evaluatorOf(page));
  let figures: ProfileFigures = { bursts };
  if (!options.devtools && options.extension === true) {
    const { captured, uncaptured } = await capturedAndUncaptured(server, evaluatorOf(page), 'bench-paced/pace/5');
    figures = { bursts, paced: captured, uncaptured };
  } else if (!options.devtools) {
    figures = { bursts, paced: await pacedLatency(server, evaluatorOf(page), 'bench-paced/pace/5') };
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  return figures;
}

/** DevTools open on our panel (against DevTools open without the extension). */
async function withOurPanel(): Promise<ProfileFigures> {
  const browser = await ChromiumWithDevtools.launch();
  const page = browser.firstPage();
  await page.goto(`${server.url}/`);
  await browser.openPanel();
  const bursts = await measure(evaluatorOf(page));
  await browser.close();
  return { bursts };
}

const ROUNDS = 3;
const runs = await inTurningRounds<ProfileFigures, 'plain' | 'hooked' | 'peer' | 'devtools' | 'panel'>(
  {
    plain: () => onProfile({ extension: false, devtools: false }),
    hooked: () => onProfile({ extension: true, devtools: false }),
    peer: () => onProfile({ extension: BODY_RELAY_PEER_DIR, devtools: false }),
    devtools: () => onProfile({ extension: false, devtools: true }),
    panel: withOurPanel,
  },
  ROUNDS,
);
type Setup = keyof typeof runs;
await server.stop();

function burstsOf(setup: Setup): Record<string, number> {
  return Object.fromEntries(cases.map((route) => [route, medianOf(runs[setup].map((run) => run.bursts[route] as number))]));
}
function pacedOf(setup: Setup, key: 'paced' | 'uncaptured' = 'paced'): Latency {
  const latencies = runs[setup].map((run) => run[key] as Latency);
  return { median: medianOf(latencies.map((l) => l.median)), p95: medianOf(latencies.map((l) => l.p95)), p99: medianOf(latencies.map((l) => l.p99)) };
}
const without = burstsOf('plain');
const hooked = burstsOf('hooked');
const peer = burstsOf('peer');
const devtoolsBase = burstsOf('devtools');
const withPanel = burstsOf('panel');
const latencyWithout = pacedOf('plain');
const latencyWith = pacedOf('hooked');
const latencyPassed = pacedOf('hooked', 'uncaptured');

console.log(`Chromium ${CHROMIUM_PATH}. A stream paced like a model's (a frame every 5 ms), server write to page read:`);
console.log(
  `  without extension median ${latencyWithout.median.toFixed(2)} ms, p95 ${latencyWithout.p95.toFixed(2)} ms | ` +
    `with extension median ${latencyWith.median.toFixed(2)} ms (${(latencyWith.median / latencyWithout.median).toFixed(2)}x), p95 ${latencyWith.p95.toFixed(2)} ms (${(latencyWith.p95 / latencyWithout.p95).toFixed(2)}x) | ` +
    `the same stream let pass, in the same launches: median ${latencyPassed.median.toFixed(2)} ms, p95 ${latencyPassed.p95.toFixed(2)} ms`,
);
console.log(`\nUnpaced bursts (the server writes every frame at once), request to last byte, median of ${RUNS} runs, median over ${ROUNDS} launches:`);
for (const route of cases) {
  const base = without[route] as number;
  const cell = (ms: number) => `${ms.toFixed(1).padStart(7)} ms (${(ms / base).toFixed(2)}x)`;
  console.log(`${route.padEnd(34)} without extension ${base.toFixed(1).padStart(7)} ms | hooked ${cell(hooked[route] as number)} | body-relay peer ${cell(peer[route] as number)} | hooked + panel open ${cell(withPanel[route] as number)}`);
}

const burst = 'bench-20k';
const burstBytes = server.recordingText(burst).length;
report({
  what: `Chrome page reading a ${(burstBytes / 1e6).toFixed(1)} MB burst with the extension, DevTools closed, vs no extension: read speed`,
  figure: `${((without[burst] as number) / (hooked[burst] as number)).toFixed(2)}×`,
  goal: '≥ 0.95×',
  met: (without[burst] as number) / (hooked[burst] as number) >= 0.95,
});
report({
  what: 'the same, against a bare extension that only moves the bodies to its background (test/bench/body-relay-peer): read speed',
  figure: `${((peer[burst] as number) / (hooked[burst] as number)).toFixed(2)}× (the bare one ${((without[burst] as number) / (peer[burst] as number)).toFixed(2)}× no extension)`,
  goal: '≥ 0.95×',
  met: (peer[burst] as number) / (hooked[burst] as number) >= 0.95,
});
report({
  what: 'the same with DevTools open on our panel, vs DevTools open without the extension',
  figure: `${((devtoolsBase[burst] as number) / (withPanel[burst] as number)).toFixed(2)}×`,
  goal: '≥ 0.95×',
  met: (devtoolsBase[burst] as number) / (withPanel[burst] as number) >= 0.95,
});
const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms.toFixed(2)} ms`;
report({
  what: 'Chrome, paced stream (a frame every 5 ms), server write to page read, added by capturing it (DevTools closed; against the same stream let pass, in turn in the same launch): median',
  figure: `${signed(latencyWith.median - latencyPassed.median)} (against launches without the extension: ${signed(latencyWith.median - latencyWithout.median)})`,
  goal: '≤ +0.3 ms',
  met: latencyWith.median - latencyPassed.median <= 0.3,
});
report({
  what: 'the same: p95 captured over p95 let pass',
  figure: `${(latencyWith.p95 / latencyPassed.p95).toFixed(2)}× (against launches without the extension: ${(latencyWith.p95 / latencyWithout.p95).toFixed(2)}×)`,
  goal: '≤ 1.1×',
  met: latencyWith.p95 / latencyPassed.p95 <= 1.1,
});
