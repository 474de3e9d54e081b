import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DefaultChatTransport, parsePartialJson, readUIMessageStream, type UIMessage } from 'ai';
import { createAiSdkUiTranslator } from '../../extension/core/ai-sdk-ui.ts';
import {
  protocolOfCall,
  readResponsesBody,
  ResponseReplay,
  ResponsesStreamReader,
  type JsonObject,
  type OutputItem,
  type ResponseRecord,
} from '../../extension/core/index.ts';
import { fixtureFolder, randomChunks, seededRandom } from '../helpers/streams.ts';

const folder = fixtureFolder('ai-sdk-ui-streams');
const FIXTURE_DIR = folder.dir;
const fixtures = folder.names();
const encoder = new TextEncoder();

const CHAT_URL = 'https://app.example/api/chat';
const UI_STREAM_HEADERS = { 'content-type': 'text/event-stream', 'x-vercel-ai-ui-message-stream': 'v1' };
/** What `readUIMessageStream` starts from, and so what it has shown of a stream that never wrote. */
const EMPTY_MESSAGE = { id: '', metadata: undefined, role: 'assistant', parts: [] };

const readFixture = folder.read;

/** A UI message stream as the SDK writes one: a frame per chunk, `data: [DONE]` at the end unless the stream was cut. */
function sse(chunks: unknown[], { done = true }: { done?: boolean } = {}): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

interface SdkReading {
  /** Every message `readUIMessageStream` yielded. */
  messages: UIMessage[];
  errors: unknown[];
  /** The last message, or the one it starts from when it yielded none. */
  final: unknown;
}

/**
 * The bytes read as `useChat` reads a route's response (`DefaultChatTransport` over a fetch that returns them, in
 * chunks), the chunks then given to `readUIMessageStream`.
 */
async function readWithSdk(body: string, { terminateOnError = false, chunkSize }: { terminateOnError?: boolean; chunkSize?: number } = {}): Promise<SdkReading> {
  const bytes = encoder.encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const size = chunkSize ?? Math.max(1, bytes.length);
      for (let offset = 0; offset < bytes.length; offset += size) controller.enqueue(bytes.slice(offset, offset + size));
      controller.close();
    },
  });
  const transport = new DefaultChatTransport({
    api: CHAT_URL,
    fetch: (async () => new Response(stream, { status: 200, headers: UI_STREAM_HEADERS })) as unknown as typeof fetch,
  });
  const chunks = await transport.sendMessages({ chatId: 'chat', messages: [], trigger: 'submit-message', messageId: undefined, abortSignal: undefined });
  const messages: UIMessage[] = [];
  const errors: unknown[] = [];
  for await (const message of readUIMessageStream({ stream: chunks, terminateOnError, onError: (error) => errors.push(error) })) messages.push(message);
  return { messages, errors, final: messages.at(-1) ?? EMPTY_MESSAGE };
}

