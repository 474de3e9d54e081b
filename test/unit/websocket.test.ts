import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import validator from '@har-sdk/validator';
import {
  buildTranscript,
  callsOfInput,
  harCalls,
  isDeferred,
  readHar,
  readHarDeferring,
  readInput,
  readInputDeferring,
  readResponsesBody,
  ResponsesStreamReader,
  SseDecoder,
  stringifyJson,
  summarizeRecord,
  UnreadableBodyError,
  type HarCall,
  type HarReading,
  type ResponseRecord,
  type TranscriptCall,
} from '../../extension/core/index.ts';
import { bodyOfFrames, framesOfSse, isResponseCreateFrame, isWebSocketUrl, sseOfFrame, turnsOfSocket, type WebSocketMessage } from '../../extension/core/websocket-frames.ts';
import { runCli } from '../helpers/cli.ts';
import { assertChromeImportable, type HarJson } from '../helpers/har-rules.ts';
import { fixtureNames, readFixture, seededRandom } from '../helpers/streams.ts';

const { HarValidator } = validator;

const TRACE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'responses-websocket', 'synthetic', 'claude-tap__sanitized-codex-prefetch-tool-call-final-gpt-5.5.jsonl');
const SOCKET_URL = 'wss://api.openai.com/v1/responses';
const STARTED = Date.UTC(2026, 10, 26, 14, 0, 0);

function traceMessages(): WebSocketMessage[] {
  return readFileSync(TRACE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { dir, data } = JSON.parse(line) as { dir: 'send' | 'receive'; data: string };
      return { type: dir, data };
    });
}

/** The data of a recording's frames, as a server in WebSocket mode sends them: no SSE framing, no `[DONE]`. */
function recordingFrames(name: string): string[] {
  const decoder = new SseDecoder();
  return [...decoder.push(readFixture(name)), ...decoder.end()].map((frame) => frame.data).filter((data) => data !== '[DONE]');
}

/**
 * A socket's calls as the extension captures them: one per `response.create`, the frames received each framed as
 * SSE and read as they come, at set times (epoch ms).
 */
function capturedCalls(messages: readonly WebSocketMessage[]): TranscriptCall[] {
  let clock = STARTED;
  return turnsOfSocket(messages.map((message) => ({ ...message, at: (clock += 7) }))).map((turn) => {
    const reader = new ResponsesStreamReader({ requestStartedAt: turn.create.at, webSocket: true });
    for (const frame of turn.received) reader.push(sseOfFrame(frame.data), frame.at);
    const endedAt = (turn.received[turn.received.length - 1]?.at ?? (turn.create.at as number)) + 3;
    reader.end(endedAt);
    const call: TranscriptCall = {
      method: 'GET',
      url: SOCKET_URL,
      requestHeaders: [],
      requestBody: turn.create.data,
      status: 101,
      statusText: 'Switching Protocols',
      responseHeaders: [],
      body: bodyOfFrames(turn.received),
      startedAt: turn.create.at as number,
      endedAt,
      records: reader.responses,
    };
    if (turn.sent.length > 0) call.sentFrames = turn.sent;
    return call;
  });
}

/** What a call read back must keep of the call written. */
function callShape(call: TranscriptCall) {
  return {
    requestBody: call.requestBody,
    body: call.body,
    sentFrames: call.sentFrames,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
    records: call.records.map(recordShape),
  };
}

function recordShape(record: ResponseRecord) {
  return { events: record.events, summary: summarizeRecord(record), marks: { ...record.marks } };
}

/** A response.create frame asking for what a recording answers (its model, a question). */
function createFrame(name: string, previous?: string): string {
  const created = recordingFrames(name).map((data) => JSON.parse(data) as { type?: string; response?: { model?: string } }).find((event) => event.type === 'response.created');
  return stringifyJson({ type: 'response.create', model: created?.response?.model ?? 'gpt-4.1', input: `recording ${name}`, ...(previous ? { previous_response_id: previous } : {}) });
}

