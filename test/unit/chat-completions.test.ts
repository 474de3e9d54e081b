import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import {
  readResponsesBody,
  ResponseReplay,
  ResponsesStreamReader,
  type JsonObject,
  type JsonValue,
  type OutputItem,
  type ResponseRecord,
} from '../../extension/core/index.ts';
import { createChatCompletionsTranslator } from '../../extension/core/chat-completions.ts';
import { translatorFor } from '../../extension/core/translators.ts';
import { fixtureFolder, randomChunks, seededRandom } from '../helpers/streams.ts';

const folder = fixtureFolder('chat-completions-streams');
const FIXTURE_DIR = folder.dir;
const fixtureNames = folder.names;
const readFixtureBytes = folder.bytes;

/** The JSON of every `data:` frame of a recording, in order (`[DONE]` and comments left out). */
function chunksOf(text: string): JsonObject[] {
  const chunks: JsonObject[] = [];
  for (const frame of text.split(/\n\n/)) {
    const data = frame
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.replace(/^data: ?/, ''))
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    chunks.push(JSON.parse(data) as JsonObject);
  }
  return chunks;
}

/** A stream of chunks as a server sends it. */
function sse(chunks: Array<JsonObject | string>, done = true): string {
  return chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

type SdkOutcome = { completion: JsonObject; error?: undefined } | { completion?: undefined; error: Error };

/** What openai-node's `ChatCompletionStream` gives for a body: its final completion, or the error it throws. */
async function sdkFinal(body: Uint8Array | string): Promise<SdkOutcome> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
  const client = new OpenAI({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(bytes, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  try {
    const stream = client.chat.completions.stream({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }] });
    return { completion: (await stream.finalChatCompletion()) as unknown as JsonObject };
  } catch (error) {
    return { error: error as Error };
  }
}

function only(body: Uint8Array | string): ResponseRecord {
  const { responses } = readResponsesBody(body);
  assert.equal(responses.length, 1, 'one response');
  return responses[0] as ResponseRecord;
}

/** A body read as the panel reads a call whose URL names the protocol (a first frame may not tell). */
function onlyAsChatCompletions(body: string): ResponseRecord {
  const reader = new ResponsesStreamReader({ protocol: 'chat.completions' });
  reader.push(body);
  reader.end();
  assert.equal(reader.responses.length, 1, 'one response');
  return reader.responses[0] as ResponseRecord;
}

/** The tool call ids the SDK makes up (random) and ours (by place) both become one mark. */
function withoutMadeUpIds(value: JsonValue | undefined): JsonValue | undefined {
  return JSON.parse(JSON.stringify(value ?? null).replace(/"call_[0-9a-f-]{36}"|"call_\d+_\d+"/g, '"call_(made up)"')) as JsonValue;
}

function itemsOf(record: ResponseRecord, type: string): OutputItem[] {
  return record.response.output.filter((item) => item.type === type);
}

function textOf(record: ResponseRecord): string {
  return itemsOf(record, 'message')
    .flatMap((item) => (item.content as JsonObject[]).filter((part) => part.type === 'output_text').map((part) => part.text as string))
    .join('');
}

function reasoningOf(record: ResponseRecord): string {
  return itemsOf(record, 'reasoning')
    .flatMap((item) => ((item.content ?? []) as JsonObject[]).map((part) => part.text as string))
    .join('');
}

function messageOf(completion: JsonObject, choice = 0): JsonObject {
  return ((completion.choices as JsonObject[])[choice] as JsonObject).message as JsonObject;
}

/** Each delta's value of `key`, joined: what a reader of the raw chunks makes of it. */
function joinedDeltas(text: string, read: (delta: JsonObject) => JsonValue | undefined): string {
  let joined = '';
  for (const chunk of chunksOf(text)) {
    for (const choice of (chunk.choices ?? []) as JsonObject[]) {
      const value = read((choice.delta ?? {}) as JsonObject);
      if (typeof value === 'string') joined += value;
    }
  }
  return joined;
}

function readInChunks(bytes: Uint8Array, seed: number, maxChunk: number): ResponseRecord[] {
  const reader = new ResponsesStreamReader();
  for (const chunk of randomChunks(bytes, seededRandom(seed), maxChunk)) reader.push(chunk);
  reader.end();
  return reader.responses;
}

/** Everything a record shows, for comparing two readings of one stream. */
function shownBy(record: ResponseRecord): JsonObject {
  return JSON.parse(
    JSON.stringify({ protocol: record.protocol, result: record.result, response: record.response, usage: record.usage, warnings: record.warnings, types: record.events.map((event) => event.type) }),
  ) as JsonObject;
}

/** The hand-checked usage of each recording (from its last usage object), normalised. */
const EXPECTED_USAGE: Record<string, { input: number; cached: number; cacheWrite?: number; output: number; reasoning: number; total: number } | null> = {
  'dd-trace-py__cached-tokens-usage-gpt-4o.sse': { input: 1420, cached: 1280, output: 100, reasoning: 0, total: 1520 },
  'dd-trace-py__compat-deepseek-usage-every-chunk-deepseek-chat.sse': { input: 12, cached: 0, output: 8, reasoning: 0, total: 20 },
  'fantasy__compat-llamacpp-reasoning-tool-call-gpt-oss-20b.sse': { input: 139, cached: 0, output: 41, reasoning: 0, total: 180 },
  // xAI counts reasoning beside the completion: 432 + 68 + 136 = 636, kept as sent.
  'fantasy__compat-xai-whole-tool-calls-one-chunk-grok-4-fast.sse': { input: 432, cached: 153, output: 68, reasoning: 136, total: 636 },
  // Azure's older api-version sends no usage.
  'openllmetry__azure-prompt-filter-first-chunk-gpt-4.1-mini.sse': null,
  'pydantic-ai__compat-deepseek-reasoning-content-deepseek-reasoner.sse': { input: 6, cached: 0, output: 212, reasoning: 198, total: 218 },
  'pydantic-ai__compat-groq-error-event-mid-stream-gpt-oss-120b.sse': null,
  'pydantic-ai__compat-mistral-content-array-thinking-magistral-medium.sse': { input: 10, cached: 0, output: 232, reasoning: 0, total: 242 },
  'pydantic-ai__compat-openrouter-url-citation-annotations-deepseek-chat.sse': { input: 2317, cached: 0, cacheWrite: 0, output: 53, reasoning: 0, total: 2370 },
  'pydantic-ai__parallel-tool-calls-include-usage-gpt-4o.sse': { input: 364, cached: 0, output: 40, reasoning: 0, total: 404 },
  'vercel-ai__long-text-obfuscation-gpt-4.1-nano.sse': { input: 16, cached: 0, output: 300, reasoning: 0, total: 316 },
};

/** The recordings on which openai-node throws, and what it throws. */
const SDK_THROWS: Record<string, RegExp> = {
  'pydantic-ai__compat-groq-error-event-mid-stream-gpt-oss-120b.sse': /^Tool call validation failed/,
};

/** The recordings whose content is not all text: the SDK's `content` is not what the panel shows. */
const CONTENT_ARRAYS = new Set(['pydantic-ai__compat-mistral-content-array-thinking-magistral-medium.sse']);

describe('Chat Completions recordings, against openai-node', () => {
  const names = fixtureNames();

  it('has the recordings of its folder, with their sources', () => {
    assert.ok(names.length >= 11, `found ${names.length}`);
    assert.deepEqual(Object.keys(EXPECTED_USAGE).sort(), names);
    assert.match(readFileSync(join(FIXTURE_DIR, 'SOURCES.md'), 'utf8'), /Licences:/);
  });

  for (const name of names) {
    describe(name, () => {
      const bytes = readFixtureBytes(name);
      const text = new TextDecoder().decode(bytes);

      it('gives the completion finalChatCompletion() gives (or fails where it throws)', async () => {
        const record = only(bytes);
        assert.equal(record.protocol, 'chat.completions');
        const sdk = await sdkFinal(bytes);
        const throws = SDK_THROWS[name];
        if (throws) {
          assert.ok(sdk.error, 'openai-node throws on this stream');
          assert.match(sdk.error.message, throws);
          assert.equal(record.response.status, 'failed');
          assert.equal(record.response.error?.message, sdk.error.message);
          return;
        }
        assert.ok(sdk.completion, `openai-node threw: ${sdk.error?.message}`);
        assert.deepStrictEqual(record.result, sdk.completion);
      });

      it('assembles with no warning unless the stream reports an error', () => {
        const record = only(bytes);
        const expected = SDK_THROWS[name] ? ['error_event'] : [];
        assert.deepEqual(
          record.warnings.map((warning) => warning.code),
          expected,
          record.warnings.map((warning) => warning.message).join('\n'),
        );
        assert.equal(record.response.object, 'response');
        assert.equal(record.events[0]?.type, 'chat.completion.chunk');
        assert.equal(record.assembler.sawCreated, true);
      });

      it('shows the text, reasoning and tool calls the stream carries', async () => {
        const record = only(bytes);
        const sdk = await sdkFinal(bytes);
        const reasoning = joinedDeltas(text, (delta) => delta.reasoning_content ?? delta.reasoning);
        if (!CONTENT_ARRAYS.has(name)) {
          assert.equal(textOf(record), joinedDeltas(text, (delta) => delta.content));
          assert.equal(reasoningOf(record), reasoning);
        }
        if (!sdk.completion) return;
        const message = messageOf(sdk.completion);
        if (!CONTENT_ARRAYS.has(name)) assert.equal(textOf(record), message.content ?? '');
        const calls = itemsOf(record, 'function_call').map((item) => ({ id: item.call_id, name: item.name, arguments: item.arguments, status: item.status }));
        const sdkCalls = ((message.tool_calls ?? []) as JsonObject[]).map((call) => {
          const fn = call.function as JsonObject;
          return { id: call.id, name: fn.name, arguments: fn.arguments, status: 'completed' };
        });
        assert.deepEqual(calls, sdkCalls);
        for (const item of record.response.output) assert.equal(item.status, record.response.status === 'incomplete' ? 'incomplete' : 'completed');
      });

      it('normalises the usage', () => {
        assert.deepEqual(only(bytes).usage, EXPECTED_USAGE[name]);
      });

      it('reads the same whatever the chunking', () => {
        const whole = shownBy(only(bytes));
        for (const [seed, maxChunk] of [
          [1, 1],
          [2, 7],
          [3, 64],
          [4, 4096],
        ] as const) {
          const records = readInChunks(bytes, seed, maxChunk);
          assert.equal(records.length, 1);
          assert.deepStrictEqual(shownBy(records[0] as ResponseRecord), whole, `chunks of up to ${maxChunk} bytes`);
        }
      });

      it('replays to the same result, from any event', () => {
        const record = only(bytes);
        const replay = new ResponseReplay(record, { minimumSpacing: 3 });
        for (let count = 0; count <= replay.eventCount; count++) {
          const state = replay.at(count);
          assert.ok(typeof state.result === 'object');
        }
        const end = replay.at(replay.eventCount);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(end.result)), JSON.parse(JSON.stringify(record.result)));
        assert.deepStrictEqual(end.response, record.response);
        const middle = replay.at(Math.floor(replay.eventCount / 2));
        assert.deepStrictEqual(replay.at(Math.floor(replay.eventCount / 2)).response, middle.response);
      });
    });
  }
});

