import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importFile, transcriptText } from '../../panel/transcripts.ts';
import { deepItemStream, deepSnapshotStream } from '../helpers/hostile.ts';

describe("The panel's import and export with values nested deeper than the call stack", () => {
  for (const [name, stream] of [
    ['a deep snapshot', deepSnapshotStream(100_000, 'arrays')],
    ['a deep output item', deepItemStream(100_000, 'objects')],
  ] as const) {
    it(`reads and exports ${name}`, () => {
      const imported = importFile(`${name}.sse`, stream);
      assert.deepEqual(imported.messages, []);
      assert.equal(imported.captures.length, 1);
      const har = transcriptText(imported.captures, false);
      const again = importFile('again.har', har);
      assert.equal(again.captures.length, 1);
      assert.deepEqual(again.captures[0]?.record?.response.status, imported.captures[0]?.record?.response.status);
    });
  }
});
