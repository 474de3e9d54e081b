import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeltaEventReader } from '../../extension/core/delta-event.ts';
import { ResponsesStreamReader, type JsonObject, type ResponseRecord } from '../../extension/core/index.ts';
import { fixtureNames, frameEvent, joinFrames, readFixture, readFixtureBytes, seededRandom, splitFrames } from '../helpers/streams.ts';

const BASE =
  '{"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi","logprobs":[],"obfuscation":"abc"}';

/** BASE with `from` replaced by `to` (once, and it must be there). */
function variant(from: string, to: string): string {
  assert.ok(BASE.includes(from), from);
  return BASE.replace(from, to);
}

/**
 * Reads `text` quickly, alone or after `primer` (so that it is matched against the primer's layout),
 * and checks the reading against JSON.parse: the same object with its keys in the same order, or
 * nothing (then JSON.parse reads it, or refuses it). Returns the quick reading.
 */
function readChecked(text: string, primer?: string): JsonObject | undefined {
  const reader = new DeltaEventReader();
  if (primer !== undefined) assert.ok(reader.read(primer), `the primer is read quickly: ${primer}`);
  const quick = reader.read(text);
  if (quick === undefined) return undefined;
  let reference: unknown;
  assert.doesNotThrow(() => (reference = JSON.parse(text)), `read quickly, but not JSON: ${JSON.stringify(text)}`);
  assert.deepStrictEqual(quick, reference, text);
  assert.deepStrictEqual(Object.keys(quick), Object.keys(reference as JsonObject), text);
  return { ...quick };
}

/** Checks `text` both ways (scanned, and matched after BASE); returns the two readings. */
function bothWays(text: string): [JsonObject | undefined, JsonObject | undefined] {
  return [readChecked(text), readChecked(text, BASE)];
}

