/**
 * What the extension costs a page in Firefox: the same streams read by the
 * same page code in Firefox without the extension and with it, toolbox closed
 * and open (on our panel, against the toolbox open without the extension):
 * an unpaced burst, a paced stream's latency, and 200 calls of about 250 KB
 * one after another. Medians, printed as ratios.
 * Run: npm run bench
 */
import type { Page } from 'puppeteer-core';
import { resolve } from 'node:path';
import { FirefoxWithDevtools } from '../e2e/firefox-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { longMessageStream } from '../helpers/synthetic.ts';
import { report } from './report.ts';
import { burstMedian, capturedAndUncaptured, inTurningRounds, medianOf, pacedLatency, sequentialCalls, evaluatorOf, type Latency } from './page-reading.ts';

const RUNS = 9;
const CALLS = 200;
const server = await startTestSite();
server.addRecording('bench-20k', longMessageStream(20_000));
server.addRecording('bench-paced', longMessageStream(300));
server.addRecording('bench-250k', longMessageStream(1_100));
const burstBytes = server.recordingText('bench-20k').length;
const callBytes = server.recordingText('bench-250k').length;

interface Figures {
  burst: number;
  paced?: Latency;
  /** With the extension: the same paced stream on a path it lets pass, read in turn with the captured one. */
  uncaptured?: Latency;
  calls: number;
}

/** The least an extension does to move bodies to its background (see its manifest): what any capture costs at least. */
const BODY_RELAY_PEER_DIR = resolve('test', 'bench', 'body-relay-peer');

async function onFirefox(options: { extension: boolean | string; toolbox: boolean }): Promise<Figures> {
  // Microsecond timers in the page: Firefox's default millisecond rounding would hide the paced row's tenths.
  const firefox = await FirefoxWithDevtools.launch({ extension: options.extension, preciseTimers: true });
  const page: Page = await firefox.page();
  await page.goto(`${server.url}/`);
  if (options.toolbox && options.extension === true) await firefox.openPanel();
  else if (options.toolbox) await firefox.openToolbox();
  const evaluate = evaluatorOf(page);
  const burst = await burstMedian(evaluate, 'bench-20k', RUNS);
  const calls = await evaluate(sequentialCalls, { route: 'bench-250k', count: CALLS });
  let figures: Figures = { burst, calls };
  if (!options.toolbox && options.extension === true) {
    const { captured, uncaptured } = await capturedAndUncaptured(server, evaluate, 'bench-paced/pace/5');
    figures = { ...figures, paced: captured, uncaptured };
  } else if (!options.toolbox) {
    figures = { ...figures, paced: await pacedLatency(server, evaluate, 'bench-paced/pace/5') };
  }
  await firefox.close();
  return figures;
}

const ROUNDS = 3;
const runs = await inTurningRounds(
  {
    bare: () => onFirefox({ extension: false, toolbox: false }),
    ours: () => onFirefox({ extension: true, toolbox: false }),
    peer: () => onFirefox({ extension: BODY_RELAY_PEER_DIR, toolbox: false }),
    bareToolbox: () => onFirefox({ extension: false, toolbox: true }),
    panel: () => onFirefox({ extension: true, toolbox: true }),
  },
  ROUNDS,
);
type Setup = keyof typeof runs;
await server.stop();

const medianLatency = (latencies: Latency[]): Latency => ({ median: medianOf(latencies.map((l) => l.median)), p95: medianOf(latencies.map((l) => l.p95)), p99: medianOf(latencies.map((l) => l.p99)) });

function figuresOf(setup: Setup): Figures {
  const figures = runs[setup];
  const result: Figures = { burst: medianOf(figures.map((f) => f.burst)), calls: medianOf(figures.map((f) => f.calls)) };
  if (figures[0]?.paced) result.paced = medianLatency(figures.map((f) => f.paced as Latency));
  if (figures[0]?.uncaptured) result.uncaptured = medianLatency(figures.map((f) => f.uncaptured as Latency));
  return result;
}
const bare = figuresOf('bare');
const withExtension = figuresOf('ours');
const peer = figuresOf('peer');
const bareToolbox = figuresOf('bareToolbox');
const withPanel = figuresOf('panel');

