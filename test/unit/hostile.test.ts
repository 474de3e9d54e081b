import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildTranscript,
  callsOfInput,
  readInput,
  readResponsesBody,
  stringifyJson,
  summarizeRecord,
  type JsonObject,
  type ResponseRecord,
} from '../../extension/core/index.ts';
import { formatResponseText } from '../../extension/cli/format-text.ts';
import { deepItemStream, deepJsonText, deepSnapshotStream, gappedItemsStream, gappedPartsStream, jsonDepth, type NestingKind } from '../helpers/hostile.ts';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli', 'responses-devtools.js');
const scratch = mkdtempSync(join(tmpdir(), 'responses-devtools-hostile-'));
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'responses-streams');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeScratch(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

function only(input: string): ResponseRecord {
  const { responses } = readInput(input);
  assert.equal(responses.length, 1);
  return responses[0] as ResponseRecord;
}

type Metadata = { metadata: { deep: unknown } };

/** How deep the brackets of JSON text nest (outside strings). */
function nesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

describe('values nested deeper than the call stack', () => {
  for (const depth of [5_000, 100_000]) {
    for (const kind of ['arrays', 'objects'] as NestingKind[]) {
      it(`a terminal snapshot ${depth} deep (${kind}): inspect, inspect --json and har exit 0 and keep the value whole`, () => {
        const path = writeScratch(`deep-${kind}-${depth}.sse`, deepSnapshotStream(depth, kind));
        const json = run(['inspect', '--json', path]);
        assert.equal(json.status, 0, json.stderr);
        const printed = (JSON.parse(json.stdout) as { responses: Array<{ response: Metadata }> }).responses[0];
        assert.equal(jsonDepth(printed?.response.metadata.deep), depth);

        const text = run(['inspect', path]);
        assert.equal(text.status, 0, text.stderr);
        assert.match(text.stdout, /status {2}completed/);

        const out = join(scratch, `deep-${kind}-${depth}.har`);
        const har = run(['har', path, '-o', out]);
        assert.equal(har.status, 0, har.stderr);
        const back = readInput(readFileSync(out, 'utf8'));
        assert.equal(jsonDepth((back.responses[0]?.response as unknown as Metadata).metadata.deep), depth);
      });
    }
  }

  it('a snapshot a million arrays deep goes through the core, the transcript and the command', () => {
    const text = deepSnapshotStream(1_000_000, 'arrays');
    const reading = readInput(text);
    const summary = summarizeRecord(reading.responses[0] as ResponseRecord);
    assert.equal(jsonDepth(JSON.parse(stringifyJson(summary, 2))), 1_000_000 + 3); // summary, response, metadata
    const transcript = buildTranscript(callsOfInput('deep.sse', text, reading));
    assert.ok(stringifyJson(transcript, 2).length < text.length * 4, 'indentation does not grow with depth');
    const json = run(['inspect', '--json', writeScratch('deep-million.sse', text)]);
    assert.equal(json.status, 0, json.stderr);
  });

  it('deep values inside items, annotations, errors and actions print as text and as JSON', () => {
    const path = writeScratch('deep-items.sse', deepItemStream(100_000, 'objects'));
    const text = run(['inspect', path]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /future_call f/);
    const json = run(['inspect', '--json', path]);
    assert.equal(json.status, 0, json.stderr);
    const summary = only(readFileSync(path, 'utf8'));
    assert.doesNotThrow(() => formatResponseText({ summary: summarizeRecord(summary), view: summary.response }, 0, 1));
  });

  it('a frame whose JSON the engine cannot parse for its depth becomes a warning, in a stream, a JSON body or a HAR', (context) => {
    // V8 parses any depth; an engine whose parser recurses throws a RangeError. Such an engine, simulated:
    const parse = JSON.parse;
    context.mock.method(JSON, 'parse', (text: string, reviver?: (key: string, value: unknown) => unknown) => {
      if (nesting(text) > 1000) throw new RangeError('Maximum call stack size exceeded');
      return parse(text, reviver);
    });
    const stream = deepSnapshotStream(10_000, 'arrays');
    const record = only(stream);
    assert.deepEqual(record.warnings.map((warning) => warning.code), ['invalid_json', 'no_terminal_event']);
    assert.match(record.warnings[0]?.message ?? '', /too deep to read \(Maximum call stack size exceeded\)/);
    assert.equal(record.response.id, 'resp_deep');
    const json = `{"id":"r","object":"response","output":[],"metadata":${deepJsonText(10_000, 'arrays')}}`;
    assert.throws(() => readInput(json), (error: Error) => error.name === 'UnreadableBodyError' && /not valid JSON \(Maximum call stack/.test(error.message));
    const har = { log: { entries: [{ startedDateTime: '2025-01-01T00:00:00.000Z', request: { method: 'POST', url: 'https://api.openai.com/v1/responses' }, response: { status: 200, content: { mimeType: 'text/event-stream', text: stream } } }] } };
    const reading = readInput(JSON.stringify(har));
    assert.equal(reading.responses[0]?.warnings[0]?.code, 'invalid_json');
  });

  it('a JSON array of deep events is read (each event is logged as JSON text)', () => {
    const created = '{"type":"response.created","response":{"id":"r","object":"response","output":[]}}';
    const completed = `{"type":"response.completed","response":{"id":"r","object":"response","status":"completed","output":[],"metadata":${deepJsonText(100_000, 'arrays')}}}`;
    const body = readResponsesBody(`[${created},${completed}]`);
    assert.equal(body.kind, 'json-lines');
    assert.equal(body.responses[0]?.response.status, 'completed');
    assert.deepEqual(body.responses[0]?.warnings, []);
  });
});

describe('indexes that leave gaps', () => {
  it('2,000 items each 1,000 past the end take 2,000 slots, keep their declared index, and get one warning each', () => {
    const record = only(gappedItemsStream(2000, 1000));
    const { output } = record.response;
    assert.equal(output.length, 2000);
    assert.equal(record.assembler.itemMeta.length, 2000);
    output.forEach((item, position) => {
      assert.equal(item.id, `msg_${position}`);
      assert.equal(record.assembler.itemMeta[position]?.outputIndex, (position + 1) * 1000);
    });
    const gaps = record.warnings.filter((warning) => warning.code === 'unknown_index');
    assert.equal(gaps.length, 2000);
    assert.match(gaps[1]?.message ?? '', /output_index 2000/);
  });

  it('events find an item placed past a gap by its declared index', () => {
    const frames = [
      { type: 'response.created', response: { id: 'r', object: 'response', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 500, item: { type: 'message', id: 'm', role: 'assistant', content: [] } },
      { type: 'response.content_part.added', output_index: 500, item_id: 'm', content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
      { type: 'response.output_text.delta', output_index: 500, item_id: 'm', content_index: 0, delta: 'Hello' },
      { type: 'response.output_item.added', output_index: 501, item: { type: 'shell_call', id: 's', action: { commands: [] } } },
      { type: 'response.shell_call_command.added', output_index: 501, command_index: 0, command: '' },
      { type: 'response.shell_call_command.delta', output_index: 501, command_index: 0, delta: 'ls' },
      { type: 'response.output_item.done', output_index: 500, item: { type: 'message', id: 'm', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] } },
    ];
    const record = only(frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join(''));
    const { output } = record.response;
    assert.equal(output.length, 2);
    assert.deepEqual(output[0]?.content, [{ type: 'output_text', text: 'Hello', annotations: [] }]);
    assert.deepEqual((output[1]?.action as JsonObject).commands, ['ls']);
    assert.deepEqual(record.assembler.itemMeta.map((meta) => meta.outputIndex), [500, 501]);
    assert.deepEqual(record.warnings.map((warning) => warning.code), ['unknown_index', 'no_terminal_event']);
  });

  it('events find items by id when their index is wrong, and not an id an item lost', () => {
    const frames = [
      { type: 'response.created', response: { id: 'r', object: 'response', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_x', arguments: '' } },
      { type: 'response.output_item.added', output_index: 1, item: { type: 'function_call', id: 'fc_y', arguments: '' } },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_y', delta: 'to y' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc_z', arguments: '' } },
      { type: 'response.function_call_arguments.delta', output_index: 1, item_id: 'fc_x', delta: 'to x' },
    ];
    const record = only(frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join(''));
    assert.deepEqual(record.response.output.map((item) => [item.id, item.arguments]), [['fc_z', ''], ['fc_y', 'to y']]);
    assert.deepEqual(record.warnings.map((warning) => warning.code), ['unknown_item', 'item_type_mismatch', 'unknown_item', 'no_terminal_event']);
    assert.match(record.warnings[0]?.message ?? '', /names item fc_y at output_index 0.*applied to output\[1\]/);
    assert.match(record.warnings[2]?.message ?? '', /names item fc_x, which does not exist/);
  });

  it('parts, commands and command outputs each 1,000 past the end are not padded either', () => {
    const record = only(gappedPartsStream(2000, 1000));
    const [message, shell, shellOutput] = record.response.output;
    assert.ok(Array.isArray(message?.content) && message.content.length <= 4000, `${(message?.content as unknown[]).length} parts`);
    assert.ok(Array.isArray((shell?.action as JsonObject).commands) && ((shell?.action as JsonObject).commands as unknown[]).length === 2000);
    assert.ok(Array.isArray(shellOutput?.output) && shellOutput.output.length === 2000);
  });

  it('the command reads the gapped stream in proportion to it', () => {
    const path = writeScratch('gaps.sse', gappedItemsStream(2000, 1000));
    const json = run(['inspect', '--json', path]);
    assert.equal(json.status, 0, json.stderr);
    const printed = (JSON.parse(json.stdout) as { responses: Array<{ response: { output: unknown[] } }> }).responses[0];
    assert.equal(printed?.response.output.length, 2000);
    const har = run(['har', path, '-o', join(scratch, 'gaps.har')]);
    assert.equal(har.status, 0, har.stderr);
  });
});

describe('fields of the wrong type', () => {
  /** Objects a careless String() cannot print: no usable toString or valueOf. */
  const unprintable = { toString: 1, valueOf: 'x' };
  const frames = (events: unknown[]) => events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('');

  it('print as JSON in the text view, and the stream still assembles', () => {
    const path = writeScratch('unprintable.sse', frames([
      { type: 'response.created', response: { id: unprintable, object: 'response', model: [unprintable], status: unprintable, output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: unprintable, name: unprintable, call_id: [[unprintable]], arguments: unprintable, status: unprintable } },
      { type: 'response.output_item.added', output_index: 1, item: { type: 'message', id: 'm', role: unprintable, content: [{ type: 'output_text', text: unprintable, annotations: [{ type: 'url_citation', title: unprintable, url: [unprintable] }, { type: [unprintable] }] }] } },
      { type: 'response.output_item.added', output_index: 2, item: { type: 'shell_call', id: 's', call_id: unprintable, action: { commands: [unprintable] } } },
      { type: 'response.output_item.added', output_index: 3, item: { type: 'code_interpreter_call', id: 'c', code: unprintable, outputs: [{ type: 'logs', logs: unprintable }, { type: unprintable }] } },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc', delta: 'x' },
    ]));
    const text = run(['inspect', path]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /function_call \{"toString":1,"valueOf":"x"\} \(call_id \[\[\{"toString":1,"valueOf":"x"\}\]\]\)/);
    assert.match(text.stdout, /status {2}\{"toString":1,"valueOf":"x"\}/);
    const record = only(readFileSync(path, 'utf8'));
    assert.ok(record.warnings.some((warning) => warning.code === 'no_terminal_event' && warning.message.includes('(an object)')));
    assert.ok(record.warnings.some((warning) => warning.code === 'unknown_item' && warning.message.includes('fc')), 'the delta is applied, not dropped');
  });

  it('in a HAR entry, are read as far as they make sense, and the entry still loads and exports', () => {
    const har = JSON.parse(run(['har', join(FIXTURES, 'seed__hello-gpt-4.1-nano.sse'), '-o', '-']).stdout) as { log: { entries: Array<Record<string, any>> } };
    const entry = har.log.entries[0] as Record<string, any>;
    entry.request.headers = [{ name: unprintable, value: [[1]] }, { name: 'x-ok', value: 'yes' }];
    entry.request.postData = { mimeType: 'application/json', text: unprintable };
    entry.response.status = unprintable;
    entry.response.statusText = [unprintable];
    entry.response.content.mimeType = unprintable;
    entry.startedDateTime = unprintable;
    entry.time = unprintable;
    entry.timings = { wait: unprintable, send: 'x' };
    entry._responsesAssembly.responses[0].timing = { startedAt: 1000, firstByteMs: 'x', durationMs: unprintable };
    entry._responsesEvents[0].time = 1e308;
    const path = writeScratch('unprintable.har', JSON.stringify(har));
    const reading = readInput(readFileSync(path, 'utf8'));
    assert.deepEqual(reading.har?.problems, []);
    const call = reading.har?.calls[0];
    assert.deepEqual(call?.requestHeaders, [{ name: '{"toString":1,"valueOf":"x"}', value: '[[1]]' }, { name: 'x-ok', value: 'yes' }]);
    assert.equal(call?.status, 0);
    assert.equal(call?.requestBody, undefined);
    assert.equal(typeof reading.responses[0]?.marks.firstByteAt, 'undefined');
    const out = run(['har', path, '-o', join(scratch, 'unprintable.out.har')]);
    assert.equal(out.status, 0, out.stderr);
    assert.equal(out.stderr, '');
  });

  it('make an unreadable input fail with one line, control characters escaped', () => {
    const json = run(['inspect', writeScratch('two-lines.json', '[DONE]\n{"type":"x"}\n\u001b[31m')]);
    assert.equal(json.status, 1);
    assert.equal(json.stderr.trim().split('\n').length, 1, json.stderr);
    assert.doesNotMatch(json.stderr, /\u001b/);
    const har = { log: { entries: [{ request: { method: 'POST', url: 'https://api.openai.com/v1/responses?q=\u001b[2J\nforged line' }, response: { status: 200, content: { mimeType: 'text/event-stream', text: '' } } }] } };
    const result = run(['inspect', writeScratch('empty-body.har', JSON.stringify(har))]);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /no response body/);
    assert.doesNotMatch(result.stderr, /\u001b/);
  });

  it('a huge item id is quoted briefly in each warning about it, not copied whole', () => {
    const id = 'i'.repeat(1_000_000);
    const events: unknown[] = [
      { type: 'response.created', response: { id: 'r', object: 'response', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id, content: [] } },
    ];
    for (let number = 0; number < 500; number++) events.push({ type: 'response.function_call_arguments.delta', output_index: 0, delta: 'x' });
    const record = only(frames(events));
    const warnings = record.warnings.filter((warning) => warning.code === 'item_type_mismatch');
    assert.equal(warnings.length, 500);
    const total = warnings.reduce((sum, warning) => sum + warning.message.length, 0);
    assert.ok(total < 200_000, `${total} characters of warnings`);
  });
});
