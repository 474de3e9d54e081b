import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Page } from 'puppeteer-core';
import { FirefoxWithDevtools, type FirefoxPanel } from './firefox-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { expectFinal, finalCostText, finalOf, ROW_COUNT } from './recordings.ts';
import { PRICE_TABLE_SOURCE } from '../../extension/prices/price-table.ts';
import { expectBigResponsesShown } from './big-responses.ts';
import { expectThreadsAndRateLimits } from './threads.ts';
import { expectAgentLoops } from './agent-loops.ts';
import { expectServerCalls } from './server-proxy.ts';
import { expectPriceOverrides } from './prices.ts';
import { expectReplay } from './replay.ts';
import { expectNotStreamedShown } from './not-streamed.ts';
import { expectWebSocketSession } from './websocket.ts';
import { expectOtherProtocols, type PageReader } from './other-protocols.ts';
import { expectCancelClosesConnection } from './cancel.ts';
import { expectNoPlantedSecretsInViews, PLANTED_STREAM } from './redaction-views.ts';
import { plantedHar } from '../helpers/planted-secrets.ts';
import type { StreamOptions, StreamResult } from '../server/page/page.ts';

import { expectSplitCharactersWhole } from './split-characters.ts';
let firefox: FirefoxWithDevtools;
let server: ReplayServer;
let page: Page;
let panel: FirefoxPanel;

