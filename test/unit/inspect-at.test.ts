import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTranscript, ResponsesStreamReader, stringifyJson, summarizeUsage } from '../../extension/core/index.ts';
import { timedCall } from '../helpers/timed-call.ts';
import { runCli, scratchWriter } from '../helpers/cli.ts';
import { FIXTURE_DIR, readFixture, splitFrames } from '../helpers/streams.ts';

const { write } = scratchWriter('responses-devtools-at-');

interface AtJson {
  responses: Array<{ response: { status: string; output: Array<{ content?: Array<{ text?: string }> }> }; events: number; usage: unknown; at: { events: number; of: number; ms: number | null }; warnings: unknown[] }>;
}

function inspectAt(path: string, at: string): AtJson {
  const result = runCli(['inspect', '--json', '--at', at, path]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as AtJson;
}

describe('responses-devtools inspect --at', () => {
  const name = 'seed__hello-gpt-4.1-nano.sse';
  const recording = `${FIXTURE_DIR}/${name}`;

  it('prints each response as it stood after its first N events, with the status it had then', () => {
    const full = JSON.parse(runCli(['inspect', '--json', recording]).stdout) as AtJson;
    const total = full.responses[0]?.events ?? 0;
    for (let count = 0; count <= total; count++) {
      const reader = new ResponsesStreamReader();
      reader.push(splitFrames(readFixture(name)).slice(0, count).map((frame) => `${frame}\n\n`).join(''));
      const expected = reader.responses[0];
      const shown = inspectAt(recording, String(count)).responses[0];
      assert.ok(shown);
      assert.deepEqual(shown.at, { events: count, of: total, ms: null });
      assert.equal(shown.events, count);
      if (count === total) {
        assert.deepEqual(shown.response, full.responses[0]?.response);
        continue;
      }
      // Before the first event there is no response yet: an empty one.
      assert.deepEqual(shown.response, expected ? JSON.parse(JSON.stringify(expected.response)) : shown.response, `after ${count}`);
      if (expected) assert.deepEqual(shown.usage, summarizeUsage(expected.response));
    }
    assert.equal(inspectAt(recording, '6').responses[0]?.response.status, 'in_progress');
    // Past the end: the whole response.
    assert.deepEqual(inspectAt(recording, '999').responses[0]?.at, { events: total, of: total, ms: null });
  });

  it('takes a time after the request started where events have receive times', () => {
    const har = write('timed.har', stringifyJson(buildTranscript([timedCall(name, 1000, 100)]), 2));
    // Frames at 1000, 1100, … ms: at 1.25 s, three had come.
    const shown = inspectAt(har, '1.25s').responses[0];
    assert.deepEqual(shown?.at, { events: 3, of: shown?.at.of, ms: 1200 });
    assert.equal(inspectAt(har, '1300ms').responses[0]?.at.events, 4);
    assert.equal(inspectAt(har, '0s').responses[0]?.at.events, 0);
    const text = runCli(['inspect', '--at', '1.25s', har]);
    assert.match(text.stdout, /at {6}event 3 of \d+, 1200 ms after the start: the response as it stood then/);
  });

  it('says clearly when it cannot', () => {
    const noTimes = runCli(['inspect', '--json', '--at', '2.5s', recording]);
    assert.equal(noTimes.status, 1);
    assert.match(noTimes.stderr, /has no receive times: --at takes a number of events here/);
    for (const bad of [['--at'], ['--at', 'soon'], ['--at', '-3']]) {
      const result = runCli(['inspect', ...bad, recording]);
      assert.equal(result.status, 2, bad.join(' '));
      assert.match(result.stderr, /--at takes a number of events/);
    }
  });
});
