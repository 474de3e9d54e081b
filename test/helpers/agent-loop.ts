/**
 * A real agent loop (charmbracelet/fantasy's recording, see
 * test/fixtures/agent-loop/SOURCES.md): the model calls `add` and `multiply`,
 * then the app re-sends the whole history, without item ids and without
 * `previous_response_id`, with each tool's output, and the model answers.
 */
import { readFileSync } from 'node:fs';
import { readResponsesBody, type TranscriptCall } from '../../extension/core/index.ts';
import { readFixture } from './streams.ts';

export const TOOL_CALLS_RECORDING = 'fantasy__parallel-function-calls-gpt-4o';
export const TOOL_RESULTS_RECORDING = 'fantasy__tool-results-answer-gpt-4o';

/** The loop's two request bodies, as the app sent them. */
export function agentLoopRequests(): [Record<string, unknown>, Record<string, unknown>] {
  const requests = JSON.parse(readFileSync('test/fixtures/agent-loop/multi-tool-streaming.requests.json', 'utf8')) as Array<Record<string, unknown>>;
  return [requests[0] as Record<string, unknown>, requests[1] as Record<string, unknown>];
}

/** A call as a transcript writes it, streamed from a recording. */
export function recordedCall(request: Record<string, unknown>, recording: string, second: number): TranscriptCall {
  const body = readFixture(`${recording}.sse`);
  return {
    method: 'POST',
    url: 'https://api.openai.com/v1/responses',
    requestHeaders: [{ name: 'content-type', value: 'application/json' }],
    requestBody: JSON.stringify(request),
    status: 200,
    statusText: 'OK',
    responseHeaders: [{ name: 'content-type', value: 'text/event-stream; charset=utf-8' }],
    body,
    startedAt: Date.UTC(2026, 0, 1, 12, 0, second),
    endedAt: Date.UTC(2026, 0, 1, 12, 0, second, 500),
    records: readResponsesBody(body).responses,
  };
}

/** The loop's two calls with an unrelated call made between them. */
export function agentLoopCalls(): TranscriptCall[] {
  const [first, second] = agentLoopRequests();
  return [
    recordedCall(first, TOOL_CALLS_RECORDING, 0),
    recordedCall({ model: 'gpt-4.1-nano', input: 'Say hello.' }, 'seed__hello-gpt-4.1-nano', 1),
    recordedCall(second, TOOL_RESULTS_RECORDING, 2),
  ];
}
