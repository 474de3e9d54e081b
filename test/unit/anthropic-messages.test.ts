import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { partialParse as sdkPartialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser';
import { createAnthropicMessagesTranslator, partialParse } from '../../extension/core/anthropic-messages.ts';
import {
  readResponsesBody,
  ResponsesStreamReader,
  type JsonObject,
  type JsonValue,
  type OutputItem,
  type ResponseObject,
  type ResponseRecord,
  type UsageSummary,
} from '../../extension/core/index.ts';
import { fixtureFolder, randomChunks, seededRandom } from '../helpers/streams.ts';

const folder = fixtureFolder('anthropic-messages-streams');
const FIXTURE_DIR = folder.dir;
const fixtures = folder.names();
const encoder = new TextEncoder();

const readFixture = folder.read;

/** The frames of an LF-framed recording, each with its blank line. */
function framesOf(text: string): string[] {
  return text
    .split(/\n\n/)
    .filter((frame) => frame.trim() !== '')
    .map((frame) => `${frame}\n\n`);
}

function eventOfFrame(frame: string): JsonObject {
  const data = frame
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.replace(/^data: ?/, ''))
    .join('\n');
  return JSON.parse(data) as JsonObject;
}

/** A stream written as the API writes one. */
function sse(events: JsonObject[]): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

interface SdkReading {
  message?: Anthropic.Message;
  error?: unknown;
  /** The SDK's snapshot after each event it handed on, as JSON. */
  snapshots: Array<{ type: string; snapshot: unknown }>;
}

/** The bytes read by `@anthropic-ai/sdk` as it reads a real HTTP response: `messages.stream()` over a fetch that returns them. */
async function readWithSdk(input: string | Uint8Array, chunkSize?: number): Promise<SdkReading> {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const size = chunkSize ?? bytes.length;
      for (let offset = 0; offset < bytes.length; offset += size) controller.enqueue(bytes.slice(offset, offset + size));
      controller.close();
    },
  });
  const client = new Anthropic({
    apiKey: 'test-key',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_test' } }),
  });
  const stream = client.messages.stream({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'hello' }] });
  const snapshots: SdkReading['snapshots'] = [];
  stream.on('streamEvent', (event, snapshot) => {
    let copy: unknown;
    try {
      copy = json(snapshot);
    } catch {
      copy = '(unreadable)';
    }
    snapshots.push({ type: event.type, snapshot: copy });
  });
  try {
    return { message: await stream.finalMessage(), snapshots };
  } catch (error) {
    return { error, snapshots };
  }
}

function readWithCore(chunks: Array<string | Uint8Array>): ResponseRecord[] {
  const reader = new ResponsesStreamReader();
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return reader.responses;
}

function only(records: ResponseRecord[]): ResponseRecord {
  assert.equal(records.length, 1, 'one response');
  return records[0] as ResponseRecord;
}

/** The core's result after each event the SDK hands on (every event but pings, from message_start on), as JSON. */
function coreResultsPerEvent(text: string): Array<{ type: string; result: unknown }> {
  const reader = new ResponsesStreamReader();
  const results: Array<{ type: string; result: unknown }> = [];
  let started = false;
  for (const frame of framesOf(text)) {
    reader.push(frame);
    const type = String(eventOfFrame(frame).type);
    if (type === 'message_start') started = true;
    if (!started || type === 'ping') continue;
    const result = json((reader.responses.at(-1) as ResponseRecord).result) as JsonObject;
    // The SDK's snapshot gains `parsed_output` only as its final message.
    if (type === 'message_stop') delete result.parsed_output;
    results.push({ type, result });
  }
  reader.end();
  return results;
}

function items(response: ResponseObject, type: string): OutputItem[] {
  return response.output.filter((item) => item.type === type);
}

/** The text the Assembly view shows: the output_text parts of the message items. */
function shownText(response: ResponseObject): string {
  return items(response, 'message')
    .flatMap((item) => (Array.isArray(item.content) ? (item.content as JsonObject[]) : []))
    .filter((part) => part.type === 'output_text')
    .map((part) => String(part.text))
    .join('');
}

