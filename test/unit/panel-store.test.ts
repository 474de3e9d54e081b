import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextView, PanelStore } from '../../panel/model/panel-store.ts';
import { PanelCapture } from '../../panel/model/panel-capture.ts';
import { CaptureReading, DEFAULT_SETTINGS, inspectCalls, PROTOCOL_VERSION, type CaptureSnapshot, type TranscriptCall } from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { DEFAULT_LAYOUT, groupByThread, parseLayout, setGroupByThread } from '../../panel/model/list-layout.ts';
import { recordingIds, threadedTranscriptCalls } from '../helpers/threaded-calls.ts';
import { agentLoopCalls } from '../helpers/agent-loop.ts';
import { fixtureNames, readFixture, terminalSnapshot } from '../helpers/streams.ts';

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
  it('shows the final response from the preview, then the whole body read part by part', async () => {
    const name = fixtureNames().find((fixture) => terminalSnapshot(readFixture(fixture)) !== undefined) as string;
    const text = readFixture(name);
    const { store } = storeWith(['a', 'big']);
    const capture = store.captures.get('big');
    assert.ok(capture);
    const loading = store.load('big');
    const cut = text.lastIndexOf('data: {"type":"response.completed"') - 40;
    store.applyMessage({ kind: 'store.load-preview', captureId: 'big', fromStart: false, chunks: [{ index: 3, text: text.slice(cut), receivedAt: 1 }], requestBody: '{"input":"hi"}' });
    assert.equal(capture.loaded, false);
    assert.equal(capture.previewing, true);
    assert.deepEqual(capture.record?.response, terminalSnapshot(text));
    assert.equal(capture.start.requestBody, '{"input":"hi"}');
    // The whole body in three parts: the preview stands until the last is read.
    const thirds = [0, Math.floor(text.length / 3), Math.floor((2 * text.length) / 3), text.length];
    const part = (index: number) => [{ index, text: text.slice(thirds[index], thirds[index + 1]), receivedAt: 1 }];
    store.applyMessage({ kind: 'store.loaded', snapshot: { ...whole('big', ''), chunks: part(0) }, parts: 3 });
    assert.equal(capture.loaded, false);
    assert.equal(capture.previewing, true);
    store.applyMessage({ kind: 'store.load-part', captureId: 'big', chunks: part(1), last: false });
    assert.equal(capture.previewing, true);
    store.applyMessage({ kind: 'store.load-part', captureId: 'big', chunks: part(2), last: true });
    assert.equal(await loading, capture);
    assert.equal(capture.loaded, true);
    assert.equal(capture.previewing, false);
    assert.equal(capture.bodyText(), text);
    assert.ok((capture.record?.events.length ?? 0) > 1);
    assert.deepEqual(capture.record?.response, terminalSnapshot(text));
  });

  it('splits a body into lines when a view asks, and keeps them as it grows', () => {
    const store = new PanelStore();
    const live = whole('live', 'data: a\r\ndata');
    delete live.end;
    store.applyMessage({ kind: 'store.capture-added', snapshot: live });
    const capture = store.captures.get('live');
    assert.ok(capture);
    assert.deepEqual(capture.lines, ['data: a', 'data']);
    store.applyMessage({ kind: 'store.capture', message: { kind: 'capture.chunk', chunk: { captureId: 'live', index: 1, text: ': b\n\nnext', receivedAt: 2 } } });
    assert.deepEqual(capture.lines, ['data: a', 'data: b', '', 'next']);
  });

  it('keeps no preview that shows nothing, and none once loaded', () => {
    const { store } = storeWith(['a', 'b']);
    const capture = store.captures.get('a');
    assert.ok(capture);
    store.applyMessage({ kind: 'store.load-preview', captureId: 'a', fromStart: false, chunks: [{ index: 0, text: '"}}\n\ndata: [DONE]\n\n', receivedAt: 1 }] });
    assert.equal(capture.previewing, false);
    store.applyMessage({ kind: 'store.loaded', snapshot: whole('a', 'data: x\n\n') });
    const text = readFixture(fixtureNames()[0] as string);
    store.applyMessage({ kind: 'store.load-preview', captureId: 'a', fromStart: true, chunks: [{ index: 0, text, receivedAt: 1 }] });
    assert.equal(capture.previewing, false);
    assert.equal(capture.bodyText(), 'data: x\n\n');
  });

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

