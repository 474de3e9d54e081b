/**
 * Importing the big transcript (a HAR of 2,000 calls, about 100 MB) in the
 * transcript viewer (the panel opened as a page), in real Chromium, against
 * the least any page does with the same file in the same page: `File.text()`
 * and `JSON.parse`. Time until every call is listed, and the page's peak
 * JavaScript heap over the file's size (sampled every 50 ms).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumWithDevtools } from '../e2e/chromium-devtools.ts';
import { BIG_HAR_CALLS, writeBigHar } from './big-har.ts';
import { report } from './report.ts';

const directory = mkdtempSync(join(tmpdir(), 'responses-devtools-bench-'));
const harPath = join(directory, 'big.har');
writeBigHar(harPath);
const size = statSync(harPath).size;

const browser = await ChromiumWithDevtools.launch();
const page = await browser.context.newPage();
await page.goto(`chrome-extension://${browser.extensionId}/panel/viewer.html`);
await page.waitForSelector('[data-testid=panel-root]');
const cdp = await browser.context.newCDPSession(page);

/** Runs `work` while sampling the page's heap: its time, and how far the heap rose above where it started. */
async function measured(work: () => Promise<number>): Promise<{ ms: number; heap: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heapNow = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
  const start = await heapNow();
  let peak = start;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await heapNow());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const ms = await work();
  peak = Math.max(peak, await heapNow());
  sampling = false;
  await sampler;
  return { ms, heap: peak - start };
}

/** The least a page does: read the file as text and parse it. */
const plain = () =>
  measured(async () => {
    // Each side starts from a freshly loaded viewer.
    await page.reload();
    await page.waitForSelector('[data-testid=panel-root]');
    await page.evaluate(() => {
      document.querySelector('#bench-file')?.remove();
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'bench-file';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-file', harPath);
    return page.evaluate(async () => {
      const file = (document.querySelector('#bench-file') as HTMLInputElement).files![0]!;
      const started = performance.now();
      const parsed = JSON.parse(await file.text()) as { log: { entries: unknown[] } };
      const ms = performance.now() - started;
      return parsed.log.entries.length > 0 ? ms : -1;
    });
  });

/** The viewer's import, from the file chosen to every call listed. */
const viewer = () =>
  measured(async () => {
    await page.reload();
    await page.waitForSelector('[data-testid=panel-root]');
    await page.evaluate(() => {
      const input = document.querySelector('input[type=file]') as HTMLInputElement;
      input.addEventListener('change', () => ((window as unknown as { importStarted: number }).importStarted = performance.now()), { capture: true });
    });
    await page.setInputFiles('input[type=file]', harPath);
    // A string, not a function: the bundler would wrap a named inner function in a helper the page does not have.
    return page.evaluate<number>(`new Promise((resolve) => {
      const check = () => {
        if (document.querySelector('[data-testid=capture-list] table')?.getAttribute('aria-rowcount') === '${BIG_HAR_CALLS + 1}') requestAnimationFrame(() => resolve(performance.now() - window.importStarted));
        else setTimeout(check, 5);
      };
      check();
    })`);
  });

const plainRuns: Array<{ ms: number; heap: number }> = [];
const viewerRuns: Array<{ ms: number; heap: number }> = [];
for (let run = 0; run < 3; run++) {
  plainRuns.push(await plain());
  viewerRuns.push(await viewer());
}
await browser.close();
rmSync(directory, { recursive: true, force: true });

const median = (runs: Array<{ ms: number; heap: number }>, key: 'ms' | 'heap') => [...runs].sort((a, b) => a[key] - b[key])[1]?.[key] as number;
const time = median(viewerRuns, 'ms') / median(plainRuns, 'ms');
const heap = median(viewerRuns, 'heap') / size;
console.log(
  `HAR of ${BIG_HAR_CALLS} calls, ${(size / 1e6).toFixed(0)} MB: File.text() + JSON.parse ${median(plainRuns, 'ms').toFixed(0)} ms, heap +${(median(plainRuns, 'heap') / 1e6).toFixed(0)} MB; ` +
    `the viewer ${median(viewerRuns, 'ms').toFixed(0)} ms, heap +${(median(viewerRuns, 'heap') / 1e6).toFixed(0)} MB`,
);
report({
  what: `importing a ${(size / 1e6).toFixed(0)} MB HAR (${BIG_HAR_CALLS} calls) in the viewer vs File.text() + JSON.parse in the same page; peak heap over the file size`,
  figure: `${time.toFixed(2)}×; ${heap.toFixed(1)}×`,
  goal: '≤ 1.3×; ≤ 1.5×',
  met: time <= 1.3 && heap <= 1.5,
});