describe('the quirks of the recordings', () => {
  const recording = (name: string) => readFixtureBytes(name);

  it("Azure: the first chunk's empty id is not the response's; its prompt_filter_results stay in the result", () => {
    const record = only(recording('openllmetry__azure-prompt-filter-first-chunk-gpt-4.1-mini.sse'));
    const created = JSON.parse(record.events[1]?.data ?? '{}') as JsonObject;
    assert.equal(created.id, 'chatcmpl-DPTBaSsimU1JbOyrWiQNkSSfOPQE7');
    assert.equal(record.response.id, 'chatcmpl-DPTBaSsimU1JbOyrWiQNkSSfOPQE7');
    assert.equal(record.response.model, 'gpt-4.1-mini-2025-04-14');
    assert.equal(record.response.created_at, 1774962762);
    assert.equal(record.result.id, 'chatcmpl-DPTBaSsimU1JbOyrWiQNkSSfOPQE7');
    assert.equal(record.result.created, 1774962762);
    assert.ok(Array.isArray(record.result.prompt_filter_results));
    assert.equal(record.result.obfuscation, undefined);
    assert.deepEqual(((record.result.choices as JsonObject[])[0] as JsonObject).content_filter_results, {});
  });

  it('DeepSeek: a usage on every chunk, the last one counts', () => {
    const record = only(recording('dd-trace-py__compat-deepseek-usage-every-chunk-deepseek-chat.sse'));
    assert.deepEqual(record.result.usage, { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 });
    assert.equal(record.response.usage?.total_tokens, 20);
  });

  it('DeepSeek: reasoning_content is a reasoning item; the SDK keeps only the last delta of it (null)', () => {
    const name = 'pydantic-ai__compat-deepseek-reasoning-content-deepseek-reasoner.sse';
    const record = only(recording(name));
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['reasoning', 'message'],
    );
    assert.ok(reasoningOf(record).startsWith('Hmm, the user just said "Hello".'));
    assert.equal(messageOf(record.result).reasoning_content, null);
    assert.equal(record.response.usage?.output_tokens_details?.reasoning_tokens, 198);
  });

  it('DeepSeek: prompt_cache_hit_tokens are the cached tokens when there are no details', () => {
    const record = only(
      sse([
        { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'deepseek-chat', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] },
        { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'deepseek-chat', choices: [], usage: { prompt_tokens: 50, completion_tokens: 1, total_tokens: 51, prompt_cache_hit_tokens: 32, prompt_cache_miss_tokens: 18 } },
      ]),
    );
    assert.deepEqual(record.usage, { input: 50, cached: 32, output: 1, reasoning: 0, total: 51 });
  });

  it("Mistral: thinking parts are reasoning, text the message; the SDK's content is those arrays written as strings", async () => {
    const name = 'pydantic-ai__compat-mistral-content-array-thinking-magistral-medium.sse';
    const bytes = recording(name);
    const text = new TextDecoder().decode(bytes);
    const record = only(bytes);
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['reasoning', 'message'],
    );
    const thinking = joinedDeltas(text, (delta) =>
      Array.isArray(delta.content)
        ? (delta.content as JsonObject[]).flatMap((part) => (part.thinking as JsonObject[]).map((piece) => piece.text as string)).join('')
        : undefined,
    );
    assert.ok(thinking.startsWith('Okay, the user'));
    assert.equal(reasoningOf(record), thinking);
    const answer = joinedDeltas(text, (delta) => (typeof delta.content === 'string' ? delta.content : undefined));
    assert.ok(answer.startsWith('To cross the street safely'));
    assert.equal(textOf(record), answer);
    const sdk = await sdkFinal(bytes);
    assert.equal(messageOf(sdk.completion as JsonObject).content, '[object Object]'.repeat(58) + answer);
    assert.equal(messageOf(record.result).content, messageOf(sdk.completion as JsonObject).content);
  });

  it('xAI: whole tool calls in one chunk each; total_tokens as sent', () => {
    const record = only(recording('fantasy__compat-xai-whole-tool-calls-one-chunk-grok-4-fast.sse'));
    assert.deepEqual(
      itemsOf(record, 'function_call').map((item) => [item.name, item.call_id, item.arguments]),
      [
        ['add', 'call_55070233', '{"a":2,"b":3}'],
        ['multiply', 'call_12016531', '{"a":2,"b":3}'],
      ],
    );
    assert.equal(record.response.usage?.total_tokens, 636);
    assert.notEqual(record.response.usage?.total_tokens, (record.response.usage?.input_tokens ?? 0) + (record.response.usage?.output_tokens ?? 0));
    assert.equal((record.result.usage as JsonObject).num_sources_used, 0);
  });

  it('OpenRouter: comments pass, every url_citation is an annotation on the text; the SDK keeps the last chunk’s only', () => {
    const record = only(recording('pydantic-ai__compat-openrouter-url-citation-annotations-deepseek-chat.sse'));
    const [message] = itemsOf(record, 'message');
    const part = (message?.content as JsonObject[])[0] as JsonObject;
    const annotations = part.annotations as JsonObject[];
    assert.equal(annotations.length, 5);
    assert.deepEqual(annotations[0], { type: 'url_citation', url: 'https://github.com/pydantic/pydantic-ai', title: 'AI Agent Framework, the Pydantic way - GitHub', start_index: 0, end_index: 0 });
    const sdkAnnotations = messageOf(record.result).annotations as JsonObject[];
    assert.equal(sdkAnnotations.length, 1);
    assert.equal((sdkAnnotations[0]?.url_citation as JsonObject).url, annotations[4]?.url);
    assert.equal(record.result.provider, 'OpenAI');
    assert.equal(((record.result.choices as JsonObject[])[0] as JsonObject).native_finish_reason, 'stop');
  });

  it('Groq: the event: error frame fails the response with its error, kept whole', () => {
    const record = only(recording('pydantic-ai__compat-groq-error-event-mid-stream-gpt-oss-120b.sse'));
    assert.equal(record.events.at(-1)?.type, 'error');
    assert.equal(record.response.status, 'failed');
    assert.equal(record.response.error?.code, 'tool_use_failed');
    assert.equal(record.response.error?.type, 'invalid_request_error');
    assert.match(String(record.response.error?.failed_generation), /get_something_by_name/);
    assert.ok(reasoningOf(record).startsWith('We need to call'));
    assert.equal(itemsOf(record, 'reasoning')[0]?.status, 'incomplete');
    assert.equal(record.translator?.done, true);
    // Where the SDK threw: the completion it had built, its choice not finished.
    assert.equal(((record.result.choices as JsonObject[])[0] as JsonObject).finish_reason, null);
  });

  it('llama.cpp: reasoning then a streamed tool call; its timings stay in the result', () => {
    const record = only(recording('fantasy__compat-llamacpp-reasoning-tool-call-gpt-oss-20b.sse'));
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['reasoning', 'function_call'],
    );
    assert.equal(itemsOf(record, 'function_call')[0]?.arguments, '{"location":"Florence, Italy"}');
    assert.equal((record.result.timings as JsonObject).cache_n, 138);
  });

  it('finish_reason length: incomplete, for max_output_tokens', () => {
    const record = only(recording('dd-trace-py__cached-tokens-usage-gpt-4o.sse'));
    assert.equal(record.response.status, 'incomplete');
    assert.deepEqual(record.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(record.usage?.cached, 1280);
  });

  it('a recording with no [DONE] ends at the body’s end', () => {
    const record = only(recording('vercel-ai__long-text-obfuscation-gpt-4.1-nano.sse'));
    assert.ok(!record.eventTypes.has('[DONE]'));
    assert.equal(record.response.status, 'completed');
  });
});