/** The error `readUIMessageStream` fails with when told to stop at the first (as `useChat` does), if it fails. */
async function sdkFailure(body: string): Promise<Error | undefined> {
  try {
    await readWithSdk(body, { terminateOnError: true });
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function onlyRecord(body: string | Uint8Array): ResponseRecord {
  const { responses } = readResponsesBody(body);
  assert.equal(responses.length, 1, 'one response');
  return responses[0] as ResponseRecord;
}

const HEADER_LIST = Object.entries(UI_STREAM_HEADERS).map(([name, value]) => ({ name, value }));

/** The stream pushed in random pieces, the protocol told by the response's headers as the extension knows it. */
function readInPieces(body: string, seed: number): ResponseRecord[] {
  const reader = new ResponsesStreamReader({ protocol: protocolOfCall(CHAT_URL, HEADER_LIST) });
  for (const piece of randomChunks(encoder.encode(body), seededRandom(seed), 1 + (seed % 23))) reader.push(piece);
  reader.end();
  return reader.responses;
}

/** The stream read whole, the protocol told by the headers (a stream's first chunk need not tell it). */
function readToldRecord(body: string): ResponseRecord {
  const reader = new ResponsesStreamReader({ protocol: protocolOfCall(CHAT_URL, HEADER_LIST) });
  reader.push(body);
  reader.end();
  assert.equal(reader.responses.length, 1, 'one response');
  return reader.responses[0] as ResponseRecord;
}

function itemsOf(record: ResponseRecord, type: string): OutputItem[] {
  return record.response.output.filter((item) => item.type === type);
}

/** Each message item's text, as the panel shows it. */
function messageTexts(record: ResponseRecord): string[] {
  return itemsOf(record, 'message').map((item) => (item.content as JsonObject[]).map((part) => String(part.text ?? '')).join(''));
}

function reasoningTexts(record: ResponseRecord): string[] {
  return itemsOf(record, 'reasoning').map((item) => ((item.content as JsonObject[] | undefined) ?? []).map((part) => String(part.text ?? '')).join(''));
}

function sdkParts(final: unknown, type: string): Array<Record<string, unknown>> {
  return ((final as UIMessage).parts as unknown as Array<Record<string, unknown>>).filter((part) => part.type === type);
}

function warningCodes(record: ResponseRecord): string[] {
  return record.warnings.map((warning) => warning.code);
}

describe('AI SDK UI message streams: the recordings', () => {
  it('has the recordings of its folder', () => {
    assert.ok(fixtures.length >= 5, `found ${fixtures.length}`);
    assert.ok(readFileSync(join(FIXTURE_DIR, 'SOURCES.md'), 'utf8').includes('Apache-2.0'), 'the attribution stays with them');
  });

  for (const name of fixtures) {
    describe(name, () => {
      const text = readFixture(name);
      const failing = name.includes('error');

      it('is read as a UI message stream, by its first chunk and by its response header', () => {
        assert.equal(onlyRecord(text).protocol, 'ai-sdk.ui');
        assert.equal(protocolOfCall(CHAT_URL, [{ name: 'X-Vercel-AI-UI-Message-Stream', value: 'v1' }]), 'ai-sdk.ui');
        const records = readInPieces(text, 1);
        assert.equal(records.length, 1);
        assert.equal(records[0]?.protocol, 'ai-sdk.ui');
      });

      it("gives as result the message readUIMessageStream yields last", async () => {
        const record = onlyRecord(text);
        const sdk = await readWithSdk(text);
        assert.deepStrictEqual(record.result, sdk.final);
        // The SDK reading the body in small pieces yields the same.
        assert.deepStrictEqual((await readWithSdk(text, { chunkSize: 7 })).final, sdk.final);
      });

      it('does not depend on how the bytes were cut', () => {
        const whole = onlyRecord(text);
        for (let seed = 1; seed <= 12; seed++) {
          const records = readInPieces(text, seed);
          assert.equal(records.length, 1);
          const record = records[0] as ResponseRecord;
          assert.deepStrictEqual(record.result, whole.result);
          assert.deepStrictEqual(record.response, whole.response);
          assert.deepStrictEqual(record.warnings, whole.warnings);
        }
      });

      it('shows the texts and reasoning the SDK built, with no usage (the stream carries none)', async () => {
        const record = onlyRecord(text);
        const sdk = await readWithSdk(text);
        assert.deepEqual(
          messageTexts(record),
          sdkParts(sdk.final, 'text').map((part) => part.text),
        );
        assert.deepEqual(
          reasoningTexts(record),
          sdkParts(sdk.final, 'reasoning').map((part) => part.text),
        );
        assert.equal(record.usage, null);
        assert.equal(record.response.usage, undefined);
        assert.equal(record.response.status, failing ? 'failed' : 'completed');
        assert.deepEqual(warningCodes(record), failing ? ['error_event'] : []);
      });
    });
  }

  it('the plain text stream: one message, its parts as the SDK keeps them', () => {
    const record = onlyRecord(readFixture('vercel-ai__text-pipe-to-node-response-mock-model.sse'));
    assert.deepEqual(messageTexts(record), ['Hello, world!']);
    assert.deepEqual(record.response.output.map((item) => [item.type, item.status]), [['message', 'completed']]);
    assert.deepStrictEqual(record.result, {
      id: '',
      metadata: undefined,
      role: 'assistant',
      parts: [{ type: 'step-start' }, { type: 'text', text: 'Hello, world!', providerMetadata: undefined, state: 'done' }],
    });
  });

  it('a stream without finish and without steps (sendFinish: false): complete at [DONE], its id the messageId', () => {
    const record = onlyRecord(readFixture('vercel-ai__toUIMessageStream-no-steps-mock-model.sse'));
    assert.equal(record.response.status, 'completed');
    assert.equal(record.response.id, 'msg-123');
    assert.equal(record.result.id, 'msg-123');
    assert.deepEqual(
      (record.result.parts as JsonObject[]).map((part) => part.type),
      ['text'],
    );
    assert.deepEqual(record.warnings, []);
  });

  it('a masked in-band error: failed with its text; the SDK yields nothing, and throws it when told to stop at errors', async () => {
    const text = readFixture('vercel-ai__error-masked-mock-model.sse');
    const record = onlyRecord(text);
    assert.equal(record.response.status, 'failed');
    assert.deepEqual(record.response.error, { message: 'An error occurred.' });
    assert.deepEqual(record.response.output, []);
    assert.match(record.warnings[0]?.message ?? '', /An error occurred\./);
    const sdk = await readWithSdk(text);
    assert.equal(sdk.messages.length, 0, 'nothing the SDK writes comes before the error');
    assert.deepEqual(
      sdk.errors.map((error) => (error as Error).message),
      ['An error occurred.'],
    );
    assert.deepStrictEqual(record.result, EMPTY_MESSAGE);
    assert.equal((await sdkFailure(text))?.message, 'An error occurred.');
  });

  it('reasoning: five parts (one redacted, two interleaved), a signature on an empty delta', async () => {
    const text = readFixture('vercel-ai__reasoning-multi-part-with-metadata-mock-model.sse');
    const record = onlyRecord(text);
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['reasoning', 'reasoning', 'reasoning', 'reasoning', 'reasoning', 'message'],
    );
    assert.deepEqual(reasoningTexts(record), [
      'I will open the conversation with witty banter.',
      '',
      ' Once the user has relaxed, I will pry for valuable information.',
      ' I need to think about this problem carefully.',
      ' The best solution requires careful consideration of all factors.',
    ]);
    // The redacted part has no text: no content part, so the panel shows it as a one-line reasoning.
    assert.deepEqual(itemsOf(record, 'reasoning')[1]?.content, []);
    assert.ok(itemsOf(record, 'reasoning').every((item) => item.status === 'completed'));
    const parts = record.result.parts as JsonObject[];
    assert.deepEqual(parts[1]?.providerMetadata, { testProvider: { signature: '1234567890' } }, 'the empty delta carried the signature');
    assert.deepEqual(parts[2]?.providerMetadata, { testProvider: { redactedData: 'redacted-reasoning-data' } });
    assert.deepEqual(parts[4]?.providerMetadata, { testProvider: { signature: '0987654321' } }, 'reasoning-end replaced it');
    assert.deepEqual(messageTexts(record), ['Hi there!']);
    assert.deepEqual(record.warnings, []);
  });

  it('files: an image as an image the panel shows, any other file as an item of its own', () => {
    const record = onlyRecord(readFixture('vercel-ai__file-parts-mock-model.sse'));
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['file', 'message', 'image_generation_call'],
    );
    assert.deepEqual(record.response.output[0], { type: 'file', id: 'file_0', mediaType: 'text/plain', url: 'data:text/plain;base64,Hello World' });
    assert.deepEqual(record.response.output[2], { type: 'image_generation_call', id: 'ig_2', status: 'completed', output_format: 'jpeg', result: 'QkFVRw==' });
  });
});

