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
  type ResponseRecord,
} from '../../extension/core/index.ts';
import { formatResponseText } from '../../extension/cli/format-text.ts';
import { deepItemStream, deepJsonText, deepSnapshotStream, jsonDepth, type NestingKind } from '../helpers/hostile.ts';

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
