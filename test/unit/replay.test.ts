import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readFrame,
  readInput,
  readResponsesBody,
  ResponseAssembler,
  ResponseReplay,
  ResponsesStreamReader,
  stringifyJson,
  UnreadableBodyError,
  type ReplayedResponse,
  type ResponseRecord,
} from '../../extension/core/index.ts';
import { makeCase } from '../fuzz/cases.ts';
import { fixtureNames, joinFrames, readFixture, seededRandom, splitFrames } from '../helpers/streams.ts';
import { deepItemStream, deepSnapshotStream, gappedItemsStream, gappedPartsStream } from '../helpers/hostile.ts';
import { longMessageStream } from '../helpers/synthetic.ts';

/** What a state is made of, to compare: everything a viewer reads. */
function stateOf(assembler: ResponseAssembler) {
  return {
    response: assembler.response,
    warnings: assembler.warnings,
    itemMeta: assembler.itemMeta,
    terminal: assembler.terminal,
    revision: assembler.revision,
    eventCount: assembler.eventCount,
    audioTranscript: assembler.audioTranscript,
    audioDeltaCount: assembler.audioDeltaCount,
  };
}

function replayedState(replayed: ReplayedResponse) {
  assert.equal(replayed.response, replayed.assembler.response);
  assert.equal(replayed.warnings, replayed.assembler.warnings);
  assert.equal(replayed.itemMeta, replayed.assembler.itemMeta);
  assert.equal(replayed.status, replayed.assembler.response.status);
  assert.equal(replayed.terminal, replayed.assembler.terminal);
  return stateOf(replayed.assembler);
}

function recordState(record: ResponseRecord | undefined) {
  return stateOf(record?.assembler ?? new ResponseAssembler());
}

/** The frames of a recording, and after which frame each event (data frame) ends. */
function framesOf(text: string): { frames: string[]; eventEnds: number[] } {
  const frames = splitFrames(text);
  const eventEnds: number[] = [];
  frames.forEach((frame, index) => {
    if (frame.split('\n').some((line) => line.startsWith('data:'))) eventEnds.push(index + 1);
  });
  return { frames, eventEnds };
}

/** A fresh reader given the first `count` events of `text` (frames cut after the count-th), ended only when they are all. */
function freshReaderAfter(text: string, count: number, whole: { frames: string[]; eventEnds: number[] } = framesOf(text)): ResponsesStreamReader {
  const reader = new ResponsesStreamReader();
  reader.push(joinFrames(whole.frames.slice(0, count === 0 ? 0 : whole.eventEnds[count - 1])));
  if (count === whole.eventEnds.length) reader.end();
  return reader;
}

function onlyRecord(text: string): ResponseRecord {
  const reader = new ResponsesStreamReader();
  reader.push(text);
  reader.end();
  assert.equal(reader.responses.length, 1);
  return reader.responses[0] as ResponseRecord;
}

/**
 * Every count from 0 to `total` twice: in an order that goes forward past
 * checkpoints and back again, then from the end down (each from a checkpoint).
 */
function shuffledCounts(total: number, seed: number): number[] {
  const counts = Array.from({ length: total + 1 }, (_, index) => index);
  const random = seededRandom(seed);
  for (let index = counts.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [counts[index], counts[other]] = [counts[other] as number, counts[index] as number];
  }
  return [...counts, ...Array.from({ length: total + 1 }, (_, index) => total - index)];
}

/** Checks `at` at every count, with checkpoints far apart and close together, against a fresh reader given that many events. */
function assertReplaysAsRead(text: string, label: string): void {
  const whole = framesOf(text);
  const record = onlyRecord(text);
  assert.equal(record.events.length, whole.eventEnds.length);
  const expected = whole.eventEnds.map((_, index) => recordState(freshReaderAfter(text, index, whole).responses[0]));
  expected.push(recordState(record));
  for (const [spacing, replay] of [
    ['default spacing', new ResponseReplay(record)],
    ['a checkpoint every few events', new ResponseReplay(record, { minimumSpacing: 1 })],
  ] as const) {
    assert.equal(replay.eventCount, record.events.length);
    for (const count of shuffledCounts(replay.eventCount, label.length)) {
      assert.deepStrictEqual(replayedState(replay.at(count)), expected[count], `${label}, ${spacing}, after ${count} events`);
    }
  }
}

