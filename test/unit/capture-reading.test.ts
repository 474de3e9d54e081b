import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureReading, previewRecords, type CaptureResponse, type CaptureStart } from '../../extension/core/index.ts';
import { fixtureNames, readFixture, seededRandom, terminalSnapshot, withLineEndings } from '../helpers/streams.ts';
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
  // Where a preview can start is the light reading's alone; what it can search is compared below.
  const { events: _events, terminalFrom: _terminalFrom, searchText: _searchText, ...summary } = reading.summary();
  return summary;
}

describe("CaptureReading: the background's light summary", () => {
  for (const [name, text] of [...fixtureNames().map((fixture) => [fixture, readFixture(fixture)] as const), ...hostileRecordings()]) {
    it(`says what the full reading says of ${name}`, () => {
      assert.deepEqual(summaryOf(text, true, seededRandom(7)), summaryOf(text, false, seededRandom(7)));
    });
  }
});

describe('previewRecords: a finished response read from the end of its body', () => {
  function chunked(text: string, random: () => number, most: number): string[] {
    const chunks: string[] = [];
    for (let offset = 0; offset < text.length; ) {
      const size = 1 + Math.floor(random() * most);
      chunks.push(text.slice(offset, offset + size));
      offset += size;
    }
    return chunks;
  }
  function preview(text: string, random: () => number, most: number) {
    const chunks = chunked(text, random, most);
    const reading = new CaptureReading(start, response, { light: true });
    for (const chunk of chunks) reading.push(chunk, 3);
    reading.finish({ captureId: 'c', state: 'complete', endedAt: 4 });
    const from = reading.summary().terminalFrom;
    if (from === undefined) return undefined;
    const tail = chunks.slice(from.chunk).join('').slice(from.offset);
    const records = previewRecords(tail, from.chunk === 0 && from.offset === 0);
    return { tail: tail.length, response: records[records.length - 1]?.response };
  }

  const withTerminal = fixtureNames().filter((name) => terminalSnapshot(readFixture(name)) !== undefined);
  for (const name of withTerminal) {
    it(`shows the final Response of ${name} from its last chunks, however the body was cut`, () => {
      const text = readFixture(name);
      for (const [seed, most] of [[1, 40], [2, 700], [3, 5000], [4, 100_000]] as const) {
        const shown = preview(text, seededRandom(seed), most);
        assert.ok(shown, `no preview (seed ${seed})`);
        assert.deepEqual(shown.response, terminalSnapshot(text), `seed ${seed}`);
      }
    });
  }

  it('needs only the end of a long body, however long its chunks', () => {
    const text = readFixture(withTerminal[0] as string);
    const terminal = terminalSnapshot(text);
    const long = text.replace(/((?:event: response\.completed\n)?data: \{"type":"response\.completed")/, (terminal) => `${'data: {"type":"response.output_text.delta","delta":"x"}\n\n'.repeat(5000)}${terminal}`);
    for (const most of [2000, 200_000, 10_000_000]) {
      const shown = preview(long, seededRandom(5), most);
      assert.deepEqual(shown?.response, terminal);
      assert.ok((shown?.tail ?? Infinity) < JSON.stringify(terminal).length + 4000, `${shown?.tail} characters read for chunks up to ${most}`);
    }
  });

  it('reads CRLF and CR line ends', () => {
    const text = readFixture(withTerminal[0] as string);
    for (const ending of ['\r\n', '\r'] as const) {
      assert.deepEqual(preview(withLineEndings(text, ending), seededRandom(6), 300)?.response, terminalSnapshot(text));
    }
  });

  it('gives nothing rather than a wrong response when the tail starts after the terminal event', () => {
    const text = readFixture(withTerminal[0] as string);
    const end = text.slice(text.lastIndexOf('data: {"type":"response.completed"') + 10);
    assert.deepEqual(previewRecords(end, false), []);
    assert.deepEqual(previewRecords('', false), []);
    assert.deepEqual(previewRecords('data: {"type":"response.completed","response":[1]}\n\n', true), []);
  });
});

describe("CaptureReading: the light summary's search text", () => {
  it('holds what the full reading finds whenever the stream carries its final response (its deltas are not read)', () => {
    let compared = 0;
    for (const fixture of fixtureNames()) {
      const text = readFixture(fixture);
      if (terminalSnapshot(text) === undefined) continue;
      const read = (light: boolean) => {
        const reading = new CaptureReading({ ...start, requestBody: '{"model":"m","input":"Tell me SOMETHING"}' }, response, { light });
        reading.push(text, 3);
        reading.finish({ captureId: 'c', state: 'complete', endedAt: 4 });
        return reading.summary().searchText;
      };
      const light = read(true);
      assert.equal(light, read(false), fixture);
      assert.ok(light?.startsWith('tell me something\n'), fixture);
      compared++;
    }
    assert.ok(compared > 10, String(compared));
  });
});

describe('CaptureReading: the protocol a path names', () => {
  it('reads a Chat Completions stream whose first frame is an error as Chat Completions, failed', () => {
    const start: CaptureStart = { captureId: 'c', url: 'https://api.groq.com/openai/v1/chat/completions', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1 };
    for (const light of [false, true]) {
      const reading = new CaptureReading(start, { captureId: 'c', status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: 2 }, { light });
      reading.push('event: error\ndata: {"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}}\n\n', 3);
      reading.finish({ captureId: 'c', state: 'complete', endedAt: 4 });
      assert.equal(reading.record?.protocol, 'chat.completions');
      assert.equal(reading.record?.response.status, 'failed');
      assert.equal(reading.summary().protocol, 'chat.completions');
    }
  });
});
