import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readResponsesBody,
  streamedValues,
  summarizeRecord,
  ResponsesStreamReader,
  type ResponseObject,
  type ResponseRecord,
  type ResponseSummary,
} from '../../extension/core/index.ts';
import {
  alterOneDelta,
  deltasOnly,
  fixtureNames,
  frameEvent,
  randomChunks,
  readFixture,
  readFixtureBytes,
  seededRandom,
  splitFrames,
  terminalSnapshot,
  withLineEndings,
} from '../helpers/streams.ts';


/** A Responses stream's summary: its `response` is the Response. */
type ResponsesSummary = ResponseSummary & { response: ResponseObject };

function summarizeResponses(record: ResponseRecord): ResponsesSummary {
  return summarizeRecord(record) as ResponsesSummary;
}

function inspect(input: string | Uint8Array): ResponsesSummary[] {
  return readResponsesBody(input).responses.map(summarizeResponses);
}

function inspectChunks(chunks: Uint8Array[]): ResponsesSummary[] {
  const reader = new ResponsesStreamReader();
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return reader.responses.map(summarizeResponses);
}

function only(summaries: ResponsesSummary[]): ResponsesSummary {
  assert.equal(summaries.length, 1, 'one response');
  return summaries[0] as ResponsesSummary;
}

/** Warnings the stream itself reports: the server's `error` event. */
function expectedWarningCodes(name: string): string[] {
  return name.includes('error-then-response-failed') ? ['error_event'] : [];
}

/** Item ids that received at least one delta event. */
function itemsWithDeltas(text: string): Set<string> {
  const ids = new Set<string>();
  for (const frame of splitFrames(text)) {
    const event = frameEvent(frame);
    if (event && String(event.type).endsWith('.delta') && typeof event.item_id === 'string') ids.add(event.item_id);
  }
  return ids;
}

const fixtures = fixtureNames();

