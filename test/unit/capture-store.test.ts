import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureStore } from '../../background/capture-store.ts';
import type { CaptureMessage, CaptureSnapshot } from '../../extension/core/index.ts';

const TAB = 7;

function start(captureId: string, startedAt = 1000): CaptureMessage {
  return { kind: 'capture.start', start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt } };
}
function chunk(captureId: string, index: number, text = `chunk ${index}\n`): CaptureMessage {
  return { kind: 'capture.chunk', chunk: { captureId, index, text, receivedAt: 1000 + index } };
}
function end(captureId: string): CaptureMessage {
  return { kind: 'capture.end', end: { captureId, state: 'complete', endedAt: 2000 } };
}

describe('CaptureStore', () => {
  it('keeps captures per tab, in order, and tells panels what changed', () => {
    const store = new CaptureStore();
    assert.deepEqual(store.apply(TAB, 0, start('a')).map((message) => message.kind), ['store.capture']);
    store.apply(TAB, 0, chunk('a', 0));
    store.apply(TAB, 0, chunk('a', 1));
    store.apply(TAB, 0, end('a'));
    store.apply(TAB + 1, 0, start('b'));
    const [capture] = store.snapshots(TAB);
    assert.equal(store.snapshots(TAB).length, 1);
    // A finished capture leaves its body to the database: panels get its summary.
    assert.deepEqual(capture?.chunks, []);
    assert.equal(capture?.stored?.chars, 'chunk 0\nchunk 1\n'.length);
    assert.equal(capture?.end?.state, 'complete');
    assert.deepEqual(store.takeDirty().batch.chunks.map((stored) => stored.index), [0, 1]);
    // A live one comes whole.
    assert.equal(store.snapshots(TAB + 1).length, 1);
    assert.equal(store.snapshots(TAB + 1)[0]?.stored, undefined);
  });

  it('drops chunks it already has (a relay sending again after a restart) and fills gaps in order', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('a'));
    store.apply(TAB, 0, chunk('a', 0));
    store.apply(TAB, 0, chunk('a', 2));
    assert.deepEqual(store.apply(TAB, 0, chunk('a', 0)), []);
    store.apply(TAB, 0, chunk('a', 1));
    assert.deepEqual(store.snapshots(TAB)[0]?.chunks.map((stored) => stored.index), [0, 1, 2]);
    store.apply(TAB, 0, end('a'));
    // After the end, a repeat is dropped too.
    assert.deepEqual(store.apply(TAB, 0, chunk('a', 1)), []);
    const [capture] = store.snapshots(TAB);
    assert.equal(capture?.lostChunks, undefined);
    assert.deepEqual(store.takeDirty().batch.chunks.map((stored) => stored.index).sort(), [0, 1, 2]);
  });

  it('shows a loss it cannot repair', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('a'));
    store.apply(TAB, 0, chunk('a', 0));
    store.apply(TAB, 0, chunk('a', 3));
    const messages = store.apply(TAB, 0, end('a'));
    assert.equal(store.snapshots(TAB)[0]?.lostChunks, 2);
    assert.ok(messages.some((message) => message.kind === 'store.update' && message.lostChunks === 2));
  });

  it('ends the captures a reconnecting relay no longer holds, and says why', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('held'));
    store.apply(TAB, 0, start('gone'));
    store.apply(TAB, 3, start('other-frame'));
    const messages = store.relayReconnected(TAB, 0, ['held']);
    const [held, gone, other] = store.snapshots(TAB);
    assert.equal(held?.end, undefined);
    assert.equal(gone?.end?.state, 'error');
    assert.match(gone?.lossNote ?? '', /background restarted/);
    assert.equal(other?.end, undefined);
    assert.ok(messages.some((message) => message.kind === 'store.update'));
  });

  it('stays within its bounds, dropping the oldest finished captures first', () => {
    const store = new CaptureStore({ maxCapturesPerTab: 3, maxCharsPerTab: 1_000_000 });
    store.apply(TAB, 0, start('live'));
    for (const id of ['a', 'b', 'c']) {
      store.apply(TAB, 0, start(id));
      store.apply(TAB, 0, end(id));
    }
    assert.deepEqual(store.snapshots(TAB).map((snapshot) => snapshot.start.captureId), ['live', 'b', 'c']);
    assert.equal(store.evictedCount(TAB), 1);

    const small = new CaptureStore({ maxCapturesPerTab: 100, maxCharsPerTab: 50 });
    small.apply(TAB, 0, start('x'));
    small.apply(TAB, 0, chunk('x', 0, 'a'.repeat(40)));
    small.apply(TAB, 0, end('x'));
    small.apply(TAB, 0, start('y'));
    const messages = small.apply(TAB, 0, chunk('y', 0, 'b'.repeat(40)));
    assert.deepEqual(small.snapshots(TAB).map((snapshot) => snapshot.start.captureId), ['y']);
    assert.ok(messages.some((message) => message.kind === 'store.evicted'));
    // A live capture larger than the bound is kept whole: its page is still reading it.
    small.apply(TAB, 0, chunk('y', 1, 'c'.repeat(100)));
    assert.deepEqual(small.snapshots(TAB).map((snapshot) => snapshot.start.captureId), ['y']);
  });

  it('merges what DevTools\' network log knows into the page hook\'s capture, or adds what the hook missed', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('hooked', 5000));
    const network = (captureId: string, startedAt: number): CaptureSnapshot => ({
      tabId: TAB,
      start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [{ name: 'authorization', value: 'Bearer [redacted]' }], initiator: 'network', startedAt },
      chunks: [{ index: 0, text: 'data: {}\n\n', receivedAt: startedAt + 10 }],
      networkTimings: { wait: 120, receive: 30 },
    });
    const merged = store.mergeNetwork(TAB, network('net-1', 5040));
    assert.deepEqual(merged.map((message) => message.kind), ['store.update']);
    assert.deepEqual(store.snapshots(TAB)[0]?.networkTimings, { wait: 120, receive: 30 });
    const added = store.mergeNetwork(TAB, network('net-2', 90000));
    assert.deepEqual(added.map((message) => message.kind), ['store.capture-added']);
    assert.equal(store.snapshots(TAB).length, 2);
  });

  it('takes DevTools\' reports without a body: merged, already merged (a report sent again), or the body wanted', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('hooked', 5000));
    const report = (captureId: string, startedAt: number): CaptureSnapshot => ({
      tabId: TAB,
      start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'network', startedAt },
      chunks: [],
      networkTimings: { wait: 120 },
    });
    const first = store.mergeNetworkReport(TAB, report('net-1', 5040));
    assert.deepEqual([first.messages.map((message) => message.kind), first.bodyWanted], [['store.update'], false]);
    // The devtools page sends a report again after a restart lost the answer: nothing to add, no body to read.
    const again = store.mergeNetworkReport(TAB, report('net-1', 5040));
    assert.deepEqual([again.messages, again.bodyWanted], [[], false]);
    assert.equal(store.snapshots(TAB).length, 1);
    const missed = store.mergeNetworkReport(TAB, report('net-2', 90000));
    assert.deepEqual([missed.messages, missed.bodyWanted], [[], true]);
    // Out of the log (before a clear, while paused): nothing, unless the page hook's capture says it is in it.
    const outside = store.mergeNetworkReport(TAB, report('net-3', 90000), false);
    assert.deepEqual([outside.messages, outside.bodyWanted], [[], false]);
    store.apply(TAB, 0, start('hooked-2', 120000));
    assert.equal(store.hasNetworkTwin(TAB, report('net-4', 119998).start), true);
    const early = store.mergeNetworkReport(TAB, report('net-4', 119998), false);
    assert.deepEqual([early.messages.map((message) => message.kind), early.bodyWanted], [['store.update'], false]);
    assert.equal(store.snapshots(TAB).length, 2);
  });

  it('hands the database each new chunk once, the request body once, and what was removed', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, { kind: 'capture.start', start: { captureId: 'a', url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1, requestBody: '{"model":"gpt-x"}' } });
    store.apply(TAB, 0, chunk('a', 0));
    const first = store.takeDirty();
    assert.deepEqual(first.batch.chunks.map((stored) => stored.index), [0]);
    assert.deepEqual(first.batch.requestBodies, [{ captureId: 'a', requestBody: '{"model":"gpt-x"}' }]);
    assert.equal(first.batch.captures[0]?.snapshot.start.requestBody, undefined);
    assert.deepEqual(first.confirmations, [{ captureId: 'a', upTo: 0, complete: false }]);
    store.apply(TAB, 0, chunk('a', 1));
    store.apply(TAB, 0, end('a'));
    const second = store.takeDirty();
    assert.deepEqual(second.batch.chunks.map((stored) => stored.index), [1]);
    assert.deepEqual(second.batch.requestBodies, []);
    assert.deepEqual(second.confirmations, [{ captureId: 'a', upTo: 1, complete: true }]);
    assert.equal(second.batch.captures[0]?.summary?.model, 'gpt-x');
    // Written, the finished capture's body is no longer in memory.
    assert.equal(store.bodyCharsInMemory(), 0);
    assert.equal(store.find('a')?.snapshot.start.requestBody, undefined);
    assert.deepEqual(store.takeDirty().batch.captures, []);
    store.clear(TAB);
    assert.deepEqual(store.takeDirty().batch.removedCaptures, ['a']);
  });

  it('takes back what a failed write could not write, for the next one', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('a'));
    store.apply(TAB, 0, chunk('a', 0));
    store.returnDirty(store.takeDirty());
    store.apply(TAB, 0, chunk('a', 1));
    const retried = store.takeDirty();
    assert.deepEqual(retried.batch.chunks.map((stored) => stored.index), [0, 1]);
  });

  it('counts each dropped capture once, across navigations and late network reports, and starts again after a clear', () => {
    const store = new CaptureStore({ maxCapturesPerTab: 5, maxCharsPerTab: 1_000_000 });
    for (let index = 0; index < 200; index++) {
      const id = `c${index}`;
      store.apply(TAB, 0, start(id, 10_000 * index));
      store.apply(TAB, 0, chunk(id, 0));
      store.apply(TAB, 0, end(id));
      // DevTools reports each request once it finished, after the bounds may have dropped its capture.
      store.mergeNetwork(TAB, {
        tabId: TAB,
        start: { captureId: `net-${index}`, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'network', startedAt: 10_000 * index + 5 },
        chunks: [{ index: 0, text: 'chunk 0\n', receivedAt: 10_000 * index + 10 }],
        end: { captureId: `net-${index}`, state: 'complete', endedAt: 10_000 * index + 20 },
      });
    }
    assert.equal(store.snapshots(TAB).length, 5);
    assert.equal(store.evictedCount(TAB), 195);
    assert.ok(store.snapshots(TAB).every((snapshot) => snapshot.start.initiator === 'fetch'));
    store.clear(TAB);
    assert.equal(store.evictedCount(TAB), 0);
  });
  it('confirms to a relay only what came without a gap, and confirms again a capture the relay sends again', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('a'));
    store.apply(TAB, 0, chunk('a', 0));
    store.apply(TAB, 0, chunk('a', 2));
    assert.deepEqual(store.takeDirty().confirmations, [{ captureId: 'a', upTo: 0, complete: false }]);
    store.apply(TAB, 0, chunk('a', 1));
    assert.deepEqual(store.takeDirty().confirmations, [{ captureId: 'a', upTo: 2, complete: false }]);
    store.apply(TAB, 0, end('a'));
    assert.deepEqual(store.takeDirty().confirmations, [{ captureId: 'a', upTo: 2, complete: true }]);
    // The confirmation got lost (the relay's port closed): the relay sends it all again after a restart.
    for (const message of [start('a'), chunk('a', 0), chunk('a', 1), end('a')]) assert.deepEqual(store.apply(TAB, 0, message), []);
    assert.deepEqual(store.takeDirty().confirmations, [{ captureId: 'a', upTo: 2, complete: true }]);
  });

  it('ends the unfinished captures of a page that went away', () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('gone'));
    store.apply(TAB, 0, chunk('gone', 0));
    store.apply(TAB, 0, start('done'));
    store.apply(TAB, 0, end('done'));
    const messages = store.interruptCaptures(['gone', 'done', 'unknown'], 'The page went away before this stream ended.');
    assert.deepEqual(messages.map((message) => message.kind), ['store.capture', 'store.update']);
    assert.equal(store.find('gone')?.snapshot.end?.state, 'error');
    assert.equal(store.find('gone')?.live, false);
  });
  it("lets the page hook's capture take the place of DevTools' earlier report of the same request", () => {
    const store = new CaptureStore();
    store.mergeNetwork(TAB, {
      tabId: TAB,
      start: { captureId: 'net-1', url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'network', startedAt: 5005 },
      chunks: [{ index: 0, text: 'chunk 0\n', receivedAt: 5010 }],
      end: { captureId: 'net-1', state: 'complete', endedAt: 5020 },
      networkTimings: { wait: 5 },
    });
    const messages = store.apply(TAB, 0, start('hooked', 5000));
    assert.deepEqual(messages.map((message) => message.kind), ['store.evicted', 'store.capture']);
    assert.deepEqual(store.snapshots(TAB).map((snapshot) => [snapshot.start.captureId, snapshot.networkTimings]), [['hooked', { wait: 5 }]]);
    assert.equal(store.evictedCount(TAB), 0);
  });

  it("remembers when a tab's log was cleared, for a restarted background", () => {
    const store = new CaptureStore();
    store.apply(TAB, 0, start('a'));
    store.clear(TAB, 12345);
    assert.equal(store.clearedAt(TAB), 12345);
    assert.deepEqual(store.takeDirty().batch.tabs, [{ tabId: TAB, evicted: 0, clearedAt: 12345 }]);
    const restarted = new CaptureStore();
    restarted.restoreTab(TAB, 0, 12345);
    assert.equal(restarted.clearedAt(TAB), 12345);
    // The cleared capture, sent again by its relay after the restart, stays cleared; a later one is kept.
    assert.deepEqual(restarted.apply(TAB, 0, start('a', 12000)), []);
    assert.equal(restarted.find('a'), undefined);
    restarted.apply(TAB, 0, start('b', 13000));
    assert.ok(restarted.find('b'));
  });
});
