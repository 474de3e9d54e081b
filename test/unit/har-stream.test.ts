import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLI, runCli, scratchWriter } from '../helpers/cli.ts';
import {
  buildTranscript,
  callsOfInput,
  harCalls,
  harEntries,
  looksLikeHar,
  NotStreamableError,
  readHar,
  readInput,
  stringifyJson,
  type HarReading,
  type ReadBytes,
  type TranscriptCall,
} from '../../extension/core/index.ts';
import { plantedHar } from '../helpers/planted-secrets.ts';
import { FIXTURE_DIR, fixtureNames, readFixture, seededRandom } from '../helpers/streams.ts';

const { directory: scratch, write: writeScratch } = scratchWriter('responses-devtools-har-stream-');
const encoder = new TextEncoder();

/** Reads `bytes` in the sizes `size` gives, call by call (at least 1 while bytes are left). */
function reading(bytes: Uint8Array, size: (call: number) => number = () => bytes.length): ReadBytes {
  let offset = 0;
  let call = 0;
  return (into, at, length) => {
    const count = Math.min(length, Math.max(1, size(call++)), bytes.length - offset);
    into.set(bytes.subarray(offset, offset + count), at);
    offset += count;
    return count;
  };
}

function entriesOf(bytes: Uint8Array, size?: (call: number) => number): unknown[] {
  return [...harEntries(reading(bytes, size))];
}

function harEntry(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    startedDateTime: '2026-11-26T10:00:00.000Z',
    time: 10,
    request: { method: 'POST', url: 'https://api.openai.com/v1/responses', headers: [{ name: 'content-type', value: 'application/json' }] },
    response: { status: 200, headers: [], content: { mimeType: 'text/event-stream', text } },
    timings: { send: 0, wait: 5, receive: 5 },
    ...extra,
  };
}

/**
 * A small HAR with what makes cutting hard: escapes and brackets in strings,
 * characters of two, three and four UTF-8 bytes, entries that are no objects,
 * a non-Responses entry, and members before and after `log` and `entries`.
 */
function trickyHar(stream = readFixture('seed__hello-gpt-4.1-nano.sse')): Record<string, unknown> {
  return {
    before: { text: 'a "quoted" }]{[ \\ back\\slash \\" \\\\"', unicode: 'é中😀\u2028\u0000', n: -1.5e3, t: true, f: false, z: null },
    log: {
      version: '1.2',
      pages: [{ id: 'page_1', title: '} ], {' }],
      entries: [
        harEntry(stream),
        null,
        7,
        'x"}',
        [],
        harEntry(stream.replace('Hello', 'Héllo 中 😀 \\"q\\" \\\\ }\\n],')),
        { request: { method: 'GET', url: 'https://example.com/' }, response: { status: 200, content: { mimeType: 'text/html', text: '<p>}\n    },\n    {</p>' } } },
        harEntry(stream, { comment: 'last' }),
      ],
      creator: { name: 'x', version: '1' },
    },
    after: [1, '}', { '': [] }],
  };
}

/** A short stream, for a HAR cut at each of its bytes. */
const SHORT_STREAM = [
  { type: 'response.created', response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } },
  { type: 'response.output_text.delta', output_index: 0, content_index: 0, item_id: 'msg_1', delta: 'Hello' },
  { type: 'response.completed', response: { id: 'resp_1', object: 'response', status: 'completed', output: [{ type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }] } },
].map((event) => `data: ${JSON.stringify(event)}\n\n`).join('');

/** The HAR written in several ways: indented, compact, with tabs, CRLF, a byte order mark, escaped key names, entries first. */
function layouts(har: Record<string, unknown>): Array<[string, string]> {
  const log = har.log as Record<string, unknown>;
  const entriesFirst = { ...har, log: { entries: log.entries, ...log } };
  return [
    ['indented', JSON.stringify(har, null, 2)],
    ['compact', JSON.stringify(har)],
    ['tabs', JSON.stringify(har, null, '\t')],
    ['crlf', JSON.stringify(har, null, 4).replaceAll('\n', '\r\n')],
    ['bom', '\uFEFF\uFEFF \n\t' + JSON.stringify(har, null, 1) + '\n \r\n'],
    ['escaped keys', JSON.stringify(har).replace('"log":', '"\\u006cog":').replace('"entries":', '"\\u0065ntries" :')],
    ['entries first', JSON.stringify(entriesFirst, null, 2)],
  ];
}

function parsedEntries(text: string): unknown[] {
  const har = JSON.parse(text.replace(/^\uFEFF+/, '')) as { log: { entries: unknown[] } };
  return har.log.entries;
}

