import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appToolCallsOf,
  buildTranscript,
  inspectCalls,
  requestInputOf,
  requestItemRefs,
  responsesSummary,
  stringifyJson,
  ThreadTracker,
  toolAnswersOf,
  toolCallLabel,
  type InspectedResponse,
  type ResponseSummary,
} from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { runCli, scratchWriter } from '../helpers/cli.ts';
import { agentLoopCalls, agentLoopRequests } from '../helpers/agent-loop.ts';

const { write } = scratchWriter('responses-devtools-agent-loops-');

function placesOf(inspected: Iterable<InspectedResponse>): Array<ResponseSummary['thread']> {
  return [...inspected].map(({ summary }) => summary.thread);
}

describe('agent loops: a request that re-sends an earlier response continues its thread', () => {
  it('places the recorded loop as one thread of two turns, the unrelated call between them apart', () => {
    const calls = agentLoopCalls();
    const firstId = calls[0]?.records[0]?.response.id;
    const unrelatedId = calls[1]?.records[0]?.response.id;
    assert.deepEqual(placesOf(inspectCalls(calls, priceTable)), [
      { id: firstId, turn: 1 },
      { id: unrelatedId, turn: 1 },
      { id: firstId, turn: 2 },
    ]);
  });

  it('matches by call ids when the history is re-sent without item ids, and by item ids when it carries them', () => {
    const [, second] = agentLoopRequests();
    assert.ok(!JSON.stringify(second).includes('"id"'), 'the recorded app sends no item ids');
    const tracker = new ThreadTracker();
    const first = tracker.place('resp_a', { outputRefs: ['fc_1', 'call_1', 'msg_1'] });
    assert.deepEqual(first, { id: 'resp_a', turn: 1 });
    assert.deepEqual(tracker.place('resp_b', { inputRefs: ['call_1'], outputRefs: ['msg_2'] }), { id: 'resp_a', turn: 2 });
    assert.deepEqual(tracker.place('resp_c', { inputRefs: ['msg_1'] }), { id: 'resp_a', turn: 2 }, 'a retry of the second turn is another second turn');
    assert.deepEqual(tracker.place('resp_d', { inputRefs: ['fc_1', 'call_1', 'msg_2'] }), { id: 'resp_a', turn: 3 }, 'the latest response repeated is the one continued');
    assert.deepEqual(tracker.place('resp_e', { inputRefs: ['msg_unknown'] }), { id: 'resp_e', turn: 1 });
    assert.deepEqual(tracker.place('resp_f', { previousResponseId: 'resp_e', inputRefs: ['msg_1'] }), { id: 'resp_e', turn: 2 }, 'previous_response_id comes first');
  });

  it('reads the ids a request repeats from its text: items, tool calls and the answers of every API, the last 64', () => {
    const body = JSON.stringify({
      input: [
        { type: 'item_reference', id: 'msg_ref0a1b2c3d' },
        { role: 'assistant', tool_calls: [{ id: 'call_chat1234abcd', type: 'function' }] },
        { role: 'tool', tool_call_id: 'call_chat1234abcd', content: '5' },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01abcdefgh', content: '6' }] },
        { type: 'mcp_approval_response', approval_request_id: 'mcpr_0a1b2c3d4e', approve: true },
        { role: 'user', content: 'a text that says "id": "not_an_item"' },
        // Counters that readers of other APIs make up name no item: every response has them alike.
        { type: 'message', id: 'msg_0', role: 'assistant', content: [] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_0_1', name: 'f', arguments: '{}' },
      ],
      previous_response_id: 'resp_not_an_item',
    });
    assert.deepEqual(requestItemRefs(body), ['msg_ref0a1b2c3d', 'call_chat1234abcd', 'toolu_01abcdefgh', 'mcpr_0a1b2c3d4e']);
    const long = JSON.stringify({ input: Array.from({ length: 100 }, (_, index) => ({ type: 'function_call_output', call_id: `call_${index}abcdefgh`, output: '' })) });
    const refs = requestItemRefs(long);
    assert.equal(refs.length, 64);
    assert.equal(refs[refs.length - 1], 'call_99abcdefgh');
  });

  it('keeps the links in a capture summary, so a list continues a loop without its bodies', () => {
    const calls = agentLoopCalls();
    const [first, , second] = calls;
    const firstSummary = responsesSummary((first?.records ?? []).map((record) => record.response), first?.requestBody);
    const secondSummary = responsesSummary((second?.records ?? []).map((record) => record.response), second?.requestBody);
    assert.deepEqual(firstSummary.outputRefs?.filter((ref) => ref.startsWith('call_')), ['call_NnEvpiwdL8XrZ6F3T9VJyVw7', 'call_TQ8336oa6YnuT2leYzRDBBLz']);
    assert.deepEqual(secondSummary.inputRefs, ['call_NnEvpiwdL8XrZ6F3T9VJyVw7', 'call_TQ8336oa6YnuT2leYzRDBBLz']);
    assert.deepEqual(secondSummary.toolAnswers?.map((answer) => [answer.callId, answer.text]), [
      ['call_NnEvpiwdL8XrZ6F3T9VJyVw7', '5'],
      ['call_TQ8336oa6YnuT2leYzRDBBLz', '6'],
    ]);
  });

  it('writes the same thread into inspect --json from a HAR', () => {
    const calls = agentLoopCalls();
    const har = write('agent-loop.har', stringifyJson(buildTranscript(calls), 2));
    const result = runCli(['inspect', '--json', har]);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { responses: Array<{ thread: unknown }> };
    assert.deepEqual(
      json.responses.map((response) => response.thread),
      placesOf(inspectCalls(calls, priceTable)),
    );
    assert.equal(new Set(json.responses.map((response) => JSON.stringify(response.thread))).size, 3);
  });
});

describe('agent loops: tool calls and their answers', () => {
  it('lists the calls a response asks the app to make, as one reads them', () => {
    const output = agentLoopCalls()[0]?.records[0]?.response.output;
    assert.deepEqual(
      appToolCallsOf(output).map((call) => [call.name, call.label, call.callId]),
      [
        ['add', 'add(2, 3)', 'call_NnEvpiwdL8XrZ6F3T9VJyVw7'],
        ['multiply', 'multiply(2, 3)', 'call_TQ8336oa6YnuT2leYzRDBBLz'],
      ],
    );
  });

  it('leaves out the tools the server ran, and names the others by what they are', () => {
    const calls = appToolCallsOf([
      { type: 'web_search_call', id: 'ws_1', status: 'completed' },
      { type: 'tool_search_call', id: 'tsc_1', call_id: null, execution: 'server', arguments: {} },
      { type: 'tool_search_call', id: 'tsc_2', call_id: 'toolu_9', execution: 'server', arguments: {} },
      { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_c', name: 'code_exec', input: 'print(1)' },
      { type: 'local_shell_call', id: 'lsh_1', call_id: 'call_s', action: { type: 'exec', command: ['ls'] } },
      { type: 'mcp_approval_request', id: 'mcpr_1', name: 'roll', arguments: '{"dice":"2d6"}', server_label: 'dice' },
      { type: 'mcp_call', id: 'mcp_1', name: 'roll', arguments: '{}', output: '7' },
    ]);
    assert.deepEqual(
      calls.map((call) => [call.itemType, call.label, call.callId]),
      [
        ['custom_tool_call', 'code_exec(print(1))', 'call_c'],
        ['local_shell_call', 'local_shell_call("exec", […])', 'call_s'],
        ['mcp_approval_request', 'roll("2d6")', 'mcpr_1'],
      ],
    );
    assert.equal(toolCallLabel('f', 'x'.repeat(200)).length, 'f()'.length + 80);
  });

  it('reads the answers a request sends, whatever the API, the latest answer of a call kept', () => {
    const [, second] = agentLoopRequests();
    assert.deepEqual(toolAnswersOf(requestInputOf(JSON.stringify(second))), [
      { callId: 'call_NnEvpiwdL8XrZ6F3T9VJyVw7', itemType: 'function_call_output', text: '5' },
      { callId: 'call_TQ8336oa6YnuT2leYzRDBBLz', itemType: 'function_call_output', text: '6' },
    ]);
    const answers = toolAnswersOf([
      { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'seen' }, { type: 'input_image', image_url: 'data:…' }] },
      { type: 'function_call_output', call_id: 'call_2', output: 'y'.repeat(400) },
      { type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false },
      { role: 'tool', tool_call_id: 'call_chat', content: '{"sum":5}' },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'boom' }], is_error: true }] },
      { type: 'function_call_output', call_id: 'call_1', output: 'again' },
    ]);
    assert.deepEqual(answers, [
      { callId: 'call_2', itemType: 'function_call_output', text: 'y'.repeat(300), cut: true },
      { callId: 'mcpr_1', itemType: 'mcp_approval_response', text: 'denied', refused: true },
      { callId: 'call_chat', itemType: 'tool', text: '{"sum":5}' },
      { callId: 'toolu_1', itemType: 'tool_result', text: 'boom', refused: true },
      { callId: 'call_1', itemType: 'function_call_output', text: 'again' },
    ]);
    assert.deepEqual(toolAnswersOf([{ type: 'function_call_output', call_id: 'c', output: [{ type: 'input_text', text: 'seen' }, { type: 'input_image' }] }])[0]?.text, 'seen\n[input_image]');
    assert.deepEqual(toolAnswersOf('just text'), []);
  });
});