/** A stream with what no recording has: audio, lists with gaps, a final response with an item never announced. */
function uncommonStream(): string {
  const frame = (event: object) => `data: ${JSON.stringify(event)}`;
  const message = { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
  const frames = [
    frame({ type: 'response.created', sequence_number: 0, response: { id: 'resp_a', status: 'in_progress', output: [] } }),
    frame({ type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: message }),
    ...Array.from({ length: 12 }, (_, index) => frame({ type: 'response.audio.transcript.delta', sequence_number: 2 + index, delta: `w${index} ` })),
    frame({ type: 'response.audio.delta', sequence_number: 14, delta: 'AAAA' }),
    frame({ type: 'response.content_part.added', sequence_number: 15, item_id: 'msg_1', output_index: 0, content_index: 3, part: { type: 'output_text', text: '' } }),
    ...Array.from({ length: 8 }, (_, index) => frame({ type: 'response.output_text.delta', sequence_number: 16 + index, item_id: 'msg_1', output_index: 0, content_index: 3, delta: `t${index}` })),
    frame({ type: 'response.output_item.added', sequence_number: 24, output_index: 4, item: { ...message, id: 'msg_2' } }),
    frame({ type: 'response.output_text.delta', sequence_number: 25, item_id: 'msg_2', output_index: 4, content_index: 0, delta: 'late' }),
    frame({ type: 'response.output_text.delta', sequence_number: 26, item_id: 'msg_2', output_index: 4, content_index: 0, delta: ' part' }),
    frame({
      type: 'response.completed',
      sequence_number: 27,
      response: { id: 'resp_a', status: 'completed', output: [{ ...message, status: 'completed' }, { id: 'msg_3', type: 'message', role: 'assistant', content: [] }] },
    }),
  ];
  return joinFrames(frames);
}

describe('ResponseReplay on every recording', () => {
  for (const name of fixtureNames()) {
    it(`${name}: after each count of events, what a fresh reader given those events holds`, () => assertReplaysAsRead(readFixture(name), name));
  }

  it('replays what no recording has: audio, lists with gaps, a final response with items never announced', () => {
    const text = uncommonStream();
    const codes = onlyRecord(text).warnings.map((warning) => warning.code);
    assert.ok(codes.includes('snapshot_mismatch') && codes.includes('unknown_index'), codes.join(', '));
    assertReplaysAsRead(text, 'audio and gaps');
    assertReplaysAsRead(gappedPartsStream(20, 3), 'gapped parts');
    assertReplaysAsRead(gappedItemsStream(20, 2), 'gapped items');
  });
});

describe('what ResponseReplay.at returns', () => {
  const text = readFixture('pydantic-ai__reasoning-summary-multipart-o3-mini.sse');
  const record = onlyRecord(text);

  it('is the caller’s to keep: later seeks, back and forth, change nothing in it', () => {
    const replay = new ResponseReplay(record, { minimumSpacing: 4 });
    const kept = [0, 1, 57, 300, 301, record.events.length - 1, record.events.length].map((count) => {
      const replayed = replay.at(count);
      return { replayed, copy: structuredClone(replayedState(replayed)) };
    });
    for (const count of [...shuffledCounts(record.events.length, 7), record.events.length, 0, 300, 299, 301]) {
      const replayed = replay.at(count);
      // A caller may change what it was given: the replay's own copies must not follow.
      for (const item of replayed.response.output) item.status = 'changed by the caller';
      replayed.response.output.length = 0;
      (replayed.assembler.warnings as unknown[]).push('changed by the caller');
    }
    for (const { replayed, copy } of kept) assert.deepStrictEqual(replayedState(replayed), copy, `after ${replayed.count} events`);
    assert.deepStrictEqual(replayedState(replay.at(300)), recordState(freshReaderAfter(text, 300).responses[0]));
  });

  it('takes a count out of range as the nearest end, and refuses one that is not a whole number', () => {
    const replay = new ResponseReplay(record);
    assert.equal(replay.at(-5).count, 0);
    assert.deepStrictEqual(replayedState(replay.at(-5)), recordState(undefined));
    assert.equal(replay.at(record.events.length + 10).count, record.events.length);
    assert.deepStrictEqual(replayedState(replay.at(Number.MAX_SAFE_INTEGER)), recordState(record));
    for (const count of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => replay.at(count), RangeError, String(count));
    assert.throws(() => replay.countAt(Number.NaN), RangeError);
  });
});

describe('ResponseReplay and the frames that are not events', () => {
  it('replays [DONE], frames that are not JSON or no event, and a frame cut by the end, with the reader’s warnings for each', () => {
    const frames = splitFrames(readFixture('seed__hello-gpt-4.1-nano.sse'));
    const middle = Math.floor(frames.length / 2);
    const text =
      joinFrames([...frames.slice(0, middle), 'data: not json', 'event: odd\ndata: [1,2]', 'data: {"no":"type"}', 'event: custom.kind\ndata: {"no":"type"}', ...frames.slice(middle), 'event: custom.kind\ndata: {"again":true}', 'data: [DONE]', ': keep-alive']) +
      'data: {"type":"response.output_text.del';
    const record = onlyRecord(text);
    const codes = record.warnings.map((warning) => warning.code);
    for (const code of ['invalid_json', 'not_an_event', 'truncated_event', 'unknown_event']) assert.ok(codes.includes(code as never), `${code} in ${codes.join(', ')}`);
    const withoutCut = text.slice(0, text.lastIndexOf('data: {"type":"response.output_text.del'));
    const whole = framesOf(withoutCut);
    const replay = new ResponseReplay(record, { minimumSpacing: 1 });
    for (const count of shuffledCounts(record.events.length - 1, 3)) {
      assert.deepStrictEqual(replayedState(replay.at(count)), recordState(freshReaderAfter(withoutCut, count, whole).responses[0]), `after ${count} events`);
    }
    assert.deepStrictEqual(replayedState(replay.at(record.events.length)), recordState(record));
  });

  it('replays events given one by one, a line without a type among them', () => {
    const reader = new ResponsesStreamReader();
    const events = splitFrames(readFixture('fantasy__text-gpt-4o.sse')).flatMap((frame) => frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)));
    events.splice(3, 0, '{"no":"type"}');
    for (const data of events) reader.pushEvent(JSON.parse(data), data);
    reader.end();
    const record = reader.responses[0] as ResponseRecord;
    assert.ok(record.warnings.some((warning) => warning.message.startsWith('A line')));
    assert.deepStrictEqual(replayedState(new ResponseReplay(record, { minimumSpacing: 1 }).at(record.events.length)), recordState(record));
  });

  it('warns of a missing terminal event only at the end of a finished record', () => {
    const frames = splitFrames(readFixture('seed__hello-gpt-4.1-nano.sse'));
    const text = joinFrames(frames.slice(0, frames.length - 3));
    const record = onlyRecord(text);
    const replay = new ResponseReplay(record);
    const last = replay.at(record.events.length);
    assert.equal(last.warnings.at(-1)?.code, 'no_terminal_event');
    assert.deepStrictEqual(replayedState(last), recordState(record));
    assert.ok(!replay.at(record.events.length - 1).warnings.some((warning) => warning.code === 'no_terminal_event'));
  });

  it('replays the second of two responses in one stream, and a non-streaming response', () => {
    const first = readFixture('fantasy__text-gpt-4o.sse');
    const second = readFixture('vercel-ai__file-search-gpt-5-mini.sse');
    const reader = new ResponsesStreamReader();
    reader.push(first + second);
    reader.end();
    assert.equal(reader.responses.length, 2);
    const record = reader.responses[1] as ResponseRecord;
    const firstEvents = framesOf(first).eventEnds.length;
    const both = framesOf(first + second);
    const replay = new ResponseReplay(record, { minimumSpacing: 2 });
    for (const count of shuffledCounts(record.events.length, 11)) {
      const fresh = freshReaderAfter(first + second, firstEvents + count, both);
      assert.deepStrictEqual(replayedState(replay.at(count)), recordState(count === 0 ? undefined : fresh.responses[1]), `after ${count} events`);
    }

    const body = readResponsesBody(JSON.stringify(reader.responses[0]?.response)).responses[0] as ResponseRecord;
    const whole = new ResponseReplay(body);
    assert.equal(whole.eventCount, 0);
    assert.deepStrictEqual(replayedState(whole.at(0)), recordState(body));
    assert.notEqual(whole.at(0).response, body.response);
  });
});

