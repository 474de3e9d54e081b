import assert from 'node:assert/strict';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HarJson = { log: { version: string; creator: { name: string }; entries: Array<Record<string, any>> } };

/** What Chrome's HAR importer insists on: an entries array, valid dates, numbers where it wants numbers. */
export function assertChromeImportable(har: HarJson): void {
  assert.ok(Array.isArray(har.log.entries));
  for (const entry of har.log.entries) {
    assert.ok(Number.isFinite(Date.parse(entry.startedDateTime)), `startedDateTime ${entry.startedDateTime}`);
    assert.equal(typeof entry.time, 'number');
    assert.equal(typeof entry.request.method, 'string');
    assert.doesNotThrow(() => new URL(entry.request.url));
    assert.equal(typeof entry.response.status, 'number');
    assert.equal(typeof entry.response.content.size, 'number');
    assert.equal(typeof entry.response.content.mimeType, 'string');
    for (const key of ['blocked', 'dns', 'connect', 'send', 'wait', 'receive', 'ssl']) {
      if (key in entry.timings) assert.equal(typeof entry.timings[key], 'number', key);
    }
    for (const header of [...entry.request.headers, ...entry.response.headers]) {
      assert.equal(typeof header.name, 'string');
      assert.equal(typeof header.value, 'string');
    }
  }
}