/** The core's record of `chunks`, checked against what the SDK builds of the same bytes. */
async function readBoth(chunks: unknown[], options: { done?: boolean } = {}): Promise<{ record: ResponseRecord; sdk: SdkReading; body: string }> {
  const body = sse(chunks, options);
  const record = onlyRecord(body);
  const sdk = await readWithSdk(body);
  assert.deepStrictEqual(record.result, sdk.final);
  return { record, sdk, body };
}

describe('AI SDK UI message streams: every chunk type, against the SDK', () => {
  it('a tool call streamed, run on the server, then the answer in a second step', async () => {
    const { record } = await readBoth([
      { type: 'start', messageId: 'msg-tools' },
      { type: 'start-step' },
      { type: 'tool-input-start', toolCallId: 'call-1', toolName: 'weather' },
      { type: 'tool-input-delta', toolCallId: 'call-1', inputTextDelta: '{"city": ' },
      { type: 'tool-input-delta', toolCallId: 'call-1', inputTextDelta: '"Paris"}' },
      { type: 'tool-input-available', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris', unit: 'celsius' } },
      { type: 'tool-output-available', toolCallId: 'call-1', output: { temperature: 21 } },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'txt-1' },
      { type: 'text-delta', id: 'txt-1', delta: 'It is 21 °C.' },
      { type: 'text-end', id: 'txt-1' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    assert.deepEqual(record.warnings, []);
    assert.equal(record.response.id, 'msg-tools');
    assert.equal(record.response.status, 'completed');
    // The arguments as the model streamed them (the SDK's input is that text validated: a default added).
    assert.deepEqual(record.response.output[0], { type: 'function_call', id: 'fc_0', call_id: 'call-1', name: 'weather', arguments: '{"city": "Paris"}', status: 'completed' });
    assert.deepEqual(record.response.output[1], { type: 'function_call_output', id: 'fco_1', call_id: 'call-1', output: '{"temperature":21}', status: 'completed' });
    assert.deepEqual(messageTexts(record), ['It is 21 °C.']);
    const tool = (record.result.parts as JsonObject[])[1] as JsonObject;
    assert.equal(tool.type, 'tool-weather');
    assert.equal(tool.state, 'output-available');
    assert.deepEqual(tool.input, { city: 'Paris', unit: 'celsius' });
  });

  it('calls given whole: an input error, an output error, a dynamic tool, preliminary outputs', async () => {
    const { record } = await readBoth([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'tool-input-available', toolCallId: 'a', toolName: 'search', input: { q: 'x' }, providerExecuted: true, title: 'Search' },
      { type: 'tool-output-error', toolCallId: 'a', errorText: 'rate limited', providerExecuted: true },
      { type: 'tool-input-error', toolCallId: 'b', toolName: 'search', input: '{"q": oops', errorText: 'Invalid input' },
      { type: 'tool-input-start', toolCallId: 'c', toolName: 'mcp.lookup', dynamic: true, toolMetadata: { server: 'docs' } },
      { type: 'tool-input-delta', toolCallId: 'c', inputTextDelta: '{"id":7}' },
      { type: 'tool-input-available', toolCallId: 'c', toolName: 'mcp.lookup', input: { id: 7 }, dynamic: true },
      { type: 'tool-output-available', toolCallId: 'c', output: 'working', preliminary: true, dynamic: true },
      { type: 'tool-output-available', toolCallId: 'c', output: 'half', preliminary: true, dynamic: true },
      { type: 'tool-output-available', toolCallId: 'c', output: { found: true }, dynamic: true, providerMetadata: { p: { cost: 1 } } },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    assert.deepEqual(record.warnings, []);
    assert.deepEqual(
      record.response.output.map((item) => [item.type, item.call_id, item.status, item.arguments ?? item.output]),
      [
        ['function_call', 'a', 'completed', '{"q":"x"}'],
        ['function_call_output', 'a', 'incomplete', 'rate limited'],
        ['function_call', 'b', 'incomplete', '{"q": oops'],
        ['function_call_output', 'b', 'incomplete', 'Invalid input'],
        ['function_call', 'c', 'completed', '{"id":7}'],
        ['function_call_output', 'c', 'completed', '{"found":true}'],
      ],
    );
    assert.equal(record.response.status, 'completed');
  });

  it('a call that asks approval, denied: the approval items and what the model is told', async () => {
    const { record } = await readBoth([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'tool-input-available', toolCallId: 'del', toolName: 'deleteFile', input: { path: '/tmp/a' } },
      { type: 'tool-approval-request', approvalId: 'appr-1', toolCallId: 'del', reason: 'destructive' },
      { type: 'tool-approval-response', approvalId: 'appr-1', approved: false, reason: 'not today' },
      { type: 'tool-output-denied', toolCallId: 'del' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    assert.deepEqual(record.warnings, []);
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['function_call', 'mcp_approval_request', 'mcp_approval_response', 'function_call_output'],
    );
    assert.deepEqual(record.response.output[1], { type: 'mcp_approval_request', id: 'appr-1', name: 'deleteFile', arguments: '{"path":"/tmp/a"}', call_id: 'del' });
    assert.equal(record.response.output[2]?.approve, false);
    assert.equal(record.response.output[3]?.output, 'not today');
    const tool = (record.result.parts as JsonObject[])[1] as JsonObject;
    assert.equal(tool.state, 'output-denied');
    assert.deepEqual(tool.approval, { id: 'appr-1', requestReason: 'destructive', approved: false, reason: 'not today' });
  });

  it('a tool whose input streams as text: a custom tool call', async () => {
    const { record } = await readBoth([
      { type: 'start' },
      { type: 'tool-input-start', toolCallId: 'sh', toolName: 'shell', inputEncoding: 'text' },
      { type: 'tool-input-delta', toolCallId: 'sh', inputTextDelta: 'ls ' },
      { type: 'tool-input-delta', toolCallId: 'sh', inputTextDelta: '-la' },
      { type: 'tool-input-available', toolCallId: 'sh', toolName: 'shell', input: 'ls -la' },
      { type: 'tool-output-available', toolCallId: 'sh', output: 'total 0' },
      { type: 'finish' },
    ]);
    assert.deepEqual(record.warnings, []);
    assert.deepEqual(
      record.response.output.map((item) => [item.type, item.input ?? item.output]),
      [
        ['custom_tool_call', 'ls -la'],
        ['custom_tool_call_output', 'total 0'],
      ],
    );
  });

  it('sources: cited by the step’s text, before or after it; citations with places; a step of sources alone', async () => {
    const { record } = await readBoth([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'source-url', sourceId: 's1', url: 'https://example.com/a', title: 'A' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'Paris is the capital.' },
      {
        type: 'text-end',
        id: '1',
        citations: [{ source: { type: 'source', sourceType: 'url', id: 's2', url: 'https://example.com/b', extra: 1 }, startIndex: 0, endIndex: 5, citedText: 'Paris', extra: 2 }],
      },
      { type: 'source-document', sourceId: 'doc-1', mediaType: 'application/pdf', title: 'Atlas', filename: 'atlas.pdf' },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'source-url', sourceId: 's3', url: 'https://example.com/c' },
      { type: 'finish-step' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    assert.deepEqual(record.warnings, []);
    const [first, second] = itemsOf(record, 'message');
    assert.deepEqual((first?.content as JsonObject[])[0]?.annotations, [
      { type: 'url_citation', url: 'https://example.com/a', title: 'A' },
      { type: 'url_citation', url: 'https://example.com/b', start_index: 0, end_index: 5 },
      { type: 'file_citation', file_id: 'doc-1', filename: 'atlas.pdf' },
    ]);
    assert.deepEqual(second?.content, [{ type: 'output_text', text: '', annotations: [{ type: 'url_citation', url: 'https://example.com/c' }] }]);
    const text = (record.result.parts as JsonObject[]).find((part) => part.type === 'text');
    assert.deepEqual(text?.citations, [{ source: { type: 'source', sourceType: 'url', id: 's2', url: 'https://example.com/b' }, startIndex: 0, endIndex: 5, citedText: 'Paris' }]);
  });

  it('data parts (one replaced by id, one transient), metadata merged from start, message-metadata and finish', async () => {
    const { record } = await readBoth([
      { type: 'start', messageId: 'm', messageMetadata: { createdAt: 1, model: { name: 'x' } } },
      { type: 'data-weather', id: 'w', data: { status: 'loading' } },
      { type: 'data-notice', data: 'hello', transient: true },
      { type: 'message-metadata', messageMetadata: { model: { provider: 'p' } } },
      { type: 'data-weather', id: 'w', data: { status: 'done', temperature: 3 } },
      { type: 'data-log', data: ['a'], extra: true },
      { type: 'finish', messageMetadata: { finishedAt: 2 } },
    ]);
    assert.deepEqual(record.warnings, []);
    assert.deepEqual(
      record.response.output.map((item) => [item.type, item.data]),
      [
        ['data-weather', { status: 'done', temperature: 3 }],
        ['data-log', ['a']],
      ],
    );
    assert.deepEqual(record.result.metadata, { createdAt: 1, model: { name: 'x', provider: 'p' }, finishedAt: 2 });
    assert.deepEqual(record.response.metadata, record.result.metadata);
  });

  it('custom parts, reasoning files and a steering message', async () => {
    const { record } = await readBoth([
      { type: 'start' },
      { type: 'custom', kind: 'openai.compaction', providerMetadata: { openai: { id: 'c' } } },
      { type: 'reasoning-file', mediaType: 'application/json', url: 'https://files.example/r.json' },
      { type: 'steering-message', id: 'steer', parts: [{ type: 'text', text: 'shorter please' }] },
      { type: 'finish' },
    ]);
    assert.deepEqual(record.warnings, []);
    assert.deepEqual(
      record.response.output.map((item) => item.type),
      ['custom', 'reasoning-file', 'message'],
    );
    assert.deepEqual(record.response.output[2]?.content, [{ type: 'input_text', text: 'shorter please' }]);
  });

  it('finish reasons: length is incomplete (max_output_tokens), error failed, tool-calls completed', async () => {
    const text = (finishReason: string) => [{ type: 'start' }, { type: 'text-start', id: '1' }, { type: 'text-delta', id: '1', delta: 'a' }, { type: 'text-end', id: '1' }, { type: 'finish', finishReason }];
    const length = (await readBoth(text('length'))).record;
    assert.equal(length.response.status, 'incomplete');
    assert.deepEqual(length.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal((await readBoth(text('content-filter'))).record.response.status, 'incomplete');
    assert.equal((await readBoth(text('tool-calls'))).record.response.status, 'completed');
    const failed = (await readBoth(text('error'))).record;
    assert.equal(failed.response.status, 'failed');
    assert.ok(failed.response.error?.message);
  });

  it('an aborted stream: incomplete, its open text ended unfinished', async () => {
    const { record } = await readBoth(
      [{ type: 'start' }, { type: 'start-step' }, { type: 'text-start', id: '1' }, { type: 'text-delta', id: '1', delta: 'Once upon' }, { type: 'abort', reason: 'user stop' }],
      { done: false },
    );
    assert.equal(record.response.status, 'incomplete');
    assert.deepEqual(record.response.incomplete_details, { reason: 'aborted', message: 'user stop' });
    assert.equal(record.response.output[0]?.status, 'incomplete');
    assert.deepEqual(messageTexts(record), ['Once upon']);
    assert.deepEqual(record.warnings, []);
  });

  it('a stream cut in a text, and one cut in a tool’s input (the SDK’s partial reading of it)', async () => {
    const cutText = (await readBoth([{ type: 'start' }, { type: 'text-start', id: '1' }, { type: 'text-delta', id: '1', delta: 'Half a sen' }], { done: false })).record;
    assert.equal(cutText.response.status, 'incomplete');
    assert.deepEqual(cutText.response.incomplete_details, { reason: 'interrupted' });
    assert.equal((cutText.result.parts as JsonObject[])[0]?.state, 'streaming');
    for (const prefix of ['{"city":"Par', '{"a":[1,2', '{"a":tr', '{"a":-', '{"a":"\\u00', '[{"b":null,', '{"n":1.5e']) {
      const { record } = await readBoth(
        [{ type: 'start' }, { type: 'tool-input-start', toolCallId: 't', toolName: 'x' }, { type: 'tool-input-delta', toolCallId: 't', inputTextDelta: prefix }],
        { done: false },
      );
      assert.equal(record.response.status, 'incomplete');
      assert.equal(record.response.output[0]?.arguments, prefix);
      assert.equal(record.response.output[0]?.status, 'incomplete');
    }
  });

  it('a chunk the SDK cannot apply (a delta for a text never started): it stops there; failed, the rest still shown', async () => {
    const chunks = [
      { type: 'start' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'fine' },
      { type: 'text-delta', id: '2', delta: 'lost' },
      { type: 'text-delta', id: '1', delta: ' and more' },
      { type: 'text-end', id: '1' },
      { type: 'finish' },
    ];
    const { record, body } = await readBoth(chunks);
    assert.deepEqual(((record.result.parts as JsonObject[])[0] as JsonObject).text, 'fine', 'the SDK stopped at the bad delta');
    assert.equal(record.response.status, 'failed');
    assert.equal(record.response.error?.code, 'AI_UIMessageStreamError');
    assert.match(String(record.response.error?.message), /missing text part with ID "2"/);
    assert.deepEqual(warningCodes(record), ['error_event']);
    assert.deepEqual(messageTexts(record), ['fine and more']);
    assert.match((await sdkFailure(body))?.message ?? '', /missing text part with ID "2"/);
  });

  it('a chunk the SDK’s schema refuses (an unknown type, a null where a string may be): it stops there', async () => {
    for (const bad of [{ type: 'ping' }, { type: 'text-delta', id: '1' }, { type: 'source-url', sourceId: 's', url: 'u', title: null }, { type: 'finish', finishReason: 'done' }]) {
      const { record, body } = await readBoth([{ type: 'start', messageId: 'm' }, { type: 'text-start', id: '1' }, bad, { type: 'text-delta', id: '1', delta: 'x' }, { type: 'finish' }]);
      assert.equal(record.response.status, 'failed');
      assert.equal(record.response.error?.code, 'AI_TypeValidationError');
      assert.deepEqual(warningCodes(record), ['error_event']);
      assert.equal(((record.result.parts as JsonObject[])[0] as JsonObject).text, '');
      assert.match((await sdkFailure(body))?.message ?? '', /Type validation failed/);
    }
  });

  it('a bare {"error": …} frame: failed with its message', async () => {
    const { record } = await readBoth([{ type: 'start' }, { error: { message: 'Overloaded', type: 'overloaded_error' } }]);
    assert.equal(record.response.status, 'failed');
    assert.equal(record.response.error?.message, 'Overloaded');
  });

  it('reset-step, a new messageId mid-stream, a trailing step start: as the SDK shows them', async () => {
    await readBoth([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'draft' },
      { type: 'reset-step' },
      { type: 'text-start', id: '1' },
      { type: 'text-delta', id: '1', delta: 'final' },
      { type: 'text-end', id: '1' },
      { type: 'finish' },
    ]);
    const renamed = (await readBoth([{ type: 'start', messageId: 'a' }, { type: 'text-start', id: '1' }, { type: 'start', messageId: 'b' }, { type: 'text-start', id: '2' }, { type: 'text-end', id: '2' }])).record;
    assert.equal(renamed.result.id, 'b');
    assert.equal(renamed.response.id, 'b');
    const trailing = (await readBoth([{ type: 'start' }, { type: 'text-start', id: '1' }, { type: 'text-end', id: '1' }, { type: 'start-step' }])).record;
    assert.deepEqual(
      (trailing.result.parts as JsonObject[]).map((part) => part.type),
      ['text'],
    );
  });

  it('metadata the SDK cannot merge (an object onto a string) stops it, as it stops the SDK', async () => {
    const { record } = await readBoth([
      { type: 'start', messageMetadata: 'plain' },
      { type: 'text-start', id: '1' },
      { type: 'message-metadata', messageMetadata: { a: 1 } },
      { type: 'text-delta', id: '1', delta: 'x' },
    ]);
    assert.equal(record.response.status, 'failed');
  });
});

describe('AI SDK UI message streams: a tool input read while it streams', () => {
  const texts = [
    '{"city": "Paris", "days": [1, 2, 3], "units": {"temp": "C", "wind": null}}',
    '{"s":"a\\"b\\\\c\\u00e9\\n","n":-12.5e-3,"t":true,"f":false,"z":null,"e":[],"o":{}}',
    '[ {"a" : [ [ 1 , -0.5E+2 ] , "x" ] } , tru ]',
    '  {"nested":{"deeper":{"deepest":[{"k":"v"},{"k2":[null,false]}]}}}  ',
    '{"bad": nul, "worse": 1.2.3, "odd": -}',
    '"just a string with \\u12',
  ];

  it('gives, after each delta, the input parsePartialJson gives for the text so far', async () => {
    for (const text of texts) {
      for (let end = 1; end <= text.length; end++) {
        const prefix = text.slice(0, end);
        const translator = createAiSdkUiTranslator();
        for (const chunk of [
          { type: 'start' },
          { type: 'tool-input-start', toolCallId: 't', toolName: 'x' },
          { type: 'tool-input-delta', toolCallId: 't', inputTextDelta: prefix.slice(0, end >> 1) },
          { type: 'tool-input-delta', toolCallId: 't', inputTextDelta: prefix.slice(end >> 1) },
        ]) {
          translator.translate(chunk, chunk.type);
        }
        const part = (translator.result.parts as JsonObject[])[0] as JsonObject;
        assert.deepStrictEqual(part.input, (await parsePartialJson(prefix)).value, JSON.stringify(prefix));
        assert.equal(part.rawInput, prefix);
      }
    }
  });
});

describe('AI SDK UI message streams: replay and copies', () => {
  const chunks = [
    { type: 'start', messageId: 'r' },
    { type: 'start-step' },
    { type: 'reasoning-start', id: 'r1' },
    { type: 'reasoning-delta', id: 'r1', delta: 'think' },
    { type: 'reasoning-end', id: 'r1' },
    { type: 'tool-input-start', toolCallId: 'c', toolName: 'add' },
    { type: 'tool-input-delta', toolCallId: 'c', inputTextDelta: '{"a":1,' },
    { type: 'tool-input-delta', toolCallId: 'c', inputTextDelta: '"b":2}' },
    { type: 'tool-input-available', toolCallId: 'c', toolName: 'add', input: { a: 1, b: 2 } },
    { type: 'tool-output-available', toolCallId: 'c', output: 3 },
    { type: 'source-url', sourceId: 's', url: 'https://example.com' },
    { type: 'text-start', id: 't' },
    { type: 'text-delta', id: 't', delta: 'Three' },
    { type: 'text-delta', id: 't', delta: '.' },
    { type: 'text-end', id: 't' },
    { type: 'data-x', id: 'd', data: 1 },
    { type: 'data-x', id: 'd', data: 2 },
    { type: 'finish-step' },
    { type: 'finish', finishReason: 'stop' },
  ];

  it('a replay gives, after each event, what the SDK has shown of those events', async () => {
    const record = onlyRecord(sse(chunks));
    assert.deepEqual(record.warnings, []);
    const replay = new ResponseReplay(record, { minimumSpacing: 3 });
    for (const count of [chunks.length, 0, 4, 9, 2, 15, 11, 18, 7]) {
      const replayed = replay.at(count);
      assert.deepStrictEqual(replayed.result, (await readWithSdk(sse(chunks.slice(0, count), { done: false }))).final, `after ${count} events`);
    }
    assert.deepStrictEqual(replay.at(chunks.length + 1).response, record.response);
  });

  it('a copy goes on independently of the original', async () => {
    const translator = createAiSdkUiTranslator();
    const half = chunks.slice(0, 13);
    for (const chunk of half) translator.translate(chunk as JsonObject, chunk.type);
    const copy = translator.clone();
    for (const chunk of chunks.slice(13)) copy.translate(chunk as JsonObject, chunk.type);
    assert.deepStrictEqual(translator.result, (await readWithSdk(sse(half, { done: false }))).final);
    assert.deepStrictEqual(copy.result, (await readWithSdk(sse(chunks))).final);
    assert.equal(copy.done, true);
    assert.equal(translator.done, false);
  });
});

/** Random chunk sequences (ids that match and ids that do not, bad chunks now and then), each read by both. */
function randomStream(random: () => number): { chunks: unknown[]; done: boolean } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const maybe = (probability: number) => random() < probability;
  const providerMetadata = () => (maybe(0.25) ? { providerMetadata: { p: { signature: pick(['a', 'b']) } } } : {});
  const input = '{"city":"Par\\u00e9s","n":[1,-2.5e3,true,null],"o":{"a":false,"s":"x\\"y"}}';
  const offsets = new Map<string, number>();
  const metadata = () => pick<unknown>([{ a: 1 }, { a: { b: 2 } }, { a: { c: [1] } }, { d: null }, 'text', 5, null, [1, 2]]);
  const makers: Array<() => unknown> = [
    () => ({ type: 'start', ...(maybe(0.5) ? { messageId: pick(['m1', 'm2']) } : {}), ...(maybe(0.3) ? { messageMetadata: metadata() } : {}) }),
    () => ({ type: 'start-step' }),
    () => ({ type: 'start-step' }),
    () => ({ type: 'finish-step' }),
    () => ({ type: 'reset-step' }),
    () => ({ type: 'text-start', id: pick(['t1', 't2']), ...providerMetadata() }),
    () => ({ type: 'text-delta', id: pick(['t1', 't2', 't3']), delta: pick(['Hello', ' ', 'wörld', '']), ...providerMetadata() }),
    () => ({ type: 'text-delta', id: 't1', delta: pick(['a', 'b']) }),
    () => ({ type: 'text-end', id: pick(['t1', 't2']), ...providerMetadata(), ...(maybe(0.3) ? { citations: [{ source: { type: 'source', sourceType: 'url', id: 's', url: 'https://c.example' }, endIndex: 1 }] } : {}) }),
    () => ({ type: 'reasoning-start', id: pick(['r1', 'r2']), ...providerMetadata() }),
    () => ({ type: 'reasoning-delta', id: pick(['r1', 'r2']), delta: pick(['think', '', ' more']), ...providerMetadata() }),
    () => ({ type: 'reasoning-end', id: pick(['r1', 'r2']), ...providerMetadata() }),
    () => {
      const toolCallId = pick(['c1', 'c2', 'c3']);
      offsets.set(toolCallId, 0);
      return {
        type: 'tool-input-start',
        toolCallId,
        toolName: pick(['weather', 'search']),
        ...(maybe(0.3) ? { dynamic: true } : {}),
        ...(maybe(0.2) ? { inputEncoding: pick(['json', 'text']) } : {}),
        ...(maybe(0.2) ? { providerExecuted: true } : {}),
        ...(maybe(0.2) ? { title: 'T' } : {}),
        ...(maybe(0.2) ? { toolMetadata: { k: 1 } } : {}),
        ...providerMetadata(),
      };
    },
    () => {
      const toolCallId = pick(['c1', 'c2', 'c3']);
      const offset = offsets.get(toolCallId) ?? 0;
      const end = Math.min(input.length, offset + 1 + Math.floor(random() * 9));
      offsets.set(toolCallId, end);
      return { type: 'tool-input-delta', toolCallId, inputTextDelta: input.slice(offset, end) };
    },
    () => ({ type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: input.slice(0, 1 + Math.floor(random() * input.length)) }),
    () => ({ type: 'tool-input-available', toolCallId: pick(['c1', 'c2', 'c3']), toolName: pick(['weather', 'search']), input: pick<unknown>([{ city: 'Paris' }, 'raw', null]), ...(maybe(0.3) ? { dynamic: true } : {}), ...providerMetadata() }),
    () => ({ type: 'tool-input-error', toolCallId: pick(['c1', 'c4']), toolName: 'weather', input: '{bad', errorText: 'Invalid', ...(maybe(0.3) ? { dynamic: true } : {}) }),
    () => ({ type: 'tool-output-available', toolCallId: pick(['c1', 'c2', 'c3', 'c9']), output: pick<unknown>([{ t: 1 }, 'done', null, [1]]), ...(maybe(0.3) ? { preliminary: true } : {}), ...providerMetadata() }),
    () => ({ type: 'tool-output-available', toolCallId: 'c1' }),
    () => ({ type: 'tool-output-error', toolCallId: pick(['c1', 'c2', 'c9']), errorText: 'boom', ...(maybe(0.3) ? { toolMetadata: { k: 2 } } : {}) }),
    () => ({ type: 'tool-output-denied', toolCallId: pick(['c1', 'c2']) }),
    () => ({ type: 'tool-approval-request', approvalId: pick(['a1', 'a2']), toolCallId: pick(['c1', 'c2']), ...(maybe(0.5) ? { inputSchemaInput: null } : {}), ...(maybe(0.3) ? { isAutomatic: pick([true, false]) } : {}) }),
    () => ({ type: 'tool-approval-response', approvalId: pick(['a1', 'a2', 'a3']), approved: maybe(0.5), ...(maybe(0.5) ? { reason: 'r' } : {}) }),
    () => ({ type: 'source-url', sourceId: 's1', url: 'https://s.example', ...(maybe(0.5) ? { title: 'S' } : {}) }),
    () => ({ type: 'source-document', sourceId: 'd1', mediaType: 'application/pdf', title: 'Doc', ...(maybe(0.5) ? { filename: 'd.pdf' } : {}) }),
    () => ({ type: 'file', mediaType: 'image/png', url: pick(['data:image/png;base64,iVBORw0KGgo=', 'https://f.example/x.png']), ...providerMetadata() }),
    () => ({ type: 'reasoning-file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGk=' }),
    () => ({ type: 'custom', kind: 'x.y' }),
    () => ({ type: pick(['data-a', 'data-b']), ...(maybe(0.6) ? { id: pick(['d1', 'd2']) } : {}), data: pick<unknown>([1, { v: 2 }, 'three']), ...(maybe(0.2) ? { transient: true } : {}) }),
    () => ({ type: 'message-metadata', messageMetadata: metadata() }),
    () => ({ type: 'steering-message', id: 'sm', parts: [{ type: 'text', text: 'hi' }] }),
    () => ({ type: 'error', errorText: 'Something broke' }),
    () => ({ type: 'abort', ...(maybe(0.5) ? { reason: 'stop' } : {}) }),
    () => pick<unknown>([{ type: 'bogus' }, { type: 'text-start' }, { type: 'start', messageId: 7 }, { type: 'data-a', id: 1, data: 0 }, { type: 'text-delta', id: 't1', delta: 'x', constructor: { prototype: {} } }]),
  ];
  const length = 3 + Math.floor(random() * 40);
  const chunks: unknown[] = [];
  for (let index = 0; index < length; index++) {
    const maker = maybe(0.1) ? undefined : pick(makers);
    // Rare chunks stay rare; the bad ones rarer still.
    if (maker === makers[makers.length - 1] && maybe(0.7)) continue;
    chunks.push((maker ?? pick(makers))());
  }
  // A finish ends the record (a chunk after it starts another), so it comes last if at all.
  if (maybe(0.6)) chunks.push({ type: 'finish', ...(maybe(0.7) ? { finishReason: pick(['stop', 'length', 'tool-calls', 'error', 'other']) } : {}), ...(maybe(0.3) ? { messageMetadata: metadata() } : {}) });
  return { chunks, done: maybe(0.7) };
}

describe('AI SDK UI message streams: random streams against the SDK', () => {
  it('builds the message readUIMessageStream yields, whatever the chunks; never throws', async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { chunks, done } = randomStream(seededRandom(seed));
      const body = sse(chunks, { done });
      const record = readToldRecord(body);
      const sdk = await readWithSdk(body);
      assert.deepStrictEqual(record.result, sdk.final, `seed ${seed}\n${body}`);
      assert.ok(['completed', 'incomplete', 'failed'].includes(String(record.response.status)), `seed ${seed}: ${String(record.response.status)}`);
      if (sdk.errors.length === 0) {
        assert.deepEqual(record.warnings, [], `seed ${seed}: the SDK read it without an error\n${body}`);
        // Failed only on the stream's own word.
        if (!body.includes('"finishReason":"error"')) assert.notEqual(record.response.status, 'failed', `seed ${seed}`);
      } else {
        assert.equal(record.response.status, 'failed', `seed ${seed}`);
        assert.ok(warningCodes(record).includes('error_event'), `seed ${seed}`);
      }
    }
  });
});