describe('the quick reading of delta events', () => {
  it('reads every delta of the real recordings as JSON.parse does, one after the other', () => {
    let quick = 0;
    let deltas = 0;
    for (const name of fixtureNames()) {
      const reader = new DeltaEventReader();
      for (const frame of splitFrames(readFixture(name))) {
        const line = frame.split('\n').find((one) => one.startsWith('data: '));
        if (line === undefined) continue;
        const data = line.slice('data: '.length);
        const event = reader.read(data);
        if (/^\{"type":"[a-z_.]+\.delta"/.test(data)) deltas++;
        if (event === undefined) continue;
        quick++;
        const reference = JSON.parse(data) as JsonObject;
        assert.deepStrictEqual(event, reference, `${name}: ${data}`);
        assert.deepStrictEqual(Object.keys(event), Object.keys(reference), `${name}: ${data}`);
      }
    }
    // The few left to JSON.parse carry logprobs.
    assert.ok(quick > deltas * 0.99, `${quick} of ${deltas} deltas read quickly`);
  });

  it('reads the plain shape, scanned or matched', () => {
    for (const reading of bothWays(BASE)) assert.equal(reading?.delta, 'Hi');
    const next = variant('"sequence_number":7', '"sequence_number":8').replace('"delta":"Hi"', '"delta":" there"');
    assert.deepEqual(readChecked(next, BASE), { ...(JSON.parse(next) as JsonObject) });
    assert.ok(readChecked('{"type":"response.function_call_arguments.delta","delta":"{\\"a\\":","item_id":"fc_1","output_index":1,"sequence_number":3}'));
    assert.ok(readChecked('{"type":"response.output_text.delta"}'));
  });

  it('decodes escapes in a delta exactly as JSON.parse does', () => {
    const deltas = [
      '',
      'a\\"b',
      '\\\\',
      'end\\\\',
      '\\"',
      '\\n\\r\\t\\b\\f\\/',
      '\\u00e9\\u4e16\\u754C',
      '\\ud83c\\udf89',
      '\\ud800',
      '\\udc00x',
      'h\\u00e9llo \\u2192 \u4e16\u754c \ud83c\udf89',
      'héllo → 世界 🎉',
      '\\\\\\"\\\\',
    ];
    for (const delta of deltas) {
      for (const reading of bothWays(variant('"delta":"Hi"', `"delta":"${delta}"`))) assert.ok(reading, delta);
    }
  });

  it('reads escapes anywhere in the object, and a backslash in one string does not upset the next', () => {
    const text = variant('"item_id":"msg_1"', '"item_id":"msg\\u005f1"').replace('"delta":"Hi"', '"delta":"a\\\\"').replace('"obfuscation":"abc"', '"obfuscation":"\\"x"');
    const [scanned, matched] = bothWays(text);
    assert.equal(scanned?.item_id, 'msg_1');
    assert.equal(matched?.obfuscation, '"x');
  });

  it('leaves duplicate keys to JSON.parse, which keeps the last', () => {
    const duplicates = [
      BASE.replace(/}$/, ',"delta":"later"}'),
      BASE.replace(/}$/, ',"sequence_number":8}'),
      BASE.replace(/}$/, ',"item_id":"msg_2"}'),
      BASE.replace(/}$/, ',"output_index":1}'),
      BASE.replace(/}$/, ',"type":"response.refusal.delta"}'),
      BASE.replace(/}$/, ',"del\\u0074a":"escaped key"}'),
      BASE.replace(/}$/, ',"logprobs":[]}'),
    ];
    for (const text of duplicates) assert.deepEqual(bothWays(text), [undefined, undefined], text);
    assert.equal((JSON.parse(duplicates[0] as string) as JsonObject).delta, 'later');
  });

  it('leaves reordered, extra, nested and escaped keys to JSON.parse', () => {
    const declined = [
      '{"delta":"Hi","type":"response.output_text.delta"}',
      '{"sequence_number":7,"type":"response.output_text.delta","delta":"Hi"}',
      BASE.replace(/}$/, ',"extra":1}'),
      BASE.replace(/}$/, ',"__proto__":{"polluted":true}}'),
      BASE.replace(/}$/, ',"constructor":"x"}'),
      variant('"delta":"Hi"', '"delta":{"text":"Hi"}'),
      variant('"delta":"Hi"', '"delta":["Hi"]'),
      variant('"logprobs":[]', '"logprobs":[{"token":"Hi","logprob":-0.1}]'),
      variant('"logprobs":[]', '"logprobs":[ ]'),
      variant('"delta"', '"del\\u0074a"'),
      variant('"type":"response.output_text.delta"', '"type":"response.output_text.del\\u0074a"'),
      variant('"type":"response.output_text.delta"', '"type":"response.output_text.done"'),
      variant('"type":"response.output_text.delta"', '"type":"response.unknown.delta"'),
      variant('"type":"response.output_text.delta"', '"type":"response.output_text.delta\\""'),
      '{"type":"response.shell_call_output_content.delta","output_index":0,"command_index":0,"delta":{"stdout":"x"}}',
      BASE + ' ',
      ' ' + BASE,
      BASE + '\n',
      BASE.replace(',"item_id"', ' ,"item_id"'),
      BASE.replace('"output_index":0', '"output_index": 0'),
      BASE.replace('"delta":"Hi"', '"delta" :"Hi"'),
      BASE.replace('{"type"', '{ "type"'),
    ];
    for (const text of declined) assert.deepEqual(bothWays(text), [undefined, undefined], text);
  });

  it('reads indexes of other types as JSON.parse does, or leaves them to it', () => {
    const cases = [
      '"0"',
      '-1',
      '-0',
      '1.5',
      '1e2',
      '1E2',
      '01',
      '00',
      '0.0',
      'null',
      'true',
      'false',
      '{}',
      '[]',
      '[0]',
      '1234567890123456',
      '123456789012345',
      '9007199254740993',
      '123456789012345678901234567891',
      '98765432109876543210987654321',
      '',
      ' 0',
      '0 ',
    ];
    for (const value of cases) {
      for (const key of ['output_index', 'content_index', 'sequence_number']) {
        const text = BASE.replace(new RegExp(`"${key}":\\d+`), `"${key}":${value}`);
        const readings = bothWays(text);
        const reference = (() => {
          try {
            return JSON.parse(text) as JsonObject;
          } catch {
            return undefined;
          }
        })();
        if (reference === undefined) assert.deepEqual(readings, [undefined, undefined], text);
        // Whole numbers of up to 15 digits are read quickly; the rest, if any, by JSON.parse.
        if (/^(0|[1-9]\d{0,14})$/.test(value)) assert.ok(readings[0] && readings[1], text);
      }
    }
  });

  it('refuses what JSON.parse refuses', () => {
    const invalid = [
      variant('"delta":"Hi"', '"delta":"H\ti"'),
      variant('"delta":"Hi"', '"delta":"H\ni"'),
      variant('"delta":"Hi"', '"delta":"H\u0000i"'),
      variant('"delta":"Hi"', '"delta":"H\u001fi"'),
      variant('"obfuscation":"abc"', '"obfuscation":"a\u0001c"'),
      variant('"item_id":"msg_1"', '"item_id":"msg\t1"'),
      variant('"delta":"Hi"', '"delta":"Hi\\"'),
      variant('"delta":"Hi"', '"delta":"\\x41"'),
      variant('"delta":"Hi"', '"delta":"\\u12"'),
      variant('"delta":"Hi"', '"delta":"\\u12g4"'),
      variant('"delta":"Hi"', "\"delta\":'Hi'"),
      variant('"delta":"Hi"', '"delta":Hi'),
      variant('"delta":"Hi"', '"delta":"Hi",'),
      BASE.slice(0, -1),
      BASE.slice(0, -2),
      BASE.slice(0, BASE.indexOf('"delta":"Hi"') + 10),
      BASE.replace(/}$/, ',}'),
      BASE + 'x',
      BASE + '}',
      BASE.replace(/,/g, ',,'),
      '{"type":"response.',
      '{"type":"response.output_text.delta"',
      '{"type":"response.output_text.delta",',
      '{"type":"response.output_text.delta","delta":',
      '{"type":"response.output_text.delta","delta":"',
    ];
    for (const text of invalid) {
      assert.throws(() => JSON.parse(text), text);
      assert.deepEqual(bothWays(text), [undefined, undefined], JSON.stringify(text));
    }
  });

  it('does not take a changed item, index or key for the layout it matched before', () => {
    const changes = [
      variant('"item_id":"msg_1"', '"item_id":"msg_2"'),
      variant('"output_index":0', '"output_index":1'),
      variant('"content_index":0', '"content_index":2'),
      variant('"type":"response.output_text.delta"', '"type":"response.refusal.delta"'),
      variant('"logprobs":[],', ''),
      variant(',"obfuscation":"abc"', ''),
      variant('"sequence_number":7,', ''),
      variant('"delta":"Hi"', '"delta":"Hi","summary_index":0'),
    ];
    for (const text of changes) {
      const matched = readChecked(text, BASE);
      assert.ok(matched, text);
      assert.deepEqual(matched, JSON.parse(text));
    }
  });

  it('agrees with JSON.parse on mutated deltas: the same event, or none', () => {
    const random = seededRandom(20_260_301);
    const frames: string[] = [];
    for (const name of fixtureNames()) {
      for (const frame of splitFrames(readFixture(name))) {
        const line = frame.split('\n').find((one) => one.startsWith('data: {"type":"response.') && one.includes('.delta"'));
        const data = line?.slice('data: '.length);
        if (data !== undefined && new DeltaEventReader().read(data)) frames.push(data);
      }
    }
    const pieces = ['"', '\\', '\\"', '\\\\', '\\u00e9', '\\ud83c', '{', '}', '[', ']', ',', ':', '0', '1', '9', '-', '.', 'e', ' ', '\t', '\n', '\u0000', 'é', '🎉', 'null', ',"delta":"x"', ',"extra":1'];
    let quick = 0;
    let declined = 0;
    for (let round = 0; round < 6000; round++) {
      const primer = frames[Math.floor(random() * frames.length)] as string;
      let text = primer;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const roll = random();
        if (roll < 0.4) text = text.slice(0, at) + (pieces[Math.floor(random() * pieces.length)] as string) + text.slice(at);
        else if (roll < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + (pieces[Math.floor(random() * pieces.length)] as string) + text.slice(at + 1);
      }
      // Primed with the frame it came from, the mutation is matched against that frame's layout first.
      for (const reading of [readChecked(text), readChecked(text, primer)]) {
        if (reading === undefined) declined++;
        else quick++;
      }
    }
    assert.ok(quick > 1000 && declined > 1000, `${quick} read quickly, ${declined} left to JSON.parse`);
  });
});

