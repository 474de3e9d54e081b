import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { CaptureStore, type Confirmation } from '../../background/capture-store.ts';
import { IndexedDbCaptureDatabase, MemoryCaptureDatabase, type CaptureDatabase } from '../../background/capture-db.ts';
import { CapturePersistence } from '../../background/persistence.ts';
import type { CaptureMessage } from '../../extension/core/index.ts';

const TAB = 3;
const URL = 'https://api.openai.com/v1/responses';

function start(captureId: string, requestBody = '{"model":"gpt-4.1-nano","input":"hi"}'): CaptureMessage {
  return { kind: 'capture.start', start: { captureId, url: URL, method: 'POST', requestHeaders: [{ name: 'authorization', value: 'Bearer sk-kept-in-the-browser' }], initiator: 'fetch', startedAt: 1000, requestBody } };
}
function response(captureId: string): CaptureMessage {
  return { kind: 'capture.response', response: { captureId, status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: 1001 } };
}
function chunk(captureId: string, index: number, text: string): CaptureMessage {
  return { kind: 'capture.chunk', chunk: { captureId, index, text, receivedAt: 1002 + index } };
}
function end(captureId: string): CaptureMessage {
  return { kind: 'capture.end', end: { captureId, state: 'complete', endedAt: 1100 } };
}

const CREATED = 'data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","model":"gpt-4.1-nano","status":"in_progress","output":[]}}\n\n';
const COMPLETED =
  'data: {"type":"response.completed","sequence_number":1,"response":{"id":"resp_1","model":"gpt-4.1-nano","status":"completed","output":[],"usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12}}}\n\n';

const databases: Array<[string, () => CaptureDatabase]> = [
  // IndexedDB as fake-indexeddb implements it in Node: the browsers' own run it in the end-to-end suites.
  ['IndexedDB', () => new IndexedDbCaptureDatabase(new IDBFactory(), IDBKeyRange)],
  ['memory', () => new MemoryCaptureDatabase()],
];

for (const [name, open] of databases) {
  describe(`Captures in the database (${name})`, () => {
    it('write, read back after a restart, and open one body at a time', async () => {
      const db = open();
      const confirmed: Confirmation[] = [];
      const store = new CaptureStore();
      const persistence = new CapturePersistence(store, db, (confirmations) => confirmed.push(...confirmations), 0);
      for (const message of [start('done'), response('done'), chunk('done', 0, CREATED), chunk('done', 1, COMPLETED), end('done'), start('live'), response('live'), chunk('live', 0, CREATED)]) {
        store.apply(TAB, 0, message);
      }
      await persistence.flush();
      assert.deepEqual(
        confirmed.map(({ captureId, upTo, complete }) => [captureId, upTo, complete]),
        [
          ['done', 1, true],
          ['live', 0, false],
        ],
      );

      // A new background (a restarted service worker) reads the same database.
      const restarted = new CaptureStore();
      const again = new CapturePersistence(restarted, db, () => undefined, 0);
      await again.load();
      const [done, live] = restarted.snapshots(TAB);
      assert.equal(done?.stored?.summary.status, 'completed');
      assert.equal(done?.stored?.summary.model, 'gpt-4.1-nano');
      assert.deepEqual(done?.stored?.summary.usage, { input: 5, cached: 0, output: 7, reasoning: 0, total: 12 });
      assert.equal(done?.start.requestBody, undefined);
      assert.deepEqual(done?.chunks, []);
      // The live capture comes back whole, and goes on.
      assert.equal(live?.stored, undefined);
      assert.deepEqual(live?.chunks.map((stored) => stored.index), [0]);
      assert.equal(live?.start.requestBody, '{"model":"gpt-4.1-nano","input":"hi"}');
      assert.deepEqual(restarted.apply(TAB, 0, chunk('live', 0, CREATED)), []);
      restarted.apply(TAB, 0, chunk('live', 1, COMPLETED));
      restarted.apply(TAB, 0, end('live'));

      const whole = await again.loadCapture('done');
      assert.deepEqual(
        whole?.chunks.map((stored) => stored.text),
        [CREATED, COMPLETED],
      );
      assert.equal(whole?.start.requestBody, '{"model":"gpt-4.1-nano","input":"hi"}');
      assert.equal(whole?.start.requestHeaders[0]?.value, 'Bearer sk-kept-in-the-browser');
      const liveWhole = await again.loadCapture('live');
      assert.deepEqual(
        liveWhole?.chunks.map((stored) => stored.index),
        [0, 1],
      );
      assert.equal(await again.loadCapture('unknown'), undefined);
    });

    it('writes a chunk that came as bytes as its bytes, reads it back as its text, and gives panels text', async () => {
      const db = open();
      const store = new CaptureStore();
      const persistence = new CapturePersistence(store, db, () => undefined, 0);
      const text = CREATED.replace('"output":[]', '"output":[],"note":"naïve ☃ 𝄞"');
      const bytes = new TextEncoder().encode(text).buffer;
      store.apply(TAB, 0, start('bytes'));
      store.apply(TAB, 0, response('bytes'));
      const toPanels = store.apply(TAB, 0, { kind: 'capture.chunk', chunk: { captureId: 'bytes', index: 0, text, bytes, receivedAt: 1002 } });
      const sent = toPanels[0];
      assert.ok(sent?.kind === 'store.capture' && sent.message.kind === 'capture.chunk');
      assert.equal(sent.message.chunk.text, text);
      assert.equal('bytes' in sent.message.chunk, false);
      store.apply(TAB, 0, end('bytes'));
      await persistence.flush();
      const read = await db.readBody('bytes');
      assert.deepEqual(
        read.chunks.map((stored) => [stored.index, stored.text, 'bytes' in stored]),
        [[0, text, false]],
      );
      assert.equal((await persistence.loadCapture('bytes'))?.chunks[0]?.text, text);
    });

    it('removes what the bounds drop and what a clear or a closed tab removes', async () => {
      const db = open();
      const store = new CaptureStore({ maxCapturesPerTab: 2, maxCharsPerTab: 1_000_000 });
      const persistence = new CapturePersistence(store, db, () => undefined, 0);
      for (const id of ['a', 'b', 'c']) for (const message of [start(id), response(id), chunk(id, 0, CREATED), end(id)]) store.apply(TAB, 0, message);
      store.apply(TAB + 1, 0, start('other'));
      await persistence.flush();
      const reloaded = new CaptureStore();
      await new CapturePersistence(reloaded, db, () => undefined, 0).load();
      assert.deepEqual(
        reloaded.snapshots(TAB).map((snapshot) => snapshot.start.captureId),
        ['b', 'c'],
      );
      assert.equal(reloaded.evictedCount(TAB), 1);
      assert.deepEqual((await db.readBody('a')).chunks, []);

      store.removeTab(TAB + 1);
      store.clear(TAB);
      await persistence.flush();
      const emptied = await db.load();
      assert.deepEqual(emptied.captures, []);
      assert.deepEqual(
        emptied.tabs.map((tab) => [tab.tabId, tab.evicted]),
        [[TAB, 0]],
      );
    });
  });
}

