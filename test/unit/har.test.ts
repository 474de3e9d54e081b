import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import validator from '@har-sdk/validator';

const { HarValidator } = validator;
import { FIXTURE_DIR, fixtureNames, readFixture, readFixtureBytes, splitFrames } from '../helpers/streams.ts';
import { buildTranscript, readHar, readResponsesBody, stringifyJson } from '../../extension/core/index.ts';
import { assertChromeImportable, type HarJson } from '../helpers/har-rules.ts';
import { KEPT, leakedSecrets, PLANTED, plantedHar } from '../helpers/planted-secrets.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'responses-devtools.js');
const scratch = mkdtempSync(join(tmpdir(), 'responses-devtools-har-'));

function run(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}


async function assertValidHar(har: HarJson): Promise<void> {
  const errors = await new HarValidator().verify(har as never);
  assert.deepEqual(errors, [], JSON.stringify(errors).slice(0, 2000));
  assertChromeImportable(har);
}

function inspectJson(path: string) {
  const result = run(['inspect', '--json', path]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { responses: unknown[] };
}

describe('responses-devtools har', () => {
  it('turns every recording into one valid transcript that reads back the same', async () => {
    const names = fixtureNames();
    const out = join(scratch, 'all.har');
    const result = run(['har', ...names.map((name) => join(FIXTURE_DIR, name)), '-o', out]);
    assert.equal(result.status, 0, result.stderr);
    const har = JSON.parse(readFileSync(out, 'utf8')) as HarJson;
    await assertValidHar(har);
    assert.equal(har.log.entries.length, names.length);
    const fromHar = inspectJson(out).responses;
    let offset = 0;
    names.forEach((name, index) => {
      const entry = har.log.entries[index] as Record<string, any>;
      const bytes = readFixtureBytes(name);
      assert.equal(entry.response.content.text, readFixture(name), `${name}: content.text is the recording`);
      assert.equal(entry.response.content.size, bytes.length, `${name}: content.size in bytes`);
      assert.equal(entry._responsesEvents.length, splitFrames(readFixture(name)).filter((frame) => /^data:/m.test(frame)).length);
      assert.equal(entry._responsesAssembly.responses.length, 1);
      const own = inspectJson(join(FIXTURE_DIR, name)).responses;
      assert.deepEqual(fromHar.slice(offset, offset + own.length), own, `${name}: inspect on the HAR = inspect on the recording`);
      offset += own.length;
    });
    assert.equal(offset, fromHar.length);
  });

  it('redacts credentials in headers, URLs and bodies unless asked to keep them', async () => {
    const secret = 'sk-proj-PLANTEDsecret0123456789';
    const input: HarJson = {
      log: {
        version: '1.2',
        creator: { name: 'a browser' },
        entries: [
          {
            startedDateTime: '2026-11-26T10:00:00.000Z',
            time: 120,
            request: {
              method: 'POST',
              url: `https://api.example.com/v1/responses?api-key=${secret}`,
              httpVersion: 'HTTP/1.1',
              cookies: [{ name: 'session', value: 'cookie-secret-value' }],
              headers: [
                { name: 'Authorization', value: `Bearer ${secret}` },
                { name: 'api-key', value: 'azure-PLANTED-key' },
                { name: 'Cookie', value: 'session=cookie-secret-value' },
              ],
              queryString: [{ name: 'api-key', value: secret }],
              postData: { mimeType: 'application/json', text: JSON.stringify({ model: 'gpt-4o', stream: true, api_key: 'body-PLANTED-secret', user_key: secret }) },
              headersSize: -1,
              bodySize: -1,
            },
            response: {
              status: 200,
              statusText: 'OK',
              httpVersion: 'HTTP/1.1',
              cookies: [],
              headers: [{ name: 'set-cookie', value: 'session=cookie-secret-value' }, { name: 'content-type', value: 'text/event-stream' }],
              content: { size: 0, mimeType: 'text/event-stream', text: readFixture('seed__hello-gpt-4.1-nano.sse') },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
            },
            cache: {},
            timings: { send: 1, wait: 50, receive: 69 },
          },
        ],
      },
    };
    const path = join(scratch, 'secrets.har');
    writeFileSync(path, JSON.stringify(input));
    const planted = [secret, 'azure-PLANTED-key', 'cookie-secret-value', 'body-PLANTED-secret'];

    const redacted = run(['har', path]);
    assert.equal(redacted.status, 0, redacted.stderr);
    for (const value of planted) assert.ok(!redacted.stdout.includes(value), `redacted output still holds ${value}`);
    await assertValidHar(JSON.parse(redacted.stdout) as HarJson);

    const kept = run(['har', path, '--keep-secrets']);
    assert.equal(kept.status, 0, kept.stderr);
    for (const value of [secret, 'azure-PLANTED-key', 'body-PLANTED-secret']) assert.ok(kept.stdout.includes(value), `kept output lacks ${value}`);
  });

  it('redacts credentials planted everywhere: URL, headers of every kind, JSON, form and multipart bodies, keys in a recording', async () => {
    const harPath = join(scratch, 'planted.har');
    writeFileSync(harPath, JSON.stringify(plantedHar()));
    // A recording whose model output holds a key: its body, events and assembly are text.
    const sseKey = 'sk-proj-PLANTEDinRecording0123456789';
    const recording = readFixture('seed__hello-gpt-4.1-nano.sse').replace('"delta":" assist"', `"delta":" ${sseKey}"`).replaceAll('How can I assist you', `How can I ${sseKey} you`);
    assert.ok(recording.includes(sseKey));
    const ssePath = join(scratch, 'planted.sse');
    writeFileSync(ssePath, recording);
    const secrets = [...Object.values(PLANTED), sseKey];

    const out = join(scratch, 'planted-out.har');
    const result = run(['har', harPath, ssePath, '-o', out]);
    assert.equal(result.status, 0, result.stderr);
    const text = readFileSync(out, 'utf8');
    assert.deepEqual(secrets.filter((secret) => text.includes(secret)), [], 'planted credentials in the transcript');
    const har = JSON.parse(text) as HarJson;
    await assertValidHar(har);
    assert.equal(har.log.entries.length, 4);
    const [json, form, multipart] = har.log.entries as Array<Record<string, any>>;
    const jsonBody = json?.request.postData.text as string;
    for (const kept of [KEPT.maxOutputTokens, KEPT.topLogprobs, KEPT.promptCacheKey, KEPT.safetyIdentifier, KEPT.logprobToken, KEPT.filterKey, KEPT.schemaPassword]) assert.ok(jsonBody.includes(kept), `kept ${kept}`);
    assert.ok((form?.request.postData.text as string).includes(KEPT.formClientId));
    assert.ok((multipart?.request.postData.text as string).includes(KEPT.multipartPurpose));
    assert.match(json?.request.url, /^https:\/\/\[redacted\]@api\.example\.com\/openai\/v1\/responses\?api-version=2025-04-01-preview&sig=\[redacted\]/);
    const responseHeaders = new Map((json?.response.headers as Array<{ name: string; value: string }>).map((header) => [header.name, header.value]));
    assert.equal(responseHeaders.get('x-ratelimit-remaining-tokens'), KEPT.rateLimitRemaining);
    assert.equal(responseHeaders.get('x-ratelimit-limit-tokens'), KEPT.rateLimitLimit);
    assert.equal(responseHeaders.get('openai-processing-ms'), KEPT.processingMs);
    assert.equal(responseHeaders.get('set-cookie'), '[redacted]');
    const requestHeaders = new Map((json?.request.headers as Array<{ name: string; value: string }>).map((header) => [header.name, header.value]));
    assert.equal(requestHeaders.get('Authorization'), 'Bearer [redacted]');
    assert.equal(requestHeaders.get('Proxy-Authorization'), 'Basic [redacted]');
    assert.equal(requestHeaders.get('Content-Type'), 'application/json');
    assert.equal(requestHeaders.get('accept'), 'text/event-stream');
    // The query list is the redacted URL's.
    assert.deepEqual((json?.request.queryString as Array<{ name: string; value: string }>).find((param) => param.name === 'client_secret')?.value, '[redacted]');

    const kept = run(['har', harPath, ssePath, '--keep-secrets']);
    assert.equal(kept.status, 0, kept.stderr);
    assert.deepEqual(secrets.filter((secret) => !kept.stdout.includes(secret)), [], 'credentials missing from the --keep-secrets transcript');

    // inspect prints the responses, never the request.
    for (const input of [harPath, out]) {
      const inspected = run(['inspect', '--json', input]);
      assert.equal(inspected.status, 0, inspected.stderr);
      assert.deepEqual(leakedSecrets(inspected.stdout), [], `inspect --json ${input}`);
      assert.deepEqual(leakedSecrets(run(['inspect', input]).stdout), [], `inspect ${input}`);
    }
  });

  it('reads an entry whose body a browser stored as base64', () => {
    const text = readFixture('vercel-ai__azure-text-gpt-5.1.sse');
    const path = join(scratch, 'base64.har');
    writeFileSync(
      path,
      JSON.stringify({
        log: {
          version: '1.2',
          creator: { name: 'a browser', version: '1' },
          entries: [
            {
              startedDateTime: '2026-11-26T10:00:00.000Z',
              time: 10,
              request: { method: 'POST', url: 'https://x.openai.azure.com/openai/v1/responses', headers: [] },
              response: { status: 200, headers: [], content: { mimeType: 'text/event-stream', encoding: 'base64', text: Buffer.from(text).toString('base64') } },
              timings: { send: 0, wait: 4, receive: 6 },
            },
          ],
        },
      }),
    );
    const fromHar = inspectJson(path).responses as Array<{ response: unknown; timing: { durationMs: number } }>;
    const own = inspectJson(join(FIXTURE_DIR, 'vercel-ai__azure-text-gpt-5.1.sse')).responses as Array<{ response: unknown }>;
    assert.deepEqual(fromHar[0]?.response, own[0]?.response);
    assert.equal(fromHar[0]?.timing.durationMs, 10, "the browser's own timing");
  });

  it('reports malformed entries instead of failing, and refuses bad options clearly', () => {
    const good = readFixture('seed__hello-gpt-4.1-nano.sse');
    const entry = (extra: Record<string, unknown>) => ({
      startedDateTime: '2026-11-26T10:00:00.000Z',
      time: 10,
      request: { method: 'POST', url: 'https://api.openai.com/v1/responses', headers: [] },
      response: { status: 200, headers: [], content: { mimeType: 'text/event-stream', text: good } },
      ...extra,
    });
    const path = join(scratch, 'malformed.har');
    writeFileSync(
      path,
      JSON.stringify({
        log: {
          entries: [
            entry({ request: { method: 'POST', url: 'https://api.openai.com/v1/responses', headers: [null, 7] } }),
            entry({ _responsesEvents: [null, 'x'] }),
            entry({ request: { method: 42, url: 'https://api.openai.com/v1/responses' } }),
            entry({}),
          ],
        },
      }),
    );
    const result = run(['inspect', '--json', path]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /entry 2 has no request method or URL/);
    assert.equal((JSON.parse(result.stdout) as { responses: unknown[] }).responses.length, 3);

    const unwritable = run(['har', join(FIXTURE_DIR, 'seed__hello-gpt-4.1-nano.sse'), '-o', join(scratch, 'no', 'such', 'dir', 'out.har')]);
    assert.equal(unwritable.status, 1);
    assert.match(unwritable.stderr, /cannot write .*out\.har: ENOENT/);
    const swallowed = run(['har', join(FIXTURE_DIR, 'seed__hello-gpt-4.1-nano.sse'), '-o', '--keep-secrets']);
    assert.equal(swallowed.status, 2);
    assert.match(swallowed.stderr, /-o needs a file name/);
  });

  it('says what is wrong with a broken HAR, and still reads the rest', () => {
    const notJson = join(scratch, 'broken.har');
    writeFileSync(notJson, '{"log": {"entries": [');
    const broken = run(['inspect', notJson]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /not valid JSON/);

    const notHar = join(scratch, 'not-a-har.json');
    writeFileSync(notHar, JSON.stringify({ log: { version: '1.2' } }));
    assert.equal(run(['inspect', notHar]).status, 1);

    const good = readFixture('fantasy__text-gpt-4o.sse');
    const cut = good.slice(0, Math.floor(good.length / 2));
    const entry = (text: string) => ({
      startedDateTime: '2026-11-26T10:00:00.000Z',
      time: 10,
      request: { method: 'POST', url: 'https://api.openai.com/v1/responses', headers: [] },
      response: { status: 200, headers: [], content: { mimeType: 'text/event-stream', text } },
      timings: { send: 0, wait: 5, receive: 5 },
    });
    const mixed = join(scratch, 'mixed.har');
    writeFileSync(
      mixed,
      JSON.stringify({
        log: {
          entries: [
            entry(good),
            { startedDateTime: 'x', request: { method: 'POST', url: 'https://api.openai.com/v1/responses' } },
            { startedDateTime: '2026-11-26T10:00:00.000Z', request: { method: 'GET', url: 'https://example.com/' }, response: { status: 200, content: { mimeType: 'text/html', text: '<p>hi</p>' } } },
            entry(cut),
          ],
        },
      }),
    );
    const result = run(['inspect', '--json', mixed]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /entry 1 has no request or response/);
    const responses = (JSON.parse(result.stdout) as { responses: Array<{ response: { status: string }; warnings: Array<{ code: string }> }> }).responses;
    assert.equal(responses.length, 2);
    assert.equal(responses[0]?.response.status, 'completed');
    assert.notEqual(responses[1]?.response.status, 'completed');
    assert.ok(responses[1]?.warnings.some((warning) => warning.code === 'no_terminal_event'));
  });
});

describe('readHar: the protocol a path names', () => {
  it('reads a Chat Completions entry whose stream begins with an error as Chat Completions, as a live capture reads it', () => {
    const har = buildTranscript([
      {
        method: 'POST',
        url: 'https://api.groq.com/openai/v1/chat/completions',
        requestHeaders: [],
        status: 200,
        statusText: 'OK',
        responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }],
        body: 'event: error\ndata: {"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}\n\n',
        records: readResponsesBody('event: error\ndata: {"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}\n\n', { protocol: 'chat.completions' }).responses,
      },
    ]);
    const record = readHar(JSON.parse(stringifyJson(har))).calls[0]?.records[0];
    assert.equal(record?.protocol, 'chat.completions');
    assert.equal(record?.response.status, 'failed');
  });
});
