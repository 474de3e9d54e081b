/**
 * A short fuzz run over the real recordings, mutated (see test/fuzz/cases.ts):
 * through the core in a worker under a hang watchdog, and a few cases through
 * the built command. `npm run fuzz -- 100000` is the long run.
 * FUZZ_SEED=n runs another seed; a failure prints the seed and the case that replay it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeCase, makeCase } from '../fuzz/cases.ts';
import { checkPrototypes } from '../fuzz/check.ts';
import { formatFailure, runFuzz } from '../fuzz/runner.ts';

const SEED = process.env.FUZZ_SEED === undefined ? 20_251_129 : Number(process.env.FUZZ_SEED);
const CASES = 2000;

describe('fuzzing the core and the command with mutated recordings', () => {
  it(`${CASES} cases, seed ${SEED}: no exception but a clear refusal, no hang, no prototype touched; the command exits 0 or 1 with one line`, async () => {
    const report = await runFuzz({ seed: SEED, count: CASES, quick: true, commandCases: 6 });
    assert.deepEqual(report.failures.map(formatFailure), [], `seed ${SEED}`);
    assert.equal(report.read + report.unreadable, CASES);
    assert.equal(report.commandRuns, 6);
    // The mutations must leave most inputs readable, or the fuzzer would only test the refusals.
    assert.ok(report.read > CASES / 2, `${report.read} of ${CASES} read`);
  });

  it('makes each case from its seed and number alone', () => {
    for (const index of [0, 17, 1999]) {
      const first = makeCase(SEED, index, { quick: true });
      makeCase(SEED, index + 1, { quick: true });
      const again = makeCase(SEED, index, { quick: true });
      assert.equal(describeCase(again), describeCase(first));
      assert.deepEqual(again.input, first.input);
    }
  });

  it('notices a polluted prototype', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = 'yes';
    try {
      assert.throws(() => checkPrototypes(), /polluted/);
    } finally {
      delete prototype.polluted;
    }
    assert.doesNotThrow(() => checkPrototypes());
  });
});