/** Copies the state after every `step`-th count of events, applies the rest to the copy, and checks it ends as the record did while the original stays as it was. */
function assertClonesGoOn(text: string, label: string, step: number): void {
  const whole = framesOf(text);
  const record = onlyRecord(text);
  for (let count = 0; count <= record.events.length; count += step) {
    const reader = freshReaderAfter(text, count, whole);
    const original = reader.responses[0]?.assembler ?? new ResponseAssembler();
    const before = structuredClone(stateOf(original));
    const copy = original.clone();
    assert.deepStrictEqual(stateOf(copy), before);
    for (let index = count; index < record.events.length; index++) {
      const event = record.events[index];
      const reading = readFrame(event?.data ?? '', event?.type, false, undefined);
      if (reading.kind === 'event') copy.apply(reading.event, index, reading.type);
    }
    if (count < record.events.length) copy.finish();
    assert.deepStrictEqual(stateOf(copy), recordState(record), `${label}, copied after ${count} events`);
    assert.deepStrictEqual(stateOf(original), before, `${label}, the original after ${count} events`);
  }
}

describe('ResponseAssembler.clone', () => {
  it('copies a state that then goes on as the original does, and leaves the original as it was', () => {
    for (const name of fixtureNames()) assertClonesGoOn(readFixture(name), name, 3);
    assertClonesGoOn(uncommonStream(), 'audio and gaps', 1);
    assertClonesGoOn(gappedPartsStream(10, 3), 'gapped parts', 1);
  });

  it('copies values nested far deeper than a recursive copy could go', () => {
    for (const text of [deepSnapshotStream(200_000, 'arrays'), deepItemStream(200_000, 'objects')]) {
      const record = onlyRecord(text);
      const copy = record.assembler.clone();
      assert.notEqual(copy.response, record.response);
      assert.equal(stringifyJson(stateOf(copy)), stringifyJson(recordState(record)));
      assert.equal(stringifyJson(replayedState(new ResponseReplay(record).at(record.events.length))), stringifyJson(recordState(record)));
    }
  });
});