function sdkText(message: Anthropic.Message): string {
  return message.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

/** Usage as the core normalises Anthropic's: cache reads and writes are input the API counts apart. */
function normalisedUsage(usage: Anthropic.Usage): UsageSummary {
  const cacheRead = usage.cache_read_input_tokens ?? undefined;
  const cacheWrite = usage.cache_creation_input_tokens ?? undefined;
  const input = usage.input_tokens + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const summary: UsageSummary = { input, cached: cacheRead ?? 0, output: usage.output_tokens, reasoning: usage.output_tokens_details?.thinking_tokens ?? 0, total: input + usage.output_tokens };
  if (cacheWrite !== undefined) summary.cacheWrite = cacheWrite;
  return summary;
}

/** Usage worked out by hand from the recordings. */
const HAND_USAGE: Record<string, UsageSummary> = {
  // 11 uncached + 1031 read from the cache; stopped by max_tokens.
  'dd-trace-py__cache-read-tokens-claude-sonnet-4.sse': { input: 1042, cached: 1031, cacheWrite: 0, output: 100, reasoning: 0, total: 1142 },
  // 2024 format: no cache keys at all, so no cache write is known; message_delta carries only output_tokens.
  'openllmetry__legacy-text-claude-3-haiku.sse': { input: 17, cached: 0, output: 171, reasoning: 0, total: 188 },
  'dd-trace-py__text-then-tool-use-claude-3-opus.sse': { input: 599, cached: 0, output: 135, reasoning: 0, total: 734 },
  // Two iterations, both billed: compaction (100 + 55096 cached in, 83 out) and the message (181 in, 8 out).
  'pydantic-ai__compaction-block-cache-usage-claude-sonnet-4.6.sse': { input: 55377, cached: 55096, cacheWrite: 0, output: 91, reasoning: 0, total: 55468 },
  // output_tokens_details.thinking_tokens: 53 of the 93 output tokens.
  'openinference__extended-thinking-claude-sonnet-4.5.sse': { input: 50, cached: 0, cacheWrite: 0, output: 93, reasoning: 53, total: 143 },
  // message_delta repeats input_tokens: its 31772 (after two searches) replaces message_start's 2050.
  'pydantic-ai__web-search-server-tool-citations-claude-sonnet-4.sse': { input: 31772, cached: 0, cacheWrite: 0, output: 644, reasoning: 0, total: 32416 },
  'pydantic-ai__tool-search-then-tool-use-claude-sonnet-4.6.sse': { input: 1591, cached: 0, cacheWrite: 0, output: 175, reasoning: 0, total: 1766 },
};

const STATUS_OF_STOP: Record<string, string> = {
  end_turn: 'completed',
  tool_use: 'completed',
  stop_sequence: 'completed',
  pause_turn: 'completed',
  max_tokens: 'incomplete',
  refusal: 'incomplete',
  model_context_window_exceeded: 'incomplete',
};

/** Checks the Responses view of a final message against the SDK's message, block by block. */
function checkView(response: ResponseObject, message: Anthropic.Message): void {
  const output = response.output;
  let position = 0;
  let lastWasText = false;
  const next = (type: string): OutputItem => {
    const item = output[position++];
    assert.ok(item, `an item for a ${type}`);
    assert.equal(item.type, type);
    return item;
  };
  let message_: OutputItem | undefined;
  const answered = new Set<string>();
  for (const block of message.content) {
    if (block.type === 'text') {
      if (!lastWasText) message_ = next('message');
      lastWasText = true;
      continue;
    }
    lastWasText = false;
    switch (block.type) {
      case 'thinking': {
        const item = next('reasoning');
        assert.deepEqual(item.content, [{ type: 'reasoning_text', text: block.thinking }]);
        assert.equal(item.encrypted_content, block.signature);
        break;
      }
      case 'redacted_thinking':
        assert.equal(next('reasoning').encrypted_content, block.data);
        break;
      case 'tool_use': {
        const item = next('function_call');
        assert.equal(item.name, block.name);
        assert.equal(item.call_id, block.id);
        assert.deepEqual(JSON.parse(String(item.arguments)), block.input);
        break;
      }
      case 'server_tool_use': {
        if (block.name === 'web_search') {
          const item = next('web_search_call');
          const action = item.action as JsonObject;
          assert.equal(action.query, (block.input as { query: string }).query);
          const result = message.content.find((other) => other.type === 'web_search_tool_result' && other.tool_use_id === block.id);
          if (result && result.type === 'web_search_tool_result' && Array.isArray(result.content)) {
            answered.add(block.id);
            assert.deepEqual(
              action.sources,
              result.content.map((source) => ({ type: 'url', url: source.url, title: source.title })),
            );
            assert.equal(item.status, 'completed');
          }
        } else if (block.name.startsWith('tool_search_tool')) {
          const item = next('tool_search_call');
          assert.deepEqual(JSON.parse(String(item.arguments)), block.input);
        } else {
          assert.fail(`no recording has a ${block.name} server tool`);
        }
        break;
      }
      case 'web_search_tool_result':
        assert.ok(answered.has(block.tool_use_id), 'the result is shown in its call');
        break;
      case 'tool_search_tool_result': {
        const item = next('tool_search_output');
        assert.equal(item.call_id, block.tool_use_id);
        assert.deepEqual(item.tools, (block.content as Anthropic.ToolSearchToolSearchResultBlock).tool_references);
        break;
      }
      default: {
        const item = next(block.type);
        if (block.type === ('compaction' as string)) assert.equal(typeof item.content, 'string');
      }
    }
  }
  assert.equal(position, output.length, 'no item beyond the blocks');
  assert.ok(message_ === undefined || message_.status !== 'in_progress');
  assert.equal(shownText(response), sdkText(message), 'the text shown is the SDK’s text');
}

/** Each text block's citations are annotations spanning exactly that block's text. */
function checkCitations(response: ResponseObject, message: Anthropic.Message): number {
  const parts = items(response, 'message').flatMap((item) => item.content as JsonObject[]);
  const annotations = parts.flatMap((part) => (part.annotations as JsonObject[]).map((annotation) => ({ annotation, text: String(part.text) })));
  const cited = message.content.filter((block): block is Anthropic.TextBlock => block.type === 'text' && (block.citations?.length ?? 0) > 0);
  const expected = cited.flatMap((block) => (block.citations ?? []).map((citation) => ({ citation, text: block.text })));
  assert.equal(annotations.length, expected.length);
  expected.forEach(({ citation, text }, index) => {
    const { annotation, text: partText } = annotations[index] as { annotation: JsonObject; text: string };
    assert.equal(partText.slice(annotation.start_index as number, annotation.end_index as number), text);
    if (citation.type === 'web_search_result_location') {
      assert.equal(annotation.type, 'url_citation');
      assert.equal(annotation.url, citation.url);
      assert.equal(annotation.title, citation.title);
    }
  });
  return annotations.length;
}

describe('Anthropic Messages streams: the recordings', () => {
  it('has the recordings, with their sources', () => {
    assert.equal(fixtures.length, 11);
    assert.match(readFileSync(join(FIXTURE_DIR, 'SOURCES.md'), 'utf8'), /Licences/);
  });

  for (const name of fixtures) {
    describe(name, () => {
      const text = readFixture(name);
      const bytes = encoder.encode(text);

      it('reads as one Anthropic response, with no warning, whose result is the SDK’s final message', async () => {
        const sdk = await readWithSdk(bytes);
        assert.ok(sdk.message, `the SDK reads it: ${String(sdk.error)}`);
        const record = only(readResponsesBody(text).responses);
        assert.equal(record.protocol, 'anthropic.messages');
        assert.deepEqual(record.warnings, []);
        assert.deepStrictEqual(record.result, sdk.message);
        assert.deepEqual(json(record.result), json(sdk.message));
        const response = record.response;
        assert.equal(response.id, sdk.message.id);
        assert.equal(response.model, sdk.message.model);
        assert.equal(response.status, STATUS_OF_STOP[String(sdk.message.stop_reason)]);
        if (response.status === 'incomplete') assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
        else assert.equal(response.incomplete_details, null);
        assert.equal(response.error, null);
        checkView(response, sdk.message);
        checkCitations(response, sdk.message);
        for (const item of response.output) assert.notEqual(item.status, 'in_progress', `${item.type} is done`);
      });

      it('normalises the usage: cache reads and writes are input', async () => {
        const sdk = await readWithSdk(bytes);
        assert.ok(sdk.message);
        const usage = only(readResponsesBody(text).responses).usage;
        const byHand = HAND_USAGE[name];
        assert.deepEqual(usage, byHand ?? normalisedUsage(sdk.message.usage));
        if (!name.includes('compaction')) assert.deepEqual(usage, normalisedUsage(sdk.message.usage));
      });

      it('gives the SDK’s snapshot after every event', async () => {
        const sdk = await readWithSdk(bytes);
        const core = coreResultsPerEvent(text);
        assert.deepEqual(
          core.map((entry) => entry.type),
          sdk.snapshots.map((entry) => entry.type),
        );
        core.forEach((entry, index) => assert.deepEqual(entry.result, sdk.snapshots[index]?.snapshot, `after event ${index} (${entry.type})`));
      });

      it('reads the same whatever the chunking', async () => {
        const whole = only(readResponsesBody(text).responses);
        const random = seededRandom(name.length * 7919);
        for (const maxChunk of [1, 7, 64, 900]) {
          const record = only(readWithCore(randomChunks(bytes, random, maxChunk)));
          assert.deepStrictEqual(record.result, whole.result);
          assert.deepEqual(record.response, whole.response);
          assert.deepEqual(record.usage, whole.usage);
          assert.deepEqual(record.warnings, []);
        }
        const sdk = await readWithSdk(bytes, 5);
        assert.deepStrictEqual(whole.result, sdk.message);
      });
    });
  }
});

describe('Anthropic Messages streams: what each recording shows', () => {
  const read = (name: string) => only(readResponsesBody(readFixture(name)).responses);

  it('pings are ignored wherever they come: before the first block (Vertex AI), between blocks, several times', () => {
    const vertex = readFixture('fantasy__compat-vertex-ai-tool-use-claude-3.7-sonnet.sse');
    const types = framesOf(vertex).map((frame) => String(eventOfFrame(frame).type));
    assert.ok(types.indexOf('ping') < types.indexOf('content_block_start'));
    assert.match(String(read('fantasy__compat-vertex-ai-tool-use-claude-3.7-sonnet.sse').response.id), /^msg_vrtx_/);
    const redacted = readFixture('pydantic-ai__redacted-thinking-claude-sonnet-4.5.sse');
    assert.equal(framesOf(redacted).filter((frame) => eventOfFrame(frame).type === 'ping').length, 3);
    assert.deepEqual(createAnthropicMessagesTranslator().translate({ type: 'ping' }, 'ping'), []);
  });

  it('redacted thinking: two reasoning items carrying only the opaque data', () => {
    const record = read('pydantic-ai__redacted-thinking-claude-sonnet-4.5.sse');
    const reasoning = items(record.response, 'reasoning');
    assert.equal(reasoning.length, 2);
    for (const item of reasoning) {
      assert.match(String(item.encrypted_content), /^E/);
      assert.deepEqual(item.summary, []);
      assert.equal(item.content, undefined);
    }
  });

  it('thinking: the reasoning text is shown, the signature is its encrypted content', () => {
    const record = read('pydantic-ai__thinking-signature-claude-sonnet-4.sse');
    const [reasoning] = items(record.response, 'reasoning');
    const thinking = (record.result.content as JsonObject[])[0] as JsonObject;
    assert.equal(thinking.type, 'thinking');
    assert.deepEqual(reasoning?.content, [{ type: 'reasoning_text', text: thinking.thinking }]);
    assert.equal(reasoning?.encrypted_content, thinking.signature);
  });

  it('compaction: its summary is shown; the SDK’s MessageStream ignores compaction_delta and keeps content null', () => {
    const record = read('pydantic-ai__compaction-block-cache-usage-claude-sonnet-4.6.sse');
    const [compaction] = items(record.response, 'compaction');
    assert.match(String(compaction?.content), /^The user provided a very long context/);
    assert.deepEqual((record.result.content as JsonObject[])[0], { type: 'compaction', content: null });
    // message_delta's usage iterations: MessageStream keeps only the top-level counters, the last iteration's.
    assert.equal((record.result.usage as JsonObject).iterations, undefined);
    assert.equal((record.result.usage as JsonObject).input_tokens, 181);
  });

  it('web search: two searches with their queries and sources, the cited text as one message with url citations', () => {
    const record = read('pydantic-ai__web-search-server-tool-citations-claude-sonnet-4.sse');
    const searches = items(record.response, 'web_search_call');
    assert.deepEqual(
      searches.map((item) => (item.action as JsonObject).query),
      ['top world news today', 'breaking news headlines August 14 2025'],
    );
    assert.deepEqual(
      searches.map((item) => ((item.action as JsonObject).sources as JsonValue[]).length),
      [10, 10],
    );
    // 22 blocks: 2 searches, 2 results, 18 text blocks in two runs.
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['web_search_call', 'message', 'web_search_call', 'message'],
    );
    const part = ((record.response.output[3] as OutputItem).content as JsonObject[])[0] as JsonObject;
    const annotations = part.annotations as JsonObject[];
    assert.equal(annotations.length, 9);
    assert.deepEqual(annotations[0], {
      type: 'url_citation',
      url: 'https://www.npr.org/sections/news/',
      title: 'News: U.S. and World News Headlines : NPR',
      start_index: 201,
      end_index: 382,
      // The recorded cited text holds a C1 control character, kept as it came.
      cited_text: 'Filip Singer/Getty Images Europe hide caption toggle caption Filip Singer/Getty Images Europe · August 13, 2025 \x95 President Trump will join European l...',
    });
    assert.equal(
      String(part.text).slice(201, 382),
      "European leaders held a high-stakes meeting Wednesday with President Trump, Vice President Vance, Ukraine's Volodymyr Zelenskyy and NATO's chief ahead of Friday's U.S.-Russia summit",
    );
    assert.deepEqual((record.result.usage as JsonObject).server_tool_use, { web_search_requests: 2 });
  });

  it('tool search then a tool call: server call, its output, the client tool call with its JSON arguments', () => {
    const record = read('pydantic-ai__tool-search-then-tool-use-claude-sonnet-4.6.sse');
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['message', 'tool_search_call', 'tool_search_output', 'message', 'function_call'],
    );
    const call = items(record.response, 'function_call')[0] as OutputItem;
    assert.equal(call.name, 'get_exchange_rate');
    assert.equal(call.call_id, 'toolu_01EFn5wTNBYA8Reni8rbmnHT');
    assert.equal(call.arguments, '{"from_currency": "USD", "to_currency": "EUR"}');
    // The first input_json_delta is empty: the SDK's input is parsed from the rest.
    assert.deepEqual(((record.result.content as JsonObject[])[4] as JsonObject).input, { from_currency: 'USD', to_currency: 'EUR' });
  });

  it('parallel tool use: two function calls after the text', () => {
    const record = read('fantasy__parallel-tool-use-claude-sonnet-4.sse');
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['message', 'function_call', 'function_call'],
    );
    assert.equal(record.response.status, 'completed');
    assert.equal(record.result.stop_reason, 'tool_use');
  });

  it('max_tokens: incomplete, the text kept', () => {
    const record = read('dd-trace-py__cache-read-tokens-claude-sonnet-4.sse');
    assert.equal(record.response.status, 'incomplete');
    assert.deepEqual(record.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal((record.response.output[0] as OutputItem).status, 'incomplete');
  });

  it('the SDK’s finalText() joins text blocks with a space; the view shows the text as the blocks make it', async () => {
    const body = readFixture('pydantic-ai__web-search-server-tool-citations-claude-sonnet-4.sse');
    const client = new Anthropic({ apiKey: 'test-key', maxRetries: 0, fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }) });
    const finalText = await client.messages.stream({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'hello' }] }).finalText();
    const record = read('pydantic-ai__web-search-server-tool-citations-claude-sonnet-4.sse');
    assert.notEqual(shownText(record.response), finalText);
    assert.equal(shownText(record.response).replace(/\s+/g, ''), finalText.replace(/\s+/g, ''));
  });
});