describe('Captures in IndexedDB', () => {
  it('holds a chunk that came as bytes as its bytes alone', async () => {
    const factory = new IDBFactory();
    const db = new IndexedDbCaptureDatabase(factory, IDBKeyRange);
    const bytes = new TextEncoder().encode(CREATED).buffer;
    await db.write({ captures: [], requestBodies: [], tabs: [], removedCaptures: [], removedTabs: [], chunks: [{ captureId: 'raw', index: 0, text: CREATED, bytes, receivedAt: 5 }] });
    const raw = await new Promise<unknown[]>((resolve, reject) => {
      const opening = factory.open('responses-devtools');
      opening.onerror = () => reject(opening.error);
      opening.onsuccess = () => {
        const reading = opening.result.transaction('chunks').objectStore('chunks').getAll();
        reading.onsuccess = () => resolve(reading.result);
      };
    });
    assert.equal(raw.length, 1);
    const record = raw[0] as { text: string; bytes: ArrayBuffer };
    assert.equal(record.text, '');
    assert.equal(new TextDecoder().decode(record.bytes), CREATED);
  });
});

describe('Captures when the database fails', () => {
  it('keeps them in memory, confirms nothing, and writes them with the next flush', async () => {
    const db = new MemoryCaptureDatabase();
    const confirmed: Confirmation[] = [];
    const store = new CaptureStore();
    const persistence = new CapturePersistence(store, db, (confirmations) => confirmed.push(...confirmations), 60_000);
    store.apply(TAB, 0, start('a'));
    store.apply(TAB, 0, chunk('a', 0, CREATED));
    db.failNextWrite = true;
    await persistence.flush();
    assert.equal(persistence.failing, true);
    assert.equal(confirmed.length, 0);
    await persistence.flush();
    assert.equal(persistence.failing, false);
    assert.deepEqual(
      confirmed.map((confirmation) => confirmation.captureId),
      ['a'],
    );
    assert.deepEqual(
      (await db.readBody('a')).chunks.map((stored) => stored.text),
      [CREATED],
    );
    assert.equal((await db.readBody('a')).requestBody, '{"model":"gpt-4.1-nano","input":"hi"}');
    persistence.dispose();
  });
});
