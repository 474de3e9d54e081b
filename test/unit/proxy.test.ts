/**
 * `responses-devtools proxy` as a user runs it (the built command, in a process of its own), between the official
 * `openai` client in Node and the local replay server: what the app gets, what the upstream gets, what it prints,
 * the HAR it keeps and what it serves the panel.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { existsSync, readFileSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { WebSocket } from 'ws';
import validator from '@har-sdk/validator';
import { PROXY_CAPTURES_PATH, type ProxyToPanel } from '../../extension/core/index.ts';
import { ReplayServer, type ReplayRequest } from '../server/replay-server.ts';
import { RECORDINGS_DIRS } from '../server/test-site.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { runCli, scratchWriter } from '../helpers/cli.ts';
import { readFixture, terminalSnapshot } from '../helpers/streams.ts';

const { HarValidator } = validator;
const KEY = 'sk-proj-proxytestsecret0123456789abcdef';
const RECORDING = 'seed__hello-gpt-4.1-nano';
const { directory } = scratchWriter('responses-devtools-proxy-');
const harPath = join(directory, 'server.har');

let server: ReplayServer;
let proxy: ProxyProcess;

/** The app's side: the official client through the proxy, with a copy of every byte it reads, as it reads it. */
function appClient(route: string): { client: OpenAI; received: Buffer[]; sentBodies: string[]; onChunk: (listener: () => void) => void } {
  const received: Buffer[] = [];
  const sentBodies: string[] = [];
  const listeners = new Set<() => void>();
  const client = new OpenAI({
    apiKey: KEY,
    baseURL: `${proxy.url}/r/${route}/v1`,
    maxRetries: 0,
    fetch: async (input, init) => {
      if (typeof init?.body === 'string') sentBodies.push(init.body);
      const response = await fetch(input, init);
      if (!response.body) return response;
      const body = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            received.push(Buffer.from(chunk));
            for (const listener of listeners) listener();
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  });
  return { client, received, sentBodies, onChunk: (listener) => listeners.add(listener) };
}

/** Resolves once the condition holds, checked at every chunk the app reads. */
function once(onChunk: (listener: () => void) => void, condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (condition()) return resolve();
    onChunk(() => {
      if (condition()) resolve();
    });
  });
}

/** The file's text once it satisfies the predicate: checked now and at every change in its folder. */
function fileWhen(path: string, predicate: (text: string) => boolean): Promise<unknown> {
  return new Promise((resolve) => {
    const check = () => {
      if (!existsSync(path)) return false;
      const text = readFileSync(path, 'utf8');
      let holds = false;
      try {
        holds = predicate(text);
      } catch {
        holds = false;
      }
      if (holds) resolve(JSON.parse(text));
      return holds;
    };
    // Watched before the first look: a change between the two is not missed.
    const watcher = watch(dirname(path), () => {
      if (check()) watcher.close();
    });
    if (check()) watcher.close();
  });
}