/** Gives the panel's file input a file, as a user picking it would (through the page's own constructors: Xray). */
function importIntoPanel(name: string, text: string): Promise<void> {
  return panel.evaluate(`(() => {
    const input = document.querySelector('[data-testid=import-input]');
    const transfer = new content.DataTransfer();
    transfer.items.add(new content.File([${JSON.stringify(text)}], ${JSON.stringify(name)}));
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);
}

/** A new document clears the list (Preserve log is off). */
async function clearPanel(): Promise<void> {
  await page.goto(`${server.url}/`);
  await panel.waitFor(`${ROW_COUNT} === 0`);
}

function stream(options: StreamOptions): Promise<StreamResult> {
  return page.evaluate((streamOptions) => window.e2e.streamWithOpenAI(streamOptions), options);
}

before(async () => {
  server = await startTestSite();
  firefox = await FirefoxWithDevtools.launch();
  page = await firefox.page();
  await page.goto(`${server.url}/`);
  panel = await firefox.openPanel();
});

after(async () => {
  await firefox?.close();
  await server?.stop();
});

beforeEach(async () => {
  await page.goto(`${server.url}/`);
  await panel.waitFor(`${ROW_COUNT} === 0`);
});

describe('Firefox: capture in the page (and the background, for workers) and the panel in the real toolbox', () => {
  it('captures every chunk live, shows the message while it streams and the final text and usage after; the page got the exact bytes', async () => {
    const name = 'seed__hello-gpt-4.1-nano';
    const run = stream({ route: `${name}/hold/8` });
    const request = await server.waitForRequest((candidate) => candidate.recording === name && candidate.url.includes('/hold/8/'));
    await request.held;
    // The stream is held open: what the panel shows now came through the background live.
    await panel.waitForText('Hello! How can');
    assert.doesNotMatch(await panel.text(), /assist you today/);
    request.release();
    const result = await run;
    assert.equal(result.error, undefined);
    await expectFinal(panel, name);
    assert.deepEqual(Buffer.from(result.bodyBase64, 'base64'), Buffer.concat(request.sent));
    await panel.click('[data-testid=tab-request]');
    await panel.waitForText('Bearer [redacted]');
    await panel.waitFor('document.querySelector("[data-testid=input-text]")?.textContent === "Say hello"');
    assert.doesNotMatch(await panel.text(), /sk-test-secret/);
    // What it cost, part by part, and the tab's total.
    await panel.click('[data-testid=tab-usage]');
    await panel.waitFor(`document.querySelector("[data-testid=cost-source]")?.textContent === "USD, prices from ${PRICE_TABLE_SOURCE}"`);
    await panel.waitFor('/Cost of \\d+ responses?\\$\\d/.test(document.querySelector("[data-testid=cost-totals]")?.textContent ?? "")');
    assert.match(await panel.text(), new RegExp(`Total\\s*${finalCostText(name).replace('$', '\\$')}`));
    await panel.click('[data-testid=tab-assembly]');
  });

  it('shows text whose bytes arrive cut inside characters whole, and the page reads them as sent', async () => {
    await expectSplitCharactersWhole(panel, server, stream);
  });

  it('captures a request made from a Web Worker', async () => {
    const name = 'vercel-ai__azure-text-gpt-5.1';
    const result = await page.evaluate((route) => window.e2e.streamInWorker(route), name);
    assert.equal(result.error, undefined);
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    assert.equal(result.text, Buffer.concat(request.sent).toString('utf8'));
    await expectFinal(panel, name);
    // Read live by the background's response filter, not brought in afterwards from DevTools' network log.
    await panel.waitFor(`${ROW_COUNT} === 1`);
    assert.equal(await panel.evaluate<boolean>('document.querySelector("[data-testid=capture-row]").textContent.includes("network")'), false);
  });

  it('marks a response the page cancelled mid-stream, and the server sees the connection close', async () => {
    const name = 'fantasy__azure-reasoning-summary-gpt-5-mini';
    const run = stream({ route: `${name}/hold/40`, cancelAfterEvents: 30 });
    const request = await server.waitForRequest((candidate) => candidate.recording === name);
    const result = await run;
    assert.equal(result.cancelled, true);
    await request.done;
    assert.equal(request.closedEarly, true);
    await panel.waitFor('document.querySelector("[data-testid=summary] [data-testid=status]")?.textContent.includes("cancelled")');
  });

  it('closes the connection at once when the page cancels the body, through its reader or the stream, toolbox open or closed', async () => {
    const withoutToolbox = await firefox.browser.newPage();
    try {
      await withoutToolbox.goto(`${server.url}/`);
      for (const target of [page, withoutToolbox]) {
        await expectCancelClosesConnection(server, (route, how) => target.evaluate((path, cancelHow) => window.e2e.readThenCancel(path, cancelHow, 5), route, how));
      }
    } finally {
      await withoutToolbox.close();
    }
  });

  it('shows a megabyte without a space, 100,000 lines and megabytes of JSON arguments in blocks, with the status and usage', async () => {
    await expectBigResponsesShown(panel, server, (route) => stream({ route }));
  });

  it('prices a model at the prices set in Settings, and names them as the source', async () => {
    await expectPriceOverrides(
      panel,
      async (name) => assert.equal((await stream({ route: name })).error, undefined),
      clearPanel,
    );
  });

  it('captures Chat Completions, Anthropic Messages and AI SDK UI streams read by their official clients, shows them as the core assembles them, and reads them from a HAR', async () => {
    await expectOtherProtocols(panel, server, (reader, route) => page.evaluate((name, path) => window.e2e[name as PageReader](path), reader, route), importIntoPanel, clearPanel);
  });

  it('captures a WebSocket-mode session: each response of the connection, as over SSE, chained in one thread', async () => {
    await expectWebSocketSession(panel, server, (recordings) => page.evaluate((names) => window.e2e.webSocketSession(names), recordings));
  });

  it('replays a response from its timeline: any event, the Events view marking it, and played to the end', async () => {
    await expectReplay(
      panel,
      async (name) => assert.equal((await stream({ route: name })).error, undefined),
      importIntoPanel,
      clearPanel,
    );
  });

  it("shows the app server's calls live beside the page's, through responses-devtools proxy, and says whether a proxy is connected", async () => {
    await expectServerCalls(panel, server, async (name) => assert.equal((await stream({ route: name })).error, undefined), clearPanel);
  });

  it('shows an Agents SDK run as one thread of steps, each tool call with what the app sent back, streamed or not, with or without previousResponseId', async () => {
    await expectAgentLoops(panel, server, (options) => page.evaluate((runOptions) => window.e2e.runAgent(runOptions), options), clearPanel);
  });

  it('places calls in their threads and shows the rate limits, live and from an imported HAR', async () => {
    await expectThreadsAndRateLimits(
      panel,
      server,
      stream,
      importIntoPanel,
      clearPanel,
    );
  });

  it('shows no credential in any view of requests that carry them everywhere', async () => {
    await importIntoPanel('planted.har', JSON.stringify(plantedHar()));
    await expectNoPlantedSecretsInViews(panel, 3);
    await page.goto(`${server.url}/`);
    await panel.waitFor(`${ROW_COUNT} === 0`);
    const result = await stream(PLANTED_STREAM);
    assert.equal(result.error, undefined);
    await expectNoPlantedSecretsInViews(panel, 1);
  });

  it('captures a non-streaming JSON response', async () => {
    const name = 'vercel-ai__file-search-gpt-5-mini';
    const result = await stream({ route: name, stream: false });
    assert.equal(result.error, undefined);
    await expectFinal(panel, name);
    await expectNotStreamedShown(panel);
  });

  it("reads the HAR that Firefox's Network panel saves, in the command and in the panel", async () => {
    const name = 'pydantic-ai__phase-commentary-then-function-call-gpt-5.5';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    const networkHar = await firefox.exportNetworkHar(`/r/${name}/`);
    const path = join(mkdtempSync(join(tmpdir(), 'responses-devtools-firefox-har-')), 'network.har');
    writeFileSync(path, networkHar);
    const result = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    const responses = (JSON.parse(result.stdout) as { responses: Array<{ response: unknown; warnings: unknown[] }> }).responses;
    assert.deepEqual(responses.map((entry) => entry.response), [JSON.parse(JSON.stringify(finalOf(name)))]);
    assert.deepEqual(responses[0]?.warnings, []);
    await page.goto(`${server.url}/`);
    await panel.waitFor(`${ROW_COUNT} === 0`);
    await importIntoPanel('network.har', networkHar);
    await expectFinal(panel, name);
  });

  it('lays the list out for the dock: list and detail side by side at the bottom, a short name, the status and the tokens at the side', async () => {
    const name = 'seed__hello-gpt-4.1-nano';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    const layout = () =>
      panel.evaluate<{ orientation: string; narrow: string; columns: string[]; split: number; list: number; detail: number; scrolls: boolean }>(`(() => {
        const list = document.querySelector("[data-testid=capture-list]");
        return {
          orientation: document.querySelector("[data-testid=split]").dataset.orientation,
          narrow: list.dataset.narrow,
          columns: [...list.querySelectorAll("th")].map((cell) => cell.dataset.testid),
          split: document.querySelector("[data-testid=split]").getBoundingClientRect().height,
          list: list.getBoundingClientRect().height,
          detail: document.querySelector(".detail").getBoundingClientRect().height,
          scrolls: list.scrollWidth > list.clientWidth,
        };
      })()`);
    try {
      // Firefox's bottom dock is 250 px high: list and detail side by side, each the panel's whole height.
      await firefox.dockToolbox('bottom');
      await panel.waitFor('document.querySelector("[data-testid=split]")?.dataset.orientation === "side-by-side"');
      const bottom = await layout();
      assert.ok(bottom.split > 100 && bottom.list === bottom.split && bottom.detail === bottom.split, JSON.stringify(bottom));
      assert.equal(bottom.narrow, 'false');
      // Its side dock is 500 px wide: the list stacked above the detail, with the columns that matter and nothing to scroll sideways.
      await firefox.dockToolbox('right');
      await panel.waitForPage();
      await panel.waitFor('document.querySelector("[data-testid=capture-list]")?.dataset.narrow === "true"');
      const side = await layout();
      assert.equal(side.orientation, 'stacked');
      assert.deepEqual(side.columns, ['column-name', 'column-status', 'column-tokens']);
      assert.equal(side.scrolls, false);
      await panel.waitForText('Hello! How can');
    } finally {
      await firefox.dockToolbox('bottom');
      await panel.waitForPage();
      await panel.waitFor('document.querySelector("[data-testid=panel-root]") !== null');
    }
  });

  it('copies a response as cURL without the key, and its id, from the panel in the toolbox', async () => {
    const name = 'fantasy__text-gpt-4o';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    await panel.recordCopies();
    const copied = () => panel.copies();
    await panel.evaluate('document.querySelector("[data-testid=capture-row]").dispatchEvent(new content.MouseEvent("contextmenu", { bubbles: true, clientX: 30, clientY: 30 }))');
    await panel.waitFor('document.querySelector("[data-testid=response-menu]") !== null');
    await panel.click('[data-testid=copy-curl]');
    await panel.waitFor('JSON.parse(document.body.dataset.copied).length === 1 && document.querySelector("[data-testid=notice]").textContent.startsWith("Copied")');
    const [curl] = await copied();
    assert.match(curl ?? '', /^curl '.*\/r\/fantasy__text-gpt-4o\/v1\/responses'/);
    assert.match(curl ?? '', /Bearer \$OPENAI_API_KEY/);
    assert.doesNotMatch(curl ?? '', /sk-test-secret/);
    await panel.click('[data-testid=copy-id]');
    await panel.waitFor('JSON.parse(document.body.dataset.copied).length === 2');
    assert.equal((await copied())[1], finalOf(name).id);
  });

  it("follows the toolbox's theme while open, and takes the keyboard: Ctrl+F to the filter, Escape to clear it, arrows between views", async () => {
    const name = 'seed__hello-gpt-4.1-nano';
    assert.equal((await stream({ route: name })).error, undefined);
    await expectFinal(panel, name);
    try {
      await firefox.setToolboxTheme('dark');
      await panel.waitFor('document.documentElement.dataset.theme === "dark"');
      await firefox.setToolboxTheme('light');
      await panel.waitFor('document.documentElement.dataset.theme === "light"');
    } finally {
      await firefox.setToolboxTheme('light');
    }
    const key = (target: string, init: string) => panel.evaluate(`${target}.dispatchEvent(new content.KeyboardEvent("keydown", { bubbles: true, cancelable: true, ${init} }))`);
    await key('document.body', 'key: "f", ctrlKey: true');
    await panel.waitFor('document.activeElement?.dataset.testid === "filter"');
    await panel.evaluate(`(() => { const input = document.activeElement; input.value = "nothing like it"; input.dispatchEvent(new content.Event("input", { bubbles: true })); })()`);
    await panel.waitFor('document.querySelector("[data-testid=no-match]") !== null');
    await key('document.activeElement', 'key: "Escape"');
    await panel.waitFor(`${ROW_COUNT} === 1 && document.querySelector("[data-testid=filter]").value === ""`);
    await panel.evaluate('document.querySelector("[data-testid=capture-list] tbody").focus()');
    await key('document.activeElement', 'key: "ArrowRight"');
    await panel.waitFor('document.querySelector("[data-testid=tab-usage]").getAttribute("aria-selected") === "true"');
    await key('document.activeElement', 'key: "ArrowLeft"');
    await panel.waitFor('document.querySelector("[data-testid=tab-assembly]").getAttribute("aria-selected") === "true"');
  });

  it('keeps working when the background restarts while idle between two streams', async () => {
    const first = 'fantasy__text-gpt-4o';
    assert.equal((await stream({ route: first })).error, undefined);
    await expectFinal(panel, first);
    // Stop the background the way Firefox suspends an idle event page.
    const stopped = await firefox.inChrome(`async () => {
      const policy = WebExtensionPolicy.getByID(${JSON.stringify(firefox.extensionId)});
      await policy.extension.terminateBackground();
      return String(policy.extension.backgroundState);
    }`);
    assert.match(stopped, /stopped|suspend/i);
    const second = 'pydantic-ai__text-with-logprobs-gpt-4o-mini';
    assert.equal((await stream({ route: second })).error, undefined);
    await expectFinal(panel, second);
    await panel.waitFor(`${ROW_COUNT} === 2`);
  });
});
