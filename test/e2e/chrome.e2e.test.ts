import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import validator from '@har-sdk/validator';
import type { Page } from 'playwright';
import { ChromiumWithDevtools, evaluate, type DevtoolsPanel } from './chromium-devtools.ts';
import { expectFinal, finalCostText, finalMessageText, finalOf, finalUsage, messageShown, ROW_COUNT } from './recordings.ts';
import { PRICE_TABLE_SOURCE } from '../../extension/prices/price-table.ts';
import { assertChromeImportable } from '../helpers/har-rules.ts';
import { longMessageStream, messageStream } from '../helpers/synthetic.ts';
import { buildTranscript, callsOfInput, readInput, stringifyJson, type TranscriptCall } from '../../extension/core/index.ts';
import { expectBigResponsesShown } from './big-responses.ts';
import { expectThreadsAndRateLimits } from './threads.ts';
import { expectAgentLoops } from './agent-loops.ts';
import { expectServerCalls, finalText, PROXY_STATE, setProxyAddresses } from './server-proxy.ts';
import { SERVER_CALL_RECORDING, startServerCallDemo } from '../server/server-call-demo.ts';
import { DEFAULT_PROXY_ADDRESS } from '../../extension/core/index.ts';
import { expectPriceOverrides } from './prices.ts';
import { expectReplay } from './replay.ts';
import { expectNotStreamedShown } from './not-streamed.ts';
import { expectWebSocketSession } from './websocket.ts';
import { expectOtherProtocols, type PageReader } from './other-protocols.ts';
import { expectCancelClosesConnection } from './cancel.ts';
import { expectSplitCharactersWhole } from './split-characters.ts';
import { expectNoPlantedSecretsInViews, PLANTED_STREAM } from './redaction-views.ts';
import { leakedSecrets, PLANTED, plantedHar } from '../helpers/planted-secrets.ts';
import type { StreamOptions, StreamResult } from '../server/page/page.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { RECORDINGS_DIR, startTestSite } from '../server/test-site.ts';

const { HarValidator } = validator;

/** Clicks Export, picks the options, and returns the text of the file the panel handed to the browser to save. */
async function exportFromPanel(target: DevtoolsPanel, keepSecrets: boolean): Promise<string> {
  await target.click('[data-testid=export]');
  await target.waitFor('document.querySelector("[data-testid=export-dialog]") !== null');
  if (keepSecrets) await target.click('[data-testid=export-keep-secrets]');
  await target.waitFor(`document.querySelector("[data-testid=export-keep-secrets]").checked === ${keepSecrets}`);
  return target.evaluate<string>(`new Promise((resolve, reject) => {
    const onClick = (event) => {
      const link = event.target;
      if (!(link instanceof HTMLAnchorElement) || !link.download) return;
      document.removeEventListener('click', onClick, true);
      fetch(link.href).then((response) => response.text()).then(resolve, reject);
    };
    document.addEventListener('click', onClick, true);
    document.querySelector('[data-testid=export-save]').click();
    setTimeout(() => reject(new Error('the panel saved no file')), 10000);
  })`);
}

/** Gives the panel's file input these files, as a user picking them would. */
async function importIntoPanel(target: DevtoolsPanel, files: Array<{ name: string; text: string }>): Promise<void> {
  await target.evaluate(`(() => {
    const input = document.querySelector('[data-testid=import-input]');
    const transfer = new DataTransfer();
    for (const file of ${JSON.stringify(files)}) transfer.items.add(new File([file.text], file.name));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
}

let browser: ChromiumWithDevtools;
let server: ReplayServer;
let panel: DevtoolsPanel;

/** A fresh document of the test page: the panel's list empties. */
async function clearPanel(): Promise<void> {
  await browser.firstPage().goto(`${server.url}/`);
  await panel.waitFor(`${ROW_COUNT} === 0`);
}

function stream(options: StreamOptions): Promise<StreamResult> {
  return browser.firstPage().evaluate((streamOptions) => window.e2e.streamWithOpenAI(streamOptions), options);
}

/** The background's service worker, for code run in it. */
async function serviceWorkerSession(): Promise<string> {
  const target = (await browser.targets()).find((candidate) => candidate.type === 'service_worker');
  assert.ok(target, 'the background service worker');
  return browser.attach(target.targetId);
}

/** Stops the background's service worker as Chrome does when it is idle, marking the old one first. */
async function stopServiceWorker(): Promise<void> {
  await evaluate(browser.cdp, await serviceWorkerSession(), 'globalThis.beforeRestart = true');
  const pageTarget = (await browser.targets()).find((candidate) => candidate.type === 'page' && candidate.url.startsWith(server.url));
  assert.ok(pageTarget);
  const pageSession = await browser.attach(pageTarget.targetId);
  await browser.cdp.send('ServiceWorker.enable', {}, pageSession);
  await browser.cdp.send('ServiceWorker.stopAllWorkers', {}, pageSession);
}

/** The service worker now running is not the one `stopServiceWorker` stopped. */
/** When the inspected tab's log was last cleared, as the background's database holds it (0 before any clear). */
async function clearedAtOnDisk(): Promise<number> {
  return evaluate<number>(
    browser.cdp,
    await serviceWorkerSession(),
    `new Promise((resolve, reject) => {
      const open = indexedDB.open('responses-devtools');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const read = open.result.transaction('tabs', 'readonly').objectStore('tabs').getAll();
        read.onsuccess = () => { open.result.close(); resolve(Math.max(0, ...read.result.map((tab) => tab.clearedAt ?? 0))); };
        read.onerror = () => reject(read.error);
      };
    })`,
  );
}

/** Waits until the database holds a clear later than `before`, reading it again until it does. */
async function untilClearedOnDiskAfter(before: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await clearedAtOnDisk()) <= before) {
    if (Date.now() > deadline) throw new Error('the clear never reached the database');
  }
}

async function isNewServiceWorker(): Promise<boolean> {
  return (await evaluate(browser.cdp, await serviceWorkerSession(), 'typeof globalThis.beforeRestart')) === 'undefined';
}

function sameBytes(result: StreamResult, sent: Buffer[]): void {
  assert.deepEqual(Buffer.from(result.bodyBase64, 'base64'), Buffer.concat(sent));
}

before(async () => {
  server = await startTestSite();
  browser = await ChromiumWithDevtools.launch();
  await browser.firstPage().goto(`${server.url}/`);
  panel = await browser.openPanel();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The transcript viewer (the panel opened as a page), empty. */
async function openViewer(): Promise<Page> {
  const viewer = await browser.context.newPage();
  await viewer.goto(`chrome-extension://${browser.extensionId}/panel/viewer.html`);
  await viewer.waitForSelector('[data-testid=empty-state]');
  return viewer;
}

beforeEach(async () => {
  // A new document clears the panel (Preserve log is off): each test starts from an empty list.
  await browser.firstPage().goto(`${server.url}/`);
  await panel.waitFor(`${ROW_COUNT} === 0`);
});