/** A Chrome-style entry of a whole socket: every message as Chrome's HAR writer writes it, times in epoch seconds. */
function chromeSocketEntry(url: string, messages: ReadonlyArray<{ type: 'send' | 'receive'; data: string; time: number }>): Record<string, unknown> {
  return {
    _initiator: { type: 'script' },
    _priority: null,
    _resourceType: 'websocket',
    cache: {},
    connection: '123',
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Upgrade', value: 'websocket' },
        { name: 'Sec-WebSocket-Version', value: '13' },
      ],
      queryString: [],
      cookies: [],
      headersSize: 312,
      bodySize: 0,
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Upgrade', value: 'websocket' }],
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: 129,
      bodySize: 0,
      _transferSize: 129,
      _error: null,
    },
    serverIPAddress: '162.159.140.245',
    startedDateTime: new Date(STARTED).toISOString(),
    time: 212.4,
    timings: { blocked: 1.2, dns: -1, ssl: -1, connect: -1, send: 0, wait: 210, receive: 1.2, _blocked_queueing: 0.8 },
    _webSocketMessages: messages.map((message) => ({ type: message.type, time: message.time, opcode: 1, data: message.data })),
  };
}

function chromeHar(entries: Array<Record<string, unknown>>): HarJson {
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } } as HarJson;
}

/** The calls of a HAR read in pieces (as the command reads a file). */
function streamedCalls(har: unknown): { calls: HarCall[]; reading: HarReading } {
  const bytes = new TextEncoder().encode(JSON.stringify(har, null, 2));
  let offset = 0;
  const reading: HarReading = { calls: [], skipped: 0, problems: [] };
  const read = (into: Uint8Array, at: number, length: number) => {
    const count = Math.min(length, bytes.length - offset, 4096);
    into.set(bytes.subarray(offset, offset + count), at);
    offset += count;
    return count;
  };
  return { calls: [...harCalls(read, reading)], reading };
}

async function assertValidHar(har: HarJson): Promise<void> {
  const errors = await new HarValidator().verify(har as never);
  assert.deepEqual(errors, [], JSON.stringify(errors).slice(0, 2000));
  assertChromeImportable(har);
}

describe('WebSocket frames as SSE', () => {
  it('sseOfFrame gives the SSE decoder back exactly each frame, newlines, unicode and long text included, however it is cut', () => {
    const long = `{"type":"response.output_text.delta","delta":"${'long text 🚀 '.repeat(60_000)}"}`;
    const frames = [
      '{"type":"response.created"}',
      '{\n  "type": "response.completed",\n\n  "response": {}\n}\n',
      '\n',
      'data: not a prefix\n: not a comment\nevent: not a name\nid: 7\nretry: 10',
      ' leading space, trailing space ',
      '{"text":"héllo wörld — 你好，调用一个工具 🧪 \\u2028"}',
      'a raw\u2028line separator and a raw\u0085next line stay',
      long,
    ];
    const body = frames.map(sseOfFrame).join('');
    assert.deepEqual(framesOfSse(body), frames);
    const bytes = new TextEncoder().encode(body);
    const random = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const decoder = new SseDecoder();
      const decoded: string[] = [];
      for (let offset = 0; offset < bytes.length; ) {
        const size = 1 + Math.floor(random() * 257);
        decoded.push(...decoder.push(bytes.subarray(offset, offset + size)).map((frame) => frame.data));
        offset += size;
      }
      decoded.push(...decoder.end().map((frame) => frame.data));
      assert.deepEqual(decoded, frames, `round ${round}`);
    }
  });

  it('turns a CR into a LF, the one thing SSE cannot carry, and drops an empty frame, which carries nothing', () => {
    assert.deepEqual(framesOfSse(sseOfFrame('{"a":1,\r\n"b":2}\r')), ['{"a":1,\n"b":2}\n']);
    assert.deepEqual(framesOfSse(sseOfFrame('')), []);
  });

  it('tells WebSocket URLs and response.create frames', () => {
    assert.ok(isWebSocketUrl('wss://api.openai.com/v1/responses'));
    assert.ok(isWebSocketUrl('WS://localhost:8787/v1/responses'));
    assert.ok(!isWebSocketUrl('https://api.openai.com/v1/responses'));
    assert.ok(isResponseCreateFrame('{"type":"response.create","model":"gpt-5"}'));
    assert.ok(!isResponseCreateFrame('{"type":"response.created","response":{}}'));
    assert.ok(!isResponseCreateFrame('{"note":"response.create"}'));
    assert.ok(!isResponseCreateFrame('"response.create"'));
  });
});

