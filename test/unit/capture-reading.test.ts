import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureReading, type CaptureResponse, type CaptureStart } from '../../extension/core/index.ts';
import { fixtureNames, readFixture, seededRandom } from '../helpers/streams.ts';
import { hostileRecordings } from '../helpers/hostile-summary.ts';

const start: CaptureStart = { captureId: 'c', url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1, requestBody: '{"model":"asked-model"}' };
const response: CaptureResponse = { captureId: 'c', status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: 2 };

function summaryOf(text: string, light: boolean, random: () => number) {
  const reading = new CaptureReading(start, response, { light });
  let offset = 0;
  while (offset < text.length) {
    const size = 1 + Math.floor(random() * 3000);
    reading.push(text.slice(offset, offset + size), 3);
    offset += size;
  }
  reading.finish({ captureId: 'c', state: 'complete', endedAt: 4 });
  const { events: _events, ...summary } = reading.summary();
  return summary;
}

describe("CaptureReading: the background's light summary", () => {
  for (const [name, text] of [...fixtureNames().map((fixture) => [fixture, readFixture(fixture)] as const), ...hostileRecordings()]) {
    it(`says what the full reading says of ${name}`, () => {
      assert.deepEqual(summaryOf(text, true, seededRandom(7)), summaryOf(text, false, seededRandom(7)));
    });
  }
});
