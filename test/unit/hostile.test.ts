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
    assert.doesNotThrow(() => formatResponseText(summarizeRecord(summary), 0, 1));
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
