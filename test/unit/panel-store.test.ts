import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PanelStore } from '../../panel/model/panel-store.ts';
import { DEFAULT_SETTINGS, PROTOCOL_VERSION, type CaptureSnapshot } from '../../extension/core/index.ts';

function stored(captureId: string): CaptureSnapshot {
  return {
    tabId: 1,
    start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 1 },
    end: { captureId, state: 'complete', endedAt: 2 },
    chunks: [],
    stored: { chars: 10, summary: { status: 'completed', events: 1, model: 'gpt-x' } },
  };
}

function whole(captureId: string, text: string): CaptureSnapshot {
  const { stored: _stored, ...snapshot } = stored(captureId);
  return { ...snapshot, chunks: [{ index: 0, text, receivedAt: 1 }] };
}

function storeWith(ids: string[]): { store: PanelStore; asked: string[] } {
  const store = new PanelStore();
  const asked: string[] = [];
  store.loader = (id) => asked.push(id);
  store.applyMessage({ kind: 'store.snapshot', protocolVersion: PROTOCOL_VERSION, tabId: 1, captures: ids.map(stored), settings: DEFAULT_SETTINGS, evicted: 0 });
  return { store, asked };
}

describe('PanelStore: bodies on demand', () => {
  it('shows stored captures from their summaries and loads the selected one', () => {
    const { store, asked } = storeWith(['a', 'b']);
    assert.equal(store.captures.get('a')?.model, 'gpt-x');
    assert.equal(store.captures.get('a')?.loaded, false);
    assert.deepEqual(asked, ['b']);
    store.applyMessage({ kind: 'store.loaded', snapshot: whole('b', 'data: x\n\n') });
    assert.equal(store.captures.get('b')?.loaded, true);
    assert.equal(store.captures.get('b')?.bodyText(), 'data: x\n\n');
  });

  it('resolves every load: answered, dropped meanwhile, cleared, or asked again after a reconnect', async () => {
    const { store, asked } = storeWith(['a', 'b', 'c', 'd']);
    const loadedA = store.load('a');
    const evictedB = store.load('b');
    const afterReconnectC = store.load('c');
    store.applyMessage({ kind: 'store.loaded', snapshot: whole('a', 'A') });
    assert.equal((await loadedA)?.bodyText(), 'A');
    store.applyMessage({ kind: 'store.evicted', captureIds: ['b'], evicted: 1 });
    assert.equal(await evictedB, undefined);
    // The background restarted: the request for c went to a port that is gone.
    asked.length = 0;
    store.applyMessage({ kind: 'store.snapshot', protocolVersion: PROTOCOL_VERSION, tabId: 1, captures: ['c', 'd'].map(stored), settings: DEFAULT_SETTINGS, evicted: 1 });
    assert.ok(asked.includes('c'));
    store.applyMessage({ kind: 'store.loaded', snapshot: whole('c', 'C') });
    assert.equal((await afterReconnectC)?.bodyText(), 'C');
    const clearedD = store.load('d');
    store.applyMessage({ kind: 'store.cleared', tabId: 1, reason: 'user' });
    assert.equal(await clearedD, undefined);
    // An answer for a capture no longer listed resolves its waiters too.
    const { store: other } = storeWith(['e']);
    const gone = other.load('e');
    other.applyMessage({ kind: 'store.evicted', captureIds: [], evicted: 0 });
    other.captures.delete('e');
    other.applyMessage({ kind: 'store.loaded', snapshot: whole('e', 'E') });
    assert.equal(await gone, undefined);
  });

  it('keeps pinned bodies (an export in progress) when live traffic lets others go', async () => {
    const { store } = storeWith(['a', 'b', 'c']);
    store.pin(['a']);
    const loading = store.load('a');
    store.applyMessage({ kind: 'store.loaded', snapshot: whole('a', 'A') });
    await loading;
    store.applyMessage({ kind: 'store.capture', message: { kind: 'capture.start', start: { captureId: 'live', url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 3 } } });
    store.applyMessage({ kind: 'store.capture', message: { kind: 'capture.end', end: { captureId: 'live', state: 'complete', endedAt: 4 } } });
    assert.equal(store.captures.get('a')?.bodyText(), 'A');
    store.unpin(['a']);
    assert.equal(store.captures.get('a')?.loaded, false);
  });
});