/** The transcript `har` writes for the calls. */
function transcriptText(calls: readonly TranscriptCall[]): string {
  return stringifyJson(buildTranscript(calls), 2);
}

const run = runCli;

describe('harEntries: a HAR read in pieces', () => {
  it('gives the entries JSON.parse gives, in every layout, read in pieces of any size', () => {
    for (const [layout, text] of layouts(trickyHar())) {
      const bytes = encoder.encode(text);
      const expected = parsedEntries(text);
      for (const size of [1, 2, 3, 5, 7, 13, 64, 1000, bytes.length]) assert.deepEqual(entriesOf(bytes, () => size), expected, `${layout}, pieces of ${size}`);
      const random = seededRandom(layout.length);
      assert.deepEqual(entriesOf(bytes, () => 1 + Math.floor(random() * 300)), expected, `${layout}, random pieces`);
    }
  });

  it('gives the same entries however the bytes are cut in two: inside strings, escapes, characters, brackets', () => {
    for (const [layout, text] of layouts(trickyHar(SHORT_STREAM)).slice(0, 2)) {
      const bytes = encoder.encode(text);
      // Compared as JSON text: as strict as deepEqual on parsed JSON, and many times faster.
      const expected = JSON.stringify(parsedEntries(text));
      for (let cut = 1; cut < bytes.length; cut++) {
        assert.equal(JSON.stringify(entriesOf(bytes, (call) => (call === 0 ? cut : bytes.length))), expected, `${layout}, cut at ${cut}`);
      }
    }
  });

  it('reads a transcript of every recording, and entries laid out unlike the ones before them', () => {
    const calls = fixtureNames().flatMap((name) => callsOfInput(name, readFixture(name), readInput(readFixture(name))));
    const text = transcriptText(calls);
    const expected = parsedEntries(text);
    for (const size of [4096, 65_536, 1 << 20]) assert.deepEqual(entriesOf(encoder.encode(text), () => size), expected);
    // An entry written compactly, then one whose inner objects are indented as the entries are: where the entries
    // so far ended is no longer where these end.
    const [first, second, third, ...rest] = expected as Array<Record<string, unknown>>;
    const lines = ['{', '  "log": {', '    "entries": [', JSON.stringify(first, null, 2).replace(/^/gm, '      ').trimStart() + ','];
    lines.push('      {', '        "inner": [', '      {', '        "a": 1', '      },', '      {', '        "b": 2', '      }', '        ],', '        "entry": ' + JSON.stringify(second), '      },');
    lines.push('      ' + JSON.stringify(third) + ',');
    lines.push(rest.map((entry) => JSON.stringify(entry, null, 2).replace(/^/gm, '      ')).join(',\n'), '    ]', '  }', '}');
    const mixed = lines.join('\n');
    assert.deepEqual(entriesOf(encoder.encode(mixed), () => 10_000), parsedEntries(mixed));
    // An entry many times longer than the ones before: the search for its end gives up, and the scan finds it.
    const huge = { log: { entries: [first, second, harEntry('data: ' + 'x'.repeat(3_000_000) + '\n\n'), third] } };
    const hugeText = JSON.stringify(huge, null, 2);
    assert.deepEqual(entriesOf(encoder.encode(hugeText), () => 65_536), huge.log.entries);
  });

  it('reads text JSON.parse reads: invalid UTF-8 in a string, an empty list, odd whitespace between tokens', () => {
    const har = encoder.encode(JSON.stringify({ log: { entries: [{ text: 'ab' }] } }));
    const withBadBytes = new Uint8Array([...har.subarray(0, 29), 0xff, 0xc3, 0xe2, 0x82, ...har.subarray(29)]);
    const decoded = new TextDecoder().decode(withBadBytes);
    assert.ok(decoded.includes('\uFFFD'));
    assert.deepEqual(entriesOf(withBadBytes, () => 1), parsedEntries(decoded));
    assert.deepEqual(entriesOf(encoder.encode('{"log":{"entries":[]}}')), []);
    assert.deepEqual(entriesOf(encoder.encode(' \t\r\n{ \t\r\n"log" \t\r\n: \t\r\n{ "entries" : [ 1 , {} ] \t\r\n} \t\r\n} \t\r\n')), [1, {}]);
  });

  it('refuses, for readInput to read whole, any input that is not one JSON object with one log.entries array', () => {
    const entry = JSON.stringify(harEntry('data: {}\n\n'));
    const refused = [
      '',
      '   ',
      'data: {"type":"response.created"}\n\n',
      '[{"log":{"entries":[]}}]',
      '\u00a0{"log":{"entries":[]}}',
      '{"log":{"entries":[]}}x',
      '{"log":{"entries":[]}}\n{"log":{"entries":[]}}',
      '{"log":{"entries":[]}, "log": {"entries":[]}}',
      '{"log":{"entries":[], "entries": []}}',
      '{"log":[]}',
      '{"log":{"entries":{}}}',
      '{"log":{"version":"1.2"}}',
      '{"id":"resp_1","object":"response","output":[]}',
      `{"log":{"entries":[${entry},]}}`,
      `{"log":{"entries":[,${entry}]}}`,
      `{"log":{"entries":[${entry} ${entry}]}}`,
      `{"log":{"entries":[${entry.replace('"POST"', '"PO\tST"')}]}}`,
      `{"log":{"entries":[${entry.replace('"time":10', '"time":01')}]}}`,
      `{"log":{"entries":[${entry.replace('"time":10', '"time":1e')}]}}`,
      `{"log":{"entries":[${entry.replace('"time":10', '"time":tru')}]}}`,
      `{"log":{"entries":[${entry.replace('"time":10', '"time":"\\x"')}]}}`,
      `{"log":{"entries":[{}]},}`,
      `{"log":{"entries":[{}]}, "x": [1}}`,
      `{"log":{"entries":[{}]}, "x": 1 2}`,
      `{"log":{"entries":[{}]}, "x":\u000b1}`,
      `{\uFEFF"log":{"entries":[{}]}}`,
      `{"log":{"entries":[{}]} "x": 1}`,
      `{"log"{"entries":[{}]}}`,
      `{log:{"entries":[{}]}}`,
    ];
    for (const text of refused) {
      for (const size of [1, 3, 1 << 16]) {
        assert.throws(() => entriesOf(encoder.encode(text), () => size), NotStreamableError, `${JSON.stringify(text)} in pieces of ${size}`);
      }
    }
  });

  it('refuses every cut of a HAR, and gives nothing but what JSON.parse gives on any changed byte', () => {
    const text = JSON.stringify(trickyHar(SHORT_STREAM), null, 2);
    const bytes = encoder.encode(text);
    for (let end = 0; end < bytes.length; end++) {
      // Cut after the last brace, only whitespace is missing: the rest is still the whole HAR.
      if (text.slice(0, end).trimEnd() === text.trimEnd()) continue;
      assert.throws(() => entriesOf(bytes.subarray(0, end), () => 4096), NotStreamableError, `cut at ${end}`);
    }
    const random = seededRandom(7);
    const replacements = encoder.encode('{}[]",:\\ \n0-1etrfaluns\tx');
    for (let trial = 0; trial < 3000; trial++) {
      const changed = Array.from(bytes);
      const at = Math.floor(random() * changed.length);
      const byte = replacements[Math.floor(random() * replacements.length)] as number;
      const kind = Math.floor(random() * 3);
      if (kind === 0) changed.splice(at, 1);
      else if (kind === 1) changed.splice(at, 0, byte);
      else changed[at] = byte;
      const input = new Uint8Array(changed);
      let expected: unknown;
      try {
        expected = JSON.parse(new TextDecoder().decode(input));
      } catch {
        expected = undefined;
      }
      let entries: unknown[] | undefined;
      try {
        entries = entriesOf(input, () => 1 + Math.floor(random() * 200));
      } catch (error) {
        assert.ok(error instanceof NotStreamableError, String(error));
      }
      if (entries === undefined) continue;
      assert.ok(looksLikeHar(expected), `trial ${trial}: read what JSON.parse does not read as a HAR`);
      assert.equal(JSON.stringify(entries), JSON.stringify(expected.log.entries), `trial ${trial}`);
    }
  });

  it('reads the calls readHar reads, with the same problems and skipped entries', () => {
    const hars = [trickyHar(), plantedHar(), { log: { entries: [harEntry(''), { request: {} }, harEntry('data: garbage\n\n'), harEntry(readFixture('fantasy__text-gpt-4o.sse'))] } }];
    for (const har of hars) {
      const whole = readHar(JSON.parse(JSON.stringify(har)));
      const streamed: HarReading = { calls: [], skipped: 0, problems: [] };
      const calls = [...harCalls(reading(encoder.encode(JSON.stringify(har, null, 2)), () => 777), streamed)];
      assert.deepEqual(streamed, { calls: [], skipped: whole.skipped, problems: whole.problems });
      assert.deepEqual(calls.map((call) => call.entryIndex), whole.calls.map((call) => call.entryIndex));
      assert.equal(transcriptText(calls), transcriptText(whole.calls));
    }
  });
});