/** A chunk of a made-up stream. */
function chunk(choices: JsonValue[], extra: JsonObject = {}): JsonObject {
  return { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-test', choices, ...extra };
}

/** Made-up streams for what the recordings do not show, each compared with openai-node. */
const MADE_UP: Record<string, string> = {
  'n=2, interleaved, each choice with its tool call': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }]),
    chunk([{ index: 1, delta: { role: 'assistant', content: null }, finish_reason: null }]),
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }]),
    chunk([{ index: 1, delta: { tool_calls: [{ index: 0, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }]),
    chunk([{ index: 1, delta: { tool_calls: [{ index: 0, function: { arguments: '{"zone":' } }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, finish_reason: null }]),
    chunk([{ index: 1, delta: { tool_calls: [{ index: 0, function: { arguments: '"CET"}' } }] }, finish_reason: null }]),
    chunk([{ index: 1, delta: {}, finish_reason: 'tool_calls' }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
    chunk([], { usage: { prompt_tokens: 20, completion_tokens: 30, total_tokens: 50 } }),
  ]),
  'n=2, text in both': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }]),
    chunk([{ index: 1, delta: { role: 'assistant', content: 'Bon' }, finish_reason: null }]),
    chunk([
      { index: 0, delta: { content: 'lo' }, finish_reason: 'stop' },
      { index: 1, delta: { content: 'jour' }, finish_reason: null },
    ]),
    chunk([{ index: 1, delta: {}, finish_reason: 'length' }]),
  ]),
  'a refusal': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: null, refusal: '' }, finish_reason: null }]),
    chunk([{ index: 0, delta: { refusal: "I'm sorry, " }, finish_reason: null }]),
    chunk([{ index: 0, delta: { refusal: "I can't help with that." }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
  ]),
  'logprobs': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: { content: [{ token: 'Hi', logprob: -0.1, bytes: [72, 105], top_logprobs: [] }], refusal: null }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: '!' }, logprobs: { content: [{ token: '!', logprob: -0.2, bytes: [33], top_logprobs: [] }], refusal: null }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
  ]),
  'a content filter': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: 'Once' }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'content_filter' }]),
  ]),
  'the legacy function_call': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '' } }, finish_reason: null }]),
    chunk([{ index: 0, delta: { function_call: { arguments: '{"q":"x"}' } }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'function_call' }]),
  ]),
  'a tool call with no id': sse([
    chunk([{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
  ]),
  'Groq: usage only in x_groq': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: 'Yes' }, finish_reason: null }], { x_groq: { id: 'req_1' } }),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }], { x_groq: { id: 'req_1', usage: { queue_time: 0.01, prompt_tokens: 9, prompt_time: 0.001, completion_tokens: 2, completion_time: 0.002, total_tokens: 11, total_time: 0.003 } } }),
  ]),
  'Writer: every choice carries a message as well as its delta, and no [DONE]': sse(
    [
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Hel' }, message: { role: 'assistant', content: 'Hel', tool_calls: [] }, finish_reason: null }], { service_tier: null }),
      chunk([{ index: 0, delta: { content: 'lo' }, message: { role: 'assistant', content: 'lo', tool_calls: [] }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, message: { role: 'assistant', content: '', tool_calls: [] }, finish_reason: 'stop' }]),
    ],
    false,
  ),
  'moderation_results in a late chunk, beside usage: null': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: 'Fine.' }, finish_reason: null }], { usage: null }),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }], { usage: null }),
    chunk([], { usage: null, moderation_results: [{ flagged: false, categories: { violence: false }, category_scores: { violence: 0.001 } }] }),
    chunk([], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
  ]),
  'a __proto__ key in a delta': sse([
    '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"a","__proto__":{"polluted":true}},"finish_reason":null}]}',
    chunk([{ index: 0, delta: { content: 'b' }, finish_reason: 'stop' }]),
  ]),
  'a custom tool call': sse([
    chunk([{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_c', type: 'custom', custom: { name: 'grammar', input: 'SELECT' } }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, custom: { input: ' 1' } }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
  ]),
  'OpenRouter reasoning with reasoning_details': sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: '', reasoning: 'Let me', reasoning_details: [{ type: 'reasoning.text', text: 'Let me', index: 0 }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: '', reasoning: ' think.', reasoning_details: [{ type: 'reasoning.text', text: ' think.', index: 0 }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: '4' }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: '' }, finish_reason: 'stop' }], { usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14, completion_tokens_details: { reasoning_tokens: 7 } } }),
  ]),
};