// ── streams made here, for what no recording holds ─────────────────────

const usage0 = { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
const start = (id = 'msg_test'): JsonObject => ({
  type: 'message_start',
  message: { id, type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: usage0 },
});
const blockStart = (index: number, content_block: JsonObject): JsonObject => ({ type: 'content_block_start', index, content_block });
const delta = (index: number, value: JsonObject): JsonObject => ({ type: 'content_block_delta', index, delta: value });
const text = (index: number, value: string): JsonObject => delta(index, { type: 'text_delta', text: value });
const inputJson = (index: number, value: string): JsonObject => delta(index, { type: 'input_json_delta', partial_json: value });
const blockStop = (index: number): JsonObject => ({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, usage: JsonObject = { output_tokens: 20 }): JsonObject => ({ type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage });
const stop: JsonObject = { type: 'message_stop' };

function textMessage(id: string, words: string[]): JsonObject[] {
  return [start(id), blockStart(0, { type: 'text', text: '' }), ...words.map((word) => text(0, word)), blockStop(0), messageDelta('end_turn'), stop];
}

describe('Anthropic Messages streams: streams no recording holds', () => {
  it('pause_turn: completed, the stop reason kept, the search left open for the continuation shown as incomplete', async () => {
    const stream = sse([
      start(),
      blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
      inputJson(0, '{"query": "first"}'),
      blockStop(0),
      blockStart(1, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', title: 'One', url: 'https://one.example/', encrypted_content: 'E1', page_age: null }] }),
      blockStop(1),
      blockStart(2, { type: 'text', text: '' }),
      text(2, 'Searching again.'),
      blockStop(2),
      blockStart(3, { type: 'server_tool_use', id: 'srvtoolu_2', name: 'web_search', input: {} }),
      inputJson(3, '{"query": "second"}'),
      blockStop(3),
      messageDelta('pause_turn', { output_tokens: 40, server_tool_use: { web_search_requests: 2 } }),
      stop,
    ]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    assert.equal(record.result.stop_reason, 'pause_turn');
    assert.equal(record.response.status, 'completed');
    assert.deepEqual(record.warnings, []);
    const searches = items(record.response, 'web_search_call');
    assert.deepEqual(
      searches.map((item) => [(item.action as JsonObject).query, item.status]),
      [
        ['first', 'completed'],
        ['second', 'incomplete'],
      ],
    );
    assert.deepEqual((searches[0]?.action as JsonObject).sources, [{ type: 'url', url: 'https://one.example/', title: 'One' }]);
  });

  it('max_tokens in the middle of a tool’s input: the SDK’s partial parse, the arguments as streamed', async () => {
    const stream = sse([
      start(),
      blockStart(0, { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} }),
      inputJson(0, ''),
      inputJson(0, '{"city": "Paris", "days": 3'),
      blockStop(0),
      messageDelta('max_tokens'),
      stop,
    ]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    assert.deepEqual(((record.result.content as unknown as JsonObject[])[0] as JsonObject).input, { city: 'Paris' });
    assert.equal(record.response.status, 'incomplete');
    assert.equal(items(record.response, 'function_call')[0]?.arguments, '{"city": "Paris", "days": 3');
    assert.deepEqual(record.warnings, []);
  });

  it('a tool with no input streamed: arguments "{}", input {}', async () => {
    const stream = sse([start(), blockStart(0, { type: 'tool_use', id: 'toolu_1', name: 'now', input: {} }), inputJson(0, ''), blockStop(0), messageDelta('tool_use'), stop]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    assert.equal(items(record.response, 'function_call')[0]?.arguments, '{}');
    assert.deepEqual(record.warnings, []);
  });

  it('refusal and model_context_window_exceeded are incomplete; stop_sequence is completed', () => {
    const closing = (reason: string) => only(readResponsesBody(sse([start(), blockStart(0, { type: 'text', text: '' }), text(0, 'x'), blockStop(0), messageDelta(reason), stop])).responses).response;
    assert.deepEqual(closing('refusal').incomplete_details, { reason: 'content_filter' });
    assert.deepEqual(closing('model_context_window_exceeded').incomplete_details, { reason: 'model_context_window_exceeded' });
    assert.equal(closing('stop_sequence').status, 'completed');
  });

  it('an error event: the SDK throws; the core fails with the error, warns, and keeps what came', async () => {
    const stream = sse([
      start(),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'Hello'),
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    const sdk = await readWithSdk(stream);
    assert.ok(sdk.error instanceof Anthropic.APIError);
    assert.equal(sdk.error.type, 'overloaded_error');
    const record = only(readResponsesBody(stream).responses);
    assert.equal(record.response.status, 'failed');
    assert.deepEqual(record.response.error, { code: 'overloaded_error', message: 'Overloaded', type: 'overloaded_error' });
    assert.deepEqual(
      record.warnings.map((warning) => warning.code),
      ['error_event'],
    );
    assert.equal(shownText(record.response), 'Hello');
    assert.equal(record.response.output[0]?.status, 'incomplete');
    assert.deepEqual(json(record.result), sdk.snapshots.at(-1)?.snapshot);
  });

  it('a stream cut between events: the SDK rejects; the core fails, its result the SDK’s last snapshot', async () => {
    const frames = framesOf(readFixture('dd-trace-py__text-then-tool-use-claude-3-opus.sse'));
    const cut = frames.slice(0, frames.length - 8).join('');
    const sdk = await readWithSdk(cut);
    assert.match(String(sdk.error), /stream ended without producing a Message/);
    const record = only(readResponsesBody(cut).responses);
    assert.equal(record.response.status, 'failed');
    assert.equal((record.response.error as JsonObject).code, 'stream_ended_early');
    assert.deepEqual(record.warnings, []);
    assert.deepEqual(json(record.result), sdk.snapshots.at(-1)?.snapshot);
    const call = items(record.response, 'function_call')[0];
    assert.equal(call?.status, 'incomplete');
    assert.equal(call?.name, 'get_weather');
  });

  it('a stream cut inside an event: a truncated_event warning, and a failed status', async () => {
    const body = readFixture('fantasy__parallel-tool-use-claude-sonnet-4.sse');
    const cut = body.slice(0, Math.floor(body.length * 0.6));
    const sdk = await readWithSdk(cut);
    assert.ok(sdk.error);
    const record = only(readResponsesBody(cut).responses);
    assert.equal(record.response.status, 'failed');
    assert.deepEqual(
      record.warnings.map((warning) => warning.code),
      ['truncated_event'],
    );
    assert.deepEqual(json(record.result), sdk.snapshots.at(-1)?.snapshot);
  });

  it('tool input that is not JSON: the SDK throws; the core fails with invalid_tool_input and shows the text', async () => {
    const stream = sse([start(), blockStart(0, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }), inputJson(0, '{"a": 1}}'), blockStop(0), messageDelta('tool_use'), stop]);
    const sdk = await readWithSdk(stream);
    assert.ok(sdk.error, 'the SDK rejects');
    const record = only(readResponsesBody(stream).responses);
    assert.equal(record.response.status, 'failed');
    assert.equal((record.response.error as JsonObject).code, 'invalid_tool_input');
    assert.equal(items(record.response, 'function_call')[0]?.arguments, '{"a": 1}}');
    assert.deepEqual(((record.result.content as JsonObject[])[0] as JsonObject).input, {});
  });

  it('a delta for a block that never started: the SDK fails on it; the core fails, shows the text, and warns', async () => {
    const stream = sse([start(), text(0, 'orphan'), text(0, ' text'), messageDelta('end_turn'), stop]);
    const sdk = await readWithSdk(stream);
    assert.ok(sdk.error instanceof TypeError || String(sdk.error).includes('type'), String(sdk.error));
    const record = only(readResponsesBody(stream).responses);
    assert.deepEqual(json(record.result), { ...(sdk.snapshots.at(-1)?.snapshot as JsonObject), stop_reason: 'end_turn', usage: { ...usage0, output_tokens: 20 }, parsed_output: null });
    assert.deepEqual(record.result.content, []);
    assert.equal(record.response.status, 'failed');
    assert.equal((record.response.error as JsonObject).code, 'unexpected_event_order');
    assert.equal(shownText(record.response), 'orphan text');
    assert.deepEqual(
      record.warnings.map((warning) => warning.code),
      ['unknown_item'],
    );
  });

  it('an unknown event type: the SDK passes over it; the core warns once', async () => {
    const stream = sse([start(), { type: 'message_metadata', note: 1 }, blockStart(0, { type: 'text', text: '' }), text(0, 'hi'), blockStop(0), { type: 'message_metadata' }, messageDelta('end_turn'), stop]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    assert.deepEqual(
      record.warnings.map((warning) => warning.code),
      ['unknown_event'],
    );
  });

  it('an unknown block and delta type: kept as the SDK keeps them, shown as an item of their own', async () => {
    const stream = sse([start(), blockStart(0, { type: 'future_block', data: 'x' }), delta(0, { type: 'future_delta', more: 1 }), blockStop(0), messageDelta('end_turn'), stop]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    assert.deepEqual(record.response.output, [{ type: 'future_block', data: 'x', id: 'msg_test_0', status: 'completed' }]);
    assert.deepEqual(record.warnings, []);
  });

  it('code execution, web fetch and MCP: shown as code_interpreter_call, web_fetch_call and mcp_call', async () => {
    const stream = sse([
      start(),
      blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_c', name: 'bash_code_execution', input: {} }),
      inputJson(0, '{"command": "ls"}'),
      blockStop(0),
      blockStart(1, { type: 'bash_code_execution_tool_result', tool_use_id: 'srvtoolu_c', content: { type: 'bash_code_execution_result', stdout: 'a.txt', stderr: '', return_code: 0, content: [] } }),
      blockStop(1),
      blockStart(2, { type: 'server_tool_use', id: 'srvtoolu_f', name: 'web_fetch', input: {} }),
      inputJson(2, '{"url": "https://example.com/"}'),
      blockStop(2),
      blockStart(3, {
        type: 'web_fetch_tool_result',
        tool_use_id: 'srvtoolu_f',
        content: { type: 'web_fetch_result', url: 'https://example.com/', retrieved_at: '2025-01-01', content: { type: 'document', title: 'Example', source: { type: 'text', media_type: 'text/plain', data: 'x' } } },
      }),
      blockStop(3),
      blockStart(4, { type: 'mcp_tool_use', id: 'mcptoolu_1', name: 'echo', server_name: 'tools', input: {} }),
      inputJson(4, '{"text": "hi"}'),
      blockStop(4),
      blockStart(5, { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_1', is_error: false, content: [{ type: 'text', text: 'hi' }] }),
      blockStop(5),
      messageDelta('end_turn', { output_tokens: 30, server_tool_use: { web_search_requests: 0, web_fetch_requests: 1 } }),
      stop,
    ]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    assert.deepEqual(record.warnings, []);
    const [code, fetch, mcp] = record.response.output as [OutputItem, OutputItem, OutputItem];
    assert.equal(code.type, 'code_interpreter_call');
    assert.equal(code.code, 'ls');
    assert.deepEqual(code.outputs, [{ type: 'logs', logs: 'a.txt' }]);
    assert.equal(code.status, 'completed');
    assert.equal(fetch.type, 'web_fetch_call');
    assert.equal(fetch.url, 'https://example.com/');
    assert.equal(fetch.title, 'Example');
    assert.equal(mcp.type, 'mcp_call');
    assert.equal(mcp.server_label, 'tools');
    assert.equal(mcp.arguments, '{"text": "hi"}');
    assert.equal(mcp.output, 'hi');
    assert.equal(record.response.output.length, 3);
  });

  it('document citations become file citations over their block', async () => {
    const stream = sse([
      start(),
      blockStart(0, { type: 'text', text: '' }),
      text(0, 'The sky '),
      blockStop(0),
      blockStart(1, { type: 'text', text: '', citations: [] }),
      delta(1, { type: 'citations_delta', citation: { type: 'char_location', cited_text: 'blue', document_index: 0, document_title: 'Sky facts', start_char_index: 0, end_char_index: 4, file_id: null } }),
      text(1, 'is blue'),
      blockStop(1),
      messageDelta('end_turn'),
      stop,
    ]);
    const sdk = await readWithSdk(stream);
    const record = only(readResponsesBody(stream).responses);
    assert.deepStrictEqual(record.result, sdk.message);
    const part = ((record.response.output[0] as OutputItem).content as JsonObject[])[0] as JsonObject;
    assert.deepEqual(part.annotations, [{ type: 'file_citation', file_id: null, filename: 'Sky facts', index: 15, start_index: 8, end_index: 15, cited_text: 'blue' }]);
    assert.deepEqual(record.warnings, []);
  });

  it('two messages one after the other: two responses, each the SDK’s message', async () => {
    const first = sse(textMessage('msg_a', ['one']));
    const second = sse(textMessage('msg_b', ['two', ' three']));
    const records = readResponsesBody(first + second).responses;
    assert.equal(records.length, 2);
    assert.deepStrictEqual(records[0]?.result, (await readWithSdk(first)).message);
    assert.deepStrictEqual(records[1]?.result, (await readWithSdk(second)).message);
    assert.deepEqual(
      records.map((record) => [record.response.id, shownText(record.response), record.warnings.length]),
      [
        ['msg_a', 'one', 0],
        ['msg_b', 'two three', 0],
      ],
    );
  });

  it('a second message_start before message_stop: the SDK throws; the core fails', async () => {
    const stream = sse([start('msg_a'), start('msg_b'), messageDelta('end_turn'), stop]);
    const sdk = await readWithSdk(stream);
    assert.match(String(sdk.error), /Unexpected event order/);
    const record = only(readResponsesBody(stream).responses);
    assert.equal(record.response.status, 'failed');
    assert.equal((record.response.error as JsonObject).code, 'unexpected_event_order');
  });

  it('no message_start: the SDK has no message; the core fails, and shows what came', async () => {
    const stream = sse([blockStart(0, { type: 'text', text: '' }), text(0, 'headless'), blockStop(0), messageDelta('end_turn'), stop]);
    const sdk = await readWithSdk(stream);
    assert.ok(sdk.error);
    const record = only(readResponsesBody(stream).responses);
    assert.equal(record.protocol, 'anthropic.messages');
    assert.equal(record.response.status, 'failed');
    assert.equal((record.response.error as JsonObject).code, 'no_message_start');
    assert.equal(shownText(record.response), 'headless');
    assert.deepEqual(record.result, {});
  });
});

describe('Anthropic Messages streams: the translator', () => {
  const eventsOf = (name: string) => framesOf(readFixture(name)).map(eventOfFrame);

  it('clone() goes on independently', () => {
    for (const name of fixtures) {
      const events = eventsOf(name);
      const original = createAnthropicMessagesTranslator();
      const half = Math.floor(events.length / 2);
      for (const event of events.slice(0, half)) original.translate(event, String(event.type));
      const before = json(original.result);
      const copy = original.clone();
      const copyEvents = events.slice(half).flatMap((event) => copy.translate(event, String(event.type)));
      const copyEnd = copy.end();
      assert.deepEqual(json(original.result), before, `${name}: the original did not move`);
      const originalEvents = events.slice(half).flatMap((event) => original.translate(event, String(event.type)));
      assert.deepEqual(originalEvents, copyEvents, name);
      assert.deepEqual(original.end(), copyEnd, name);
      assert.deepStrictEqual(original.result, copy.result, name);
    }
  });

  it('never throws, whatever the events hold', () => {
    const random = seededRandom(20260117);
    const junk: JsonValue[] = [null, -1, 1.5, 1e9, '', 'x', [], {}, true, { type: 'text' }, [1, 2], { type: 'tool_use', id: 7 }];
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const corpus = fixtures.flatMap(eventsOf);
    for (let trial = 0; trial < 400; trial++) {
      const events = eventsOf(pick(fixtures)).map((event) => json(event));
      for (let change = 0; change < 4; change++) {
        let target: JsonObject = pick(events);
        // Down a level or two, then a field replaced, removed, or a foreign event dropped in.
        for (let depth = 0; depth < 2; depth++) {
          const nested = Object.values(target).filter((value): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value));
          if (nested.length > 0 && random() < 0.5) target = pick(nested);
        }
        const keys = Object.keys(target);
        const roll = random();
        if (roll < 0.45 && keys.length > 0) target[pick(keys)] = json(pick(junk));
        else if (roll < 0.7 && keys.length > 0) delete target[pick(keys)];
        else events.splice(Math.floor(random() * events.length), 0, json(pick(corpus)));
      }
      const translator = createAnthropicMessagesTranslator();
      for (const event of events) {
        assert.ok(Array.isArray(translator.translate(event, typeof event.type === 'string' ? event.type : 'error')));
        if (random() < 0.05) translator.clone();
      }
      void translator.result;
      const { closing } = translator.end();
      assert.equal(typeof closing.status, 'string');
      // The same events through the reader: the assembler takes what the translator gives it.
      for (const record of readWithCore([sse(events)])) {
        if (record.protocol === 'anthropic.messages') assert.equal(typeof record.response.status, 'string', JSON.stringify(record.events.slice(0, 3)));
      }
    }
  });

  it('parses streamed tool input as the SDK does, at every prefix', () => {
    const inputs = new Set<string>(['{"a": [1, 2.5e3, -0.5, "x\\"y", {"b": null}], "c": true}', '{"a": 1}}', '[1, 2', '{"a": tru', '{"a": "b\\', '12 3', '{"a": 1e', 'nul', '{"a" 1}', '  ']);
    for (const name of fixtures) {
      let json_ = '';
      for (const event of eventsOf(name)) {
        const value = event.delta as JsonObject | undefined;
        if (event.type === 'content_block_start') json_ = '';
        if (value?.type === 'input_json_delta') json_ += String(value.partial_json);
        if (event.type === 'content_block_stop' && json_ !== '') inputs.add(json_);
      }
    }
    assert.ok(inputs.size > 15);
    const outcome = (parse: (text: string) => unknown, text: string) => {
      try {
        return { value: parse(text) };
      } catch (error) {
        return { error: (error as Error).constructor.name };
      }
    };
    for (const input of inputs) {
      for (let end = 0; end <= input.length; end++) {
        const prefix = input.slice(0, end);
        assert.deepEqual(outcome(partialParse, prefix), outcome(sdkPartialParse, prefix), JSON.stringify(prefix));
      }
    }
  });
});