describe('real recorded streams', () => {
  it('has the recordings this suite is about', () => {
    assert.ok(fixtures.length >= 23, `found ${fixtures.length} recordings`);
    assert.ok(fixtures.includes('seed__hello-gpt-4.1-nano.sse'));
  });

  for (const name of fixtures) {
    describe(name, () => {
      const text = readFixture(name);
      const snapshot = terminalSnapshot(text);

      it('assembles to the terminal snapshot with no warning beyond what the stream reports', () => {
        const summary = only(inspect(text));
        assert.ok(snapshot, 'the recording has a terminal snapshot');
        assert.deepEqual(summary.response, snapshot);
        assert.deepEqual(
          summary.warnings.map((warning) => warning.code),
          expectedWarningCodes(name),
        );
        const frames = splitFrames(text).filter((frame) => frame.split('\n').some((line) => line.startsWith('data:')));
        assert.equal(summary.events, frames.length);
      });

      it('builds from deltas alone the values of the final snapshot', () => {
        const stripped = deltasOnly(text);
        const summary = only(inspect(stripped));
        assert.ok(snapshot);
        assert.notEqual(summary.response.status, 'completed');
        const codes = new Set<string>(summary.warnings.map((warning) => warning.code));
        assert.ok(codes.has('no_terminal_event'));
        codes.delete('no_terminal_event');
        // Removing events leaves holes in sequence_number: reporting them is right.
        codes.delete('sequence_gap');
        for (const code of expectedWarningCodes(name)) codes.delete(code);
        assert.deepEqual([...codes], []);
        const streamed = itemsWithDeltas(text);
        assert.equal(summary.response.output.length, snapshot.output.length, 'every item was announced');
        let compared = 0;
        snapshot.output.forEach((finalItem, index) => {
          const builtItem = summary.response.output[index];
          assert.ok(builtItem, `item ${index}`);
          assert.equal(builtItem.type, finalItem.type);
          const built = streamedValues(builtItem);
          for (const [path, value] of streamedValues(finalItem)) {
            if (value === '') continue;
            if (!streamed.has(String(finalItem.id)) && (built.get(path) ?? '') === '') continue;
            assert.equal(built.get(path), value, `output[${index}].${path}`);
            compared++;
          }
        });
        if (streamed.size > 0) assert.ok(compared > 0, 'some streamed value was compared');
      });

      it('gives the same result for random chunkings', () => {
        const bytes = readFixtureBytes(name);
        const whole = inspect(bytes);
        const random = seededRandom(name.length * 7919);
        for (const maxChunk of [1, 3, 17, 256, 4096]) {
          assert.deepEqual(inspectChunks(randomChunks(bytes, random, maxChunk)), whole, `chunks of up to ${maxChunk} bytes`);
        }
      });

      it('reads CRLF and CR line endings the same', () => {
        const whole = inspect(text);
        assert.deepEqual(inspect(withLineEndings(text, '\r\n')), whole);
        assert.deepEqual(inspect(withLineEndings(text, '\r')), whole);
      });

      it('keeps every begun item when cut, each value a prefix of its final one', () => {
        const bytes = readFixtureBytes(name);
        assert.ok(snapshot);
        for (const fraction of [0.05, 0.2, 0.4, 0.6, 0.8, 0.95]) {
          const cut = Math.floor(bytes.length * fraction);
          const prefix = bytes.subarray(0, cut);
          const prefixText = new TextDecoder().decode(prefix);
          let summaries: ResponsesSummary[];
          try {
            summaries = inspect(prefix);
          } catch (error) {
            // A cut before the first complete event leaves nothing to read: that is the one allowed error.
            assert.ok(!splitFrames(prefixText).slice(0, -1).some((frame) => frameEvent(frame)), `cut at ${cut}: ${String(error)}`);
            continue;
          }
          const summary = only(summaries);
          const terminalArrived = /"type":\s*"response\.(completed|incomplete|failed)"[^\n]*\n/.test(prefixText);
          if (!terminalArrived) {
            assert.notEqual(summary.response.status, 'completed', `cut at ${cut}`);
            assert.ok(summary.warnings.some((warning) => warning.code === 'no_terminal_event'), `cut at ${cut}`);
          }
          const begun = splitFrames(prefixText)
            .slice(0, -1)
            .map(frameEvent)
            .filter((event) => event?.type === 'response.output_item.added').length;
          assert.ok(summary.response.output.length >= begun, `cut at ${cut}: ${begun} items had begun`);
          summary.response.output.forEach((item, index) => {
            const finalItem = snapshot.output[index];
            assert.ok(finalItem, `cut at ${cut}: item ${index} exists in the final response`);
            const finalValues = streamedValues(finalItem);
            for (const [path, value] of streamedValues(item)) {
              assert.ok((finalValues.get(path) ?? '').startsWith(value), `cut at ${cut}: output[${index}].${path} is a prefix`);
            }
          });
        }
      });

      it('lets the terminal snapshot win over an altered delta, with a warning that names it', () => {
        const altered = alterOneDelta(text);
        if (!altered) return;
        const summary = only(inspect(altered.text));
        assert.deepEqual(summary.response, snapshot);
        const mismatch = summary.warnings.filter((warning) => warning.code === 'done_mismatch' || warning.code === 'snapshot_mismatch');
        assert.ok(mismatch.length > 0, 'a disagreement warning');
        assert.ok(mismatch[0]?.message.includes(altered.itemId), `names ${altered.itemId}: ${mismatch[0]?.message}`);
        assert.ok(mismatch[0]?.message.includes('<ALTERED>'));
      });
    });
  }

  it('splits concatenated recordings into their responses', () => {
    const names = ['seed__hello-gpt-4.1-nano.sse', 'fantasy__parallel-function-calls-gpt-4o.sse', 'pydantic-ai__compat-openrouter-reasoning-text.sse', 'vercel-ai__error-then-response-failed.sse'];
    const summaries = inspect(names.map(readFixture).join(''));
    assert.deepEqual(
      summaries.map((summary) => summary.response),
      names.map((name) => terminalSnapshot(readFixture(name))),
    );
    assert.deepEqual(
      summaries.map((summary) => summary.warnings.map((warning) => warning.code)),
      names.map(expectedWarningCodes),
    );
  });

  it('splits at every byte offset the same way, for small streams', () => {
    for (const name of ['seed__hello-gpt-4.1-nano.sse', 'vercel-ai__azure-text-gpt-5.1.sse', 'vercel-ai__error-then-response-failed.sse']) {
      const bytes = readFixtureBytes(name);
      const whole = inspect(bytes);
      for (let cut = 0; cut <= bytes.length; cut++) {
        assert.deepEqual(inspectChunks([bytes.subarray(0, cut), bytes.subarray(cut)]), whole, `${name} split at ${cut}`);
      }
    }
  });
});