describe('A Responses API WebSocket', () => {
  it('reads the trace as its three responses: a warm-up with no output, a function call, a final text', () => {
    const reading = readInput(readFileSync(TRACE));
    assert.equal(reading.kind, 'websocket');
    const calls = callsOfInput('trace.jsonl', readFileSync(TRACE, 'utf8'), reading);
    assert.equal(calls.length, 3);
    assert.deepEqual(
      calls.map((call) => call.url),
      Array(3).fill('wss://recording.invalid/v1/responses?recording=trace.jsonl'),
    );
    const creates = calls.map((call) => JSON.parse(call.requestBody ?? 'null') as { type: string; generate?: boolean; previous_response_id?: string });
    assert.deepEqual(
      creates.map((create) => [create.type, create.generate, create.previous_response_id]),
      [
        ['response.create', false, undefined],
        ['response.create', undefined, 'resp_prefetch'],
        ['response.create', undefined, 'resp_tool'],
      ],
    );
    const [warmUp, tool, final] = reading.responses as [ResponseRecord, ResponseRecord, ResponseRecord];
    assert.equal(reading.responses.length, 3);
    assert.deepEqual([warmUp.response.id, warmUp.response.status, warmUp.response.output], ['resp_prefetch', 'completed', []]);
    assert.equal(tool.response.id, 'resp_tool');
    assert.deepEqual(
      tool.response.output.map((item) => [item.type, item.name, item.arguments]),
      [['function_call', 'exec_command', '{"cmd":"pwd"}']],
    );
    assert.equal(final.response.id, 'resp_final');
    assert.deepEqual(
      final.response.output.map((item) => [item.type, (item.content as Array<{ text: string }>)[0]?.text]),
      [['message', 'FINAL_OK']],
    );
    assert.deepEqual(
      reading.responses.map((record) => record.usage?.total),
      [10, 24, 35],
    );
  });

  it('keeps codex.rate_limits in the log of the response it came after, with no warning', () => {
    const [warmUp, ...others] = readInput(readFileSync(TRACE)).responses as ResponseRecord[];
    assert.deepEqual(
      warmUp?.events.map((event) => [event.type, event.logOnly]),
      [
        ['response.created', undefined],
        ['response.completed', undefined],
        ['codex.rate_limits', true],
      ],
    );
    assert.equal(warmUp?.events[2]?.data, '{"type":"codex.rate_limits","plan_type":"test"}');
    for (const record of [warmUp, ...others]) assert.ok(!record?.warnings.some((warning) => warning.code === 'unknown_event'), JSON.stringify(record?.warnings));
    // The same frames read as an SSE stream would be a stream with an event of a type the core does not know.
    const body = bodyOfFrames(traceMessages().filter((message) => message.type === 'receive'));
    assert.ok(readResponsesBody(body).responses.some((record) => record.warnings.some((warning) => warning.code === 'unknown_event')));
    assert.ok(readResponsesBody(body, { webSocket: true }).responses.every((record) => record.warnings.every((warning) => warning.code !== 'unknown_event')));
  });

  it('starts no response at a frame that is not an event of one, even when it comes first', () => {
    const reader = new ResponsesStreamReader({ webSocket: true });
    for (const data of ['{"type":"codex.rate_limits","plan_type":"test"}', ...recordingFrames('seed__hello-gpt-4.1-nano.sse'), '{"type":"codex.rate_limits"}']) reader.push(sseOfFrame(data));
    reader.end();
    assert.equal(reader.responses.length, 1);
    const record = reader.responses[0] as ResponseRecord;
    assert.equal(record.assembler.resumed, false);
    assert.deepEqual(record.warnings, []);
    assert.deepEqual([record.events[0]?.logOnly, record.events.at(-1)?.logOnly], [true, true]);
    assert.deepEqual(record.response, readResponsesBody(readFixture('seed__hello-gpt-4.1-nano.sse')).responses[0]?.response);
  });

  it('inspect --json places the three in one thread, chained by previous_response_id', () => {
    const result = runCli(['inspect', '--json', TRACE]);
    assert.equal(result.status, 0, result.stderr);
    const { responses } = JSON.parse(result.stdout) as { responses: Array<{ response: { id: string }; thread: unknown; events: number }> };
    assert.deepEqual(
      responses.map((one) => [one.response.id, one.thread, one.events]),
      [
        ['resp_prefetch', { id: 'resp_prefetch', turn: 1 }, 3],
        ['resp_tool', { id: 'resp_prefetch', turn: 2 }, 3],
        ['resp_final', { id: 'resp_prefetch', turn: 3 }, 5],
      ],
    );
    const text = runCli(['inspect', TRACE]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Response 3 of 3: resp_final/);
  });

  it('still reads JSON lines of events, and says what is wrong with a broken trace', () => {
    const lines = recordingFrames('seed__hello-gpt-4.1-nano.sse').join('\n');
    const events = readInput(lines);
    assert.equal(events.kind, 'json-lines');
    assert.equal(events.responses[0]?.response.status, 'completed');
    const trace = readFileSync(TRACE, 'utf8');
    assert.throws(() => readInput(`${trace}{"dir":"receive"`), (error: unknown) => error instanceof UnreadableBodyError && /line 15 of the WebSocket trace/.test(error.message));
    const receivedOnly = trace.split('\n').filter((line) => line.includes('"dir": "receive"')).join('\n');
    assert.throws(() => readInput(receivedOnly), (error: unknown) => error instanceof UnreadableBodyError && /none of them a response\.create/.test(error.message));
  });

  it('every Responses recording, its frames sent as WebSocket frames, assembles to the same responses as over SSE', () => {
    for (const name of fixtureNames()) {
      const reader = new ResponsesStreamReader({ webSocket: true });
      for (const data of recordingFrames(name)) reader.push(sseOfFrame(data));
      reader.end();
      const overSse = readResponsesBody(readFixture(name)).responses;
      assert.deepStrictEqual(
        reader.responses.map((record) => record.response),
        overSse.map((record) => record.response),
        name,
      );
      assert.deepStrictEqual(
        reader.responses.map((record) => record.warnings),
        overSse.map((record) => record.warnings),
        name,
      );
    }
  });
});

