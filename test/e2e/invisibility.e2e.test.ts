/**
 * The page cannot tell the extension is there: the same probe page, served by
 * the same server, observed in Chromium without the extension and in Chromium
 * with it loaded and its panel open, must see exactly the same things.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright';
import { ChromiumWithDevtools, CHROMIUM_PATH } from './chromium-devtools.ts';
import { ROW_COUNT } from './recordings.ts';
import type { Observations } from '../server/page/probe.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { startTestSite } from '../server/test-site.ts';

let server: ReplayServer;

async function observeWithoutExtension(): Promise<Observations> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/probe.html`);
    return await page.evaluate(() => window.probe.observe());
  } finally {
    await browser.close();
  }
}

/** The request the server got with the headers a generator gave fetch, on a Responses endpoint. */
function generatorHeadersAtServer(fromRequest: number): unknown {
  const request = server.requests.slice(fromRequest).find((entry) => entry.headers['x-probe-header'] !== undefined || entry.body.includes('Say hello'));
  const withGenerator = server.requests.slice(fromRequest).filter((entry) => entry.headers['x-probe-header'] !== undefined);
  return { found: request !== undefined, probe: withGenerator.map((entry) => entry.headers['x-probe-header']), contentType: withGenerator.map((entry) => entry.headers['content-type']) };
}

describe('Chrome: the page cannot tell the extension is there', () => {
  before(async () => {
    server = await startTestSite();
  });
  after(async () => {
    await server?.stop();
  });

  it('observes the same fetch, XMLHttpRequest, Response and window with and without the extension', async () => {
    const withoutFrom = server.requests.length;
    const without = await observeWithoutExtension();
    const serverWithout = generatorHeadersAtServer(withoutFrom);

    const browser = await ChromiumWithDevtools.launch();
    try {
      const panel = await browser.openPanel();
      const withFrom = server.requests.length;
      await browser.firstPage().goto(`${server.url}/probe.html`);
      const withExtension = await browser.firstPage().evaluate(() => window.probe.observe());
      const serverWith = generatorHeadersAtServer(withFrom);
      // The extension was at work: the probe's Responses calls are in the panel.
      await panel.waitFor(`${ROW_COUNT} >= 5`);

      // Natively, as a sanity check of the probe itself.
      assert.equal((without.fetch as { hasPrototype: boolean }).hasPrototype, false);
      assert.match(String(without.abortedText), /^threw AbortError/);
      assert.deepEqual(without.generatorHeadersOnPlainFetch, { probe: 'from-a-generator', contentType: 'application/json' });
      assert.deepEqual(without.messages, []);

      for (const key of Object.keys(without)) assert.deepEqual(withExtension[key], without[key], `${key} differs with the extension`);
      assert.deepEqual(Object.keys(withExtension), Object.keys(without));
      assert.deepEqual(serverWith, serverWithout);
    } finally {
      await browser.close();
    }
  });
});
