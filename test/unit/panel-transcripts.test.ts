import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importFile, transcriptText } from '../../panel/transcripts.ts';
import { deepItemStream, deepSnapshotStream } from '../helpers/hostile.ts';
import { readFixture } from '../helpers/streams.ts';
import { PanelCapture } from '../../panel/model/panel-capture.ts';

/** A capture as the page hook makes one: every chunk with its time. */
function captured(captureId: string, text: string, state: 'complete' | 'cancelled', chunks = [{ index: 0, text, receivedAt: 1_790_000_000_300 }]): PanelCapture {
  return new PanelCapture({
    tabId: 1,
    start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1_790_000_000_000 },
    response: { captureId, status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: 1_790_000_000_200 },
    chunks,
    end: { captureId, state, endedAt: 1_790_000_000_450 },
  });
}

describe("The panel's import and export with values nested deeper than the call stack", () => {
  for (const [name, stream] of [
    ['a deep snapshot', deepSnapshotStream(100_000, 'arrays')],
    ['a deep output item', deepItemStream(100_000, 'objects')],
  ] as const) {
    it(`reads and exports ${name}`, () => {
      const imported = importFile(`${name}.sse`, stream);
      assert.deepEqual(imported.messages, []);
      assert.equal(imported.captures.length, 1);
      const har = transcriptText(imported.captures, false);
      const again = importFile('again.har', har);
      assert.equal(again.captures.length, 1);
      // Listed from what the transcript wrote, then read when opened.
      assert.equal(again.captures[0]?.loaded, false);
      assert.equal(again.captures[0]?.status, imported.captures[0]?.status);
      again.captures[0]?.readDeferred();
      assert.equal(again.captures[0]?.loaded, true);
      assert.deepEqual(again.captures[0]?.record?.response.status, imported.captures[0]?.record?.response.status);
    });
  }
});

describe('what the panel shows of times and states', () => {
  it('shows no clock and no durations for a recording that carries no time, and exports none', () => {
    const imported = importFile('hello.sse', readFixture('seed__hello-gpt-4.1-nano.sse'));
    const capture = imported.captures[0];
    assert.ok(capture);
    assert.equal(capture.timesKnown, false);
    assert.equal(capture.durationMs, undefined);
    const call = capture.toTranscriptCall();
    assert.equal(call.startedAt, undefined);
    assert.equal(call.endedAt, undefined);
    // A captured call's HAR carries its times: they are shown.
    const again = importFile('again.har', transcriptText([captured('c0', readFixture('seed__hello-gpt-4.1-nano.sse'), 'complete')], false)).captures[0];
    assert.equal(again?.timesKnown, true);
    assert.equal(again?.durationMs, 450);
  });

  it("keeps the server's word on a response apart from the capture's fate: a failed stream the page stopped reading is failed", () => {
    const text = readFixture('vercel-ai__error-then-response-failed.sse');
    const capture = captured('c1', text, 'cancelled');
    assert.equal(capture.status, 'failed');
    assert.equal(capture.end?.state, 'cancelled');
    // Cancelled before any word of the server's on the outcome: cancelled.
    const early = captured('c2', text, 'cancelled', [{ index: 0, text: text.slice(0, text.indexOf('\n\n') + 2), receivedAt: 1_790_000_000_300 }]);
    assert.equal(early.status, 'cancelled');
  });
});