describe('PanelStore: the filter, the views and the files', () => {
  it('moves between views round the ends', () => {
    assert.equal(nextView('assembly', 1), 'usage');
    assert.equal(nextView('thread', 1), 'assembly');
    assert.equal(nextView('assembly', -1), 'thread');
  });

  it('makes the detail follow the filter, and finds a response by its id', () => {
    const { store } = storeWith(['a', 'b']);
    const withId = stored('c');
    withId.stored = { chars: 10, summary: { status: 'completed', events: 1, model: 'gpt-other', responseId: 'resp_findme' } };
    store.applyMessage({ kind: 'store.capture-added', snapshot: withId });
    store.select('a');
    store.setFilter('resp_findme');
    assert.deepEqual(store.visibleCaptures().map((capture) => capture.id), ['c']);
    assert.equal(store.selectedId, 'c');
    store.setFilter('nothing like it');
    assert.deepEqual(store.visibleCaptures(), []);
    assert.equal(store.selectedId, undefined);
    store.setFilter('');
    assert.equal(store.visibleCaptures().length, 3);
  });

  it('names the files read into it until they are closed', () => {
    const store = new PanelStore();
    store.addLocal([], [], ['a.har']);
    store.addLocal([], [], ['b.sse']);
    assert.deepEqual(store.files, ['a.har', 'b.sse']);
    store.applyMessage({ kind: 'store.cleared', tabId: -1, reason: 'user' });
    assert.deepEqual(store.files, []);
  });
});

describe('PanelStore: searching what calls said', () => {
  it('finds a response not loaded by words of its input or output, from its summary', () => {
    const { store } = storeWith(['a', 'b']);
    const remembered = stored('c');
    remembered.stored = { chars: 10, summary: { status: 'completed', events: 1, searchText: 'what is the weather in paris?\nit is sunny.' } };
    store.applyMessage({ kind: 'store.capture-added', snapshot: remembered });
    store.setFilter('Sunny');
    assert.deepEqual(store.visibleCaptures().map((capture) => capture.id), ['c']);
    store.setFilter('weather in paris');
    assert.deepEqual(store.visibleCaptures().map((capture) => capture.id), ['c']);
  });
});