describe('the command on a HAR read in pieces', () => {
  const transcript = (() => {
    const out = join(scratch, 'all.har');
    const result = run(['har', ...fixtureNames().map((name) => join(FIXTURE_DIR, name)), '-o', out]);
    assert.equal(result.status, 0, result.stderr);
    return readFileSync(out, 'utf8');
  })();
  const hars: Array<[string, string]> = [
    ['transcript', transcript],
    ['planted', JSON.stringify(plantedHar(), null, 2)],
    ['planted, compact', JSON.stringify(plantedHar())],
    ...layouts(trickyHar()).filter(([layout]) => layout === 'indented' || layout === 'bom'),
  ];

  it('prints what it prints for the same HAR read whole (from stdin), and writes the transcript buildTranscript gives', () => {
    for (const [name, text] of hars) {
      const path = writeScratch(`${name}.har`, text);
      for (const args of [['inspect', '--json'], ['inspect']]) {
        const streamed = run([...args, path]);
        const whole = run([...args, '-'], text);
        assert.equal(streamed.status, 0, `${name}: ${streamed.stderr}`);
        assert.equal(streamed.stdout, whole.stdout, `${name}: ${args.join(' ')}`);
        assert.equal(streamed.stderr, whole.stderr.replaceAll('responses-devtools: -: ', `responses-devtools: ${path}: `), name);
      }
      const calls = callsOfInput(`${name}.har`, text, readInput(text));
      for (const keepSecrets of [false, true]) {
        const written = run(['har', path, ...(keepSecrets ? ['--keep-secrets'] : []), '-o', '-']);
        assert.equal(written.status, 0, written.stderr);
        assert.equal(written.stdout, stringifyJson(buildTranscript(calls, { keepSecrets }), 2) + '\n', name);
      }
    }
  });

  it('rewrites a HAR in place, through a link too: the file about to be written is read whole first', () => {
    const expected = run(['har', writeScratch('source.har', transcript), '-o', '-']).stdout;
    const path = writeScratch('in-place.har', transcript);
    const link = join(scratch, 'in-place-link.har');
    symlinkSync(path, link);
    for (const output of [path, link]) {
      writeFileSync(path, transcript);
      const result = run(['har', path, '-o', output]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(readFileSync(path, 'utf8'), expected, output);
    }
  });

  it('reads a pipe named as a file whole, as before', () => {
    const path = writeScratch('piped.har', transcript);
    // A shell's pipe (Node's own stdin pipes are sockets, which /dev/stdin cannot open).
    const result = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" inspect --json /dev/stdin', 'sh', path, process.execPath, CLI], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, run(['inspect', '--json', '-'], transcript).stdout);
  });

  it('says what is wrong with a broken HAR as it did, before printing or writing anything', () => {
    const bytes = encoder.encode(transcript);
    const noCall = JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'https://example.com/' }, response: { status: 200, content: { mimeType: 'text/html', text: 'hi' } } }] } });
    const noReadableCall = JSON.stringify({ log: { entries: [harEntry(''), { request: {} }] } });
    const good = writeScratch('good-with-problems.har', JSON.stringify({ log: { entries: [harEntry(''), harEntry(readFixture('fantasy__text-gpt-4o.sse'))] } }));
    const broken: Array<[string, string | Uint8Array]> = [
      ['cut', bytes.subarray(0, Math.floor(bytes.length * 0.7))],
      ['cut at the end', bytes.subarray(0, bytes.length - 3)],
      ['trailing', transcript + '\n{}'],
      ['no call', noCall],
      ['no readable call', noReadableCall],
      ['twice', `{"log": {"entries": []}, "log": ${JSON.stringify(plantedHar().log)}}`],
    ];
    for (const [name, content] of broken) {
      const path = writeScratch(`broken-${name}.har`, content);
      const whole = run(['inspect', '--json', '-'], content);
      const streamed = run(['inspect', '--json', path]);
      assert.equal(streamed.status, whole.status, name);
      assert.equal(streamed.stdout, whole.stdout, name);
      assert.equal(streamed.stderr, whole.stderr.replaceAll('responses-devtools: -: ', `responses-devtools: ${path}: `), name);
      if (whole.status === 0) continue;
      assert.equal(streamed.stderr.trim().split('\n').length, 1, streamed.stderr);

      // har reads every input through before it opens its output: the problems of the inputs before come first.
      const out = join(scratch, `out-${name}.har`);
      const written = run(['har', good, path, '-o', out]);
      assert.equal(written.status, 1, name);
      assert.equal(existsSync(out), false, `${name}: the output was written`);
      const lines = written.stderr.trim().split('\n');
      assert.equal(lines.length, 2, written.stderr);
      assert.match(lines[0] as string, /good-with-problems\.har: skipped entry 0 .* has no response body/);
      assert.equal(lines[1], streamed.stderr.trim(), name);
    }
  });
});
