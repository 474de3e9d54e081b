import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildTranscript,
  inspectCalls,
  rateLimitsOf,
  formatShare,
  stringifyJson,
  ThreadTracker,
  usedShare,
  type InspectedResponse,
  type ResponseSummary,
} from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { runCli, scratchWriter } from '../helpers/cli.ts';
import { CONVERSATION_ID, MISSING_RESPONSE_ID, recordingIds, threadedTranscriptCalls } from '../helpers/threaded-calls.ts';

const { write } = scratchWriter('responses-devtools-threads-');

function placesOf(inspected: Iterable<InspectedResponse>): Array<ResponseSummary['thread']> {
  return [...inspected].map(({ summary }) => summary.thread);
}

describe('threads', () => {
  it('chains responses by previous_response_id and by conversation, in the order they were made', () => {
    const ids = recordingIds();
    const places = placesOf(inspectCalls(threadedTranscriptCalls(), priceTable));
    const unrelatedId = threadedTranscriptCalls()[1]?.records[0]?.response.id;
    assert.deepEqual(places, [
      { id: ids.first, turn: 1 },
      { id: unrelatedId, turn: 1 },
      { id: ids.first, turn: 2 },
      { id: ids.first, turn: 3 },
      { id: CONVERSATION_ID, turn: 1 },
      { id: CONVERSATION_ID, turn: 2 },
      { id: MISSING_RESPONSE_ID, turn: 2, previousMissing: true },
    ]);
  });

  it('reads the links a response echoes when there is no request, and names a response without an id', () => {
    const tracker = new ThreadTracker();
    assert.deepEqual(tracker.place('resp_a', {}), { id: 'resp_a', turn: 1 });
    assert.deepEqual(tracker.place('resp_b', { previousResponseId: 'resp_a' }), { id: 'resp_a', turn: 2 });
    assert.deepEqual(tracker.place('resp_c', { previousResponseId: 'resp_c' }), { id: 'resp_c', turn: 1 });
    assert.deepEqual(tracker.place(undefined, {}), { id: '(response 1 without an id)', turn: 1 });
  });

  it('keeps the place of a response seen twice: it is no new turn', () => {
    const tracker = new ThreadTracker();
    assert.deepEqual(tracker.place('resp_a', { conversationId: 'conv_1' }), { id: 'conv_1', turn: 1 });
    assert.deepEqual(tracker.place('resp_a', { conversationId: 'conv_1' }), { id: 'conv_1', turn: 1 });
    assert.deepEqual(tracker.place('resp_b', { conversationId: 'conv_1' }), { id: 'conv_1', turn: 2 });
  });

  it('a response that continues a turn after it is not placed after it: turns go forward only', () => {
    const tracker = new ThreadTracker();
    assert.deepEqual(tracker.place('resp_b', { previousResponseId: 'resp_a' }), { id: 'resp_a', turn: 2, previousMissing: true });
    assert.deepEqual(tracker.place('resp_a', {}), { id: 'resp_a', turn: 1 });
    assert.deepEqual(tracker.place('resp_c', { previousResponseId: 'resp_b' }), { id: 'resp_a', turn: 3 });
  });
});

describe('rate limits', () => {
  it('reads the x-ratelimit headers: numbers as numbers, the reset as sent', () => {
    const headers = threadedTranscriptCalls()[0]?.responseHeaders ?? [];
    assert.deepEqual(rateLimitsOf(headers), {
      requests: { limit: 500, remaining: 499, reset: '120ms' },
      tokens: { limit: 30000, remaining: 29000, reset: '6m0s' },
    });
    assert.equal(rateLimitsOf([{ name: 'content-type', value: 'text/event-stream' }]), null);
  });

  it('keeps only what was sent, and a value that is no count as its text', () => {
    assert.deepEqual(rateLimitsOf([{ name: 'X-RateLimit-Remaining-Tokens', value: ' 12 ' }]), { tokens: { limit: null, remaining: 12, reset: null } });
    assert.deepEqual(rateLimitsOf([{ name: 'x-ratelimit-limit-requests', value: 'lots' }]), { requests: { limit: 'lots', remaining: null, reset: null } });
  });

  it('tells how much of a limit was used and when it resets', () => {
    assert.equal(usedShare({ limit: 500, remaining: 499, reset: null }), 1 / 500);
    assert.equal(usedShare({ limit: 0, remaining: 0, reset: null }), undefined);
    assert.equal(usedShare({ limit: 'lots', remaining: 1, reset: null }), undefined);
    assert.equal(formatShare(1 / 500), '0.2 %');
    assert.equal(formatShare(0.0004), '<0.1 %');
    assert.equal(formatShare(0), '0 %');
  });
});

describe('responses-devtools inspect: threads and rate limits', () => {
  const calls = threadedTranscriptCalls();
  const har = write('threaded.har', stringifyJson(buildTranscript(calls), 2));

  it('adds each response\'s thread and rate limits to --json', () => {
    const result = runCli(['inspect', '--json', har]);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { responses: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(json.responses[0] ?? {}), ['protocol', 'response', 'thread', 'events', 'usage', 'cost', 'rateLimits', 'timing', 'warnings']);
    assert.deepEqual(
      json.responses.map((response) => response.thread),
      placesOf(inspectCalls(calls, priceTable)),
    );
    assert.deepEqual(json.responses[2]?.rateLimits, { requests: { limit: 500, remaining: 498, reset: '120ms' }, tokens: { limit: 30000, remaining: 27500, reset: '6m0s' } });
    assert.equal(json.responses[1]?.rateLimits, null);
  });

  it('groups its text by thread, each response keeping its number', () => {
    const result = runCli(['inspect', har]);
    assert.equal(result.status, 0, result.stderr);
    const ids = recordingIds();
    const titles = [...result.stdout.matchAll(/^(Thread .*|Response \d+ of 7.*)$/gm)].map((match) => match[1]);
    assert.deepEqual(titles.map((title) => title?.replace(/: resp_\w+$/, '')), [
      `Thread ${ids.first}: 3 responses`,
      'Response 1 of 7',
      'Response 3 of 7',
      'Response 4 of 7',
      'Response 2 of 7',
      `Thread ${CONVERSATION_ID}: 2 responses`,
      'Response 5 of 7',
      'Response 6 of 7',
      `Thread ${MISSING_RESPONSE_ID}: 1 response, its first turns not captured`,
      'Response 7 of 7',
    ]);
    assert.match(result.stdout, new RegExp(`thread {2}${ids.first}, turn 3\\n`));
    assert.match(result.stdout, /Rate limits\n {2}requests +497 of 500 left \(0\.6 % used\), resets in 120ms\n {2}tokens +26000 of 30000 left \(13\.3 % used\), resets in 6m0s/);
    assert.match(result.stdout, /Rate limits\n {2}\(none reported\)/);
  });

  it('a recording is a thread of its own, with no rate limits', () => {
    const result = runCli(['inspect', '--json', 'test/fixtures/responses-streams/seed__hello-gpt-4.1-nano.sse']);
    const json = JSON.parse(result.stdout) as { responses: Array<{ thread: unknown; rateLimits: unknown; response: { id: string } }> };
    assert.deepEqual(json.responses[0]?.thread, { id: json.responses[0]?.response.id, turn: 1 });
    assert.equal(json.responses[0]?.rateLimits, null);
  });
});
