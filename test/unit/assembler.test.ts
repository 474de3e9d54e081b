import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readResponsesBody,
  summarizeRecord,
  KNOWN_EVENT_TYPES,
  ResponseAssembler,
  ResponsesStreamReader,
  UnreadableBodyError,
  type JsonObject,
  type ResponseObject,
  type ResponseRecord,
  type ResponseSummary,
} from '../../extension/core/index.ts';
import { fixtureNames, readFixture, splitFrames, frameEvent, joinFrames, terminalSnapshot } from '../helpers/streams.ts';

/** Serialises events as an OpenAI-style SSE stream, numbering them from `firstSequence`. */

/** A Responses stream's summary: its `response` is the Response. */
type ResponsesSummary = ResponseSummary & { response: ResponseObject };

function summarizeResponses(record: ResponseRecord): ResponsesSummary {
  return summarizeRecord(record) as ResponsesSummary;
}

function sse(events: JsonObject[], firstSequence = 0): string {
  return events
    .map((event, index) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: firstSequence + index })}\n\n`)
    .join('');
}

function inspect(text: string): ResponsesSummary[] {
  return readResponsesBody(text).responses.map(summarizeResponses);
}

function one(text: string): ResponsesSummary {
  const summaries = inspect(text);
  assert.equal(summaries.length, 1);
  return summaries[0] as ResponsesSummary;
}

const codes = (summary: ResponseSummary) => summary.warnings.map((warning) => warning.code);

const base = { id: 'resp_1', object: 'response', model: 'test-model', created_at: 1700000000, output: [], usage: null };

/** Every item family the API streams, built from deltas, with the final items the server would send. */
function kitchenSink(): { events: JsonObject[]; final: JsonObject[] } {
  const final: JsonObject[] = [
    { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think first.' }], content: [{ type: 'reasoning_text', text: 'raw thoughts' }] },
    { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [
      { type: 'output_text', text: 'Hello world', annotations: [{ type: 'url_citation', url: 'https://example.com', title: 'Example', start_index: 0, end_index: 5 }], logprobs: [] },
      { type: 'refusal', refusal: 'I cannot do that.' },
    ] },
    { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
    { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_2', name: 'run', input: 'print(1)' },
    { id: 'mcp_1', type: 'mcp_call', server_label: 'srv', name: 'lookup', arguments: '{"q":1}', output: 'ok', status: 'completed' },
    { id: 'ci_1', type: 'code_interpreter_call', code: 'x = 1\nprint(x)', container_id: 'c', outputs: [], status: 'completed' },
    { id: 'apc_1', type: 'apply_patch_call', call_id: 'call_3', operation: { type: 'update_file', path: 'a.txt', diff: '@@ -1 +1 @@\n-a\n+b\n' }, status: 'completed' },
    { id: 'sh_1', type: 'shell_call', call_id: 'call_4', action: { commands: ['ls -la', 'pwd'] }, status: 'completed' },
    { id: 'sho_1', type: 'shell_call_output', call_id: 'call_4', output: [
      { stdout: 'total 0\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } },
      { stdout: '/root\n', stderr: 'warn\n', outcome: { type: 'exit', exit_code: 0 } },
    ] },
    { id: 'ig_1', type: 'image_generation_call', status: 'completed', result: 'AAAA' },
    { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'q' } },
  ];
  const at = (output_index: number, item_id: string) => ({ output_index, item_id });
  const events: JsonObject[] = [
    { type: 'response.created', response: { ...base, status: 'in_progress' } },
    { type: 'response.in_progress', response: { ...base, status: 'in_progress' } },
    // reasoning: summary and raw text
    { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
    { type: 'response.reasoning_summary_part.added', ...at(0, 'rs_1'), summary_index: 0, part: { type: 'summary_text', text: '' } },
    { type: 'response.reasoning_summary_text.delta', ...at(0, 'rs_1'), summary_index: 0, delta: 'Think ' },
    { type: 'response.reasoning_summary_text.delta', ...at(0, 'rs_1'), summary_index: 0, delta: 'first.' },
    { type: 'response.content_part.added', ...at(0, 'rs_1'), content_index: 0, part: { type: 'reasoning_text', text: '' } },
    { type: 'response.reasoning_text.delta', ...at(0, 'rs_1'), content_index: 0, delta: 'raw ' },
    { type: 'response.reasoning_text.delta', ...at(0, 'rs_1'), content_index: 0, delta: 'thoughts' },
    // message: text with an annotation, then a refusal part
    { type: 'response.output_item.added', output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', ...at(1, 'msg_1'), content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } },
    { type: 'response.output_text.delta', ...at(1, 'msg_1'), content_index: 0, delta: 'Hello', logprobs: [] },
    { type: 'response.output_text.delta', ...at(1, 'msg_1'), content_index: 0, delta: ' world', logprobs: [] },
    { type: 'response.output_text.annotation.added', ...at(1, 'msg_1'), content_index: 0, annotation_index: 0, annotation: { type: 'url_citation', url: 'https://example.com', title: 'Example', start_index: 0, end_index: 5 } },
    { type: 'response.content_part.added', ...at(1, 'msg_1'), content_index: 1, part: { type: 'refusal', refusal: '' } },
    { type: 'response.refusal.delta', ...at(1, 'msg_1'), content_index: 1, delta: 'I cannot ' },
    { type: 'response.refusal.delta', ...at(1, 'msg_1'), content_index: 1, delta: 'do that.' },
    // function call, custom tool, MCP call, code interpreter
    { type: 'response.output_item.added', output_index: 2, item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '', status: 'in_progress' } },
    { type: 'response.function_call_arguments.delta', ...at(2, 'fc_1'), delta: '{"city":' },
    { type: 'response.function_call_arguments.delta', ...at(2, 'fc_1'), delta: '"Paris"}' },
    { type: 'response.output_item.added', output_index: 3, item: { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_2', name: 'run', input: '' } },
    { type: 'response.custom_tool_call_input.delta', ...at(3, 'ctc_1'), delta: 'print(1)' },
    { type: 'response.output_item.added', output_index: 4, item: { id: 'mcp_1', type: 'mcp_call', server_label: 'srv', name: 'lookup', arguments: '', status: 'in_progress' } },
    { type: 'response.mcp_call.in_progress', ...at(4, 'mcp_1') },
    { type: 'response.mcp_call_arguments.delta', ...at(4, 'mcp_1'), delta: '{"q":1}' },
    { type: 'response.output_item.added', output_index: 5, item: { id: 'ci_1', type: 'code_interpreter_call', code: '', container_id: 'c', outputs: null, status: 'in_progress' } },
    { type: 'response.code_interpreter_call.in_progress', ...at(5, 'ci_1') },
    { type: 'response.code_interpreter_call_code.delta', ...at(5, 'ci_1'), delta: 'x = 1\n' },
    { type: 'response.code_interpreter_call_code.delta', ...at(5, 'ci_1'), delta: 'print(x)' },
    { type: 'response.code_interpreter_call.interpreting', ...at(5, 'ci_1') },
    // apply_patch diff (seen on the wire, not in openai-node's union)
    { type: 'response.output_item.added', output_index: 6, item: { id: 'apc_1', type: 'apply_patch_call', call_id: 'call_3', operation: { type: 'update_file', path: 'a.txt', diff: '' }, status: 'in_progress' } },
    { type: 'response.apply_patch_call_operation_diff.delta', ...at(6, 'apc_1'), delta: '@@ -1 +1 @@\n', obfuscation: 'x' },
    { type: 'response.apply_patch_call_operation_diff.delta', ...at(6, 'apc_1'), delta: '-a\n+b\n' },
    // shell: command events have no item_id
    { type: 'response.output_item.added', output_index: 7, item: { id: 'sh_1', type: 'shell_call', call_id: 'call_4', action: { commands: [] }, status: 'in_progress' } },
    { type: 'response.shell_call_command.added', output_index: 7, command_index: 0, command: '' },
    { type: 'response.shell_call_command.delta', output_index: 7, command_index: 0, delta: 'ls ' },
    { type: 'response.shell_call_command.delta', output_index: 7, command_index: 0, delta: '-la' },
    { type: 'response.shell_call_command.added', output_index: 7, command_index: 1, command: '' },
    { type: 'response.shell_call_command.delta', output_index: 7, command_index: 1, delta: 'pwd' },
    { type: 'response.output_item.added', output_index: 8, item: { id: 'sho_1', type: 'shell_call_output', call_id: 'call_4', output: [] } },
    { type: 'response.shell_call_output_content.delta', ...at(8, 'sho_1'), command_index: 0, delta: { stdout: 'total 0\n' } },
    { type: 'response.shell_call_output_content.delta', ...at(8, 'sho_1'), command_index: 1, delta: { stdout: '/root\n' } },
    { type: 'response.shell_call_output_content.delta', ...at(8, 'sho_1'), command_index: 1, delta: { stderr: 'warn\n' } },
    // image generation with a partial image, web search status
    { type: 'response.output_item.added', output_index: 9, item: { id: 'ig_1', type: 'image_generation_call', status: 'in_progress' } },
    { type: 'response.image_generation_call.generating', ...at(9, 'ig_1') },
    { type: 'response.image_generation_call.partial_image', ...at(9, 'ig_1'), partial_image_index: 0, partial_image_b64: 'PARTIAL0', output_format: 'png' },
    { type: 'response.image_generation_call.partial_image', ...at(9, 'ig_1'), partial_image_index: 1, partial_image_b64: 'PARTIAL1', output_format: 'png' },
    { type: 'response.output_item.added', output_index: 10, item: { id: 'ws_1', type: 'web_search_call', status: 'in_progress' } },
    { type: 'response.web_search_call.searching', ...at(10, 'ws_1') },
    { type: 'keepalive' },
    { type: 'response.audio.transcript.delta', delta: 'spoken' },
  ];
  return { events, final };
}

describe('ResponseAssembler on every event family', () => {
  it('builds each streamed value from its deltas, with no warning', () => {
    const { events, final } = kitchenSink();
    const reader = new ResponsesStreamReader();
    reader.push(sse(events));
    const record = reader.responses[0];
    assert.ok(record);
    const output = record.response.output;
    assert.deepEqual(output[0]?.summary, [{ type: 'summary_text', text: 'Think first.' }]);
    assert.deepEqual(output[0]?.content, [{ type: 'reasoning_text', text: 'raw thoughts' }]);
    assert.deepEqual(output[1]?.content, final[1]?.content);
    assert.equal(output[2]?.arguments, '{"city":"Paris"}');
    assert.equal(output[3]?.input, 'print(1)');
    assert.equal(output[4]?.arguments, '{"q":1}');
    assert.equal(output[4]?.status, 'in_progress');
    assert.equal(output[5]?.code, 'x = 1\nprint(x)');
    assert.equal(output[5]?.status, 'interpreting');
    assert.deepEqual(output[6]?.operation, { type: 'update_file', path: 'a.txt', diff: '@@ -1 +1 @@\n-a\n+b\n' });
    assert.deepEqual(output[7]?.action, { commands: ['ls -la', 'pwd'] });
    assert.deepEqual(output[8]?.output, [{ stdout: 'total 0\n', stderr: '' }, { stdout: '/root\n', stderr: 'warn\n' }]);
    assert.equal(output[9]?.status, 'generating');
    assert.deepEqual(record.assembler.itemMeta[9]?.partialImage, { b64: 'PARTIAL1', index: 1, outputFormat: 'png' });
    assert.equal(output[10]?.status, 'searching');
    assert.equal(record.assembler.audioTranscript, 'spoken');
    assert.deepEqual(record.warnings, []);
    assert.equal(record.response.status, 'in_progress');
  });

  it('accepts the matching .done events and terminal snapshot without a warning', () => {
    const { events, final } = kitchenSink();
    const at = (output_index: number, item_id: string) => ({ output_index, item_id });
    const closing: JsonObject[] = [
      { type: 'response.reasoning_summary_text.done', ...at(0, 'rs_1'), summary_index: 0, text: 'Think first.' },
      { type: 'response.reasoning_summary_part.done', ...at(0, 'rs_1'), summary_index: 0, part: { type: 'summary_text', text: 'Think first.' } },
      { type: 'response.reasoning_text.done', ...at(0, 'rs_1'), content_index: 0, text: 'raw thoughts' },
      { type: 'response.output_text.done', ...at(1, 'msg_1'), content_index: 0, text: 'Hello world', logprobs: [] },
      { type: 'response.refusal.done', ...at(1, 'msg_1'), content_index: 1, refusal: 'I cannot do that.' },
      { type: 'response.content_part.done', ...at(1, 'msg_1'), content_index: 1, part: { type: 'refusal', refusal: 'I cannot do that.' } },
      { type: 'response.function_call_arguments.done', ...at(2, 'fc_1'), arguments: '{"city":"Paris"}' },
      { type: 'response.custom_tool_call_input.done', ...at(3, 'ctc_1'), input: 'print(1)' },
      { type: 'response.mcp_call_arguments.done', ...at(4, 'mcp_1'), arguments: '{"q":1}' },
      { type: 'response.mcp_call.completed', ...at(4, 'mcp_1') },
      { type: 'response.code_interpreter_call_code.done', ...at(5, 'ci_1'), code: 'x = 1\nprint(x)' },
      { type: 'response.code_interpreter_call.completed', ...at(5, 'ci_1') },
      { type: 'response.apply_patch_call_operation_diff.done', ...at(6, 'apc_1'), diff: '@@ -1 +1 @@\n-a\n+b\n' },
      { type: 'response.shell_call_command.done', output_index: 7, command_index: 0, command: 'ls -la' },
      { type: 'response.shell_call_command.done', output_index: 7, command_index: 1, command: 'pwd' },
      { type: 'response.shell_call_output_content.done', ...at(8, 'sho_1'), command_index: 1, output: [{ stdout: '/root\n', stderr: 'warn\n', outcome: { type: 'exit', exit_code: 0 } }] },
      { type: 'response.image_generation_call.completed', ...at(9, 'ig_1') },
      { type: 'response.web_search_call.completed', ...at(10, 'ws_1') },
      ...final.map((item, output_index) => ({ type: 'response.output_item.done', output_index, item })),
      { type: 'response.completed', response: { ...base, status: 'completed', output: final, usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4, cache_write_tokens: 2 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 5 }, total_tokens: 30 } } },
    ];
    const summary = one(sse([...events, ...closing]));
    assert.deepEqual(summary.warnings, []);
    assert.equal(summary.response.status, 'completed');
    assert.deepEqual(summary.response.output, final);
    assert.deepEqual(summary.usage, { input: 10, cached: 4, cacheWrite: 2, output: 20, reasoning: 5, total: 30 });
  });

  it('knows every event type of the reference', () => {
    const reference = [
      'response.audio.delta', 'response.audio.done', 'response.audio.transcript.delta', 'response.audio.transcript.done',
      'response.code_interpreter_call_code.delta', 'response.code_interpreter_call_code.done', 'response.code_interpreter_call.completed',
      'response.code_interpreter_call.in_progress', 'response.code_interpreter_call.interpreting', 'response.completed',
      'response.content_part.added', 'response.content_part.done', 'response.created', 'error',
      'response.file_search_call.completed', 'response.file_search_call.in_progress', 'response.file_search_call.searching',
      'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.in_progress', 'response.failed',
      'response.incomplete', 'response.output_item.added', 'response.output_item.done', 'response.reasoning_summary_part.added',
      'response.reasoning_summary_part.done', 'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.done',
      'response.reasoning_text.delta', 'response.reasoning_text.done', 'response.refusal.delta', 'response.refusal.done',
      'response.output_text.delta', 'response.output_text.done', 'response.web_search_call.completed',
      'response.web_search_call.in_progress', 'response.web_search_call.searching', 'response.image_generation_call.completed',
      'response.image_generation_call.generating', 'response.image_generation_call.in_progress',
      'response.image_generation_call.partial_image', 'response.mcp_call_arguments.delta', 'response.mcp_call_arguments.done',
      'response.mcp_call.completed', 'response.mcp_call.failed', 'response.mcp_call.in_progress', 'response.mcp_list_tools.completed',
      'response.mcp_list_tools.failed', 'response.mcp_list_tools.in_progress', 'response.output_text.annotation.added',
      'response.queued', 'response.custom_tool_call_input.delta', 'response.custom_tool_call_input.done',
      'response.shell_call_command.added', 'response.shell_call_command.delta', 'response.shell_call_command.done',
      'response.shell_call_output_content.delta', 'response.shell_call_output_content.done',
      'response.apply_patch_call_operation_diff.delta', 'response.apply_patch_call_operation_diff.done', 'keepalive',
    ];
    assert.equal(new Set(reference).size, 61);
    for (const type of reference) assert.ok(KNOWN_EVENT_TYPES.has(type), type);
  });
});

describe('consistency warnings', () => {
  const seed = readFixture('fantasy__text-gpt-4o.sse');
  const frames = splitFrames(seed);

  it('reports a sequence gap, a duplicate and a step backwards, with the sequence_number', () => {
    const gap = one(joinFrames(frames.filter((_, index) => index !== 5)));
    assert.deepEqual(codes(gap).filter((code) => code.startsWith('sequence')), ['sequence_gap']);
    assert.equal(gap.warnings.find((warning) => warning.code === 'sequence_gap')?.sequence_number, 6);

    const duplicated = [...frames.slice(0, 4), frames[3] as string, ...frames.slice(4)];
    const duplicate = one(joinFrames(duplicated));
    assert.ok(codes(duplicate).includes('sequence_duplicate'));

    const swapped = [...frames.slice(0, 4), frames[5] as string, frames[4] as string, ...frames.slice(6)];
    const backwards = one(joinFrames(swapped));
    assert.ok(codes(backwards).includes('sequence_backwards'));
    assert.deepEqual(backwards.response, terminalSnapshot(seed));
  });

  it('reports events for items and indexes that do not exist, and still keeps their content', () => {
    const text = sse([
      { type: 'response.created', response: { ...base, status: 'in_progress' } },
      { type: 'response.output_text.delta', output_index: 0, item_id: 'msg_x', content_index: 0, delta: 'orphan' },
      { type: 'response.output_item.added', output_index: 1, item: { id: 'fc_1', type: 'function_call', arguments: '' } },
      { type: 'response.output_text.delta', output_index: 1, item_id: 'fc_1', content_index: 0, delta: 'wrong type' },
    ]);
    const summary = one(text);
    assert.deepEqual(codes(summary), ['unknown_item', 'item_type_mismatch', 'no_terminal_event']);
    assert.equal(summary.warnings[0]?.sequence_number, 1);
    const response = summary.response as ResponseObject;
    assert.equal((response.output[0]?.content as Array<{ text: string }>)[0]?.text, 'orphan');
    assert.equal(response.output[1]?.arguments, '');
  });

  it('reads the nested and the flat shape of error events', () => {
    const nested = one(sse([
      { type: 'response.created', response: { ...base, status: 'in_progress' } },
      { type: 'error', error: { type: 'server_error', code: 'overloaded', message: 'Try again' } },
    ]));
    assert.equal(nested.warnings[0]?.code, 'error_event');
    assert.match(nested.warnings[0]?.message ?? '', /overloaded: Try again/);
    assert.equal(nested.response.status, 'failed');
    assert.deepEqual(nested.response.error, { message: 'Try again', code: 'overloaded', type: 'server_error' });

    const flat = one(sse([
      { type: 'response.created', response: { ...base, status: 'in_progress' } },
      { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down', param: null },
    ]));
    assert.match(flat.warnings[0]?.message ?? '', /rate_limit_exceeded: Slow down/);

    const bare = one(`data: ${JSON.stringify({ type: 'response.created', response: { ...base } })}\n\ndata: {"error":{"message":"boom","code":"x"}}\n\n`);
    assert.equal(bare.warnings[0]?.code, 'error_event');
  });

  it('keeps unknown event types in the log with one warning and goes on', () => {
    const text = sse([
      { type: 'response.created', response: { ...base, status: 'in_progress' } },
      { type: 'response.future_feature.delta', delta: 'x' },
      { type: 'response.future_feature.delta', delta: 'y' },
      { type: 'response.completed', response: { ...base, status: 'completed' } },
    ]);
    const summary = one(text);
    assert.deepEqual(codes(summary), ['unknown_event']);
    assert.equal(summary.events, 4);
    assert.equal(summary.response.status, 'completed');
  });

  it('marks garbage frames and carries on', () => {
    const garbage = [frames[0] as string, 'data: this is not json', ': a comment', 'data: [1, 2]', 'event: response.oops\ndata: {"no":"type"}', ...frames.slice(1)];
    const summary = one(joinFrames(garbage));
    assert.deepEqual(codes(summary), ['invalid_json', 'not_an_event', 'unknown_event']);
    assert.deepEqual(summary.response, terminalSnapshot(seed));
  });

  it('accepts a stream resumed after any sequence_number, with no warning', () => {
    for (const name of fixtureNames()) {
      const whole = readFixture(name);
      const all = splitFrames(whole).filter((frame) => !frame.startsWith(':'));
      const expected = name.includes('error-then-response-failed') ? ['error_event'] : [];
      for (const fraction of [0.01, 0.1, 0.3, 0.5, 0.7, 0.9]) {
        const skip = Math.max(1, Math.min(all.length - 2, Math.floor(all.length * fraction)));
        const resumed = all.slice(skip);
        const summary = one(joinFrames(resumed));
        const reported = resumed.some((frame) => frameEvent(frame)?.type === 'error') ? expected : [];
        assert.deepEqual(codes(summary), reported, `${name} resumed after ${skip} events`);
        assert.deepEqual(summary.response, terminalSnapshot(whole), `${name} resumed after ${skip} events`);
      }
    }
  });

  it('accepts a zero usage on an incomplete response', () => {
    const summary = one(sse([
      { type: 'response.created', response: { ...base, status: 'in_progress' } },
      { type: 'response.incomplete', response: { ...base, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } } },
    ]));
    assert.deepEqual(summary.warnings, []);
    assert.equal(summary.response.status, 'incomplete');
    assert.deepEqual(summary.usage, { input: 0, cached: 0, output: 0, reasoning: 0, total: 0 });
  });

  it('reports a terminal snapshot that lost the streamed output, and keeps what was built', () => {
    const summary = one(sse([
      { type: 'response.created', response: { ...base, status: 'in_progress' } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_1', type: 'function_call', arguments: '' } },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '{}' },
      { type: 'response.completed', response: { ...base, status: 'completed', output: [] } },
    ]));
    assert.deepEqual(codes(summary), ['snapshot_mismatch']);
    assert.equal(summary.response.output[0]?.arguments, '{}');
  });
});

describe('hostile input', () => {
  it('never throws nor allocates without bound, whatever the events say', () => {
    const cases: JsonObject[][] = [
      [{ type: 'response.created', response: { ...base, output: [null, 3, 'x'] } }, { type: 'response.output_text.delta', output_index: 0, item_id: 'm', content_index: 0, delta: 'x' }],
      [{ type: 'response.created', response: base }, { type: 'response.output_item.added', output_index: 2 ** 32, item: { type: 'message', id: 'm', content: [] } }],
      [{ type: 'response.created', response: base }, { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'm', content: [] } }, { type: 'response.output_text.delta', output_index: 0, item_id: 'm', content_index: 5e9, delta: 'x' }],
      [{ type: 'response.created', response: base }, { type: 'response.output_item.added', output_index: 0, item: { type: 'shell_call', id: 's', action: { commands: [] } } }, { type: 'response.shell_call_command.delta', output_index: 0, command_index: 1e9, delta: 'ls' }],
      [{ type: 'response.created', response: base }, { type: 'response.output_item.added', output_index: 1.5, item: { type: 'message' } }, { type: 'response.content_part.added', output_index: -1, content_index: 'a', part: null }],
      [{ type: 'response.output_text.annotation.added', output_index: 0, item_id: 'm', content_index: 0, annotation_index: 1e12, annotation: { type: 'url_citation' } }],
      [{ type: 'response.completed', response: { ...base, status: 'completed', output: [null] } }],
      [{ type: 'response.output_item.done', output_index: 0, item: null }, { type: 'response.reasoning_summary_part.added', output_index: 0, item_id: 'r', summary_index: 1e10, part: { type: 'summary_text', text: '' } }],
    ];
    for (const events of cases) {
      const summary = one(sse(events));
      assert.ok(summary.warnings.length > 0, JSON.stringify(events).slice(0, 120));
      assert.ok(summary.response.output.length < 2000, 'no runaway padding');
    }
    const body = readResponsesBody(JSON.stringify({ ...base, status: 'completed', output: [null, { type: 'message', content: null }] }));
    assert.equal(body.responses[0]?.response.output[0]?.type, 'unknown');
  });
});

describe('readResponsesBody', () => {
  it('reads a non-streaming Response JSON body', () => {
    const response = terminalSnapshot(readFixture('vercel-ai__file-search-gpt-5-mini.sse'));
    const summaries = inspect(JSON.stringify(response, null, 2));
    assert.equal(summaries.length, 1);
    assert.deepEqual(summaries[0]?.response, response);
    assert.equal(summaries[0]?.events, 0);
    assert.deepEqual(summaries[0]?.warnings, []);
    assert.equal(summaries[0]?.usage?.cached, 2304);
  });

  it('reads JSON lines of stream events', () => {
    const text = readFixture('seed__hello-gpt-4.1-nano.sse');
    const lines = splitFrames(text).map((frame) => JSON.stringify(frameEvent(frame))).join('\n');
    const summary = one(lines);
    assert.deepEqual(summary.response, terminalSnapshot(text));
    assert.deepEqual(summary.warnings, []);
  });

  it('refuses input with nothing of the Responses API in it', () => {
    for (const input of ['', 'hello world\nthis is text\n', '{"foo": 1}', '{"cut": ', 'data: not json\n\ndata: also not\n\n', '\u0000\u0001\u0002binary']) {
      assert.throws(() => readResponsesBody(input), UnreadableBodyError, JSON.stringify(input));
    }
  });

  it('stamps timing from receive times', () => {
    const text = readFixture('seed__hello-gpt-4.1-nano.sse');
    const reader = new ResponsesStreamReader({ requestStartedAt: 1000 });
    const frames = splitFrames(text);
    frames.forEach((frame, index) => reader.push(frame + '\n\n', 1100 + index * 10));
    reader.end(1100 + frames.length * 10);
    const summary = summarizeResponses(reader.responses[0]!);
    assert.equal(summary.timing.startedAt, 1000);
    assert.equal(summary.timing.firstByteMs, 100);
    assert.equal(summary.timing.firstTokenMs, 140);
    assert.equal(summary.timing.lastEventMs, 100 + (frames.length - 1) * 10);
    assert.equal(summary.timing.durationMs, 100 + frames.length * 10);
    // 10 output tokens from the first delta (140 ms) to the last event (260 ms)
    assert.equal(summary.timing.outputTokensPerSecond, Math.round((10 / 0.12) * 10) / 10);
  });
});

describe('runs of deltas to one place', () => {
  const message = (id: string, text = '') => ({ id, type: 'message', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] });
  const textDelta = (item_id: string, delta: unknown, output_index = 0, content_index = 0): JsonObject =>
    ({ type: 'response.output_text.delta', item_id, output_index, content_index, delta }) as JsonObject;

  function assembler(...events: JsonObject[]): ResponseAssembler {
    const built = new ResponseAssembler();
    built.apply({ type: 'response.created', response: { ...base, output: [], status: 'in_progress' } });
    for (const event of events) built.apply(event);
    return built;
  }

  const text = (built: ResponseAssembler, position: number, part = 0) =>
    (built.response.output[position]?.content as Array<{ text?: string }> | undefined)?.[part]?.text;

  it('go on to the item that replaced theirs in between', () => {
    const built = assembler(
      { type: 'response.output_item.added', output_index: 0, item: message('msg_1') },
      textDelta('msg_1', 'a'),
      textDelta('msg_1', 'b'),
      { type: 'response.output_item.done', output_index: 0, item: message('msg_1', 'ab') },
      textDelta('msg_1', '!'),
      textDelta('msg_1', '?'),
    );
    assert.equal(text(built, 0), 'ab!?');
    assert.deepEqual(built.warnings, []);
  });

  it('keep apart deltas that alternate between items and parts', () => {
    const twoParts = { ...message('msg_1'), content: [{ type: 'output_text', text: '' }, { type: 'output_text', text: '' }] };
    const built = assembler(
      { type: 'response.output_item.added', output_index: 0, item: twoParts },
      { type: 'response.output_item.added', output_index: 1, item: message('msg_2') },
      textDelta('msg_1', 'a'),
      textDelta('msg_2', 'x', 1),
      textDelta('msg_1', 'b'),
      textDelta('msg_1', 'c', 0, 1),
      textDelta('msg_1', 'd', 0, 1),
      textDelta('msg_1', 'e'),
      textDelta('msg_2', 'y', 1),
    );
    assert.deepEqual([text(built, 0), text(built, 0, 1), text(built, 1)], ['abe', 'cd', 'xy']);
    assert.deepEqual(built.warnings, []);
  });

  it('warn about a delta naming another item, or with no text, after a run', () => {
    const built = assembler(
      { type: 'response.output_item.added', output_index: 0, item: message('msg_1') },
      textDelta('msg_1', 'a'),
      textDelta('msg_1', 'b'),
      textDelta('msg_9', 'c'),
      textDelta('msg_1', 'd'),
      textDelta('msg_1', 7),
      textDelta('msg_1', 'e'),
    );
    assert.equal(text(built, 0), 'abde');
    assert.deepEqual(
      built.warnings.map((warning) => warning.code),
      ['unknown_item', 'malformed_event'],
    );
  });

  it('warn each time a delta names an item at another index, as the first did', () => {
    const built = assembler(
      { type: 'response.output_item.added', output_index: 0, item: message('msg_1') },
      { type: 'response.output_item.added', output_index: 1, item: message('msg_2') },
      textDelta('msg_2', 'a'),
      textDelta('msg_2', 'b'),
    );
    assert.deepEqual([text(built, 0), text(built, 1)], ['', 'ab']);
    assert.deepEqual(
      built.warnings.map((warning) => warning.code),
      ['unknown_item', 'unknown_item'],
    );
  });

  it('go each to an item of its own in a resumed stream when they name none it can find again', () => {
    for (const naming of [{}, { output_index: -1 }, { item_id: 5 }]) {
      const built = new ResponseAssembler();
      for (const delta of ['a', 'b']) built.apply({ type: 'response.output_text.delta', content_index: 0, delta, ...naming } as JsonObject);
      assert.deepEqual([text(built, 0), text(built, 1)], ['a', 'b']);
      assert.deepEqual(built.warnings, []);
    }
  });

  it('mark the item they change, each time', () => {
    const built = assembler({ type: 'response.output_item.added', output_index: 0, item: message('msg_1') }, textDelta('msg_1', 'a'), textDelta('msg_1', 'b'));
    assert.equal(built.itemMeta[0]?.revision, built.revision);
    built.apply(textDelta('msg_1', 'c'));
    assert.equal(built.itemMeta[0]?.revision, built.revision);
  });
});