describe('PanelCapture: the URL views show', () => {
  it('masks credentials once per URL, and again when the URL changes', () => {
    const capture = new PanelCapture({ tabId: 1, start: { captureId: 'u', url: 'https://user:pass@host.example/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 0 }, chunks: [] });
    assert.equal(capture.shownUrl.includes('pass'), false);
    assert.equal(capture.shownUrl, capture.shownUrl);
    capture.start = { ...capture.start, url: 'https://other:secret@host.example/v1/responses' };
    assert.equal(capture.shownUrl.includes('secret'), false);
    assert.match(capture.shownUrl, /@host\.example\/v1\/responses$/);
  });
});

describe('PanelCapture: the cost of a response not loaded', () => {
  const stored = (serviceTier: string | undefined) =>
    new PanelCapture({
      tabId: 1,
      start: { captureId: 's', url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: 0 },
      chunks: [],
      end: { captureId: 's', state: 'complete', endedAt: 1 },
      stored: {
        chars: 100,
        summary: { status: 'completed', events: 10, model: 'gpt-4.1', usage: { input: 1000, cached: 400, output: 500, reasoning: 0, total: 1500 }, ...(serviceTier ? { serviceTier } : {}) },
      },
    });

  it('is reckoned from the store\'s summary, at its service tier', () => {
    const priced = stored('default');
    assert.equal(priced.loaded, false);
    assert.ok(priced.cost?.cost);
    assert.ok(Math.abs(priced.cost.cost.total - (600 * 2 + 400 * 0.5 + 500 * 8) / 1e6) < 1e-12);
    assert.deepEqual(stored('flex').cost, { cost: null, reason: 'no price for the flex service tier' });
  });
});

/** A store listing these calls from the background's summaries, their bodies not loaded. */
function summaryStore(calls: TranscriptCall[]): PanelStore {
  const store = new PanelStore();
  store.applyMessage({
    kind: 'store.snapshot',
    protocolVersion: PROTOCOL_VERSION,
    tabId: 1,
    captures: calls.map((call, index) => {
      const reading = new CaptureReading({ captureId: `s${index}`, url: call.url, method: call.method, requestHeaders: call.requestHeaders, requestBody: call.requestBody, initiator: 'fetch', startedAt: index }, { captureId: `s${index}`, status: 200, statusText: 'OK', responseHeaders: call.responseHeaders, receivedAt: index });
      reading.push(call.body, index);
      reading.finish({ captureId: `s${index}`, state: 'complete', endedAt: index + 1 });
      return { ...stored(`s${index}`), stored: { chars: call.body.length, summary: reading.summary() } };
    }),
    settings: DEFAULT_SETTINGS,
    evicted: 0,
  });
  return store;
}

describe('PanelStore: threads', () => {
  function threadedStore(): PanelStore {
    const store = new PanelStore();
    store.addLocal(threadedTranscriptCalls().map((call, index) => PanelCapture.fromImport(call, `t${index}`)));
    return store;
  }

  it('places each call in its thread as inspect does, loaded or listed from a summary', () => {
    const store = threadedStore();
    store.placeThreads();
    const expected = [...inspectCalls(threadedTranscriptCalls(), priceTable)].map(({ summary }) => summary.thread);
    assert.deepEqual(store.order.map((id) => store.captures.get(id)?.thread), expected);
    // The same from the background's summaries of bodies not loaded.
    const summaries = summaryStore(threadedTranscriptCalls());
    summaries.placeThreads();
    assert.deepEqual(summaries.order.map((id) => summaries.captures.get(id)?.thread), expected);
    assert.equal(summaries.captures.get('s2')?.loaded, false);
  });

  it('lists a thread\'s calls in turn order, and groups the list by thread', () => {
    const store = threadedStore();
    assert.deepEqual(store.threadCaptures(recordingIds().first).map((capture) => capture.id), ['t0', 't2', 't3']);
    assert.deepEqual(groupByThread(store.visibleCaptures()).map((capture) => capture.id), ['t0', 't2', 't3', 't1', 't4', 't5', 't6']);
    const layout = setGroupByThread(DEFAULT_LAYOUT, true);
    assert.equal(parseLayout(JSON.stringify(layout)).groupByThread, true);
    assert.equal(parseLayout(JSON.stringify(setGroupByThread(layout, false))).groupByThread, undefined);
  });

  it('reads the rate limits of each call from its response headers', () => {
    const store = threadedStore();
    assert.deepEqual(store.captures.get('t3')?.rateLimits, { requests: { limit: 500, remaining: 497, reset: '120ms' }, tokens: { limit: 30000, remaining: 26000, reset: '6m0s' } });
    assert.equal(store.captures.get('t1')?.rateLimits, null);
  });
});

describe('PanelStore: an agent loop without previous_response_id', () => {

  it('places the loop in one thread and pairs each tool call with the answer the next call sent, loaded or not', () => {
    const calls = agentLoopCalls();
    const expected = [...inspectCalls(calls, priceTable)].map(({ summary }) => summary.thread);
    const loaded = new PanelStore();
    loaded.addLocal(calls.map((call, index) => PanelCapture.fromImport(call, `t${index}`)));
    const listed = summaryStore(calls);
    for (const [store, prefix] of [[loaded, 't'], [listed, 's']] as const) {
      store.placeThreads();
      assert.deepEqual(store.order.map((id) => store.captures.get(id)?.thread), expected);
      const first = store.captures.get(`${prefix}0`) as PanelCapture;
      const answers = ['call_NnEvpiwdL8XrZ6F3T9VJyVw7', 'call_TQ8336oa6YnuT2leYzRDBBLz'].map((callId) => store.answerFor(first, callId));
      assert.deepEqual(answers.map((found) => [found?.capture.id, found?.answer.text]), [[`${prefix}2`, '5'], [`${prefix}2`, '6']]);
      assert.equal(store.answerFor(first, 'call_never_made'), undefined);
      assert.equal(store.answerFor(store.captures.get(`${prefix}2`) as PanelCapture, 'call_NnEvpiwdL8XrZ6F3T9VJyVw7'), undefined, 'an answer comes from a later turn only');
    }
    assert.equal(listed.captures.get('s2')?.loaded, false);
  });
});

describe("PanelStore: the app server's calls, from a proxy", () => {
  /** A server call as a proxy sends it: start, response, the recording's body in one chunk, end. */
  function serverCall(store: PanelStore, captureId: string, startedAt: number): void {
    const text = readFixture('seed__hello-gpt-4.1-nano.sse');
    store.applyServerCapture({ kind: 'capture.start', start: { captureId, url: 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'server', startedAt } });
    store.applyServerCapture({ kind: 'capture.response', response: { captureId, status: 200, statusText: 'OK', responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }], receivedAt: startedAt } });
    store.applyServerCapture({ kind: 'capture.chunk', chunk: { captureId, index: 0, text, receivedAt: startedAt } });
    store.applyServerCapture({ kind: 'capture.end', end: { captureId, state: 'complete', endedAt: startedAt + 1 } });
  }

  it('lists them among the page\'s, keeps them when the background sends its list again, and never lets their bodies go', () => {
    const { store } = storeWith(['a', 'b']);
    serverCall(store, 'proxy-1', 1.5);
    const server = store.captures.get('proxy-1') as PanelCapture;
    assert.equal(server.isServerCall, true);
    assert.equal(server.record?.response.status, 'completed');
    // The background reconnects: its list comes again, and the server's call stays, in its place by time.
    store.applyMessage({ kind: 'store.snapshot', protocolVersion: PROTOCOL_VERSION, tabId: 1, captures: [stored('a'), { ...stored('b'), start: { ...stored('b').start, startedAt: 2 } }], settings: DEFAULT_SETTINGS, evicted: 0 });
    assert.deepEqual(store.order, ['a', 'proxy-1', 'b']);
    // Nobody looks at it: the page's bodies may go back to the background, a server call's has nowhere to go.
    store.select('a');
    store.unloadUnviewed();
    assert.equal(store.captures.get('proxy-1')?.loaded, true);
    // Clear empties the list, server calls too.
    store.applyMessage({ kind: 'store.cleared', tabId: 1, reason: 'user' });
    assert.equal(store.captures.size, 0);
  });

  it('keeps no more server calls than Settings let a tab keep: the oldest finished go, and are counted', () => {
    const { store } = storeWith(['a']);
    store.setSettings({ ...DEFAULT_SETTINGS, maxCapturesPerTab: 2 });
    for (const [index, id] of ['proxy-1', 'proxy-2', 'proxy-3'].entries()) serverCall(store, id, 2 + index);
    assert.deepEqual(store.order, ['a', 'proxy-2', 'proxy-3']);
    assert.equal(store.droppedCount, 1);
  });
});

describe('PanelStore: marking calls to compare', () => {
  it('marks the selected call and the Ctrl-clicked one, keeps the newest two, and opens and closes the comparison', () => {
    const store = new PanelStore();
    store.addLocal(threadedTranscriptCalls().map((call, index) => PanelCapture.fromImport(call, `t${index}`)));
    store.select('t0');
    store.toggleMarked('t2');
    assert.deepEqual(store.marked, ['t0', 't2']);
    assert.equal(store.selectedId, 't2');
    store.toggleMarked('t3');
    assert.deepEqual(store.marked, ['t2', 't3']);
    store.toggleMarked('t3');
    assert.deepEqual(store.marked, ['t2']);
    store.compare('t2', 't3');
    assert.deepEqual(store.comparing, { a: 't2', b: 't3' });
    store.closeCompare();
    assert.equal(store.comparing, undefined);
    store.compare('t2', 'no such call');
    assert.equal(store.comparing, undefined);
  });
});

describe('PanelStore: prices set in Settings', () => {
  it('reprices every call when the overrides change, and back', () => {
    const store = new PanelStore();
    store.addLocal(threadedTranscriptCalls().map((call, index) => PanelCapture.fromImport(call, `t${index}`)));
    const capture = store.captures.get('t0');
    assert.ok(capture?.cost?.cost);
    const tableTotal = capture.cost.cost.total;
    const revision = capture.revision;
    store.setSettings({ ...store.settings, priceOverrides: [{ model: 'gpt-4o', input: 100, output: 100 }] });
    assert.equal(capture.cost?.cost?.source, 'settings');
    assert.ok(capture.revision > revision, 'rows showing the cost render again');
    assert.ok(Math.abs((capture.cost?.cost?.total ?? 0) - ((capture.usage?.input ?? 0) + (capture.usage?.output ?? 0)) * 100 / 1e6) < 1e-12);
    store.setSettings({ ...store.settings, priceOverrides: [] });
    assert.equal(capture.cost?.cost?.total, tableTotal);
  });
});

describe('PanelStore: bodies pinned by several views', () => {
  it('keeps a body while any holder pins it', async () => {
    const { store, asked } = storeWith(['a', 'b', 'c', 'd', 'e', 'f']);
    const fill = (id: string) => store.applyMessage({ kind: 'store.loaded', snapshot: whole(id, readFixture('seed__hello-gpt-4.1-nano.sse')) });
    store.pin(['a']);
    store.compare('a', 'b');
    fill('a');
    fill('b');
    assert.ok(asked.includes('a') && asked.includes('b'));
    // The Thread view lets go of 'a'; the Compare view still holds it.
    store.unpin(['a']);
    for (const id of ['c', 'd', 'e', 'f']) store.select(id);
    assert.equal(store.captures.get('a')?.loaded, true);
    store.closeCompare();
    assert.equal(store.captures.get('a')?.loaded, false);
  });
});

describe('PanelStore: WebSocket responses grouped by their connection', () => {
  it('keeps a connection\'s responses together, whatever their threads', () => {
    const socketCapture = (captureId: string, connectionId: string | undefined, startedAt: number) =>
      new PanelCapture({
        ...stored(captureId),
        start: { captureId, url: connectionId ? 'wss://api.openai.com/v1/responses' : 'https://api.openai.com/v1/responses', method: 'GET', requestHeaders: [], initiator: connectionId ? 'websocket' : 'fetch', startedAt, ...(connectionId ? { connectionId } : {}) },
      });
    const store = new PanelStore();
    store.addLocal([socketCapture('a1', 'ws-1', 1), socketCapture('x', undefined, 2), socketCapture('b1', 'ws-2', 3), socketCapture('a2', 'ws-1', 4), socketCapture('b2', 'ws-2', 5)]);
    store.placeThreads();
    assert.deepEqual(groupByThread(store.visibleCaptures()).map((capture) => capture.id), ['a1', 'a2', 'x', 'b1', 'b2']);
  });
});