/** A GET of the panel's endpoint with these headers: its status, and the messages it sent until `until` held. */
function subscribe(headers: Record<string, string>, until: (messages: Array<{ id?: string; message: ProxyToPanel }>) => boolean): Promise<{ status: number; messages: Array<{ id?: string; message: ProxyToPanel }> }> {
  const url = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path: PROXY_CAPTURES_PATH, headers }, (response) => {
      const messages: Array<{ id?: string; message: ProxyToPanel }> = [];
      if (response.statusCode !== 200) {
        response.resume();
        resolve({ status: response.statusCode ?? 0, messages });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (piece: string) => {
        text += piece;
        const frames = text.split('\n\n');
        text = frames.pop() ?? '';
        for (const frame of frames) {
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data !== undefined) messages.push({ ...(id === undefined ? {} : { id }), message: JSON.parse(data) as ProxyToPanel });
        }
        if (until(messages)) {
          request.destroy();
          resolve({ status: 200, messages });
        }
      });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('responses-devtools proxy', () => {
  before(async () => {
    server = new ReplayServer(RECORDINGS_DIRS);
    await server.start();
    proxy = await ProxyProcess.start(['--upstream', server.url, '--har', harPath]);
  });
  after(async () => {
    assert.equal(await proxy.stop(), 0);
    await server.stop();
  });

  it('passes a stream through byte for byte and live: held mid-stream, the app already has every byte sent', async () => {
    const app = appClient(`${RECORDING}/hold/6`);
    const arrived = server.waitForRequest((request) => request.url.startsWith(`/r/${RECORDING}/hold/6/`));
    const events: string[] = [];
    const reading = (async () => {
      const stream = await app.client.responses.create({ model: 'gpt-4.1-nano', input: 'Say hello', stream: true });
      for await (const event of stream) events.push(event.type);
    })();
    const upstream = await arrived;
    await upstream.held;
    const sentSoFar = Buffer.concat(upstream.sent);
    await once(app.onChunk, () => Buffer.concat(app.received).equals(sentSoFar));
    assert.ok(sentSoFar.length > 0 && sentSoFar.length < Buffer.from(readFixture(`${RECORDING}.sse`)).length, 'held part-way');
    upstream.release();
    await reading;
    assert.ok(Buffer.concat(app.received).equals(Buffer.concat(upstream.sent)), 'the app read what the upstream sent, byte for byte');
    // The upstream got the request as the app sent it: path, body, credentials; the Host is its own.
    assert.equal(upstream.method, 'POST');
    assert.equal(upstream.body, app.sentBodies[0]);
    assert.equal(upstream.headers.authorization, `Bearer ${KEY}`);
    assert.equal(upstream.headers.host, new URL(server.url).host);
    assert.equal(events.at(-1), 'response.completed');
  });

  it("passes the app's cancel to the upstream at once", async () => {
    const app = appClient(`${RECORDING}/hold/4`);
    const controller = new AbortController();
    const arrived = server.waitForRequest((request) => request.url.startsWith(`/r/${RECORDING}/hold/4/`));
    const reading = (async () => {
      const stream = await app.client.responses.create({ model: 'gpt-4.1-nano', input: 'Say hello', stream: true }, { signal: controller.signal });
      for await (const _event of stream) {
        // read until cancelled
      }
    })();
    const upstream: ReplayRequest = await arrived;
    await upstream.held;
    // Cancelled once the app has what was sent: what it read is in the capture too.
    const sentSoFar = Buffer.concat(upstream.sent);
    await once(app.onChunk, () => Buffer.concat(app.received).equals(sentSoFar));
    controller.abort();
    // openai-node ends the loop of a stream it aborted (it throws if the abort came before the stream).
    await reading.catch((error: unknown) => assert.equal((error as Error).name, 'APIUserAbortError'));
    await upstream.done;
    assert.equal(upstream.closedEarly, true);
    upstream.release();
    await proxy.waitForOutput(/POST \/r\/seed__hello-gpt-4\.1-nano\/hold\/4\/v1\/responses .* cancelled/);
  });

  it('passes other endpoints and error statuses through untouched, and answers 502 when the upstream is unreachable', async () => {
    const echoed = await fetch(`${proxy.url}/echo?x=1`, { method: 'PUT', body: 'plain body', headers: { 'x-app': 'mine' } });
    assert.equal(echoed.status, 200);
    const echo = (await echoed.json()) as { method: string; headers: Record<string, string>; body: string };
    assert.deepEqual([echo.method, echo.body, echo.headers['x-app']], ['PUT', 'plain body', 'mine']);
    await proxy.waitForOutput(/PUT \/echo\?x=1 {2}200 {2}passed through/);
    const missing = await fetch(`${proxy.url}/r/no-such-recording/v1/responses`, { method: 'POST', body: '{}' });
    assert.deepEqual([missing.status, await missing.text()], [404, 'not found']);

    const nowhere = await ProxyProcess.start(['--upstream', 'http://127.0.0.1:1']);
    try {
      const refused = await fetch(`${nowhere.url}/v1/responses`, { method: 'POST', body: '{}' });
      assert.equal(refused.status, 502);
      assert.match(((await refused.json()) as { error: { message: string } }).error.message, /the upstream 127\.0\.0\.1:1 could not be reached/);
    } finally {
      await nowhere.stop();
    }
  });

  it("passes a WebSocket-mode session through, frame for frame, both ways", async () => {
    const path = `/ws/v1/responses?recordings=${RECORDING}`;
    const socket = new WebSocket(`${proxy.url.replace(/^http/, 'ws')}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'response.create', model: 'gpt-4.1-nano', input: 'Say hello' })));
      socket.on('message', (data) => {
        received.push(String(data));
        if (String(data).includes('"response.completed"')) resolve();
      });
      socket.on('error', reject);
    });
    const session = server.sockets.find((candidate) => candidate.url === path);
    assert.ok(session);
    assert.deepEqual(received, session.frames.filter((frame) => frame.dir === 'receive').map((frame) => frame.data));
    assert.deepEqual(session.frames.filter((frame) => frame.dir === 'send').map((frame) => JSON.parse(frame.data).type), ['response.create']);
    socket.close();
    await session.closed;
    await proxy.waitForOutput(/GET \/ws\/v1\/responses\?recordings=\S+ {2}101 {2}WebSocket passed through/);
  });

  it('survives a request target that is no path and an upgrade it does not forward, and goes on', async () => {
    // An upstream that is not there: what reaches it is answered 502, and nothing else may end the proxy.
    const nowhere = await ProxyProcess.start(['--upstream', 'http://127.0.0.1:1']);
    try {
      const url = new URL(nowhere.url);
      const raw = (text: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(Number(url.port), url.hostname, () => socket.write(text));
          let answer = '';
          socket.setEncoding('utf8');
          socket.on('data', (piece: string) => (answer += piece));
          socket.on('end', () => resolve(answer));
          socket.on('error', reject);
        });
      assert.match(await raw('GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 502/);
      assert.match(await raw('POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'), /^HTTP\/1\.1 501/);
      assert.equal((await fetch(`${nowhere.url}/v1/models`)).status, 502, 'the proxy still answers');
      await nowhere.waitForOutput(/GET \/\/\[ {2}502/);
    } finally {
      assert.equal(await nowhere.stop(), 0);
    }
  });

  it('says so at once when the HAR cannot be written', () => {
    const result = runCli(['proxy', '--port', '0', '--har', join(directory, 'no-such-folder', 'x.har')]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot write the HAR .*no-such-folder/);
  });

  it('prints a line for each call, with its model, status, tokens, cost and time, and no credential', async () => {
    const app = appClient(RECORDING);
    await app.client.responses.create({ model: 'gpt-4.1-nano', input: 'Say hello' });
    const usage = terminalSnapshot(readFixture(`${RECORDING}.sse`))?.usage as { input_tokens: number; output_tokens: number };
    const line = await proxy.waitForOutput(new RegExp(`^POST /r/${RECORDING}/v1/responses {2}gpt-4\\.1-nano\\S* {2}200 completed {2}${usage.input_tokens} in / ${usage.output_tokens} out {2}\\$\\S+ {2}\\d+ ms$`, 'm'));
    assert.ok(line);
    const azure = await fetch(`${proxy.url}/r/${RECORDING}/openai/responses?api-version=preview&api-key=${KEY}`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4.1-nano', input: 'hi', stream: true }) });
    await azure.text();
    await proxy.waitForOutput(/openai\/responses\?api-version=preview&api-key=/);
    assert.ok(!proxy.output.includes(KEY), 'a credential in the output');
    assert.ok(!proxy.errors.includes(KEY), 'a credential in the errors');
  });

  it('keeps a valid HAR of its calls, credentials redacted, that the command reads', async () => {
    await proxy.waitForOutput(/api-key=/);
    const har = await fileWhen(harPath, (text) => (JSON.parse(text) as { log: { entries: unknown[] } }).log.entries.length === 5);
    assert.deepEqual(await new HarValidator().verify(har as never), []);
    const text = readFileSync(harPath, 'utf8');
    assert.ok(!text.includes(KEY), 'a credential in the HAR');
    const result = runCli(["inspect", "--json", harPath]);
    assert.equal(result.status, 0, result.stderr);
    const responses = (JSON.parse(result.stdout) as { responses: Array<{ response: { id: string } }> }).responses;
    assert.ok(responses.length >= 4, result.stdout.slice(0, 3000));
    assert.equal(responses[0]?.response.id, terminalSnapshot(readFixture(`${RECORDING}.sse`))?.id);
  });

  it("serves its captures only to an extension's page, under a loopback name, and resumes where a panel left off", async () => {
    const refusals = await Promise.all([
      subscribe({}, () => true),
      subscribe({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, () => true),
      subscribe({ host: 'evil.example', 'sec-fetch-site': 'same-origin' }, () => true),
      subscribe({ origin: 'null', 'sec-fetch-site': 'cross-site' }, () => true),
    ]);
    assert.deepEqual(
      refusals.map((refusal) => refusal.status),
      [403, 403, 403, 403],
    );
    const starts = (messages: Array<{ message: ProxyToPanel }>) => messages.filter(({ message }) => message.kind === 'proxy.capture' && message.message.kind === 'capture.start').length;
    const ends = (messages: Array<{ message: ProxyToPanel }>) => messages.filter(({ message }) => message.kind === 'proxy.capture' && message.message.kind === 'capture.end').length;
    // Five calls so far: streamed, cancelled, a 404, not streamed, Azure-style; the echo was no model call.
    const chrome = await subscribe({ 'sec-fetch-site': 'none' }, (messages) => ends(messages) === 5);
    assert.equal(chrome.status, 200);
    const hello = chrome.messages[0]?.message;
    assert.equal(hello?.kind, 'proxy.hello');
    assert.equal(starts(chrome.messages), 5);
    // Every capture is a server call, its credentials masked.
    for (const { message } of chrome.messages) {
      if (message.kind !== 'proxy.capture' || message.message.kind !== 'capture.start') continue;
      assert.equal(message.message.start.initiator, 'server');
      assert.ok(!JSON.stringify(message.message.start.requestHeaders).includes(KEY));
    }
    const firefox = await subscribe({ origin: 'moz-extension://0a1b2c3d-aaaa-bbbb-cccc-0123456789ab' }, (messages) => ends(messages) === 5);
    assert.equal(firefox.status, 200);
    // A panel that reconnects says the last event it had: it gets only what came after.
    const last = chrome.messages.at(-1)?.id as string;
    const before = chrome.messages.find(({ message }) => message.kind === 'proxy.capture' && message.message.kind === 'capture.end');
    const resumed = await subscribe({ 'sec-fetch-site': 'none', 'last-event-id': before?.id as string }, (messages) => ends(messages) === 4);
    assert.equal(starts(resumed.messages), 4);
    const nothingMissed = await subscribe({ 'sec-fetch-site': 'none', 'last-event-id': last }, (messages) => messages.length >= 1);
    assert.deepEqual(nothingMissed.messages.map(({ message }) => message.kind), ['proxy.hello']);
  });
});