describe('ResponseReplay on mutated recordings', () => {
  it('gives, from checkpoints close together, what one pass gives, and at the end what the record holds', () => {
    let records = 0;
    for (let index = 0; index < 400; index++) {
      const fuzzCase = makeCase(20_260_101, index, { quick: true });
      let responses: ResponseRecord[];
      try {
        responses = readInput(fuzzCase.input).responses;
      } catch (error) {
        if (error instanceof UnreadableBodyError) continue;
        throw error;
      }
      for (const record of responses) {
        records++;
        const label = `case ${index}, ${fuzzCase.steps.join(', ')}`;
        const onePass = new ResponseReplay(record, { minimumSpacing: Number.MAX_SAFE_INTEGER });
        const inOrder = Array.from({ length: record.events.length + 1 }, (_, count) => stringifyJson(replayedState(onePass.at(count))));
        assert.equal(inOrder[record.events.length], stringifyJson(recordState(record)), label);
        const closeTogether = new ResponseReplay(record, { minimumSpacing: 1 });
        for (const count of shuffledCounts(record.events.length, index)) {
          assert.equal(stringifyJson(replayedState(closeTogether.at(count))), inOrder[count], `${label}, after ${count} events`);
        }
      }
    }
    assert.ok(records > 200, `${records} records`);
  });
});

