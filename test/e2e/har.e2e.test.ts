import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright';
import { CHROMIUM_PATH } from './chromium-devtools.ts';
import { finalOf } from './recordings.ts';
import { startTestSite } from '../server/test-site.ts';

const CLI = join('dist', 'cli', 'responses-devtools.js');

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe("HARs that Playwright's recordHar wrote", () => {
  it('read back as exactly the responses the page streamed, and clean of planted secrets', async () => {
    const server = await startTestSite();
    const dir = mkdtempSync(join(tmpdir(), 'responses-devtools-pwhar-'));
    const harPath = join(dir, 'recorded.har');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'] });
    const names = ['vercel-ai__reasoning-encrypted-function-call-gpt-5.1-codex-max', 'seed__hello-gpt-4.1-nano'];
    const planted = ['sk-test-secret-key-1234567890', 'azure-PLANTED-header-key', 'sk-PLANTED-body-secret-0123456789'];
    try {
      const context = await browser.newContext({ recordHar: { path: harPath, content: 'embed' } });
      const page = await context.newPage();
      // Playwright writes a body into the HAR once the browser says the request finished, which may come after the
      // page has read the whole stream: the context closes only after every call has.
      const finished = names.map((name) => page.waitForEvent('requestfinished', { predicate: (request) => request.url().includes(`/r/${name}/`), timeout: 0 }));
      await page.goto(`${server.url}/`);
      for (const name of names) {
        const result = await page.evaluate(
          (route) => window.e2e.streamWithOpenAI({ route, extraHeaders: { 'api-key': 'azure-PLANTED-header-key' }, extraBody: { metadata: { api_key: 'sk-PLANTED-body-secret-0123456789' } } }),
          name,
        );
        assert.equal(result.error, undefined);
      }
      await Promise.all(finished);
      await context.close();
    } finally {
      await browser.close();
      await server.stop();
    }
    const recorded = readFileSync(harPath, 'utf8');
    for (const value of planted) assert.ok(recorded.includes(value), `the recorded HAR carries ${value}`);

    const inspected = JSON.parse(cli(['inspect', '--json', harPath])) as { responses: Array<{ response: unknown; warnings: unknown[] }> };
    assert.deepEqual(
      inspected.responses.map((entry) => entry.response),
      names.map((name) => JSON.parse(JSON.stringify(finalOf(name)))),
    );
    assert.deepEqual(inspected.responses.map((entry) => entry.warnings), [[], []]);

    const transcript = cli(['har', harPath]);
    for (const value of planted) assert.ok(!transcript.includes(value), `the transcript still holds ${value}`);
    const har = JSON.parse(transcript) as { log: { entries: Array<{ _responsesAssembly: { responses: Array<{ response: unknown }> } }> } };
    assert.equal(har.log.entries.length, 2);
    assert.deepEqual(
      har.log.entries.map((entry) => entry._responsesAssembly.responses[0]?.response),
      names.map((name) => JSON.parse(JSON.stringify(finalOf(name)))),
    );
  });
});
