/**
 * Calls made of real recordings whose requests chain them as an app would:
 * turns linked by `previous_response_id`, turns of one `conversation`, an
 * unrelated call, and a turn whose previous response was never captured; their
 * responses carry OpenAI's rate-limit headers.
 */
import { readResponsesBody, type HeaderList, type TranscriptCall } from '../../extension/core/index.ts';
import { readFixture, terminalSnapshot } from './streams.ts';

export interface ThreadedCall {
  name: string;
  /** The recording the server answers with. */
  recording: string;
  request: Record<string, unknown>;
  responseHeaders: HeaderList;
}

export const MISSING_RESPONSE_ID = 'resp_never_captured_0001';
export const CONVERSATION_ID = 'conv_68af1d5c2b5c8190a0e4b0c4f2d6e1a7';

function responseIdOf(recording: string): string {
  const id = terminalSnapshot(readFixture(recording))?.id;
  if (typeof id !== 'string') throw new Error(`${recording} has no response id`);
  return id;
}

function rateLimitHeaders(remainingRequests: number, remainingTokens: number): HeaderList {
  return [
    { name: 'x-ratelimit-limit-requests', value: '500' },
    { name: 'x-ratelimit-remaining-requests', value: String(remainingRequests) },
    { name: 'x-ratelimit-reset-requests', value: '120ms' },
    { name: 'x-ratelimit-limit-tokens', value: '30000' },
    { name: 'x-ratelimit-remaining-tokens', value: String(remainingTokens) },
    { name: 'x-ratelimit-reset-tokens', value: '6m0s' },
  ];
}

const FIRST = 'fantasy__text-gpt-4o.sse';
const SECOND = 'fantasy__parallel-function-calls-gpt-4o.sse';
const THIRD = 'fantasy__structured-output-json-schema-gpt-4o.sse';

/** In the order they are made. */
export function threadedCalls(): ThreadedCall[] {
  return [
    { name: 'first turn', recording: FIRST, request: { model: 'gpt-4o', input: 'Tell me about Paris.' }, responseHeaders: rateLimitHeaders(499, 29_000) },
    { name: 'unrelated', recording: 'seed__hello-gpt-4.1-nano.sse', request: { model: 'gpt-4.1-nano', input: 'Say hello.' }, responseHeaders: [] },
    {
      name: 'second turn',
      recording: SECOND,
      request: { model: 'gpt-4o', previous_response_id: responseIdOf(FIRST), input: [{ role: 'user', content: 'Add 2 and 3, and 4 and 5.' }] },
      responseHeaders: rateLimitHeaders(498, 27_500),
    },
    {
      name: 'third turn',
      recording: THIRD,
      request: { model: 'gpt-4o', previous_response_id: responseIdOf(SECOND), input: [{ role: 'user', content: 'Now as JSON.' }] },
      responseHeaders: rateLimitHeaders(497, 26_000),
    },
    { name: 'conversation turn 1', recording: 'pydantic-ai__text-with-logprobs-gpt-4o-mini.sse', request: { model: 'gpt-4o-mini', conversation: CONVERSATION_ID, input: 'Hi.' }, responseHeaders: [] },
    { name: 'conversation turn 2', recording: 'vercel-ai__azure-text-gpt-5.1.sse', request: { model: 'gpt-5.1', conversation: { id: CONVERSATION_ID }, input: 'And then?' }, responseHeaders: [] },
    { name: 'continues a lost turn', recording: 'vercel-ai__web-search-gpt-5-mini.sse', request: { model: 'gpt-5-mini', previous_response_id: MISSING_RESPONSE_ID, input: 'Search again.' }, responseHeaders: [] },
  ];
}

export function recordingIds(): { first: string; second: string; third: string } {
  return { first: responseIdOf(FIRST), second: responseIdOf(SECOND), third: responseIdOf(THIRD) };
}

/** The calls as a transcript writes them. */
export function threadedTranscriptCalls(): TranscriptCall[] {
  return threadedCalls().map((call, index) => {
    const body = readFixture(call.recording);
    return {
      method: 'POST',
      url: 'https://api.openai.com/v1/responses',
      requestHeaders: [{ name: 'content-type', value: 'application/json' }],
      requestBody: JSON.stringify(call.request),
      status: 200,
      statusText: 'OK',
      responseHeaders: [{ name: 'content-type', value: 'text/event-stream; charset=utf-8' }, ...call.responseHeaders],
      body,
      startedAt: Date.UTC(2026, 0, 1, 12, 0, index),
      endedAt: Date.UTC(2026, 0, 1, 12, 0, index, 500),
      records: readResponsesBody(body).responses,
    };
  });
}