describe('ResponseReplay.countAt', () => {
  const text = readFixture('vercel-ai__web-search-gpt-5-mini.sse');
  const frames = splitFrames(text);
  const startedAt = 1_790_000_000_000.25;
  /** Each frame in a chunk of its own, 10 ms apart, the first 250 ms after the request. */
  const timeOf = (index: number) => startedAt + 250 + 10 * index;

  it('counts the events come by a moment, in ms after the request started', () => {
    const reader = new ResponsesStreamReader({ requestStartedAt: startedAt });
    frames.forEach((frame, index) => reader.push(frame + '\n\n', timeOf(index)));
    reader.end(timeOf(frames.length));
    const record = reader.responses[0] as ResponseRecord;
    const replay = new ResponseReplay(record);
    assert.equal(replay.startedAt, startedAt);
    const times = record.events.map((event) => event.receivedAt as number);
    for (const ms of [-1, 0, 249.75, 250, 255, 260, 1000, 1234.5, 10 * frames.length + 250, 1e9]) {
      assert.equal(replay.countAt(ms), times.filter((time) => time - startedAt <= ms).length, `${ms} ms`);
    }
    assert.equal(replay.countAt(250), 1);
    assert.equal(replay.countAt(1e9), record.events.length);
    for (const count of [1, 2, 50, record.events.length]) {
      const ms = replay.msAt(count) as number;
      assert.equal(ms, (times[count - 1] as number) - startedAt);
      assert.equal(replay.countAt(ms), count);
      assert.equal(replay.countAt(ms - 0.5), count - 1);
    }
    assert.equal(replay.msAt(0), 0);
    const halfway = replay.at(replay.countAt(1000) as number);
    assert.deepStrictEqual(replayedState(halfway), recordState(freshReaderAfter(text, halfway.count).responses[0]));
  });

  it('counts from the first byte when the request’s start is unknown, and gives undefined with no times at all', () => {
    const reader = new ResponsesStreamReader();
    frames.forEach((frame, index) => reader.push(frame + '\n\n', timeOf(index)));
    reader.end();
    const replay = new ResponseReplay(reader.responses[0] as ResponseRecord);
    assert.equal(replay.startedAt, timeOf(0));
    assert.equal(replay.countAt(0), 1);
    assert.equal(replay.countAt(10), 2);

    const untimed = new ResponseReplay(onlyRecord(text));
    assert.equal(untimed.countAt(1000), undefined);
    assert.equal(untimed.msAt(3), undefined);
  });
});

describe('ResponseReplay on a response of 100,000 events', () => {
  it('gives at random counts what a fresh reader given those events holds', () => {
    const text = longMessageStream(100_000);
    const record = onlyRecord(text);
    const replay = new ResponseReplay(record);
    // The frames end at each blank line.
    const ends: number[] = [];
    for (let at = text.indexOf('\n\n'); at !== -1; at = text.indexOf('\n\n', at + 2)) ends.push(at + 2);
    assert.equal(ends.length, record.events.length);
    const random = seededRandom(100_000);
    const counts = [record.events.length - 2, ...Array.from({ length: 5 }, () => Math.floor(random() * record.events.length)), 1, record.events.length - 1];
    for (const count of counts) {
      const reader = new ResponsesStreamReader();
      reader.push(text.slice(0, ends[count - 1]));
      assert.deepStrictEqual(replayedState(replay.at(count)), recordState(reader.responses[0]), `after ${count} events`);
    }
    assert.deepStrictEqual(replayedState(replay.at(record.events.length)), recordState(record));
    assert.ok(replay.checkpointCount > 10, `${replay.checkpointCount} checkpoints`);
  });
});
