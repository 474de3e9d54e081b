/**
 * The page cannot tell the extension is there: the same probe page, served by
 * the same server, observed in a browser without the extension and in one with
 * it loaded and its panel open, must see exactly the same things; and an agent
 * run by the OpenAI Agents SDK in the page must send the same requests and end
 * with the same result. In Chromium and in Firefox.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright';
import { ChromiumWithDevtools, CHROMIUM_PATH } from './chromium-devtools.ts';
import { FirefoxWithDevtools } from './firefox-devtools.ts';
import { ROW_COUNT } from './recordings.ts';
import type { Observations } from '../server/page/probe.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { startTestSite } from '../server/test-site.ts';
import type { AgentRunOptions, AgentRunResult } from '../server/page/agent-run.ts';
import { FINAL_ANSWER, loopRoute } from './agent-loops.ts';

let server: ReplayServer;

/** What the server got from the requests whose headers came from a generator. */
function generatorHeadersAtServer(fromRequest: number): unknown {
  const withGenerator = server.requests.slice(fromRequest).filter((entry) => entry.headers['x-probe-header'] !== undefined);
  return { probe: withGenerator.map((entry) => entry.headers['x-probe-header']), contentType: withGenerator.map((entry) => entry.headers['content-type']) };
}

/** One call site for every Firefox run: Firefox's stacks name the evaluated function by where it was called from. */
function probeInFirefox(page: import('puppeteer-core').Page): Promise<Observations> {
  return page.evaluate(() => window.probe.observe());
}

async function observe(run: () => Promise<Observations>): Promise<{ seen: Observations; atServer: unknown }> {
  const from = server.requests.length;
  const seen = await run();
  return { seen, atServer: generatorHeadersAtServer(from) };
}

/**
 * Firefox: an error a wrapped native throws at once (a bad call) keeps our frames in its `stack`, which Firefox
 * keeps on Error.prototype and which cannot be rewritten without adding an own property (ARCHITECTURE.md, "What
 * a page can still observe"). Those frames, and only those, are set aside here.
 */
/** Firefox: a DOMException's line and column are its thrower's, read from the exception itself (ARCHITECTURE.md). */
function withoutSocketErrorLocation(seen: Observations): Observations {
  const earlySend = seen.webSocketEarlySend as { own?: unknown } | undefined;
  if (!earlySend || typeof earlySend.own !== 'object' || earlySend.own === null) return seen;
  const { lineNumber: _line, columnNumber: _column, ...own } = earlySend.own as Record<string, unknown>;
  return { ...seen, webSocketEarlySend: { ...earlySend, own } };
}

function withoutOurFirefoxFrames(seen: Observations): Observations {
  const strip = (stack: unknown) => (typeof stack === 'string' ? stack.split('\n').filter((line) => !line.includes('@<anonymous code>:')).join('\n') : stack);
  const badFetch = seen.badFetch as { stack?: unknown };
  const earlySend = seen.webSocketEarlySend as { stack?: unknown } | undefined;
  return {
    ...seen,
    toStringErrorStack: strip(seen.toStringErrorStack),
    xhrOpenErrorStack: strip(seen.xhrOpenErrorStack),
    webSocketSendErrorStack: strip(seen.webSocketSendErrorStack),
    ...(earlySend ? { webSocketEarlySend: { ...earlySend, stack: strip(earlySend.stack) } } : {}),
    badFetch: { ...badFetch, stack: strip(badFetch.stack) },
  };
}

function assertSame(withExtension: { seen: Observations; atServer: unknown }, without: { seen: Observations; atServer: unknown }): void {
  // The probe itself, natively.
  assert.equal((without.seen.fetch as { hasPrototype: boolean }).hasPrototype, false);
  assert.match(String(without.seen.abortedText), /^threw AbortError/);
  assert.deepEqual(without.seen.generatorHeadersOnPlainFetch, { probe: 'from-a-generator', contentType: 'application/json' });
  assert.deepEqual(without.seen.messages, []);
  // The Responses call whose headers came from a generator (the echo route's answer is checked in the page).
  assert.deepEqual(without.atServer, { probe: ['from-a-generator'], contentType: ['application/json'] });

  for (const key of Object.keys(without.seen)) assert.deepEqual(withExtension.seen[key], without.seen[key], `${key} differs with the extension`);
  assert.deepEqual(Object.keys(withExtension.seen), Object.keys(without.seen));
  assert.deepEqual(withExtension.atServer, without.atServer);
}

/**
 * An Agents SDK run in the page, each way (streamed, not streamed, chained by previousResponseId): what the run
 * returned and every request body the server got.
 */
