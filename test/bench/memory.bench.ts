/**
 * Memory of the extension's own process while a page makes 200 calls of
 * about 250 KB one after another: how much its resident memory grows at its
 * peak, over the bytes of the bodies the extension keeps (every call is kept).
 * Chromium: the extension process (service worker and panel), DevTools open
 * on the panel. Firefox: the extension process, toolbox closed and open on the panel.
 * Resident memory is read from /proc every 50 ms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ChromiumWithDevtools } from '../e2e/chromium-devtools.ts';
import { FirefoxWithDevtools } from '../e2e/firefox-devtools.ts';
import type { PanelDocument } from '../e2e/chromium-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { longMessageStream } from '../helpers/synthetic.ts';
import { report } from './report.ts';
import { evaluatorOf, sequentialCalls, type Evaluator } from './page-reading.ts';

const CALLS = 200;
const server = await startTestSite();
server.addRecording('bench-250k', longMessageStream(1_100));
const callBytes = Buffer.byteLength(server.recordingText('bench-250k'));
const keptBytes = CALLS * callBytes;

function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The page's calls, while the processes' resident memory is sampled: the most it grew over the start. */
async function peakGrowth(pids: number[], evaluate: Evaluator, panel: PanelDocument | undefined): Promise<number> {
  const total = () => pids.reduce((sum, pid) => sum + residentBytes(pid), 0);
  const start = total();
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, total())), 50);
  await evaluate(sequentialCalls, { route: 'bench-250k', count: CALLS });
  // Every call is listed (kept), and the last is read, before the peak is final.
  if (panel) await panel.waitFor(`document.querySelectorAll("[data-testid=capture-row]").length === ${CALLS}`, 120_000);
  peak = Math.max(peak, total());
  clearInterval(sampler);
  return peak - start;
}

const chromeProcesses = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // Chromium's zygote children rename themselves: their command line is one string, arguments split by spaces.
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return command.includes(' --extension-process') && command.includes('--user-data-dir=') && command.includes('responses-devtools-chromium-');
      } catch {
        return false;
      }
    })
    .map(Number);

const chrome = await ChromiumWithDevtools.launch();
const chromePage = chrome.firstPage();
await chromePage.goto(`${server.url}/`);
const chromePanel = await chrome.openPanel();
const chromePids = chromeProcesses();
console.log(`Chrome extension processes: ${chromePids.join(", ")}`);
const chromeGrowth = await peakGrowth(chromePids, evaluatorOf(chromePage), chromePanel);
// What the worker and the panel still hold once garbage is collected: what they keep, apart from the collector's pace.
const worker = (await chrome.targets()).find((target) => target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${chrome.extensionId}/`));
const heapAfterCollection = async (sessionId: string) => {
  await chrome.cdp.send('HeapProfiler.collectGarbage', {}, sessionId);
  return (await chrome.cdp.send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId)).usedSize;
};
const retainedByWorker = worker ? await heapAfterCollection(await chrome.attach(worker.targetId)) : undefined;
const retainedByPanel = await heapAfterCollection(chromePanel.sessionId);
await chrome.close();

async function onFirefox(toolbox: boolean): Promise<number> {
  const firefox = await FirefoxWithDevtools.launch();
  const page = await firefox.page();
  await page.goto(`${server.url}/`);
  const panel = toolbox ? await firefox.openPanel() : undefined;
  const info = JSON.parse(await firefox.inChrome('async () => JSON.stringify((await ChromeUtils.requestProcInfo()).children.map((child) => ({ pid: child.pid, type: child.type })))')) as Array<{ pid: number; type: string }>;
  const pids = info.filter((child) => child.type === 'extension').map((child) => child.pid);
  const growth = await peakGrowth(pids, evaluatorOf(page), panel);
  await firefox.close();
  return growth;
}
const firefoxClosed = await onFirefox(false);
const firefoxOpen = await onFirefox(true);
await server.stop();

const ratio = (growth: number) => growth / keptBytes;
console.log(`${CALLS} calls of ${(callBytes / 1e3).toFixed(0)} KB (${(keptBytes / 1e6).toFixed(0)} MB kept); peak growth: Chrome ${(chromeGrowth / 1e6).toFixed(0)} MB, Firefox ${(firefoxClosed / 1e6).toFixed(0)} / ${(firefoxOpen / 1e6).toFixed(0)} MB`);
const megabytes = (bytes: number | undefined) => (bytes === undefined ? 'unknown' : `${(bytes / 1e6).toFixed(1)} MB`);
console.log(`Chrome, after the calls and a forced garbage collection, JavaScript heap in use: service worker ${megabytes(retainedByWorker)}, panel ${megabytes(retainedByPanel)}`);
report({
  what: `Chrome, extension process (service worker and panel), ${CALLS} calls of ${(callBytes / 1e3).toFixed(0)} KB with DevTools open on the panel: peak memory growth over the bytes kept`,
  figure: `${ratio(chromeGrowth).toFixed(2)}×`,
  goal: '≤ 2×',
  met: ratio(chromeGrowth) <= 2,
});
report({
  what: 'Firefox, extension process, the same: toolbox closed / open on the panel',
  figure: `${ratio(firefoxClosed).toFixed(2)}× / ${ratio(firefoxOpen).toFixed(2)}×`,
  goal: '≤ 2×',
  met: ratio(firefoxClosed) <= 2 && ratio(firefoxOpen) <= 2,
});
