import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeferred, readHar, readHarDeferring, stringifyJson, type HarCall, type JsonObject } from '../../extension/core/index.ts';
import { PanelCapture } from '../../panel/model/panel-capture.ts';
import { importFile, transcriptText } from '../../panel/transcripts.ts';
import { fixtureNames, readFixture } from '../helpers/streams.ts';

/** A capture as the page hook makes one: the body in three chunks, each with its time. */
function captured(captureId: string, text: string): PanelCapture {
  const third = Math.ceil(text.length / 3);
  const chunks = [0, 1, 2].map((index) => ({ index, text: text.slice(index * third, (index + 1) * third), receivedAt: 1_790_000_000_300 + index * 40 }));
  return new PanelCapture({
    tabId: 1,
    start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1_790_000_000_000, requestBody: '{"model":"gpt-4.1-nano","input":"Say hello","stream":true}' },
    response: { captureId, status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: 1_790_000_000_200 },
    chunks: chunks.filter((chunk) => chunk.text !== ''),
    end: { captureId, state: 'complete', endedAt: 1_790_000_000_450 },
  });
}

/** A capture still streaming, its body so far (exported live from the panel). */
function live(captureId: string, text: string): PanelCapture {
  return new PanelCapture({
    tabId: 1,
    start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1_790_000_000_000 },
    response: { captureId, status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: 1_790_000_000_200 },
    chunks: [{ index: 0, text, receivedAt: 1_790_000_000_300 }],
  });
}

/** What the list and the detail show of a capture. */
function shown(capture: PanelCapture) {
  return {
    status: capture.status,
    model: capture.model,
    responseIds: capture.responseIds,
    usage: capture.usage,
    events: capture.eventCount,
    // A summary leaves out a text of blanks only, which no filter finds either way.
    searchText: capture.searchText.trim(),
    startedAt: capture.start.startedAt,
    receivedAt: capture.response?.receivedAt,
    endedAt: capture.end?.endedAt,
    timesKnown: capture.timesKnown,
    durationMs: capture.durationMs,
    cost: capture.cost,
  };
}

/** A transcript's calls, read at once (`readHar`) and as the viewer lists them (`readHarDeferring`). */
function bothWays(har: string): { eager: HarCall[]; deferred: ReturnType<typeof readHarDeferring>['calls'] } {
  return { eager: readHar(JSON.parse(har)).calls, deferred: readHarDeferring(JSON.parse(har)).calls };
}

describe('Transcripts listed before their bodies are read', () => {
  const transcripts: Array<[string, string]> = [];
  for (const name of fixtureNames()) {
    const text = readFixture(name);
    transcripts.push([`${name}, captured`, transcriptText([captured('c', text)], false)]);
    // A recording carries no time: its transcript says so.
    const recording = importFile(name, text).captures;
    if (recording.length > 0) transcripts.push([`${name}, untimed`, transcriptText(recording, false)]);
  }

  // Two responses in one body, and a non-streaming call (a Response JSON body, no events).
  const hello = readFixture('seed__hello-gpt-4.1-nano.sse');
  transcripts.push(['two responses in one body', transcriptText([captured('two', hello + readFixture('fantasy__text-gpt-4o.sse'))], false)]);
  const final = (JSON.parse(hello.slice(hello.lastIndexOf('data: ') + 6)) as { response: unknown }).response;
  transcripts.push(['a JSON body', transcriptText(importFile('response.json', JSON.stringify(final)).captures, false)]);

  // Exported while still streaming: cut after a frame, and inside one.
  const longer = readFixture('fantasy__text-gpt-4o.sse');
  const cut = longer.indexOf('\n\n', longer.length / 2) + 2;
  transcripts.push(['live, cut after a frame', transcriptText([live('live1', longer.slice(0, cut))], false)]);
  transcripts.push(['live, cut inside a frame', transcriptText([live('live2', longer.slice(0, cut + 20))], false)]);
  const unread = new Set(['live, cut after a frame', 'live, cut inside a frame']);

  it('shows what reading the body shows, for every recording, timed and untimed; opened, the same responses', () => {
    assert.equal(transcripts.length, fixtureNames().length * 2 + 4);
    for (const [label, har] of transcripts) {
      const { eager, deferred } = bothWays(har);
      assert.equal(deferred.length, eager.length, label);
      eager.forEach((call, index) => {
        const later = deferred[index];
        assert.ok(later);
        // A call written while it still streamed is read at once: what was written of it is not what its body says now.
        if (unread.has(label)) {
          assert.equal(isDeferred(later), false, `${label}: read at once`);
          assert.equal(PanelCapture.fromImport(call, 'read').status, 'error', `${label}: read whole, it ended without a terminal event`);
          return;
        }
        assert.ok(isDeferred(later), `${label}: listed unread`);
        const read = PanelCapture.fromImport(call, 'read');
        const listed = PanelCapture.fromDeferredImport(later, 'listed');
        assert.equal(listed.loaded, false);
        assert.deepEqual(shown(listed), shown(read), label);
        assert.equal(listed.bodyLength, read.bodyLength, label);
        listed.readDeferred();
        assert.equal(listed.loaded, true, label);
        assert.deepEqual(shown(listed), shown(read), label);
        assert.equal(stringifyJson(listed.records.map((record) => [record.response, record.marks, record.events.map((event) => event.receivedAt)])), stringifyJson(read.records.map((record) => [record.response, record.marks, record.events.map((event) => event.receivedAt)])), label);
        assert.equal(listed.bodyText(), read.bodyText(), label);
      });
    }
  });

  it('reads at once what the transcript did not write, or wrote otherwise than its events say', () => {
    const har = JSON.parse(transcripts[0]?.[1] ?? '') as { log: { entries: JsonObject[] } };
    const entry = har.log.entries[0] as JsonObject;
    const variants: Array<[string, (copy: JsonObject) => void]> = [
      ['no assembly', (copy) => delete copy._responsesAssembly],
      ['no events', (copy) => delete copy._responsesEvents],
      ['one event more than the responses had', (copy) => (copy._responsesEvents as unknown[]).push({ time: null, type: 'response.in_progress' })],
      ['a response that is no response', (copy) => ((copy._responsesAssembly as { responses: unknown[] }).responses[0] = { response: 'text', events: 1, warnings: [] })],
      ['events that are no count', (copy) => (((copy._responsesAssembly as { responses: JsonObject[] }).responses[0] as JsonObject).events = '3')],
    ];
    for (const [label, change] of variants) {
      const copy = structuredClone(entry);
      change(copy);
      const reading = readHarDeferring({ log: { entries: [copy] } });
      assert.equal(reading.calls.length, 1, label);
      assert.equal(isDeferred(reading.calls[0] as HarCall), false, label);
    }
  });

  it('says why when a body listed unread cannot be read once opened', () => {
    const har = JSON.parse(transcripts[0]?.[1] ?? '') as { log: { entries: Array<{ response: { content: { text: string } } }> } };
    (har.log.entries[0] as { response: { content: { text: string } } }).response.content.text = 'data: not json\n\n';
    const [capture] = importFile('edited.har', JSON.stringify(har)).captures;
    assert.ok(capture);
    assert.equal(capture.loaded, false);
    assert.equal(capture.status, 'completed');
    capture.readDeferred();
    assert.equal(capture.loaded, false);
    assert.match(capture.loadError ?? '', /^entry 0 \(POST https:\/\/api\.openai\.com\/v1\/responses\): no LLM stream event/);
  });
});
