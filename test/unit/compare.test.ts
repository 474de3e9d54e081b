import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCalls, compareRequests, requestValue, type CallComparison, type RequestDifference } from '../../extension/compare/compare-calls.ts';
import {
  buildTranscript,
  callsOfInput,
  readInput,
  ResponsesStreamReader,
  responseCost,
  stringifyJson,
  type JsonObject,
  type JsonValue,
  type OutputItem,
  type TranscriptCall,
} from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { runCli, scratchWriter } from '../helpers/cli.ts';
import { leakedSecrets, plantedHar } from '../helpers/planted-secrets.ts';
import { readFixture, splitFrames, terminalSnapshot } from '../helpers/streams.ts';

const { directory: scratch, write: writeScratch } = scratchWriter('responses-devtools-compare-');

const TOOLS_RECORDING = 'fantasy__parallel-function-calls-gpt-4o.sse';
const HELLO_RECORDING = 'seed__hello-gpt-4.1-nano.sse';
const TEXT_RECORDING = 'fantasy__text-gpt-4o.sse';

function snapshot(name: string): JsonObject {
  const response = terminalSnapshot(readFixture(name));
  assert.ok(response, name);
  return JSON.parse(JSON.stringify(response)) as JsonObject;
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The request behind the function-call recording, continued by a turn: what a
 * client sends after running the two tools the model called. Its model, tools
 * and parameters are those the Response echoes.
 */
function conversationRequest(): JsonObject {
  const tools = snapshot(TOOLS_RECORDING);
  const hello = snapshot(HELLO_RECORDING);
  const calls = (tools.output as JsonObject[]).map(({ type, call_id, name, arguments: args }) => ({ type, call_id, name, arguments: args }) as JsonObject);
  const greeting = (hello.output as JsonObject[])[0] as JsonObject;
  return {
    model: 'gpt-4o',
    instructions: 'You are a careful calculator.',
    input: [
      { type: 'message', role: 'assistant', content: greeting.content ?? null },
      { role: 'user', content: 'What are 2 + 3 and 2 × 3?' },
      ...calls,
      ...calls.map((call, index) => ({ type: 'function_call_output', call_id: call.call_id ?? null, output: index === 0 ? '5' : '6' })),
    ],
    tools: tools.tools ?? null,
    temperature: tools.temperature ?? null,
    reasoning: { effort: 'low' },
    max_output_tokens: tools.max_output_tokens ?? null,
    stream: true,
  };
}

function inputOf(request: JsonObject): JsonObject[] {
  return request.input as JsonObject[];
}

function toolsOf(request: JsonObject): JsonObject[] {
  return request.tools as JsonObject[];
}

describe('compareRequests', () => {
  it('finds nothing between equal bodies, nor between two absent ones', () => {
    assert.deepEqual(compareRequests(conversationRequest(), conversationRequest()), []);
    assert.deepEqual(compareRequests(undefined, undefined), []);
    // The same keys in another order are the same request.
    const reordered = Object.fromEntries(Object.entries(conversationRequest()).reverse()) as JsonObject;
    assert.deepEqual(compareRequests(conversationRequest(), reordered), []);
  });

  it('reports a changed model and changed instructions', () => {
    const b = conversationRequest();
    b.model = 'gpt-4.1';
    b.instructions = 'You are a terse calculator.';
    assert.deepEqual(compareRequests(conversationRequest(), b), [
      { path: 'model', change: 'changed', a: 'gpt-4o', b: 'gpt-4.1' },
      { path: 'instructions', change: 'changed', a: 'You are a careful calculator.', b: 'You are a terse calculator.' },
    ]);
  });

  it('reports an input item appended as one item added', () => {
    const b = conversationRequest();
    const item = { role: 'user', content: 'And 2 - 3?' };
    inputOf(b).push(item);
    assert.deepEqual(compareRequests(conversationRequest(), b), [{ path: 'input[6]', change: 'added', b: item }]);
  });

  it('reports an input item inserted at the start as one item added, not every item changed', () => {
    const b = conversationRequest();
    const item = { role: 'developer', content: 'Answer with numbers only.' };
    inputOf(b).unshift(item);
    assert.deepEqual(compareRequests(conversationRequest(), b), [{ path: 'input[0]', change: 'added', b: item }]);
    // The other way round, it is one item removed.
    assert.deepEqual(compareRequests(b, conversationRequest()), [{ path: 'input[0]', change: 'removed', a: item }]);
  });

  it('reports an input item removed from the middle, at its place in A', () => {
    const a = conversationRequest();
    const b = conversationRequest();
    const [removed] = inputOf(b).splice(2, 1);
    assert.deepEqual(compareRequests(a, b), [{ path: 'input[2]', change: 'removed', a: removed as JsonValue }]);
  });

  it('reports a field changed inside an item that is otherwise alike', () => {
    const a = conversationRequest();
    const b = conversationRequest();
    const user = inputOf(b)[1] as JsonObject;
    user.content = 'What are 4 + 5 and 4 × 5?';
    assert.deepEqual(compareRequests(a, b), [{ path: 'input[1].content', change: 'changed', a: 'What are 2 + 3 and 2 × 3?', b: 'What are 4 + 5 and 4 × 5?' }]);

    const moved = conversationRequest();
    inputOf(moved).splice(1, 0, { role: 'user', content: 'Hi' });
    const parts = (inputOf(moved)[0] as JsonObject).content as JsonObject[];
    (parts[0] as JsonObject).text = 'Hello there!';
    // The inserted item is added; the first item's text is changed in place.
    assert.deepEqual(
      compareRequests(a, moved).map(({ path, change }) => `${change} ${path}`),
      ['changed input[0].content[0].text', 'added input[1]'],
    );
  });

  it('reports a changed tool call argument, and a changed tool output, inside their items', () => {
    const a = conversationRequest();
    const b = conversationRequest();
    (inputOf(b)[2] as JsonObject).arguments = '{"a":4,"b":5}';
    (inputOf(b)[4] as JsonObject).output = '9';
    assert.deepEqual(compareRequests(a, b), [
      { path: 'input[2].arguments', change: 'changed', a: '{"a":2,"b":3}', b: '{"a":4,"b":5}' },
      { path: 'input[4].output', change: 'changed', a: '5', b: '9' },
    ]);
  });

  it('keeps equal items matched when an item is inserted and a later one changed', () => {
    const a = conversationRequest();
    const b = conversationRequest();
    inputOf(b).unshift({ role: 'developer', content: 'Be brief.' });
    (inputOf(b)[6] as JsonObject).output = '7';
    assert.deepEqual(
      compareRequests(a, b).map(({ path, change }) => `${change} ${path}`),
      ['added input[0]', 'changed input[6].output'],
    );
  });

  it('reports tools added and removed, and a changed parameter of a tool', () => {
    const a = conversationRequest();
    const added = conversationRequest();
    const subtract = { ...copy(toolsOf(a)[0] as JsonObject), name: 'subtract', description: 'Subtract two numbers' };
    toolsOf(added).push(subtract);
    assert.deepEqual(compareRequests(a, added), [{ path: 'tools[2]', change: 'added', b: subtract }]);

    const removed = conversationRequest();
    const [multiply] = toolsOf(removed).splice(1, 1);
    assert.deepEqual(compareRequests(a, removed), [{ path: 'tools[1]', change: 'removed', a: multiply as JsonValue }]);

    const changed = conversationRequest();
    const properties = ((toolsOf(changed)[0] as JsonObject).parameters as JsonObject).properties as JsonObject;
    properties.city = { type: 'string' };
    (properties.a as JsonObject).type = 'number';
    assert.deepEqual(compareRequests(a, changed), [
      { path: 'tools[0].parameters.properties.a.type', change: 'changed', a: 'integer', b: 'number' },
      { path: 'tools[0].parameters.properties.city', change: 'added', b: { type: 'string' } },
    ]);
  });

  it('reports parameters changed, added and removed', () => {
    const a = conversationRequest();
    const b = conversationRequest();
    b.temperature = 0.2;
    b.reasoning = { effort: 'high' };
    b.top_p = 0.9;
    delete b.stream;
    assert.deepEqual(compareRequests(a, b), [
      { path: 'temperature', change: 'changed', a: 1, b: 0.2 },
      { path: 'reasoning.effort', change: 'changed', a: 'low', b: 'high' },
      // B's new key comes after the key it follows in B.
      { path: 'top_p', change: 'added', b: 0.9 },
      { path: 'stream', change: 'removed', a: true },
    ]);
  });

  it('lists keys in the order of both bodies, model first', () => {
    const a: JsonObject = { input: 'Hi', model: 'gpt-4o', stream: true };
    const b: JsonObject = { instructions: 'Be brief.', input: 'Hello', stream: false, store: false, model: 'gpt-4.1' };
    assert.deepEqual(
      compareRequests(a, b).map(({ path }) => path),
      ['model', 'instructions', 'input', 'stream', 'store'],
    );
  });

  it('reports a string input against a list input as one change', () => {
    const a: JsonObject = { model: 'gpt-4o', input: 'Say hello' };
    const b: JsonObject = { model: 'gpt-4o', input: [{ role: 'user', content: 'Say hello' }] };
    assert.deepEqual(compareRequests(a, b), [{ path: 'input', change: 'changed', a: 'Say hello', b: [{ role: 'user', content: 'Say hello' }] }]);
  });

  it('writes keys that are not identifiers in brackets', () => {
    const a: JsonObject = { model: 'm', metadata: { 'weird key': '1', 'x-y': '2', ok: '3' } };
    const b: JsonObject = { model: 'm', metadata: { 'weird key': '4', ok: '5' } };
    assert.deepEqual(
      compareRequests(a, b).map(({ path, change }) => `${change} ${path}`),
      ['changed metadata["weird key"]', 'removed metadata["x-y"]', 'changed metadata.ok'],
    );
    assert.deepEqual(compareRequests({ 'a b': 1 }, { 'a b': 2 }), [{ path: '["a b"]', change: 'changed', a: 1, b: 2 }]);
  });

  it('compares an absent body as absent and a body that is no JSON as text, never throwing', () => {
    const body = stringifyJson(conversationRequest());
    assert.equal(requestValue(undefined), undefined);
    assert.equal(requestValue('  '), undefined);
    assert.equal(requestValue('model=gpt-4o'), 'model=gpt-4o');
    assert.deepEqual(requestValue(body), conversationRequest());
    assert.deepEqual(compareRequests(undefined, requestValue(body)), [{ path: '', change: 'added', b: conversationRequest() }]);
    assert.deepEqual(compareRequests(requestValue(body), undefined), [{ path: '', change: 'removed', a: conversationRequest() }]);
    assert.deepEqual(compareRequests(requestValue('model=gpt-4o'), requestValue(body)), [{ path: '', change: 'changed', a: 'model=gpt-4o', b: conversationRequest() }]);
    assert.deepEqual(compareRequests(requestValue('{"model": "gpt-4o", "inp'), requestValue('{"model": "gpt-4o", "inp')), []);
  });

  it('compares bodies nested far deeper than the stack allows', () => {
    const depth = 200_000;
    const deep = (leaf: string) => requestValue(`{"model":"m","input":${'['.repeat(depth)}"${leaf}"${']'.repeat(depth)}}`);
    const differences = compareRequests(deep('a'), deep('b'));
    assert.equal(differences.length, 1);
    assert.match((differences[0] as RequestDifference).path, /^input(\[0\])+$/);
    assert.deepEqual(compareRequests(deep('a'), deep('a')), []);
  });
});

/** A recording's responses, its events received `step` ms apart from `startedAt`. */
function timedRecords(name: string, startedAt: number, step: number): TranscriptCall['records'] {
  const reader = new ResponsesStreamReader({ requestStartedAt: startedAt });
  splitFrames(readFixture(name)).forEach((frame, index) => reader.push(`${frame}\n\n`, startedAt + step * (index + 1)));
  reader.end();
  return reader.responses;
}

describe('compareCalls', () => {
  it('gives each last output, and the usage, cost and timing of B minus A', () => {
    const a = { requestBody: stringifyJson(conversationRequest()), records: timedRecords(HELLO_RECORDING, 1_000, 10) };
    const b = { records: timedRecords(TEXT_RECORDING, 5_000, 4) };
    const comparison = compareCalls(a, b, priceTable);
    const [recordA] = a.records;
    const [recordB] = b.records;
    assert.ok(recordA && recordB);
    assert.deepEqual(comparison.request, [{ path: '', change: 'removed', a: conversationRequest() }]);
    assert.deepEqual(comparison.output, { a: recordA.response.output, b: recordB.response.output });
    assert.deepEqual(comparison.usage.a, recordA.usage);
    assert.deepEqual(comparison.usage.delta, { input: 20 - 9, cached: 0, output: 3 - 10, reasoning: 0, total: 23 - 19 });
    const costA = responseCost(recordA.response, recordA.usage, priceTable).cost;
    const costB = responseCost(recordB.response, recordB.usage, priceTable).cost;
    assert.ok(costA && costB);
    assert.deepEqual([comparison.cost.a, comparison.cost.b], [costA, costB]);
    assert.ok(Math.abs((comparison.cost.delta as number) - (costB.total - costA.total)) < 1e-12);
    assert.equal(comparison.timing.a.firstByteMs, 10);
    assert.equal(comparison.timing.b.firstByteMs, 4);
    assert.equal(comparison.timing.delta.firstByteMs, -6);
    const durationA = comparison.timing.a.durationMs as number;
    const durationB = comparison.timing.b.durationMs as number;
    assert.equal(comparison.timing.delta.durationMs, durationB - durationA);
  });

  it('has no deltas where a side has nothing to subtract', () => {
    const records = readInput(readFixture('pydantic-ai__compat-openrouter-reasoning-text.sse')).responses;
    const comparison = compareCalls({ records }, { records: readInput(readFixture(HELLO_RECORDING)).responses }, priceTable);
    assert.equal(comparison.cost.a, null);
    assert.equal(comparison.cost.delta, null);
    assert.equal(comparison.timing.delta.firstByteMs, null);
    assert.deepEqual(compareCalls({ records: [] }, { records }, priceTable).usage.delta, null);
  });
});

// ── the command ──────────────────────────────────────────────────────────

interface InspectJson {
  responses: Array<{ response: { output: OutputItem[] }; cost: { total: number } | null; usage: Record<string, number> | null }>;
}

function inspectJson(path: string): InspectJson {
  const result = runCli(['inspect', '--json', path]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as InspectJson;
}

function diffJson(...args: string[]): CallComparison {
  const result = runCli(['diff', '--json', ...args]);
  assert.equal(result.status, 0, result.stderr);
  assert.ok(result.stdout.endsWith('}\n'));
  return JSON.parse(result.stdout) as CallComparison;
}

function recordingPath(name: string): string {
  return writeScratch(name, readFixture(name));
}

/** A recording as a HAR call with a request body. */
function callWithRequest(name: string, request: JsonValue | string): TranscriptCall {
  const text = readFixture(name);
  const [call] = callsOfInput(name, text, readInput(text));
  assert.ok(call);
  return { ...call, requestBody: typeof request === 'string' ? request : stringifyJson(request), requestHeaders: [{ name: 'content-type', value: 'application/json' }] };
}

/** The two requests of the HAR below, and what is between them. */
function harRequests(): { a: JsonObject; b: JsonObject } {
  const a = conversationRequest();
  const b = conversationRequest();
  b.model = 'gpt-4.1';
  inputOf(b).unshift({ role: 'developer', content: 'Be brief.' });
  (inputOf(b)[2] as JsonObject).content = 'What are 4 + 5 and 4 × 5?';
  toolsOf(b).splice(1, 1);
  b.temperature = 0.5;
  return { a, b };
}

function writeHar(name: string, calls: TranscriptCall[]): string {
  return writeScratch(name, stringifyJson(buildTranscript(calls), 2));
}

describe('responses-devtools diff', () => {
  const requests = harRequests();
  const har = writeHar('two-calls.har', [callWithRequest(HELLO_RECORDING, requests.a), callWithRequest(TEXT_RECORDING, requests.b)]);

  it('compares two recordings: no request, each output as inspect gives it, the deltas', () => {
    const a = recordingPath(HELLO_RECORDING);
    const b = recordingPath(TEXT_RECORDING);
    const comparison = diffJson(a, b);
    assert.deepEqual(Object.keys(comparison), ['request', 'output', 'usage', 'cost', 'timing']);
    assert.deepEqual(comparison.request, []);
    const [inspectedA] = inspectJson(a).responses;
    const [inspectedB] = inspectJson(b).responses;
    assert.ok(inspectedA && inspectedB && inspectedA.cost && inspectedB.cost);
    assert.deepEqual(comparison.output, { a: inspectedA.response.output, b: inspectedB.response.output });
    assert.deepEqual(comparison.usage, {
      a: inspectedA.usage,
      b: inspectedB.usage,
      delta: { input: 11, cached: 0, output: -7, reasoning: 0, total: 4 },
    });
    assert.deepEqual([comparison.cost.a, comparison.cost.b], [inspectedA.cost, inspectedB.cost]);
    assert.ok(Math.abs((comparison.cost.delta as number) - (inspectedB.cost.total - inspectedA.cost.total)) < 1e-12);
    // Recordings have no receive times, and this one no completed_at.
    assert.equal(comparison.timing.a.serverDurationMs, null);
    assert.deepEqual(comparison.timing.delta, { firstByteMs: null, firstTokenMs: null, lastEventMs: null, durationMs: null, outputTokensPerSecond: null, serverDurationMs: null });
    const timed = diffJson(recordingPath(TOOLS_RECORDING), b).timing;
    assert.deepEqual([timed.a.serverDurationMs, timed.b.serverDurationMs, timed.delta.serverDurationMs], [1000, 2000, 1000]);
  });

  it('compares two calls of a HAR: the request differences, outputs as inspect gives them', () => {
    const comparison = diffJson(`${har}#1`, `${har}#2`);
    const expected: RequestDifference[] = [
      { path: 'model', change: 'changed', a: 'gpt-4o', b: 'gpt-4.1' },
      { path: 'input[0]', change: 'added', b: { role: 'developer', content: 'Be brief.' } },
      { path: 'input[2].content', change: 'changed', a: 'What are 2 + 3 and 2 × 3?', b: 'What are 4 + 5 and 4 × 5?' },
      { path: 'tools[1]', change: 'removed', a: toolsOf(requests.a)[1] as JsonValue },
      { path: 'temperature', change: 'changed', a: 1, b: 0.5 },
    ];
    assert.deepEqual(comparison.request, expected);
    assert.deepEqual(comparison.request, compareRequests(requests.a, requests.b));
    const inspected = inspectJson(har).responses;
    assert.deepEqual(comparison.output, { a: inspected[0]?.response.output, b: inspected[1]?.response.output });
    assert.deepEqual(comparison.usage.delta, { input: 11, cached: 0, output: -7, reasoning: 0, total: 4 });
    assert.ok(Math.abs((comparison.cost.delta as number) - ((inspected[1]?.cost?.total as number) - (inspected[0]?.cost?.total as number))) < 1e-12);
    // A recording against a HAR call: the recording has no request.
    const mixed = diffJson(recordingPath(HELLO_RECORDING), `${har}#2`);
    assert.deepEqual(mixed.request, [{ path: '', change: 'added', b: requests.b }]);
    // The same call on both sides.
    assert.deepEqual(diffJson(`${har}#2`, `${har}#2`).request, []);
  });

  it('reads a HAR of one call without #N, and a request body that is no JSON as text', () => {
    const single = writeHar('one-call.har', [callWithRequest(TEXT_RECORDING, 'model=gpt-4o&input=hi')]);
    const comparison = diffJson(single, `${har}#1`);
    assert.deepEqual(comparison.request, [{ path: '', change: 'changed', a: 'model=gpt-4o&input=hi', b: requests.a }]);
  });

  it('prints a readable text: each difference on its line, both outputs, the deltas', () => {
    const result = runCli(['diff', `${har}#1`, `${har}#2`]);
    assert.equal(result.status, 0, result.stderr);
    const text = result.stdout;
    assert.match(text, /^A {2}.*two-calls\.har#1 {2}\(resp_\w+, gpt-4\.1-nano-2025-04-14, completed\)\nB {2}.*two-calls\.har#2 {2}\(resp_\w+, gpt-4o-2024-08-06, completed\)\n/);
    assert.match(text, /\nRequest \(5 differences\)\n/);
    assert.match(text, /\n {2}~ model: "gpt-4o" → "gpt-4\.1"\n/);
    assert.match(text, /\n {2}\+ input\[0\]: \{"role":"developer","content":"Be brief\."\}\n/);
    assert.match(text, /\n {2}~ input\[2\]\.content: "What are 2 \+ 3 and 2 × 3\?" → "What are 4 \+ 5 and 4 × 5\?"\n/);
    assert.match(text, /\n {2}- tools\[1\]: \{"type":"function","description":"Multiply two numbers",.{20,}… \(\d+ chars\)\n/);
    assert.match(text, /\n {2}~ temperature: 1 → 0\.5\n/);
    assert.match(text, /\nOutput A \(1 item\)\n {2}\[0\] message \(assistant\) \[completed\]\n\s+Hello! How can I assist you today\?\n/);
    assert.match(text, /\nOutput B \(1 item\)\n {2}\[0\] message \(assistant\) \[completed\]\n\s+Olá!\n/);
    assert.match(text, /\n {2}input +9 +20 +\+11\n/);
    assert.match(text, /\n {2}output +10 +3 +-7\n/);
    assert.match(text, /\n {2}total +\$0\.0000049 +\$0\.00008 +\+\$0\.0000751\n/);
    assert.match(text, /\nTiming\n {2}server time +n\/a +2000 ms +n\/a\n$/);

    const same = runCli(['diff', recordingPath(HELLO_RECORDING), recordingPath(HELLO_RECORDING)]);
    assert.match(same.stdout, /\nRequest\n {2}\(neither call has a request body: a recording has none\)\n/);
    assert.match(same.stdout, /\nOutput \(the same in A and B, 1 item\)\n/);
  });

  it('escapes control characters in the text', () => {
    const a = conversationRequest();
    const b = conversationRequest();
    b.instructions = 'Ring \u0007 and \u001b[31mred\u009b';
    const controlled = writeHar('control.har', [callWithRequest(HELLO_RECORDING, a), callWithRequest(HELLO_RECORDING, b)]);
    const result = runCli(['diff', `${controlled}#1`, `${controlled}#2`]);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    assert.match(result.stdout, /~ instructions: "You are a careful calculator\." → "Ring \\u0007 and \\u001b\[31mred\\u009b"/);
  });

  it('reads a path holding "#" that exists as that file', () => {
    const path = writeScratch('odd#2.sse', readFixture(HELLO_RECORDING));
    assert.deepEqual(diffJson(path, `${path}#1`).request, []);
  });

  it('fails with one clear line and exit 2 for a call it cannot pick, exit 1 for a file it cannot read', () => {
    const recording = recordingPath(HELLO_RECORDING);
    const unreadable = writeScratch('plain.txt', 'just some words\n');
    const cases: Array<[string[], number, RegExp]> = [
      [[har, recording], 2, /two-calls\.har has 2 Responses calls: pick one with .*two-calls\.har#N \(N from 1 to 2\)/],
      [[`${har}#0`, recording], 2, /two-calls\.har#0: the N of FILE#N is a call number, from 1/],
      [[`${har}#x`, recording], 2, /two-calls\.har#x: the N of FILE#N is a call number, from 1/],
      [[`${har}#`, recording], 2, /two-calls\.har#: the N of FILE#N is a call number, from 1/],
      [[`${har}#3`, recording], 2, /two-calls\.har#3: .*two-calls\.har has 2 Responses calls$/],
      [[recording, `${recording}#2`], 2, /seed__hello-gpt-4\.1-nano\.sse#2: .* has 1 Responses call$/],
      [[recording], 2, /diff takes two calls/],
      [[recording, recording, recording], 2, /diff takes two calls/],
      [['--color', recording, recording], 2, /unknown option --color/],
      [['-', '-'], 2, /not both/],
      [[`${scratch}/missing.sse`, recording], 1, /cannot read .*missing\.sse: no such file/],
      [[recording, `${scratch}/missing.har#2`], 1, /cannot read .*missing\.har: no such file/],
      [[recording, unreadable], 1, /plain\.txt: not a Server-Sent Events stream/],
    ];
    for (const [args, status, message] of cases) {
      const result = runCli(['diff', ...args]);
      assert.equal(result.status, status, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      const [first, ...rest] = result.stderr.trimEnd().split('\n');
      assert.match(first ?? '', /^responses-devtools: /);
      assert.match(first ?? '', message);
      if (status === 1) assert.equal(rest.length, 0, result.stderr);
      else assert.match(rest.join('\n'), /responses-devtools diff \[--json\] A B/);
    }
  });

  it('reads one side from stdin', () => {
    const result = runCli(['diff', '--json', '-', recordingPath(TEXT_RECORDING)], readFixture(HELLO_RECORDING));
    assert.equal(result.status, 0, result.stderr);
    const comparison = JSON.parse(result.stdout) as CallComparison;
    assert.deepEqual(comparison.usage.delta, { input: 11, cached: 0, output: -7, reasoning: 0, total: 4 });
  });
});

describe('responses-devtools diff: credentials', () => {
  it('masks credentials in the request bodies it compares, as every view does', () => {
    const har = writeScratch('planted-diff.har', JSON.stringify(plantedHar()));
    const result = runCli(['diff', '--json', `${har}#1`, `${har}#2`]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(leakedSecrets(result.stdout), []);
    const text = runCli(['diff', `${har}#1`, `${har}#2`]);
    assert.equal(text.status, 0, text.stderr);
    assert.deepEqual(leakedSecrets(text.stdout), []);
  });
});