/** Made-up streams on which openai-node throws: the core fails the response with the same message. */
const MADE_UP_THROWING: Record<string, { body: string; message: RegExp; warnings: string[] }> = {
  'a stream cut before its finish_reason': {
    body: sse([chunk([{ index: 0, delta: { role: 'assistant', content: 'Half a sen' }, finish_reason: null }])], false),
    message: /^missing finish_reason for choice 0$/,
    warnings: [],
  },
  'OpenRouter: an error chunk after a finish_reason length': {
    body: sse([
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Long' }, finish_reason: null }], { provider: 'Google' }),
      chunk([{ index: 0, delta: { content: '' }, finish_reason: 'length', native_finish_reason: 'MAX_TOKENS' }], { provider: 'Google' }),
      chunk([{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }], { provider: 'Google', error: { code: 502, message: 'Token limit reached' } }),
    ]),
    message: /^Token limit reached$/,
    warnings: ['error_event'],
  },
  'a tool call with no type': {
    body: sse([
      chunk([{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id: 'call_x', function: { name: 'f', arguments: '{}' } }] }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
    ]),
    message: /^tool call snapshot missing `type`$/,
    warnings: [],
  },
  'a choice index past the SDK’s bound': {
    body: sse([chunk([{ index: 200, delta: { role: 'assistant', content: 'x' }, finish_reason: 'stop' }])]),
    message: /^Chat completion stream contains an invalid choice index: 200$/,
    warnings: [],
  },
  'a delta with no role': {
    body: sse([chunk([{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }])]),
    message: /^missing role for choice 0$/,
    warnings: [],
  },
  'a bare error frame first': {
    body: 'event: error\ndata: {"error":{"message":"Rate limit reached","type":"rate_limit_error","code":"rate_limit_exceeded"}}\n\n',
    message: /^Rate limit reached$/,
    warnings: ['error_event'],
  },
};