/** What a reader made of a stream, for comparing two readings of it. */
function reading(records: readonly ResponseRecord[]): unknown {
  return records.map((record) => ({
    response: record.response,
    warnings: record.warnings,
    events: record.events,
    eventTypes: [...record.eventTypes],
    itemMeta: record.assembler.itemMeta,
    audioTranscript: record.assembler.audioTranscript,
    closed: record.closed,
    timing: record.timing,
  }));
}

function readBoth(chunks: Array<Uint8Array | string>): [unknown, unknown] {
  const quick = new ResponsesStreamReader({ requestStartedAt: 0 });
  const reference = new ResponsesStreamReader({ requestStartedAt: 0, parseEveryFrame: true });
  chunks.forEach((chunk, index) => {
    quick.push(chunk, index);
    reference.push(chunk, index);
  });
  quick.end(chunks.length);
  reference.end(chunks.length);
  return [reading(quick.responses), reading(reference.responses)];
}

describe('streams read with the quick reading of deltas', () => {
  it('assemble every recording as with JSON.parse of every frame', () => {
    for (const name of fixtureNames()) {
      const [quick, reference] = readBoth([readFixtureBytes(name)]);
      assert.deepStrictEqual(quick, reference, name);
    }
  });

  it('assemble recordings with odd deltas put in as with JSON.parse of every frame', () => {
    const odd = [
      (event: JsonObject) => JSON.stringify(event).replace(/"delta":"/, '"delta":"\\u00e9\\"\\\\'),
      (event: JsonObject) => JSON.stringify(event).replace(/}$/, ',"delta":"duplicate"}'),
      (event: JsonObject) => JSON.stringify(event).replace(/}$/, ',"extra":{"nested":[1,2]}}'),
      (event: JsonObject) => JSON.stringify(event).replace(/"output_index":\d+/, '"output_index":"0"'),
      (event: JsonObject) => JSON.stringify(event).replace(/"output_index":\d+/, '"output_index":1.5'),
      (event: JsonObject) => JSON.stringify(event).replace(/"item_id":"[^"]*"/, '"item_id":"nowhere"'),
      (event: JsonObject) => JSON.stringify(event).replace(/"sequence_number":\d+/, '"sequence_number":3'),
      (event: JsonObject) => JSON.stringify(event).replace(/"delta":"/, '"delta":"\t'),
      (event: JsonObject) => JSON.stringify(event).replace(/"delta":"[^"]*"/, '"delta":7'),
      (event: JsonObject) => JSON.stringify({ delta: event.delta, ...event }),
      (event: JsonObject) => JSON.stringify(event, null, 1),
    ];
    const random = seededRandom(7);
    for (const name of fixtureNames()) {
      const frames = splitFrames(readFixture(name)).map((frame) => {
        const event = frameEvent(frame);
        if (event === undefined || typeof event.type !== 'string' || !event.type.endsWith('.delta') || random() > 0.3) return frame;
        const change = odd[Math.floor(random() * odd.length)] as (event: JsonObject) => string;
        return `data: ${change(event).replace(/\n/g, '\ndata: ')}`;
      });
      const [quick, reference] = readBoth([joinFrames(frames)]);
      assert.deepStrictEqual(quick, reference, name);
    }
  });
});