describe('WebSocket calls in HAR transcripts', () => {
  const sent = { type: 'send' as const, data: '{"type":"response.steer","input":"and be brief"}' };
  // A frame the page sent in the middle of the last response, kept with it.
  const messages = [...traceMessages().slice(0, -2), sent, ...traceMessages().slice(-2)];

  it('writes each call as Chrome writes a WebSocket, with our events and assembly', async () => {
    const calls = capturedCalls(messages);
    assert.deepEqual(calls.at(-1)?.sentFrames, [{ data: sent.data, at: STARTED + 7 * 13, after: 3 }]);
    const har = JSON.parse(JSON.stringify(buildTranscript(calls, { keepSecrets: true }))) as HarJson;
    await assertValidHar(har);
    assert.equal(har.log.entries.length, 3);
    har.log.entries.forEach((entry, index) => {
      const call = calls[index] as TranscriptCall;
      assert.equal(entry.request.method, 'GET');
      assert.equal(entry.request.url, SOCKET_URL);
      assert.equal(entry.request.postData, undefined);
      assert.equal(entry.request.bodySize, 0);
      assert.equal(entry.response.status, 101);
      assert.equal(entry.response.statusText, 'Switching Protocols');
      assert.deepEqual(entry.response.content, { size: 0, mimeType: 'x-unknown' });
      assert.equal(entry.response.bodySize, 0);
      assert.equal(entry._resourceType, 'websocket');
      assert.equal(entry.startedDateTime, new Date(call.startedAt as number).toISOString());
      assert.equal(entry.time, (call.endedAt as number) - (call.startedAt as number));
      const frames = entry._webSocketMessages as Array<Record<string, unknown>>;
      for (const frame of frames) assert.deepEqual(Object.keys(frame), ['type', 'time', 'opcode', 'data']);
      const received = call.records.flatMap((record) => record.events);
      const expected = [{ type: 'send', time: (call.startedAt as number) / 1000, opcode: 1, data: call.requestBody }, ...received.map((event) => ({ type: 'receive', time: (event.receivedAt as number) / 1000, opcode: 1, data: event.data }))];
      if (index === 2) expected.splice(1 + 3, 0, { type: 'send', time: (STARTED + 7 * 13) / 1000, opcode: 1, data: sent.data });
      assert.deepEqual(frames, expected, `entry ${index}`);
      assert.equal((entry._responsesEvents as unknown[]).length, received.length);
      assert.equal(entry._responsesAssembly.responses.length, 1);
    });
    assert.deepEqual(
      har.log.entries[0]?._webSocketMessages.map((frame: { data: string }) => JSON.parse(frame.data).type),
      ['response.create', 'response.created', 'response.completed', 'codex.rate_limits'],
    );
  });

  it('reads its transcript back to the same calls, events, receive times and responses, at once, in pieces and deferred', () => {
    const calls = capturedCalls(messages);
    const text = JSON.stringify(buildTranscript(calls, { keepSecrets: true }));
    const eager = readHar(JSON.parse(text));
    assert.deepEqual(eager.problems, []);
    assert.deepStrictEqual(eager.calls.map(callShape), calls.map(callShape));
    assert.deepEqual(
      eager.calls.map((call) => [call.method, call.url, call.status, call.statusText]),
      Array(3).fill(['GET', SOCKET_URL, 101, 'Switching Protocols']),
    );
    const streamed = streamedCalls(JSON.parse(text));
    assert.deepStrictEqual(streamed.calls.map(callShape), calls.map(callShape));
    const deferred = readHarDeferring(JSON.parse(text)).calls;
    assert.equal(deferred.length, 3);
    deferred.forEach((call, index) => {
      assert.ok(isDeferred(call), `call ${index} is listed from what the transcript wrote`);
      const original = calls[index] as TranscriptCall;
      assert.equal(call.summary.responseId, original.records[0]?.response.id);
      assert.equal(call.summary.events, original.records[0]?.events.length);
      assert.deepStrictEqual(call.readRecords().map(recordShape), original.records.map(recordShape));
    });
    const viewer = readInputDeferring('socket.har', text);
    assert.equal(viewer.calls.length, 3);
  });

  it('redacts the frames it writes unless asked to keep secrets', () => {
    const secret = 'sk-proj-PLANTEDsecret0123456789abcdef';
    const planted = messages.map((message, index) => (index === 0 ? { ...message, data: message.data.replace('"model"', `"api_key":"${secret}","note":"${secret}","model"`) } : message));
    planted.push({ type: 'receive', data: `{"type":"codex.rate_limits","echo":"${secret}"}` });
    const calls = capturedCalls(planted);
    assert.ok(JSON.stringify(buildTranscript(calls, { keepSecrets: true })).includes(secret));
    const redacted = JSON.stringify(buildTranscript(calls));
    assert.ok(!redacted.includes(secret));
    assert.equal(readHar(JSON.parse(redacted)).calls.length, 3);
  });

  it('splits a browser’s entry of a whole socket into its calls, in order, with the receive times of its frames', async () => {
    const names = fixtureNames();
    const frames: Array<{ type: 'send' | 'receive'; data: string; time: number }> = [];
    let time = STARTED / 1000;
    const tick = () => (time = Math.round((time + 0.0173) * 1e6) / 1e6);
    let previous: string | undefined;
    for (const name of names) {
      frames.push({ type: 'send', data: createFrame(name, previous), time: tick() });
      for (const data of recordingFrames(name)) frames.push({ type: 'receive', data, time: tick() });
      frames.push({ type: 'receive', data: '{"type":"codex.rate_limits","primary":{"used_percent":12}}', time: tick() });
      previous = readResponsesBody(readFixture(name)).responses.at(-1)?.response.id as string | undefined;
    }
    const otherSocket = chromeSocketEntry('wss://chat.example.com/socket', [
      { type: 'send', data: '{"type":"subscribe"}', time: tick() },
      { type: 'receive', data: '{"type":"message","text":"hi"}', time: tick() },
    ]);
    // The Realtime API also takes response.create, on its own path, and ends a response with response.done.
    const realtime = chromeSocketEntry('wss://api.openai.com/v1/realtime?model=gpt-realtime', [
      { type: 'send', data: '{"type":"response.create","response":{}}', time: tick() },
      { type: 'receive', data: '{"type":"response.created","response":{"id":"resp_rt"}}', time: tick() },
      { type: 'receive', data: '{"type":"response.done","response":{"id":"resp_rt"}}', time: tick() },
    ]);
    const har = chromeHar([otherSocket, chromeSocketEntry(SOCKET_URL, frames), realtime]);
    await assertValidHar(har);
    const reading = readHar(JSON.parse(JSON.stringify(har)));
    assert.deepEqual(reading.problems, []);
    assert.equal(reading.skipped, 2);
    assert.equal(reading.calls.length, names.length);
    const sends = frames.filter((frame) => frame.type === 'send');
    reading.calls.forEach((call, index) => {
      const name = names[index] as string;
      assert.equal(call.entryIndex, 1);
      assert.equal(call.url, SOCKET_URL);
      assert.equal(call.requestBody, sends[index]?.data);
      assert.equal(call.startedAt, Math.round((sends[index]?.time as number) * 1e6) / 1e3);
      const overSse = readResponsesBody(readFixture(name)).responses;
      assert.deepStrictEqual(
        call.records.map((record) => record.response),
        overSse.map((record) => record.response),
        name,
      );
      const events = call.records.flatMap((record) => record.events);
      const received = recordingFrames(name);
      assert.deepEqual(
        events.map((event) => event.data),
        [...received, '{"type":"codex.rate_limits","primary":{"used_percent":12}}'],
        name,
      );
      const start = frames.indexOf(sends[index] as (typeof frames)[number]);
      assert.deepEqual(
        events.map((event) => event.receivedAt),
        frames.slice(start + 1, start + 1 + events.length).map((frame) => Math.round(frame.time * 1e6) / 1e3),
        name,
      );
      assert.equal(call.endedAt, events.at(-1)?.receivedAt);
      const record = call.records[0] as ResponseRecord;
      assert.equal(record.marks.requestStartedAt, call.startedAt);
      assert.equal(record.marks.firstByteAt, events[0]?.receivedAt);
    });
    // The turns chain by the previous response's id, as Codex's do.
    assert.deepEqual(
      reading.calls.slice(1).map((call) => (JSON.parse(call.requestBody as string) as { previous_response_id: string }).previous_response_id),
      reading.calls.slice(0, -1).map((call) => call.records.at(-1)?.response.id),
    );
    const streamed = streamedCalls(har);
    assert.deepStrictEqual(streamed.calls.map(callShape), reading.calls.map(callShape));
    assert.equal(streamed.reading.skipped, 2);
    const deferred = readHarDeferring(JSON.parse(JSON.stringify(har)));
    assert.deepStrictEqual(
      deferred.calls.map((call) => (isDeferred(call) ? call.readRecords() : call.records).map((record) => record.response)),
      reading.calls.map((call) => call.records.map((record) => record.response)),
    );
    // Written again as our transcript, each call is an entry of its own that reads back the same (its end, which
    // the browser's entry did not say, is then the one the timing names).
    const again = readHar(JSON.parse(JSON.stringify(buildTranscript(reading.calls, { keepSecrets: true }))));
    const told = (call: TranscriptCall) => ({ ...callShape(call), records: call.records.map((record) => ({ events: record.events, summary: summarizeRecord(record) })) });
    assert.deepStrictEqual(again.calls.map(told), reading.calls.map(told));
  });

  it('keeps frames before the first response.create with the first call, and reports a call that received nothing', () => {
    const entry = chromeSocketEntry(SOCKET_URL, [
      { type: 'receive', data: '{"type":"codex.rate_limits"}', time: 1_790_000_000.1 },
      { type: 'send', data: createFrame('seed__hello-gpt-4.1-nano.sse'), time: 1_790_000_000.2 },
      ...recordingFrames('seed__hello-gpt-4.1-nano.sse').map((data, index) => ({ type: 'receive' as const, data, time: 1_790_000_000.3 + index / 1000 })),
      { type: 'send', data: '{"type":"response.create","model":"gpt-4.1-nano","input":"again"}', time: 1_790_000_001 },
    ]);
    const reading = readHar(chromeHar([entry]));
    assert.equal(reading.calls.length, 1);
    assert.equal(reading.calls[0]?.records[0]?.events[0]?.type, 'codex.rate_limits');
    assert.equal(reading.calls[0]?.records[0]?.response.status, 'completed');
    assert.equal(reading.problems.length, 1);
    assert.match(reading.problems[0]?.message ?? '', /^entry 0 \(GET wss:\/\/api\.openai\.com\/v1\/responses\), response\.create 2 of 2: no frame was received$/);
  });

  it('reports an entry of ours whose frames are gone, and leaves out binary frames and socket errors', () => {
    const [call] = capturedCalls(traceMessages());
    const entry = buildTranscript([call as TranscriptCall], { keepSecrets: true }).log.entries[0] as Record<string, unknown>;
    const stripped = { ...entry };
    delete stripped._webSocketMessages;
    const missing = readHar({ log: { entries: [stripped] } });
    assert.equal(missing.calls.length, 0);
    assert.match(missing.problems[0]?.message ?? '', /has no WebSocket messages/);
    const noisy = structuredClone(entry);
    (noisy._webSocketMessages as unknown[]).splice(2, 0, { type: 'receive', time: 1, opcode: 2, data: 'AAEC' }, { type: 'error', time: 1, opcode: 1, data: 'net::ERR_CONNECTION_RESET' });
    assert.deepStrictEqual(readHar({ log: { entries: [noisy] } }).calls.map(callShape), [callShape(call as TranscriptCall)]);
  });
});