describe('made-up streams, against openai-node', () => {
  for (const [title, body] of Object.entries(MADE_UP)) {
    it(title, async () => {
      const record = only(body);
      const sdk = await sdkFinal(body);
      assert.ok(sdk.completion, `openai-node threw: ${sdk.error?.message}`);
      assert.deepStrictEqual(withoutMadeUpIds(record.result), withoutMadeUpIds(sdk.completion));
      assert.deepEqual(
        record.warnings.map((warning) => warning.message),
        [],
      );
    });
  }

  for (const [title, { body, message, warnings }] of Object.entries(MADE_UP_THROWING)) {
    it(`${title}: the SDK throws, the response fails`, async () => {
      const record = onlyAsChatCompletions(body);
      const sdk = await sdkFinal(body);
      assert.ok(sdk.error, 'openai-node throws');
      assert.match(sdk.error.message, message);
      assert.equal(record.response.status, 'failed');
      assert.equal(record.response.error?.message, sdk.error.message);
      assert.deepEqual(
        record.warnings.map((warning) => warning.code),
        warnings,
      );
    });
  }

  it('moderation_results stay in the result', () => {
    const record = only(MADE_UP['moderation_results in a late chunk, beside usage: null'] as string);
    assert.ok(Array.isArray(record.result.moderation_results));
    assert.deepEqual(record.usage, { input: 3, cached: 0, output: 2, reasoning: 0, total: 5 });
  });

  it('two recordings one after the other are two responses, each the SDK’s', async () => {
    const first = 'dd-trace-py__compat-deepseek-usage-every-chunk-deepseek-chat.sse';
    const second = 'pydantic-ai__parallel-tool-calls-include-usage-gpt-4o.sse';
    const text = [first, second].map((name) => new TextDecoder().decode(readFixtureBytes(name))).join('');
    const { responses } = readResponsesBody(text);
    assert.equal(responses.length, 2);
    for (const [position, name] of [first, second].entries()) {
      const sdk = await sdkFinal(readFixtureBytes(name));
      assert.deepStrictEqual(responses[position]?.result, sdk.completion);
      assert.deepEqual(responses[position]?.warnings, []);
    }
  });

  it('a __proto__ key stays an own field, as the SDK keeps it', () => {
    const record = only(MADE_UP['a __proto__ key in a delta'] as string);
    const message = messageOf(record.result);
    assert.ok(Object.prototype.hasOwnProperty.call(message, '__proto__'));
    assert.equal(Object.getPrototypeOf(message), Object.prototype);
    assert.equal(({} as JsonObject).polluted, undefined);
  });
});