describe('Chrome: capture and the panel in real DevTools', () => {
  it('shows the message while it streams, then the final text and usage; the page got the exact bytes', async () => {
    const name = 'seed__hello-gpt-4.1-nano';
    const run = stream({ route: `${name}/hold/8` });
    const request = await server.waitForRequest((candidate) => candidate.recording === name && candidate.url.includes('/hold/8/'));
    await request.held;
    // Frames 0..7: created, in_progress, item added, part added, then the deltas "Hello", "!", " How", " can".
    await panel.waitForText('Hello! How can');
    assert.doesNotMatch(await panel.text(), /Hello! How can I assist you today\?/);
    await panel.waitFor('document.querySelector("[data-testid=status] .live-dot") !== null');
    // Live counters while it streams: 8 events, the 14 characters of "Hello! How can", and a clock that moves by itself.
    await panel.waitFor('document.querySelector("[data-testid=live-events]")?.textContent === "8" && document.querySelector("[data-testid=live-characters]")?.textContent === "14"');
    const elapsed = await panel.evaluate<string>('document.querySelector("[data-testid=live-elapsed]").textContent');
    await panel.waitFor(`document.querySelector("[data-testid=live-elapsed]").textContent !== ${JSON.stringify(elapsed)}`);
    request.release();
    const result = await run;
    assert.equal(result.error, undefined);
    await expectFinal(panel, name);
    await panel.waitFor('document.querySelector("[data-testid=status] .live-dot") === null');
    assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=live-counters]").length'), 0);
    assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=summary] [data-testid=status]").textContent'), /completed/);
    sameBytes(result, request.sent);
    try {
      // The request as sent, with its key masked.
      await panel.click('[data-testid=tab-request]');
      await panel.waitForText('Bearer [redacted]');
      await panel.waitFor('document.querySelector("[data-testid=input-text]")?.textContent === "Say hello"');
      assert.doesNotMatch(await panel.text(), /sk-test-secret/);
      // DevTools' own network log adds the network phases once the request finished.
      await panel.click('[data-testid=tab-usage]');
      await panel.waitFor('document.querySelector("[data-testid=network-timings]") !== null');
      // What it cost, part by part, at the bundled table's prices.
      await panel.waitFor(`document.querySelector("[data-testid=cost-source]")?.textContent === "USD, prices from ${PRICE_TABLE_SOURCE}"`);
      assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=cost-table]").innerText'), new RegExp(`Total\\s+${finalCostText(name).replace('$', '\\$')}`));
      assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=cost-totals]").innerText'), /Cost of \d+ responses?\s+\$/);
    } finally {
      // The next tests read the Assembly view, whatever happened here.
      await panel.click('[data-testid=tab-assembly]');
    }
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/devtools-chrome.png', await panel.screenshot());
  });

  it('shows text whose bytes arrive cut inside characters whole, and the page reads them as sent', async () => {
    await expectSplitCharactersWhole(panel, server, stream);
  });

  it('gives the page a Response with the url, status, headers, redirected and type it would have had', async () => {
    const name = 'vercel-ai__azure-text-gpt-5.1';
    // Captures travel on a private channel: the page's own window messages carry none of them.
    await browser.firstPage().evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenMessages: string[] }).seenMessages = seen;
      window.addEventListener('message', (event) => seen.push(JSON.stringify(event.data)));
    });
    const seen = await browser.firstPage().evaluate(async (path) => {
      const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stream: true }) });
      const text = await response.text();
      return { url: response.url, status: response.status, type: response.type, redirected: response.redirected, requestId: response.headers.get('x-request-id'), contentType: response.headers.get('content-type'), length: text.length, bodyUsed: response.bodyUsed };
    }, `/r/${name}/v1/responses`);
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    assert.deepEqual(seen, {
      url: `${server.url}/r/${name}/v1/responses`,
      status: 200,
      type: 'basic',
      redirected: false,
      requestId: `req_replay_${request.id}`,
      contentType: 'text/event-stream; charset=utf-8',
      length: Buffer.concat(request.sent).toString('utf8').length,
      bodyUsed: true,
    });
    await expectFinal(panel, name);
    // A native body is a byte stream: BYOB readers and clones work the same through the hook.
    const byob = await browser.firstPage().evaluate(async (path) => {
      const response = await fetch(path, { method: 'POST', body: JSON.stringify({ stream: true }) });
      const copy = response.clone();
      const reader = response.body!.getReader({ mode: 'byob' });
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read(new Uint8Array(1024));
        if (done) break;
        bytes += value.byteLength;
      }
      return { bytes, cloneUrl: copy.url, cloneText: (await copy.text()).length };
    }, `/r/${name}/v1/responses`);
    const second = server.requests[server.requests.length - 1];
    assert.ok(second);
    assert.deepEqual(byob, { bytes: Buffer.concat(second.sent).length, cloneUrl: `${server.url}/r/${name}/v1/responses`, cloneText: Buffer.concat(second.sent).toString('utf8').length });
    assert.deepEqual(await browser.firstPage().evaluate(() => (window as unknown as { seenMessages: string[] }).seenMessages), []);
  });

  it('marks a response the page cancelled mid-stream, and the server sees the connection close', async () => {
    const name = 'fantasy__azure-reasoning-summary-gpt-5-mini';
    const run = stream({ route: `${name}/hold/40`, cancelAfterEvents: 30 });
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    const result = await run;
    assert.equal(result.cancelled, true);
    await request.done;
    assert.equal(request.closedEarly, true);
    assert.ok(request.framesSent < 100);
    await panel.waitFor('document.querySelector("[data-testid=summary] [data-testid=status]")?.textContent.includes("cancelled")');
    await panel.waitForText('cancelled this request');
  });

  it('closes the connection at once when the page cancels the body through its reader or the stream', async () => {
    await expectCancelClosesConnection(server, (route, how) => browser.firstPage().evaluate(([path, cancelHow]) => window.e2e.readThenCancel(path, cancelHow, 5), [route, how] as const));
    await panel.waitFor(`${ROW_COUNT} === 2`);
    await panel.waitFor('document.querySelector("[data-testid=summary] [data-testid=status]")?.textContent.includes("cancelled")');
  });

  it('captures a streaming XMLHttpRequest', async () => {
    const name = 'pydantic-ai__text-with-logprobs-gpt-4o-mini';
    const result = await browser.firstPage().evaluate((route) => window.e2e.streamWithXhr(route), name);
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    assert.equal(result.text, Buffer.concat(request.sent).toString('utf8'));
    await expectFinal(panel, name);
    await panel.waitFor('document.querySelector("[data-testid=capture-row] .tag")?.textContent === "xhr"');
  });

  it('captures a non-streaming JSON response', async () => {
    const name = 'vercel-ai__file-search-gpt-5-mini';
    const result = await stream({ route: name, stream: false });
    assert.equal(result.error, undefined);
    await expectFinal(panel, name);
    await panel.waitFor('document.querySelector("[data-item-type=file_search_call]") !== null');
    await expectNotStreamedShown(panel);
  });

  it('captures a request made from an iframe', async () => {
    const page = browser.firstPage();
    await page.evaluate((url) => {
      const frame = document.getElementById('child') as HTMLIFrameElement;
      frame.src = url;
    }, `${server.url}/iframe.html`);
    await page.waitForFunction(() => typeof (document.getElementById('child') as HTMLIFrameElement).contentWindow?.e2e === 'object');
    const frame = page.frames().find((candidate) => candidate.url().endsWith('/iframe.html'));
    assert.ok(frame);
    const name = 'vercel-ai__azure-text-gpt-5.1';
    const result = await frame.evaluate((route) => window.e2e.streamWithOpenAI({ route }), name);
    assert.equal(result.error, undefined);
    await expectFinal(panel, name);
  });

  it('captures an Azure-style URL', async () => {
    const name = 'fantasy__text-gpt-4o';
    const result = await stream({ route: name, apiPrefix: 'openai', defaultQuery: { 'api-version': '2025-04-01-preview' } });
    assert.equal(result.error, undefined);
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    assert.match(request.url, /\/openai\/responses\?api-version=2025-04-01-preview$/);
    await expectFinal(panel, name);
    // The row names the call and holds its whole URL (the URL column shows it when the panel is wide enough).
    await panel.waitFor('document.querySelector("[data-testid=capture-row] td.name")?.title.endsWith("/openai/responses?api-version=2025-04-01-preview")');
  });

  it('captures a URL the user added as a pattern', async () => {
    const name = 'pydantic-ai__background-queued-gpt-4o';
    // Served as text/plain on a path not ending in /responses: only the user's pattern can catch it.
    const path = `/r/${name}/type/text%2Fplain/my-proxy/generate`;
    await panel.click('[data-testid=settings]');
    await panel.evaluate(`(() => {
      const area = document.querySelector('[data-testid=url-patterns]');
      area.value = '*/my-proxy/generate';
      area.dispatchEvent(new Event('input', { bubbles: true }));
      document.querySelector('[data-testid=settings-save]').click();
    })()`);
    await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
    const page = browser.firstPage();
    // The page learns the new pattern from the extension; a reload makes sure it has it.
    await page.reload();
    await panel.waitFor(`${ROW_COUNT} === 0`);
    const text = await page.evaluate(([url]) => window.e2e.fetchText(url as string, { model: 'gpt-4o', stream: true }), [path]);
    assert.match(text, /response\.completed/);
    await expectFinal(panel, name);
    await panel.click('[data-testid=settings]');
    await panel.evaluate(`(() => {
      const area = document.querySelector('[data-testid=url-patterns]');
      area.value = '';
      area.dispatchEvent(new Event('input', { bubbles: true }));
      document.querySelector('[data-testid=settings-save]').click();
    })()`);
  });

  for (const [name, itemType, detail] of [
    ['fantasy__parallel-function-calls-gpt-4o', 'function_call', '"a":'],
    ['pydantic-ai__reasoning-summary-multipart-o3-mini', 'reasoning', 'Summary (4 parts)'],
    ['vercel-ai__web-search-gpt-5-mini', 'web_search_call', 'tech news today December 5 2025'],
  ] as const) {
    it(`shows the ${itemType} items of ${name}`, async () => {
      const result = await stream({ route: name });
      assert.equal(result.error, undefined);
      await panel.waitFor(`document.querySelector("[data-item-type=${itemType}]") !== null`);
      await panel.waitForText(detail);
      const usage = finalUsage(name);
      await panel.waitFor(`document.querySelector("[data-testid=summary-output]")?.textContent === "${usage.output}"`);
      const message = finalMessageText(name);
      if (message) await panel.waitFor(messageShown(message.slice(0, 200)));
      mkdirSync('test-results', { recursive: true });
      writeFileSync(`test-results/devtools-chrome-${itemType}.png`, await panel.screenshot());
    });
  }

  it('survives the background service worker being stopped mid-stream', async () => {
    const name = 'vercel-ai__mcp-list-tools-and-calls-gpt-5-mini';
    const run = stream({ route: `${name}/hold/200` });
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    await request.held;
    await panel.waitFor('document.querySelector("[data-item-type=mcp_call]") !== null');
    await stopServiceWorker();
    request.release();
    const result = await run;
    assert.equal(result.error, undefined);
    await expectFinal(panel, name);
    // It was a new worker that finished the job, with everything the old one had.
    assert.equal(await isNewServiceWorker(), true);
    await panel.waitFor(`${ROW_COUNT} === 1`);
    assert.equal(await panel.evaluate('document.querySelector("[data-testid=problems]")'), null);
    await panel.click('[data-testid=tab-raw]');
    await panel.waitForText(`${Buffer.concat(request.sent).toString("utf8").length} characters`);
    await panel.click('[data-testid=tab-assembly]');
  });

  it('does not bring back a stream cleared while it was live, when the service worker restarts', async () => {
    const name = 'fantasy__text-gpt-4o';
    const run = stream({ route: `${name}/hold/3` });
    const request = await server.waitForRequest((candidate) => candidate.recording === name && candidate.url.includes('/hold/3/'));
    await request.held;
    await panel.waitFor(`${ROW_COUNT} === 1`);
    const clearedBefore = await clearedAtOnDisk();
    await panel.click('[data-testid=clear]');
    await panel.waitFor(`${ROW_COUNT} === 0`);
    request.release();
    assert.equal((await run).error, undefined);
    // The clear is on disk before the worker stops (a worker stopped within a write's delay would lose it).
    await untilClearedOnDiskAfter(clearedBefore);
    await stopServiceWorker();
    // A stream after the restart is listed; had the relay sent the cleared one again, it would be listed first.
    assert.equal((await stream({ route: 'seed__hello-gpt-4.1-nano' })).error, undefined);
    await expectFinal(panel, 'seed__hello-gpt-4.1-nano');
    assert.equal(await isNewServiceWorker(), true);
    assert.equal(await panel.evaluate<number>(ROW_COUNT), 1, await panel.text());
  });

  it('keeps every response of a tab on disk, past what storage.session held, across a stopped service worker; the panel holds only what it shows', async () => {
    const count = 12;
    for (let index = 0; index < count; index++) {
      const name = `megabyte-${index}`;
      server.addRecording(name, messageStream(`${index} `.padEnd(1 << 20, 'z'), 65_536));
      assert.equal((await stream({ route: name })).error, undefined);
    }
    await panel.waitFor(`${ROW_COUNT} === ${count}`);
    await panel.waitFor('document.querySelector("[data-testid=summary] [data-testid=status]")?.textContent.includes("completed")');
    assert.equal(await panel.evaluate('document.querySelector("[data-testid=evicted-note]")'), null);
    // Only the selected response's body is in the panel; the others are in the extension's store.
    assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=capture-row][data-loaded=true]").length'), 1);

    await stopServiceWorker();
    // Opening the oldest response asks a new worker, which reads it back from disk.
    await panel.click('[data-testid=capture-row]');
    await panel.waitFor('document.querySelector("[data-testid=message-text]")?.dataset.chars === String(1 << 20)');
    await panel.waitFor('document.querySelector("[data-testid=message-text]")?.textContent.startsWith("0 zzz")');
    // Read whole at last (it came in parts, after a preview of its final response): its events are all there.
    await panel.waitFor('document.querySelector("[data-testid=reading-events]") === null && document.querySelector("[data-testid=capture-row]").dataset.loaded === "true"');
    await panel.click('[data-testid=tab-events]');
    await panel.waitFor('document.querySelector("[data-testid=events-view]")?.textContent.includes("response.completed")');
    await panel.click('[data-testid=tab-assembly]');
    assert.equal(await isNewServiceWorker(), true);
    await panel.waitFor(`${ROW_COUNT} === ${count}`);
    assert.ok((await panel.evaluate<number>('document.querySelectorAll("[data-testid=capture-row][data-loaded=true]").length')) <= 4);
  });

  it('drops the oldest responses past the bounds set in Settings, and counts each once', async () => {
    await panel.click('[data-testid=settings]');
    await panel.evaluate('(() => { const input = document.querySelector("[data-testid=max-captures]"); input.value = "3"; })()');
    await panel.click('[data-testid=settings-save]');
    try {
      await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
      await panel.click('[data-testid=preserve-log]');
      await panel.waitFor('document.querySelector("[data-testid=preserve-log]").checked === true');
      for (let index = 0; index < 5; index++) assert.equal((await stream({ route: 'seed__hello-gpt-4.1-nano' })).error, undefined);
      await browser.firstPage().goto(`${server.url}/?again`);
      for (let index = 0; index < 3; index++) assert.equal((await stream({ route: 'fantasy__text-gpt-4o' })).error, undefined);
      await panel.waitFor(`${ROW_COUNT} === 3`);
      await panel.waitFor('document.querySelector("[data-testid=evicted-note]")?.textContent.startsWith("5 older responses were dropped")');
    } finally {
      await panel.click('[data-testid=settings]');
      await panel.evaluate('(() => { const input = document.querySelector("[data-testid=max-captures]"); input.value = "10000"; })()');
      await panel.click('[data-testid=settings-save]');
      if (await panel.evaluate<boolean>('document.querySelector("[data-testid=preserve-log]").checked')) await panel.click('[data-testid=preserve-log]');
    }
  });

  it('records nothing while paused, and keeps captures across navigation with Preserve log', async () => {
    await panel.click('[data-testid=record-toggle]');
    await panel.waitFor('document.querySelector("[data-testid=record-toggle]").textContent.includes("Paused")');
    const page = browser.firstPage();
    // The page learns that recording is paused from the extension; a reload makes sure it has.
    await page.reload();
    assert.equal((await stream({ route: 'fantasy__text-gpt-4o' })).error, undefined);
    await panel.click('[data-testid=record-toggle]');
    await panel.waitFor('document.querySelector("[data-testid=record-toggle]").textContent.includes("Recording")');
    await page.reload();
    const name = 'seed__hello-gpt-4.1-nano';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    // Had the paused call been captured, it would be listed before this one.
    assert.equal(await panel.evaluate<number>(ROW_COUNT), 1);

    await panel.click('[data-testid=preserve-log]');
    await panel.waitFor('document.querySelector("[data-testid=preserve-log]").checked === true');
    await page.goto(`${server.url}/?next`);
    assert.equal((await stream({ route: 'vercel-ai__azure-text-gpt-5.1' })).error, undefined);
    await panel.waitFor(`${ROW_COUNT} === 2`);
    await panel.click('[data-testid=preserve-log]');
    await panel.waitFor('document.querySelector("[data-testid=preserve-log]").checked === false');
  });

  it('stays responsive through a 100,000-event response', async () => {
    server.addRecording('long-100k', longMessageStream(100_000));
    const result = await stream({ route: 'long-100k' });
    assert.equal(result.error, undefined);
    await panel.waitFor('document.querySelector("[data-testid=summary-output]")?.textContent === "100000"', 60000);
    await panel.waitForText('word96 word0 word1');
    await panel.click('[data-testid=tab-events]');
    await panel.waitFor('document.querySelector("[data-testid=event-type-filter] option")?.textContent === "All types (100006)"');
    // Virtualised: a screenful of rows in the DOM, not 100,006.
    const rendered = await panel.evaluate<number>('document.querySelectorAll("[data-testid=event-row]").length');
    assert.ok(rendered > 0 && rendered < 200, `${rendered} rows rendered`);
    await panel.click('[data-testid=tab-raw]');
    await panel.waitFor('document.querySelectorAll("[data-testid=raw-lines] .raw-line").length > 0');
    assert.ok((await panel.evaluate<number>('document.querySelectorAll("[data-testid=raw-lines] .raw-line").length')) < 300);
    await panel.click('[data-testid=tab-assembly]');
  });

  it('shows a megabyte without a space, 100,000 lines and megabytes of JSON arguments in blocks, with the status and usage', async () => {
    await expectBigResponsesShown(panel, server, (route) => stream({ route }));
  });

  it('exports a valid, redacted HAR that imports back to the same responses; credentials only when asked', async () => {
    const names = ['fantasy__parallel-function-calls-gpt-4o', 'seed__hello-gpt-4.1-nano'];
    const planted = ['sk-test-secret-key-1234567890', 'azure-PLANTED-header-key', 'sk-PLANTED-body-secret-0123456789'];
    for (const name of names) {
      const result = await stream({ route: name, extraHeaders: { 'api-key': 'azure-PLANTED-header-key' }, extraBody: { metadata: { api_key: 'sk-PLANTED-body-secret-0123456789' } } });
      assert.equal(result.error, undefined);
      await expectFinal(panel, name);
    }
    const exported = await exportFromPanel(panel, false);
    for (const value of planted) assert.ok(!exported.includes(value), `the export holds ${value}`);
    const har = JSON.parse(exported) as { log: { entries: Array<{ response: { content: { text: string } }; _responsesAssembly: { responses: unknown[] } }> } };
    assert.deepEqual(await new HarValidator().verify(har as never), []);
    assertChromeImportable(har as never);
    assert.equal(har.log.entries.length, 2);
    const kept = await exportFromPanel(panel, true);
    for (const value of planted) assert.ok(kept.includes(value), `the export with credentials lacks ${value}`);

    // A fresh document clears the panel; the file brings the same responses back.
    await clearPanel();
    await importIntoPanel(panel, [{ name: 'transcript.har', text: exported }]);
    await panel.waitFor(`${ROW_COUNT} === 2`);
    await expectFinal(panel, names[1] as string);
    const again = JSON.parse(await exportFromPanel(panel, false)) as typeof har;
    type Summary = { response: unknown; events: number; usage: unknown; warnings: unknown; timing: Record<string, number | null> };
    const summaries = (file: typeof har) => file.log.entries.flatMap((entry) => entry._responsesAssembly.responses as Summary[]);
    const [before, after] = [summaries(har), summaries(again)];
    assert.equal(after.length, before.length);
    before.forEach((summary, index) => {
      const imported = after[index] as Summary;
      assert.deepEqual({ ...imported, timing: undefined }, { ...summary, timing: undefined });
      // Times go through the file as milliseconds and seconds since the epoch: equal to the millisecond.
      for (const [key, value] of Object.entries(summary.timing)) {
        const other = imported.timing[key];
        if (value === null) assert.equal(other, null, key);
        else assert.ok(typeof other === 'number' && Math.abs(other - value) <= 1, `${key}: ${other} vs ${value}`);
      }
    });
    assert.deepEqual(
      again.log.entries.map((entry) => entry.response.content.text),
      har.log.entries.map((entry) => entry.response.content.text),
    );
  });

  it('shows no credential in any view, nor in the export, of requests that carry them everywhere', async () => {
    await importIntoPanel(panel, [{ name: 'planted.har', text: JSON.stringify(plantedHar()) }]);
    await expectNoPlantedSecretsInViews(panel, 3);
    assert.deepEqual(leakedSecrets(await exportFromPanel(panel, false)), []);
    // Live too: a page call with credentials in its URL query, headers and body.
    await clearPanel();
    const result = await stream(PLANTED_STREAM);
    assert.equal(result.error, undefined);
    await expectNoPlantedSecretsInViews(panel, 1);
    assert.deepEqual(leakedSecrets(await exportFromPanel(panel, false)), []);
    const kept = await exportFromPanel(panel, true);
    assert.ok(kept.includes(PLANTED.apimKey) && kept.includes(PLANTED.urlSig) && kept.includes(PLANTED.jsonCredentialsKey));
  });

  it("says clearly what is missing from the HAR of Chrome's own network log", async () => {
    const name = 'vercel-ai__azure-web-search-preview-gpt-4.1-mini';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    // DevTools' HAR of the inspected page, as Chrome hands it to extensions: entries without their bodies.
    const chromeHar = await panel.evaluate<string>('new Promise((resolve) => chrome.devtools.network.getHAR((log) => resolve(JSON.stringify({ log }))))');
    const path = join(mkdtempSync(join(tmpdir(), 'responses-devtools-chrome-har-')), 'chrome.har');
    writeFileSync(path, chromeHar);
    const result = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // Nothing in it can be read: one clear line, and a failure exit.
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, new RegExp(`POST ${server.url}/r/${name}/v1/responses\\) has no response body: save the HAR with its content`));
    await importIntoPanel(panel, [{ name: 'chrome.har', text: chromeHar }]);
    await panel.waitFor('document.querySelector("[data-testid=import-messages]")?.textContent.includes("has no response body")');
  });

  it('prices a model at the prices set in Settings, kept by the extension, and names them as the source', async () => {
    await expectPriceOverrides(
      panel,
      async (name) => assert.equal((await stream({ route: name })).error, undefined),
      () => panel.reload(),
    );
  });

  it('captures Chat Completions, Anthropic Messages and AI SDK UI streams read by their official clients, shows them as the core assembles them, and carries them through a HAR', async () => {
    await expectOtherProtocols(
      panel,
      server,
      (reader, route) => browser.firstPage().evaluate(([name, path]) => window.e2e[name as PageReader](path as string), [reader, route]),
      (name, text) => importIntoPanel(panel, [{ name, text }]),
      clearPanel,
      () => exportFromPanel(panel, false),
    );
    // The demo's buttons for the other APIs.
    await clearPanel();
    for (const [label, protocol] of [
      ['Chat Completions (openai)', 'chat.completions'],
      ['Anthropic Messages, web search with citations', 'anthropic.messages'],
    ]) {
      await browser.firstPage().getByRole('button', { name: label }).click();
      await panel.waitFor(`document.querySelector("[data-testid=capture-row][aria-selected=true] [data-testid=protocol-badge]")?.dataset.protocol === "${protocol}" && !document.querySelector("[data-testid=capture-row] .live-dot")`);
      await browser.firstPage().waitForFunction(() => !document.getElementById('output')?.textContent?.startsWith('Streaming'));
      assert.doesNotMatch((await browser.firstPage().textContent('#output')) ?? '', /error/i, label);
    }
    await panel.waitFor('document.querySelector("[data-item-type=web_search_call]") !== null');
  });

  it('captures a WebSocket-mode session: each response of the connection, as over SSE, chained in one thread, and exports it as Chrome writes a WebSocket', async () => {
    await expectWebSocketSession(panel, server, (recordings) => browser.firstPage().evaluate((names) => window.e2e.webSocketSession(names), recordings));
    // Chrome's own HAR of the page (its Network panel's export) holds the socket whole: read back, one call a response.
    const networkPath = join(mkdtempSync(join(tmpdir(), 'responses-devtools-ws-network-')), 'network.har');
    const networkHar = await panel.exportNetworkHar();
    writeFileSync(networkPath, networkHar);
    const chromeSocket = (JSON.parse(networkHar) as { log: { entries: Array<{ _resourceType?: string; _webSocketMessages?: Array<Record<string, unknown>> }> } }).log.entries.find((entry) => entry._resourceType === 'websocket');
    assert.ok(chromeSocket?._webSocketMessages && chromeSocket._webSocketMessages.length > 0, 'Chrome wrote the socket');
    const fromChrome = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', networkPath], { encoding: 'utf8' });
    assert.equal(fromChrome.status, 0, fromChrome.stderr);
    const chromeResponses = (JSON.parse(fromChrome.stdout) as { responses: Array<{ response: { id?: string; status?: string }; warnings: unknown[] }> }).responses;
    assert.deepEqual(chromeResponses.map((entry) => entry.response.status), ['completed', 'completed', 'completed']);
    assert.deepEqual(chromeResponses.map((entry) => entry.warnings), [[], [], []]);
    const transcript = JSON.parse(await exportFromPanel(panel, false)) as { log: { entries: Array<{ request: { url: string; method: string }; response: { status: number }; _resourceType?: string; _webSocketMessages?: Array<{ type: string; data: string; [key: string]: unknown }> }> } };
    const sockets = transcript.log.entries.filter((entry) => entry._resourceType === 'websocket');
    assert.equal(sockets.length, 3);
    // Our frames have the fields Chrome's own have.
    const chromeFields = Object.keys(chromeSocket._webSocketMessages[0] ?? {}).sort();
    for (const entry of sockets) {
      for (const message of entry._webSocketMessages ?? []) assert.deepEqual(Object.keys(message).sort(), chromeFields);
      assert.match(entry.request.url, /^ws:\/\/127\.0\.0\.1:\d+\/ws\/v1\/responses\?/);
      assert.equal(entry.response.status, 101);
      assert.equal(entry._webSocketMessages?.[0]?.type, 'send');
      assert.match(entry._webSocketMessages?.[0]?.data ?? '', /"type":"response\.create"/);
    }
    const path = join(mkdtempSync(join(tmpdir(), 'responses-devtools-ws-')), 'ws.har');
    writeFileSync(path, JSON.stringify(transcript));
    const result = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', path], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const inspected = (JSON.parse(result.stdout) as { responses: Array<{ thread: { turn: number }; warnings: unknown[] }> }).responses;
    assert.deepEqual(inspected.map((entry) => entry.thread.turn), [1, 2, 3]);
    assert.deepEqual(inspected.map((entry) => entry.warnings), [[], [], []]);
    // Imported back: the same three responses, their text and thread.
    await clearPanel();
    await importIntoPanel(panel, [{ name: 'ws.har', text: JSON.stringify(transcript) }]);
    await panel.waitFor(`${ROW_COUNT} === 3`);
    await panel.evaluate('document.querySelectorAll("[data-testid=capture-row]")[2].click()');
    await panel.waitFor(messageShown(finalMessageText('fantasy__text-gpt-4o')));
    await panel.click('[data-testid=tab-thread]');
    await panel.waitFor('document.querySelectorAll("[data-testid=thread-turn]").length === 3');
    await panel.click('[data-testid=tab-assembly]');
  });

  it('replays a response from its timeline: any event, the Events view marking it, and played to the end', async () => {
    await expectReplay(
      panel,
      async (name) => assert.equal((await stream({ route: name })).error, undefined),
      (name, text) => importIntoPanel(panel, [{ name, text }]),
      clearPanel,
    );
  });

  it('places calls in their threads and shows the rate limits, live and from an imported HAR', async () => {
    await expectThreadsAndRateLimits(
      panel,
      server,
      stream,
      (name, text) => importIntoPanel(panel, [{ name, text }]),
      clearPanel,
    );
  });

  it("shows the app server's calls live beside the page's, through responses-devtools proxy, and says whether a proxy is connected", async () => {
    await expectServerCalls(
      panel,
      server,
      async (name) => assert.equal((await stream({ route: name })).error, undefined),
      clearPanel,
    );
    // The demo's button: the demo app's own server calls through a proxy; the page gets only the text.
    const demoProxy = await startServerCallDemo(server, 0, () => undefined, 0);
    try {
      await setProxyAddresses(panel, new URL(demoProxy.url).host);
      await panel.waitFor(`${PROXY_STATE} === "connected"`);
      await clearPanel();
      await browser.firstPage().getByRole('button', { name: "Your server's call (through responses-devtools proxy)" }).click();
      await browser.firstPage().waitForFunction(() => document.getElementById('output')?.textContent !== 'Asking the server…');
      assert.equal(await browser.firstPage().textContent('#output'), finalText(SERVER_CALL_RECORDING));
      await panel.waitFor(`${ROW_COUNT} === 1 && document.querySelector("[data-testid=capture-row] [data-testid=server-tag]") !== null && !document.querySelector("[data-testid=capture-row] .live-dot")`);
    } finally {
      await demoProxy.stop();
      await setProxyAddresses(panel, DEFAULT_PROXY_ADDRESS);
      await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
    }
  });

  it('shows an Agents SDK run as one thread of steps, each tool call with what the app sent back, streamed or not, with or without previousResponseId', async () => {
    await expectAgentLoops(
      panel,
      server,
      (options) => browser.firstPage().evaluate((runOptions) => window.e2e.runAgent(runOptions), options),
      clearPanel,
      () => exportFromPanel(panel, false),
    );
    // The demo's agent button: the run in the page, and its two calls in one thread in the panel.
    await clearPanel();
    await browser.firstPage().getByRole('button', { name: 'Agent run with two tools (OpenAI Agents SDK)' }).click();
    await browser.firstPage().waitForFunction(() => document.getElementById('output')?.textContent?.includes('their product is 6'));
    await panel.waitFor(`${ROW_COUNT} === 2 && !document.querySelector("[data-testid=capture-row] .live-dot")`);
    await panel.click('[data-testid=tab-thread]');
    await panel.waitFor('document.querySelectorAll("[data-testid=thread-turn]").length === 2 && document.querySelectorAll("[data-testid=thread-step][data-kind=tool]").length === 2');
  });

  it("reads the HAR that Chrome's Network panel saves, in the command and in the panel", async () => {
    const name = 'pydantic-ai__reasoning-code-interpreter-gpt-5';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    const networkHar = await panel.exportNetworkHar();
    const path = join(mkdtempSync(join(tmpdir(), 'responses-devtools-network-har-')), 'network.har');
    writeFileSync(path, networkHar);
    const result = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    const responses = (JSON.parse(result.stdout) as { responses: Array<{ response: unknown; warnings: unknown[] }> }).responses;
    assert.deepEqual(responses.map((entry) => entry.response), [JSON.parse(JSON.stringify(finalOf(name)))]);
    assert.deepEqual(responses[0]?.warnings, []);
    await clearPanel();
    await importIntoPanel(panel, [{ name: 'network.har', text: networkHar }]);
    await expectFinal(panel, name);
    await panel.waitFor('document.querySelector("[data-item-type=code_interpreter_call]") !== null');
  });

  it('opens transcripts and recordings in the standalone viewer, and says what is wrong with a bad file', async () => {
    const viewer = await openViewer();
    // Nothing to record, follow or clear there; a place to drop files.
    assert.equal(await viewer.locator('[data-testid=record-toggle], [data-testid=follow], [data-testid=clear]').count(), 0);
    await viewer.waitForSelector('[data-testid=drop-zone]');
    const name = 'vercel-ai__web-search-gpt-5-mini';
    const recording = readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8');
    await viewer.setInputFiles('[data-testid=import-input]', [
      { name: `${name}.sse`, mimeType: 'text/event-stream', buffer: Buffer.from(recording) },
      { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') },
    ]);
    await viewer.waitForSelector('[data-item-type=web_search_call]');
    await viewer.waitForFunction(() => document.querySelector('[data-testid=summary-output]')?.textContent === '4416');
    const messages = await viewer.textContent('[data-testid=import-messages]');
    assert.match(messages ?? '', /notes\.json: JSON, but neither a Response object nor Responses stream events/);
    // Dropping a file on the viewer opens it too.
    const dropped = 'pydantic-ai__custom-tool-call-gpt-5';
    await viewer.evaluate(([fileName, text]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text as string], fileName as string));
      document.querySelector('[data-testid=panel-root]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [`${dropped}.sse`, readFileSync(join(RECORDINGS_DIR, `${dropped}.sse`), 'utf8')]);
    await viewer.waitForSelector('[data-item-type=custom_tool_call]');
    assert.equal(await viewer.locator('[data-testid=capture-row]').count(), 2);
    assert.equal(await viewer.textContent('[data-testid=file-names]'), `${name}.sse, notes.json, ${dropped}.sse close`);
    // The keyboard: Ctrl+F to the filter, Escape clears it; ←/→ between views from the list.
    await viewer.keyboard.press('Control+f');
    await viewer.keyboard.type('no such response');
    await viewer.waitForSelector('[data-testid=no-match]');
    assert.equal(await viewer.locator('[data-testid=detail]').count(), 0);
    await viewer.keyboard.press('Escape');
    await viewer.waitForFunction(() => document.querySelectorAll('[data-testid=capture-row]').length === 2 && document.querySelector('[data-testid=detail]') !== null);
    await viewer.focus('[data-testid=capture-list] tbody');
    await viewer.keyboard.press('ArrowRight');
    await viewer.waitForSelector('[data-testid=tab-usage][aria-selected=true]');
    await viewer.focus('[data-testid=tab-usage]');
    await viewer.keyboard.press('ArrowRight');
    await viewer.waitForSelector('[data-testid=tab-events][aria-selected=true]');
    assert.equal(await viewer.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'tab-events');
    await viewer.keyboard.press('ArrowLeft');
    await viewer.keyboard.press('ArrowLeft');
    await viewer.waitForSelector('[data-testid=tab-assembly][aria-selected=true]');
    // Copying works in the viewer too (a page of its own, not a DevTools frame).
    await viewer.evaluate(() => {
      (window as unknown as { copied: string[] }).copied = [];
      document.addEventListener('copy', () => {
        const area = document.activeElement as HTMLTextAreaElement;
        (window as unknown as { copied: string[] }).copied.push(area.value);
      });
    });
    await viewer.click('[data-testid=copy-id]');
    await viewer.waitForFunction(() => (window as unknown as { copied: string[] }).copied.length === 1);
    assert.equal(await viewer.evaluate(() => (window as unknown as { copied: string[] }).copied[0]), await viewer.textContent('[data-testid=summary-response-id]'));
    // Closing the files empties the viewer.
    await viewer.click('[data-testid=close-files]');
    await viewer.waitForSelector('[data-testid=drop-zone]');
    await viewer.close();
  });

  it('lists a thousand calls by rendering only the rows in view, and shows any of them', async () => {
    const viewer = await openViewer();
    const name = 'seed__hello-gpt-4.1-nano';
    const recording = readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8');
    const call = callsOfInput(`${name}.sse`, recording, readInput(recording))[0] as TranscriptCall;
    const calls = Array.from({ length: 1000 }, (_, index) => ({ ...call, url: `https://api.openai.com/v1/responses?call=${index}`, startedAt: 1_790_000_000_000 + index * 1000 }));
    const har = stringifyJson(buildTranscript(calls), 2);
    await viewer.setInputFiles('[data-testid=import-input]', [{ name: 'thousand.har', mimeType: 'application/json', buffer: Buffer.from(har) }]);
    await viewer.waitForSelector('[data-testid=capture-list] table[aria-rowcount="1001"]');
    const rendered = await viewer.locator('[data-testid=capture-row]').count();
    assert.ok(rendered > 10 && rendered < 200, `${rendered} rows rendered`);
    // Scrolled to the end, the last call's row is there, where its place in the list says.
    await viewer.evaluate(() => {
      const list = document.querySelector('[data-testid=capture-list]')!;
      list.scrollTop = list.scrollHeight;
    });
    const last = viewer.locator('[data-testid=capture-row][aria-rowindex="1001"]');
    await last.waitFor();
    assert.match((await last.textContent()) ?? '', /call=999/);
    const box = await last.boundingBox();
    const listBox = await viewer.locator('[data-testid=capture-list]').boundingBox();
    assert.ok(box && listBox && box.y >= listBox.y && box.y + box.height <= listBox.y + listBox.height + 1, 'the last row is in view');
    await last.click();
    await viewer.waitForFunction(() => document.querySelector('[data-testid=summary-output]')?.textContent !== undefined && document.querySelector('[data-testid=capture-row][aria-rowindex="1001"]')?.getAttribute('aria-selected') === 'true');
    // The keyboard moves the selection up and keeps it in view.
    await viewer.focus('[data-testid=capture-list] tbody');
    for (let step = 0; step < 40; step++) await viewer.keyboard.press('ArrowUp');
    await viewer.waitForSelector('[data-testid=capture-row][aria-rowindex="961"][aria-selected=true]');
    await viewer.close();
  });

  it('lays the list out as the Network panel does: sortable, resizable, hideable columns and a split, remembered, at a side and a bottom dock', async () => {
    const names = ['seed__hello-gpt-4.1-nano', 'vercel-ai__web-search-gpt-5-mini', 'fantasy__text-gpt-4o'];
    for (const name of names) assert.equal((await stream({ route: name })).error, undefined);
    await panel.waitFor(`${ROW_COUNT} === 3 && [...document.querySelectorAll("[data-testid=capture-row]")].every((row) => !row.querySelector(".live-dot"))`);
    const rowOrder = () => panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=capture-row] td.name")].map((cell) => cell.title)');
    const arrival = await rowOrder();
    const total = (name: string) => finalUsage(name).input + finalUsage(name).output;
    const byTokens = [...names].sort((a, b) => total(a) - total(b)).map((name) => arrival[names.indexOf(name)]);
    const header = (id: string) => `document.querySelector("[data-testid=column-${id}]")`;
    try {
      // A window of DevTools of its own, wide enough for every column.
      await panel.resizeDevtools({ width: 1280, height: 800 });
      await panel.waitFor('document.querySelector("[data-testid=capture-list]")?.dataset.narrow === "false"');
      // A header click sorts ascending, then descending, then back to the order of arrival.
      await panel.click('[data-testid=column-tokens] button');
      await panel.waitFor(`${header('tokens')}.getAttribute("aria-sort") === "ascending"`);
      assert.deepEqual(await rowOrder(), byTokens);
      await panel.click('[data-testid=column-tokens] button');
      await panel.waitFor(`${header('tokens')}.getAttribute("aria-sort") === "descending"`);
      assert.deepEqual(await rowOrder(), [...byTokens].reverse());
      await panel.click('[data-testid=column-tokens] button');
      await panel.waitFor(`${header('tokens')}.getAttribute("aria-sort") === "none"`);
      assert.deepEqual(await rowOrder(), arrival);

      // The header's context menu hides a column; dragging a column's edge widens it.
      await panel.evaluate(`${header('model')}.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, clientX: 40, clientY: 10 }))`);
      await panel.waitFor('document.querySelector("[data-testid=columns-menu]") !== null');
      assert.equal(await panel.evaluate<string>('document.activeElement?.getAttribute("role")'), 'menuitemcheckbox');
      await panel.click('[data-testid=column-toggle-model]');
      await panel.waitFor(`${header('model')} === null && document.querySelector("[data-testid=columns-menu]") === null`);
      // The Cost column is off until turned on from the same menu; each row then says what its response cost.
      assert.equal(await panel.evaluate<boolean>(`${header('cost')} === null`), true);
      await panel.evaluate(`${header('time')}.dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, clientX: 40, clientY: 10 }))`);
      await panel.click('[data-testid=column-toggle-cost]');
      await panel.waitFor(`${header('cost')} !== null`);
      const costs = await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=capture-row]")].map((row) => row.cells[row.cells.length - 1].textContent)');
      assert.ok(costs.length > 0 && costs.every((text) => /^\$\d/.test(text) || text === '–'), costs.join(' '));
      assert.ok(costs.some((text) => text.startsWith('$')), costs.join(' '));
      const widthOf = (id: string) => panel.evaluate<number>(`Math.round(${header(id)}.getBoundingClientRect().width)`);
      const before = await widthOf('duration');
      await panel.dragBy('[data-testid=resize-duration]', 40);
      await panel.waitFor(`Math.round(${header('duration')}.getBoundingClientRect().width) === ${before + 40}`);

      // The split moves with the keyboard (and the pointer), within its bounds.
      const split = 'document.querySelector("[data-testid=split-handle]")';
      const share = () => panel.evaluate<number>(`Number(${split}.getAttribute("aria-valuenow"))`);
      const firstShare = await share();
      const forward = (await panel.evaluate<string>(`${split}.getAttribute("aria-orientation")`)) === 'horizontal' ? 'ArrowDown' : 'ArrowRight';
      await panel.evaluate(`${split}.dispatchEvent(new KeyboardEvent("keydown", { key: "${forward}", bubbles: true }))`);
      await panel.waitFor(`Number(${split}.getAttribute("aria-valuenow")) === ${firstShare + 5}`);
      await panel.evaluate(`(() => {
        const main = document.querySelector("[data-testid=split]").getBoundingClientRect();
        const handle = ${split};
        const stacked = handle.getAttribute("aria-orientation") === "horizontal";
        const at = (fraction) => stacked ? { clientX: main.left + 10, clientY: main.top + main.height * fraction } : { clientX: main.left + main.width * fraction, clientY: main.top + 10 };
        handle.dispatchEvent(new PointerEvent("pointerdown", { bubbles: true, button: 0, pointerId: 1, ...at(0.5) }));
        handle.dispatchEvent(new PointerEvent("pointermove", { bubbles: true, pointerId: 1, ...at(0.6) }));
        handle.dispatchEvent(new PointerEvent("pointerup", { bubbles: true, pointerId: 1, ...at(0.6) }));
      })()`);
      await panel.waitFor(`Number(${split}.getAttribute("aria-valuenow")) === 60`);

      // All of it is remembered: the panel opened again lays the list out the same.
      await panel.reload();
      await panel.waitFor(`${ROW_COUNT} === 3`);
      await panel.waitFor(`${header('model')} === null && Number(${split}.getAttribute("aria-valuenow")) === 60 && Math.round(${header('duration')}.getBoundingClientRect().width) === ${before + 40}`);

      // DevTools' theme, followed while the panel is open.
      await panel.setDevtoolsTheme('dark');
      await panel.waitFor('document.documentElement.dataset.theme === "dark"');
      await panel.setDevtoolsTheme('default');
      await panel.waitFor('document.documentElement.dataset.theme === "light"');

      // A side dock (480 × 700): the list keeps a short name, the status and the tokens, with nothing to scroll sideways.
      await panel.resizeDevtools({ width: 480, height: 700 });
      await panel.waitFor('document.querySelector("[data-testid=capture-list]")?.dataset.narrow === "true"');
      assert.deepEqual(await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=capture-list] th")].map((cell) => cell.dataset.testid)'), ['column-name', 'column-status', 'column-tokens']);
      assert.ok(await panel.evaluate<boolean>('(() => { const list = document.querySelector("[data-testid=capture-list]"); return list.scrollWidth <= list.clientWidth; })()'), 'no horizontal scroll');
      assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=split]").dataset.orientation'), 'stacked');
      assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=capture-row] td.name").textContent'), /^POST responses/);
      // A bottom dock (1200 × 250): list and detail side by side, each the panel's whole height.
      await panel.resizeDevtools({ width: 1200, height: 250 });
      await panel.waitFor('document.querySelector("[data-testid=split]")?.dataset.orientation === "side-by-side"');
      const heights = await panel.evaluate<{ panel: number; detail: number; list: number }>(`({
        panel: document.querySelector("[data-testid=split]").getBoundingClientRect().height,
        detail: document.querySelector(".detail").getBoundingClientRect().height,
        list: document.querySelector("[data-testid=capture-list]").getBoundingClientRect().height,
      })`);
      assert.ok(heights.panel > 100 && heights.detail === heights.panel && heights.list === heights.panel, JSON.stringify(heights));
    } finally {
      await panel.resizeDevtools();
      await panel.evaluate('localStorage.clear()');
      await panel.reload();
    }
  });

  it("sends, from each demo button, a request that matches its recording: the Request view agrees with the answer", async () => {
    const page = browser.firstPage();
    await page.getByRole('button', { name: 'Parallel function calls' }).click();
    await panel.waitFor('document.querySelector("[data-item-type=function_call]") !== null && !document.querySelector("[data-testid=capture-row] .live-dot")');
    // The Assembly view opens on what was asked, above the answer.
    await panel.waitFor('document.querySelector("[data-testid=asked-text]")?.textContent === "Use the tools: what is 2 + 3, and what is 2 × 3?"');
    assert.ok(await panel.evaluate<boolean>('Boolean(document.querySelector("[data-testid=asked]").compareDocumentPosition(document.querySelector("[data-item-type=function_call]")) & Node.DOCUMENT_POSITION_FOLLOWING)'));
    await panel.click('[data-testid=tab-request]');
    await panel.waitFor('document.querySelector("[data-testid=input-text]")?.textContent === "Use the tools: what is 2 + 3, and what is 2 × 3?"');
    const request = await panel.evaluate<string>('document.querySelector("[data-testid=request-view]").innerText');
    assert.match(request, /Tools \(2\)/);
    assert.match(request, /function add/);
    assert.match(request, /function multiply/);
    assert.match(request, /gpt-4o/);
    await panel.click('[data-testid=tab-assembly]');
  });

  it('folds reasoning to a line that previews it, and an empty one to a line of its own', async () => {
    const name = 'pydantic-ai__reasoning-summary-multipart-o3-mini';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    const reasoning = await panel.evaluate<{ open: boolean; preview: string; shown: boolean }>(`(() => {
      const details = document.querySelector("[data-testid=reasoning]");
      return { open: details.open, preview: details.querySelector("[data-testid=reasoning-preview]").textContent, shown: details.querySelector("[data-testid=reasoning-summary]").checkVisibility() };
    })()`);
    assert.equal(reasoning.open, false);
    assert.ok(reasoning.preview.length > 20, reasoning.preview);
    assert.equal(reasoning.shown, false, 'the whole summary is folded away');
    const web = 'vercel-ai__web-search-gpt-5-mini';
    assert.equal((await stream({ route: web })).error, undefined);
    await expectFinal(panel, web);
    const compact = await panel.evaluate<number>('document.querySelectorAll("[data-item-type=reasoning][data-compact=true]").length');
    assert.equal(compact, 7);
    assert.equal(await panel.evaluate<number>('document.querySelectorAll("article[data-item-type=reasoning]").length'), 0);
    // Its citations: each source listed once, numbered once.
    const cited = finalOf(web)
      .output.flatMap((item) => item.content ?? [])
      .flatMap((part) => ((part as { annotations?: Array<{ url?: string }> }).annotations ?? []).map((annotation) => annotation.url));
    const sources = await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=source] a")].map((link) => link.href)');
    assert.deepEqual(new Set(sources.map((url) => new URL(url).href)), new Set(cited.map((url) => new URL(url as string).href)));
    assert.equal(sources.length, new Set(cited).size);
    assert.doesNotMatch(await panel.evaluate<string>('document.querySelector("[data-testid=annotations]").innerText'), /^\s*\d+\.\s*\d+\./m);
    // Each citation a numbered marker in the text, pointing to its source in the list; the text itself unchanged.
    const markers = await panel.evaluate<number[]>('[...document.querySelectorAll("[data-testid=citation-marker]")].map((marker) => Number(marker.textContent.slice(1, -1)))');
    assert.equal(markers.length, cited.length);
    assert.ok(markers.every((number) => number >= 1 && number <= sources.length), markers.join(','));
    assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=message-text]").dataset.source'), finalMessageText(web));
    assert.doesNotMatch(await panel.evaluate<string>('document.querySelector("[data-testid=message-text]").innerText'), /\u2063/);
  });

  it('lists events in columns that line up, with the time since the previous one, and shows one as a JSON tree to copy', async () => {
    const name = 'seed__hello-gpt-4.1-nano';
    assert.equal((await stream({ route: `${name}/pace/20` })).error, undefined);
    await expectFinal(panel, name);
    try {
      await panel.click('[data-testid=tab-events]');
      await panel.waitFor('document.querySelectorAll("[data-testid=event-row]").length > 5');
      // Every type cell starts where its header does, and is as wide.
      const columns = await panel.evaluate<{ header: number[]; rows: number[][] }>(`(() => {
        const box = (element) => [Math.round(element.getBoundingClientRect().left), Math.round(element.getBoundingClientRect().width)];
        return { header: box(document.querySelector(".event-header .event-type")), rows: [...document.querySelectorAll("[data-testid=event-row] .event-type")].map(box) };
      })()`);
      for (const row of columns.rows) assert.deepEqual(row, columns.header);
      // Paced 20 ms apart: gaps are times, the first has none.
      const gaps = await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=event-gap]")].map((cell) => cell.textContent)');
      assert.equal(gaps[0], '–');
      assert.ok(gaps.slice(1).every((gap) => / ms$| s$/.test(gap)), gaps.join(','));
      // The type column widens by its edge (kept for next time).
      await panel.dragBy('[data-testid=resize-event-type]', 60);
      await panel.waitFor(`Math.round(document.querySelector(".event-header .event-type").getBoundingClientRect().width) === ${(columns.header[1] as number) + 60}`);
      // An event as a tree, and its JSON copied.
      await panel.evaluate('document.querySelectorAll("[data-testid=event-row]")[2].click()');
      await panel.waitFor('document.querySelector("[data-testid=event-json]") !== null');
      assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=event-json]").textContent'), /type: "response\.output_item\.added"/);
      await panel.recordCopies();
      await panel.click('[data-testid=copy-event]');
      await panel.waitFor('JSON.parse(document.body.dataset.copied).length === 1');
      assert.equal((JSON.parse((await panel.copies())[0] ?? '') as { type: string }).type, 'response.output_item.added');
    } finally {
      await panel.evaluate('localStorage.removeItem("responses-devtools.events-type-width")');
      await panel.click('[data-testid=tab-assembly]');
    }
  });

  it('keeps the newest output of a streaming response in view until the user scrolls up, and again once back at the bottom', async () => {
    server.addRecording('follow-lines', longMessageStream(400, (index) => `line ${index} of a long answer\n`));
    const run = stream({ route: 'follow-lines/hold/200/pace/15' });
    const request = await server.waitForRequest((candidate) => candidate.recording === 'follow-lines');
    await request.held;
    const view = 'document.querySelector("[data-testid=view]")';
    const gap = `(${view}.scrollHeight - ${view}.scrollTop - ${view}.clientHeight)`;
    await panel.waitFor(`document.querySelector("[data-testid=message-text]")?.textContent.includes("line 190 of") && ${view}.scrollHeight > 2 * ${view}.clientHeight && ${gap} <= 1`);
    // The user scrolls up: more arrives, the view stays where the user put it.
    await panel.evaluate(`(() => { ${view}.scrollTop = 0; ${view}.dispatchEvent(new Event("scroll")); })()`);
    request.release();
    await panel.waitFor('document.querySelector("[data-testid=message-text]")?.textContent.includes("line 260 of")');
    assert.equal(await panel.evaluate<number>(`${view}.scrollTop`), 0);
    // Back at the bottom: it follows again while the stream goes on.
    await panel.evaluate(`(() => { ${view}.scrollTop = ${view}.scrollHeight; ${view}.dispatchEvent(new Event("scroll")); })()`);
    await panel.waitFor(`document.querySelector("[data-testid=message-text]")?.textContent.includes("line 330 of") && ${gap} <= 1`);
    assert.equal((await run).error, undefined);
  });

  it('renders model text as Markdown with nothing live in it (no HTML, no script, no image loaded, only web links), or as plain text', async () => {
    const text = [
      '# A title',
      '',
      'Some **bold**, *italic* and `code`, a [safe link](https://example.com/a) and a [bad one](javascript:window.pwned=3).',
      '',
      '- one',
      '- two',
      '',
      '<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script>',
      '',
      '![tracker](http://127.0.0.1:9/tracker.png)',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
    ].join('\n');
    server.addRecording('markdown-hostile', messageStream(text, 64));
    assert.equal((await stream({ route: 'markdown-hostile' })).error, undefined);
    await panel.waitFor('document.querySelector("[data-testid=message-text][data-markdown=true]") !== null && !document.querySelector("[data-testid=capture-row] .live-dot")');
    const shown = await panel.evaluate<Record<string, unknown>>(`(() => {
      const md = document.querySelector("[data-testid=message-text][data-markdown=true]");
      return {
        heading: md.querySelector("h3")?.textContent,
        bold: md.querySelector("strong")?.textContent,
        italic: md.querySelector("em")?.textContent,
        code: md.querySelector("code")?.textContent,
        links: [...md.querySelectorAll("a")].map((link) => link.getAttribute("href")),
        items: md.querySelectorAll("ul > li").length,
        cells: [...md.querySelectorAll("table td")].map((cell) => cell.textContent),
        images: document.querySelectorAll("img").length,
        scripts: md.querySelectorAll("script, iframe, object, embed").length,
        handlers: [...md.querySelectorAll("*")].filter((element) => [...element.attributes].some((attribute) => attribute.name.startsWith("on"))).length,
        pwned: window.pwned === undefined,
        text: md.innerText,
      };
    })()`);
    assert.deepEqual(
      { ...shown, text: undefined },
      { heading: 'A title', bold: 'bold', italic: 'italic', code: 'code', links: ['https://example.com/a', 'http://127.0.0.1:9/tracker.png'], items: 2, cells: ['1', '2'], images: 0, scripts: 0, handlers: 0, pwned: true, text: undefined },
    );
    // The HTML shows as the text it is; the bad link as its words; the image as a link to it, not loaded.
    assert.match(shown.text as string, /<img src=x onerror="window\.pwned=1"> <script>window\.pwned=2<\/script>/);
    assert.match(shown.text as string, /bad one/);
    assert.match(shown.text as string, /image: tracker/);
    assert.equal(server.requests.filter((request) => request.url.includes('tracker')).length, 0);
    // Plain text, as sent, at a click; and back.
    await panel.click('[data-testid=markdown-toggle]');
    await panel.waitFor(`document.querySelector("[data-testid=message-text]")?.textContent === ${JSON.stringify(text)} && !document.querySelector("[data-markdown=true]")`);
    await panel.click('[data-testid=markdown-toggle]');
    await panel.waitFor('document.querySelector("[data-testid=message-text][data-markdown=true]") !== null');
  });

  it('filters by id and by what the model said with Ctrl+F, says when nothing matches, clears with Escape, and moves between views with the arrows', async () => {
    for (const name of ['seed__hello-gpt-4.1-nano', 'fantasy__text-gpt-4o']) assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, 'fantasy__text-gpt-4o');
    const id = finalOf('seed__hello-gpt-4.1-nano').id as string;
    const key = (target: string, init: string) => panel.evaluate(`${target}.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ${init} }))`);
    await key('document.body', 'key: "f", ctrlKey: true');
    await panel.waitFor('document.activeElement?.dataset.testid === "filter"');
    const type = (text: string) => panel.evaluate(`(() => { const input = document.activeElement; input.value = ${JSON.stringify(text)}; input.dispatchEvent(new InputEvent("input", { bubbles: true })); })()`);
    await type(id);
    await panel.waitFor(`${ROW_COUNT} === 1 && document.querySelector("[data-testid=summary-response-id]")?.textContent === ${JSON.stringify(id)}`);
    // What the model said finds its call too.
    await type('I assist');
    await panel.waitFor(`${ROW_COUNT} === 1 && document.querySelector("[data-testid=summary-response-id]")?.textContent === ${JSON.stringify(id)}`);
    await type('matches nothing');
    await panel.waitFor(`document.querySelector("[data-testid=no-match]")?.textContent.includes("matches nothing") && document.querySelector("[data-testid=detail]") === null`);
    await key('document.activeElement', 'key: "Escape"');
    await panel.waitFor(`${ROW_COUNT} === 2 && document.querySelector("[data-testid=filter]").value === "" && document.querySelector("[data-testid=detail]") !== null`);
    await panel.evaluate('document.querySelector("[data-testid=capture-list] tbody").focus()');
    await key('document.activeElement', 'key: "ArrowRight"');
    await panel.waitFor('document.querySelector("[data-testid=tab-usage]").getAttribute("aria-selected") === "true"');
    await key('document.activeElement', 'key: "ArrowLeft"');
    await panel.waitFor('document.querySelector("[data-testid=tab-assembly]").getAttribute("aria-selected") === "true"');
  });

  it('copies a response as cURL, fetch and openai-node code without the key, and its text, id and JSON, from the row menu and the detail', async () => {
    const name = 'vercel-ai__web-search-gpt-5-mini';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    await panel.recordCopies();
    const copied = 'JSON.parse(document.body.dataset.copied).length';
    const copy = async (open: string, item: string): Promise<string> => {
      const count = (await panel.copies()).length;
      await panel.evaluate(open);
      await panel.waitFor('document.querySelector("[data-testid=response-menu]") !== null');
      await panel.click(`[data-testid=${item}]`);
      await panel.waitFor(`${copied} === ${count + 1} && document.querySelector("[data-testid=notice]").textContent.startsWith("Copied")`);
      return (await panel.copies()).at(-1) ?? '';
    };
    const rowMenu = 'document.querySelector("[data-testid=capture-row]").dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, clientX: 30, clientY: 30 }))';
    const curl = await copy(rowMenu, 'copy-curl');
    assert.match(curl, /^curl '.*\/r\/vercel-ai__web-search-gpt-5-mini\/v1\/responses'/);
    assert.match(curl, /-H "authorization: Bearer \$OPENAI_API_KEY"/i);
    assert.match(curl, /--data-raw '\{/);
    assert.doesNotMatch(curl, /sk-test-secret/);
    const node = await copy(rowMenu, 'copy-openai-node');
    assert.match(node, /import OpenAI from 'openai'/);
    assert.match(node, /apiKey: process\.env\.OPENAI_API_KEY/);
    assert.doesNotMatch(node, /sk-test-secret/);
    const fetchCode = await copy('document.querySelector("[data-testid=copy-button]").click()', 'copy-fetch');
    assert.match(fetchCode, /await fetch\(/);
    assert.doesNotMatch(fetchCode, /sk-test-secret/);
    assert.equal(await copy('document.querySelector("[data-testid=copy-button]").click()', 'copy-response-text'), finalMessageText(name));
    const json = JSON.parse(await copy(rowMenu, 'copy-response-json')) as { id: string };
    assert.deepEqual(json, JSON.parse(JSON.stringify(finalOf(name))));
    assert.equal(await copy(rowMenu, 'copy-response-id'), json.id);
    // The id in the summary strip has its own copy button.
    assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=summary-response-id]").textContent'), json.id);
    const count = (await panel.copies()).length;
    await panel.click('[data-testid=copy-id]');
    await panel.waitFor(`${copied} === ${count + 1}`);
    assert.equal((await panel.copies()).at(-1), json.id);
    // Escape closes the menu without doing anything.
    await panel.evaluate(rowMenu);
    await panel.waitFor('document.activeElement?.dataset.testid === "copy-curl"');
    await panel.evaluate('document.activeElement.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }))');
    await panel.waitFor('document.querySelector("[data-testid=response-menu]") === null');
  });

  it('shows everything when the panel is opened only after the stream ended', async () => {
    // Every DevTools window there is now belongs to another page (one per tab, and any a dock change left behind).
    const otherDevtools = (await browser.targets()).filter((target) => target.url.startsWith('devtools://')).map((target) => target.targetId);
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    const name = 'pydantic-ai__custom-tool-call-gpt-5';
    const result = await page.evaluate((route) => window.e2e.streamWithOpenAI({ route }), name);
    assert.equal(result.error, undefined);
    const lateDevtools = await browser.openPanel(otherDevtools);
    await lateDevtools.waitFor('document.querySelector("[data-item-type=custom_tool_call]") !== null');
    const usage = finalUsage(name);
    await lateDevtools.waitFor(`document.querySelector("[data-testid=summary-output]")?.textContent === "${usage.output}"`);
    await lateDevtools.waitFor(`${ROW_COUNT} === 1`);
    await page.close();
  });
});