console.log(
  `Firefox burst of ${(burstBytes / 1e6).toFixed(1)} MB: ${bare.burst.toFixed(0)} ms bare, ${withExtension.burst.toFixed(0)} ms with the extension; ` +
    `toolbox open ${bareToolbox.burst.toFixed(0)} ms, with our panel ${withPanel.burst.toFixed(0)} ms; the bare body-relay extension ${peer.burst.toFixed(0)} ms (medians over ${ROUNDS} launches)`,
);
console.log(`${CALLS} calls of ${(callBytes / 1e3).toFixed(0)} KB: ${bare.calls.toFixed(0)} / ${withExtension.calls.toFixed(0)} ms; toolbox open ${bareToolbox.calls.toFixed(0)} / ${withPanel.calls.toFixed(0)} ms; the bare body-relay extension ${peer.calls.toFixed(0)} ms`);
report({
  what: `Firefox page reading a ${(burstBytes / 1e6).toFixed(1)} MB burst with the extension, toolbox closed, vs no extension: read speed`,
  figure: `${(bare.burst / withExtension.burst).toFixed(2)}×`,
  goal: '≥ 0.9×',
  met: bare.burst / withExtension.burst >= 0.9,
});
report({
  what: 'Firefox, the same against a bare extension that only moves the bodies to its background (test/bench/body-relay-peer): read speed',
  figure: `${(peer.burst / withExtension.burst).toFixed(2)}× (the bare one ${(bare.burst / peer.burst).toFixed(2)}× no extension)`,
  goal: '≥ 0.95×',
  met: peer.burst / withExtension.burst >= 0.95,
});
report({
  what: 'Firefox, the same with the toolbox open on our panel, vs the toolbox open without the extension',
  figure: `${(bareToolbox.burst / withPanel.burst).toFixed(2)}×`,
  goal: '≥ 0.9×',
  met: bareToolbox.burst / withPanel.burst >= 0.9,
});
const paced = withExtension.paced as Latency;
const passed = withExtension.uncaptured as Latency;
const pacedBare = bare.paced as Latency;
const added = paced.median - passed.median;
const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms.toFixed(2)} ms`;
console.log(
  `Paced stream, server write to page read: captured median ${paced.median.toFixed(2)} ms, p99 ${paced.p99.toFixed(2)} ms; ` +
    `the same stream let pass, in the same launches, ${passed.median.toFixed(2)} / ${passed.p99.toFixed(2)} ms; without the extension (other launches) ${pacedBare.median.toFixed(2)} / ${pacedBare.p99.toFixed(2)} ms`,
);
report({
  what: 'Firefox, paced stream (a frame every 5 ms), server write to page read, added by capturing it (toolbox closed; against the same stream let pass, in turn in the same launch): median; p99 over p99',
  figure: `${signed(added)}; ${(paced.p99 / passed.p99).toFixed(2)}× (against launches without the extension: ${signed(paced.median - pacedBare.median)}; ${(paced.p99 / pacedBare.p99).toFixed(2)}×)`,
  goal: '≤ +0.3 ms; ≤ 1.1×',
  met: added <= 0.3 && paced.p99 / passed.p99 <= 1.1,
});
report({
  what: `Firefox, ${CALLS} sequential calls of ${(callBytes / 1e3).toFixed(0)} KB, page time vs no extension: toolbox closed / open on our panel`,
  figure: `${(withExtension.calls / bare.calls).toFixed(2)}× / ${(withPanel.calls / bareToolbox.calls).toFixed(2)}× (the bare body-relay extension ${(peer.calls / bare.calls).toFixed(2)}×)`,
  goal: '≤ 1.1×',
  met: withExtension.calls / bare.calls <= 1.1 && withPanel.calls / bareToolbox.calls <= 1.1,
});