describe('the Responses view of made-up streams', () => {
  it('n=2: the second choice’s items after the first’s, each with its own tool call', () => {
    const record = only(MADE_UP['n=2, interleaved, each choice with its tool call'] as string);
    assert.deepEqual(
      record.response.output.map((item) => [item.type, item.name, item.call_id, item.arguments, item.status]),
      [
        ['function_call', 'get_weather', 'call_a', '{"city":"Paris"}', 'completed'],
        ['function_call', 'get_time', 'call_b', '{"zone":"CET"}', 'completed'],
      ],
    );
    assert.equal(record.response.status, 'completed');
    assert.deepEqual(record.usage, { input: 20, cached: 0, output: 30, reasoning: 0, total: 50 });
  });

  it('n=2: one choice cut by length leaves the response incomplete', () => {
    const record = only(MADE_UP['n=2, text in both'] as string);
    assert.deepEqual(
      record.response.output.map((item) => [(item.content as JsonObject[])[0]?.text, item.status]),
      [
        ['Hello', 'completed'],
        ['Bonjour', 'incomplete'],
      ],
    );
    assert.equal(record.response.status, 'incomplete');
    assert.deepEqual(record.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.deepEqual(record.warnings, []);
  });

  it('a refusal is a refusal part', () => {
    const record = only(MADE_UP['a refusal'] as string);
    assert.deepEqual((record.response.output[0]?.content as JsonObject[]).map((part) => part.type), ['refusal']);
    assert.equal((record.response.output[0]?.content as JsonObject[])[0]?.refusal, "I'm sorry, I can't help with that.");
    assert.equal(messageOf(record.result).refusal, "I'm sorry, I can't help with that.");
  });

  it('logprobs go on the text part', () => {
    const record = only(MADE_UP['logprobs'] as string);
    const part = (record.response.output[0]?.content as JsonObject[])[0] as JsonObject;
    assert.deepEqual(
      (part.logprobs as JsonObject[]).map((entry) => entry.token),
      ['Hi', '!'],
    );
  });

  it('content_filter: incomplete for content_filter', () => {
    const record = only(MADE_UP['a content filter'] as string);
    assert.equal(record.response.status, 'incomplete');
    assert.deepEqual(record.response.incomplete_details, { reason: 'content_filter' });
  });

  it('the legacy function_call and a custom tool call are tool call items', () => {
    const legacy = only(MADE_UP['the legacy function_call'] as string);
    assert.deepEqual(
      legacy.response.output.map((item) => [item.type, item.name, item.arguments]),
      [['function_call', 'lookup', '{"q":"x"}']],
    );
    const custom = only(MADE_UP['a custom tool call'] as string);
    assert.deepEqual(
      custom.response.output.map((item) => [item.type, item.name, item.call_id, item.input]),
      [['custom_tool_call', 'grammar', 'call_c', 'SELECT 1']],
    );
  });

  it('a tool call with no id gets the id the result gives it', () => {
    const record = only(MADE_UP['a tool call with no id'] as string);
    const call = ((messageOf(record.result).tool_calls as JsonObject[])[0] as JsonObject).id;
    assert.equal(record.response.output[0]?.call_id, call);
  });

  it('Groq: x_groq.usage when there is no top-level usage', () => {
    const record = only(MADE_UP['Groq: usage only in x_groq'] as string);
    assert.deepEqual(record.usage, { input: 9, cached: 0, output: 2, reasoning: 0, total: 11 });
    const both = only(
      sse([
        chunk([{ index: 0, delta: { role: 'assistant', content: 'Yes' }, finish_reason: 'stop' }], {
          x_groq: { id: 'r', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
          usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
        }),
      ]),
    );
    assert.deepEqual(both.usage, { input: 9, cached: 0, output: 2, reasoning: 0, total: 11 });
  });

  it('OpenRouter: reasoning is read once, not from both reasoning and reasoning_details', () => {
    const record = only(MADE_UP['OpenRouter reasoning with reasoning_details'] as string);
    assert.equal(reasoningOf(record), 'Let me think.');
    assert.equal(textOf(record), '4');
    assert.equal(record.usage?.reasoning, 7);
  });

  it('a cut stream: its items end incomplete, the response failed as the SDK does', () => {
    const record = only(MADE_UP_THROWING['a stream cut before its finish_reason']?.body as string);
    assert.equal(textOf(record), 'Half a sen');
    assert.equal(record.response.output[0]?.status, 'incomplete');
    assert.equal(record.response.error?.code, 'invalid_stream');
  });

  it('OpenRouter error chunk: failed with the chunk’s error, code as text', () => {
    const record = only(MADE_UP_THROWING['OpenRouter: an error chunk after a finish_reason length']?.body as string);
    assert.equal(record.response.error?.code, '502');
    assert.equal(textOf(record), 'Long');
  });
});

describe('the translator itself', () => {
  const name = 'pydantic-ai__parallel-tool-calls-include-usage-gpt-4o.sse';
  const chunks = chunksOf(new TextDecoder().decode(readFixtureBytes(name)));

  it('is the one registered for chat.completions', () => {
    assert.equal(translatorFor('chat.completions')?.protocol, 'chat.completions');
  });

  it('clones independently', () => {
    const translator = createChatCompletionsTranslator();
    const half = Math.floor(chunks.length / 2);
    for (const event of chunks.slice(0, half)) translator.translate(event, 'chat.completion.chunk');
    const before = JSON.stringify(translator.result);
    const copy = translator.clone();
    const copyEvents = chunks.slice(half).flatMap((event) => copy.translate(event, 'chat.completion.chunk'));
    const copyEnd = copy.end();
    assert.equal(JSON.stringify(translator.result), before, 'the original is untouched by its copy');
    const events = chunks.slice(half).flatMap((event) => translator.translate(event, 'chat.completion.chunk'));
    assert.deepStrictEqual(events, copyEvents);
    assert.deepStrictEqual(translator.end(), copyEnd);
    assert.deepStrictEqual(translator.result, copy.result);
  });

  it('does not change the events it reads', () => {
    const translator = createChatCompletionsTranslator();
    const copies = chunks.map((event) => JSON.stringify(event));
    for (const event of chunks) translator.translate(event, 'chat.completion.chunk');
    translator.end();
    assert.deepEqual(
      chunks.map((event) => JSON.stringify(event)),
      copies,
    );
  });

  it('never throws, whatever it is given', () => {
    let deep: JsonValue = 'x';
    for (let level = 0; level < 100000; level++) deep = [deep];
    const hostile: JsonObject[] = [
      { object: 'chat.completion.chunk' },
      { object: 'chat.completion.chunk', choices: 'abc' },
      { choices: [null, 5, 'x', [], { index: -1 }, { index: 1.5 }, { index: 0, delta: 5 }] },
      { choices: [{ index: 0, delta: { content: { toString: 1 } } }] },
      { choices: [{ index: 0, delta: { content: deep } }] },
      { choices: [{ index: 0, delta: { tool_calls: {} } }] },
      { choices: [{ index: 0, delta: { tool_calls: [null, { index: 'a' }, { index: 0, function: 'f' }, { index: 1, function: { arguments: { a: 1 } } }] } }] },
      { choices: [{ index: 0, delta: { function_call: 'x' } }] },
      { choices: [{ index: 0, delta: { function_call: { name: 'f' } } }] },
      { choices: [{ index: 0, delta: { audio: 'x', annotations: [null, 1, { type: 1 }, { type: 'url_citation' }] } }] },
      { choices: [{ index: 0, logprobs: { content: 5 }, message: null }] },
      { choices: [{ index: 0, logprobs: true, finish_reason: { a: 1 } }] },
      { choices: [{ index: 3, delta: { reasoning_details: [null, { type: 'reasoning.encrypted', data: 'e' }] } }] },
      { error: 'x' },
      { error: { message: { nested: true }, code: { a: 1 } } },
      { usage: 5, choices: [] },
    ];
    for (const event of hostile) {
      const translator = createChatCompletionsTranslator();
      assert.doesNotThrow(() => {
        translator.translate(event, 'chat.completion.chunk');
        translator.translate(event, 'error');
        translator.translate(event, 'whatever');
        void translator.result;
        translator.clone().end();
        translator.end();
        void translator.result;
      });
    }
    const all = createChatCompletionsTranslator();
    for (const event of hostile) all.translate(event, 'chat.completion.chunk');
    const { closing } = all.end();
    assert.equal(closing.status, 'failed');
  });

  it('reads hostile streams through the reader with no exception', () => {
    const body = sse([
      chunk([{ index: 0, delta: { role: 'assistant', content: 'a' } }]),
      '{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{"}}]}}]}',
      'not json',
      '42',
      chunk([{ index: 0, delta: { tool_calls: [{ index: 5, function: { arguments: '}' } }] }, finish_reason: 'tool_calls' }]),
    ]);
    const record = only(body);
    assert.equal(record.response.status, 'failed');
    assert.ok(record.warnings.some((warning) => warning.code === 'invalid_json'));
  });
});