async function agentRuns(runAgent: (options: AgentRunOptions) => Promise<AgentRunResult>, label: string): Promise<{ results: AgentRunResult[]; bodies: string[] }> {
  const from = server.requests.length;
  const results = [await runAgent({ route: loopRoute(`${label}-streamed`), stream: true }), await runAgent({ route: loopRoute(`${label}-json`), stream: false })];
  const opening = await runAgent({ route: loopRoute(`${label}-opening`, 'fantasy__text-gpt-4o'), stream: true, input: 'Hello' });
  results.push(opening, await runAgent({ route: loopRoute(`${label}-chained`), stream: true, previousResponseId: opening.lastResponseId }));
  return { results, bodies: server.requests.slice(from).map((request) => request.body) };
}

function assertSameRuns(withExtension: Awaited<ReturnType<typeof agentRuns>>, without: Awaited<ReturnType<typeof agentRuns>>): void {
  assert.deepEqual(
    without.results.map((result) => result.finalOutput),
    [FINAL_ANSWER, FINAL_ANSWER, without.results[2]?.finalOutput, FINAL_ANSWER],
  );
  assert.equal(without.bodies.length, 7);
  assert.deepEqual(withExtension.results, without.results);
  assert.deepEqual(withExtension.bodies, without.bodies);
}

describe('The page cannot tell the extension is there', () => {
  before(async () => {
    server = await startTestSite();
  });
  after(async () => {
    await server?.stop();
  });

  it('Chrome: the same fetch, XMLHttpRequest, Response and window, and the same agent run, with and without the extension', async () => {
    const bare = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    let without: Awaited<ReturnType<typeof observe>>;
    let runsWithout: Awaited<ReturnType<typeof agentRuns>>;
    try {
      const page = await bare.newPage();
      await page.goto(`${server.url}/probe.html`);
      without = await observe(() => page.evaluate(() => window.probe.observe()));
      await page.goto(`${server.url}/`);
      runsWithout = await agentRuns((options) => page.evaluate((runOptions) => window.e2e.runAgent(runOptions), options), 'bare');
    } finally {
      await bare.close();
    }

    const browser = await ChromiumWithDevtools.launch();
    try {
      const panel = await browser.openPanel();
      await browser.firstPage().goto(`${server.url}/probe.html`);
      const withExtension = await observe(() => browser.firstPage().evaluate(() => window.probe.observe()));
      // The extension was at work: the probe's Responses calls are in the panel.
      await panel.waitFor(`${ROW_COUNT} >= 5`);
      assertSame(withExtension, without);
      await browser.firstPage().goto(`${server.url}/`);
      const runs = await agentRuns((options) => browser.firstPage().evaluate((runOptions) => window.e2e.runAgent(runOptions), options), 'extension');
      await panel.waitFor(`${ROW_COUNT} === 7`);
      assertSameRuns(runs, runsWithout);
    } finally {
      await browser.close();
    }
  });

  it('Firefox: the same fetch, XMLHttpRequest, Response and window, and the same agent run, with and without the extension', async () => {
    const bare = await FirefoxWithDevtools.launchBare();
    let without: Awaited<ReturnType<typeof observe>>;
    let runsWithout: Awaited<ReturnType<typeof agentRuns>>;
    try {
      const page = await bare.newPage();
      await page.goto(`${server.url}/probe.html`);
      without = await observe(() => probeInFirefox(page));
      await page.goto(`${server.url}/`);
      runsWithout = await agentRuns((options) => page.evaluate((runOptions) => window.e2e.runAgent(runOptions), options), 'bare');
    } finally {
      await bare.close();
    }

    const firefox = await FirefoxWithDevtools.launch();
    try {
      const page = await firefox.page();
      await page.goto(`${server.url}/probe.html`);
      const panel = await firefox.openPanel();
      await page.goto(`${server.url}/probe.html`);
      const withExtension = await observe(() => probeInFirefox(page));
      await panel.waitFor(`${ROW_COUNT} >= 5`);
      assertSame({ ...withExtension, seen: withoutSocketErrorLocation(withoutOurFirefoxFrames(withExtension.seen)) }, { ...without, seen: withoutSocketErrorLocation(without.seen) });
      await page.goto(`${server.url}/`);
      const runs = await agentRuns((options) => page.evaluate((runOptions) => window.e2e.runAgent(runOptions), options), 'extension');
      await panel.waitFor(`${ROW_COUNT} === 7`);
      assertSameRuns(runs, runsWithout);
    } finally {
      await firefox.close();
    }
  });
});
