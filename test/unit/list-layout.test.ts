import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PanelCapture } from '../../panel/model/panel-capture.ts';
import { PanelStore } from '../../panel/model/panel-store.ts';
import {
  DEFAULT_LAYOUT,
  LAYOUT_STORAGE_KEY,
  columnWidth,
  nextSort,
  parseLayout,
  resizeColumn,
  setSplit,
  shortName,
  sortCaptures,
  toggleColumn,
  visibleColumns,
  type LayoutStorage,
  type ListLayout,
} from '../../panel/model/list-layout.ts';
import type { CaptureSnapshot } from '../../extension/core/index.ts';

function capture(captureId: string, options: { startedAt: number; model?: string; total?: number; url?: string }): PanelCapture {
  const snapshot: CaptureSnapshot = {
    tabId: 1,
    start: { captureId, url: options.url ?? 'https://api.openai.com/v1/responses', method: 'POST', requestHeaders: [], initiator: 'fetch', startedAt: options.startedAt },
    end: { captureId, state: 'complete', endedAt: options.startedAt + 5 },
    chunks: [],
    stored: {
      chars: 10,
      summary: {
        status: 'completed',
        events: 1,
        ...(options.model ? { model: options.model } : {}),
        ...(options.total !== undefined ? { usage: { input: options.total - 1, cached: 0, output: 1, reasoning: 0, total: options.total } } : {}),
      },
    },
  };
  return new PanelCapture(snapshot);
}

class MemoryStorage implements LayoutStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('the request list layout', () => {
  it('names a request by the last segment of its path', () => {
    assert.equal(shortName('https://api.openai.com/v1/responses'), 'responses');
    assert.equal(shortName('http://127.0.0.1:8080/r/x/v1/responses/?a=1'), 'responses');
    assert.equal(shortName('not a url'), 'not a url');
  });

  it('keeps the short name, the status and the tokens in a narrow list, whatever else is shown', () => {
    assert.deepEqual(
      visibleColumns(DEFAULT_LAYOUT, false).map((column) => column.id),
      ['time', 'name', 'url', 'model', 'status', 'duration', 'tokens'],
    );
    assert.deepEqual(
      visibleColumns(DEFAULT_LAYOUT, true).map((column) => column.id),
      ['name', 'status', 'tokens'],
    );
    const withoutTokens = toggleColumn(DEFAULT_LAYOUT, 'tokens');
    assert.deepEqual(
      visibleColumns(withoutTokens, true).map((column) => column.id),
      ['name', 'status'],
    );
  });

  it('never hides the name, and a hidden column stops sorting the list', () => {
    assert.equal(toggleColumn(DEFAULT_LAYOUT, 'name'), DEFAULT_LAYOUT);
    const sorted = nextSort(DEFAULT_LAYOUT, 'model');
    assert.deepEqual(sorted.sort, { column: 'model', descending: false });
    const hidden = toggleColumn(sorted, 'model');
    assert.deepEqual(hidden.hidden, ['model']);
    assert.equal(hidden.sort, undefined);
    assert.deepEqual(toggleColumn(hidden, 'model').hidden, []);
  });

  it('sorts ascending, then descending, then back to the order of arrival, unknown values last', () => {
    const captures = [capture('a', { startedAt: 3, total: 50 }), capture('b', { startedAt: 1 }), capture('c', { startedAt: 2, total: 7 }), capture('d', { startedAt: 4, total: 50 })];
    let layout = nextSort(DEFAULT_LAYOUT, 'tokens');
    assert.deepEqual(sortCaptures(captures, layout.sort).map((entry) => entry.id), ['c', 'a', 'd', 'b']);
    layout = nextSort(layout, 'tokens');
    // Ties keep their order of arrival in both directions.
    assert.deepEqual(sortCaptures(captures, layout.sort).map((entry) => entry.id), ['a', 'd', 'c', 'b']);
    layout = nextSort(layout, 'tokens');
    assert.equal(layout.sort, undefined);
    assert.deepEqual(sortCaptures(captures, layout.sort).map((entry) => entry.id), ['a', 'b', 'c', 'd']);
    assert.deepEqual(sortCaptures(captures, nextSort(DEFAULT_LAYOUT, 'time').sort).map((entry) => entry.id), ['b', 'c', 'a', 'd']);
  });

  it('sorts by text columns as text', () => {
    const captures = [capture('a', { startedAt: 1, model: 'gpt-5-mini' }), capture('b', { startedAt: 2, model: 'gpt-4.1-nano' }), capture('c', { startedAt: 3 })];
    assert.deepEqual(sortCaptures(captures, { column: 'model', descending: false }).map((entry) => entry.id), ['b', 'a', 'c']);
    assert.deepEqual(sortCaptures(captures, { column: 'model', descending: true }).map((entry) => entry.id), ['a', 'b', 'c']);
  });

  it('resizes no column below its minimum, and keeps the split within its bounds', () => {
    assert.equal(columnWidth(resizeColumn(DEFAULT_LAYOUT, 'model', 3), 'model'), 50);
    assert.equal(columnWidth(resizeColumn(DEFAULT_LAYOUT, 'model', 211.6), 'model'), 212);
    assert.equal(setSplit(DEFAULT_LAYOUT, false, 2).split.stacked, 0.9);
    assert.equal(setSplit(DEFAULT_LAYOUT, true, -1).split.sideBySide, 0.1);
    assert.equal(setSplit(DEFAULT_LAYOUT, true, -1).split.stacked, DEFAULT_LAYOUT.split.stacked);
  });

  it('reads back what it stored, and anything malformed as the default', () => {
    const layout = setSplit(nextSort(resizeColumn(toggleColumn(DEFAULT_LAYOUT, 'url'), 'model', 180), 'duration'), false, 0.6);
    assert.deepEqual(parseLayout(JSON.stringify(layout)), layout);
    assert.deepEqual(parseLayout('{not json'), DEFAULT_LAYOUT);
    assert.deepEqual(parseLayout(null), DEFAULT_LAYOUT);
    assert.deepEqual(parseLayout('[]'), { ...DEFAULT_LAYOUT });
    assert.deepEqual(
      parseLayout(JSON.stringify({ hidden: ['name', 'bogus', 'model'], widths: { model: -4, time: 'wide', tokens: 1e9, nope: 3 }, sort: { column: 'model' }, split: { stacked: 'x', sideBySide: 0.02 } })),
      { hidden: ['model'], shown: [], widths: { tokens: 2000 }, split: { stacked: DEFAULT_LAYOUT.split.stacked, sideBySide: 0.1 } },
    );
  });

  it('keeps an optional column (cost) off until turned on, and a stored layout from before it without it', () => {
    const ids = (layout: ListLayout) => visibleColumns(layout, false).map((column) => column.id);
    assert.equal(ids(DEFAULT_LAYOUT).includes('cost'), false);
    // A layout stored before the column existed: no word of it, so it stays off.
    assert.equal(ids(parseLayout(JSON.stringify({ hidden: ['url'], widths: {} }))).includes('cost'), false);
    const on = toggleColumn(DEFAULT_LAYOUT, 'cost');
    assert.deepEqual(on.shown, ['cost']);
    assert.equal(ids(on).at(-1), 'cost');
    assert.deepEqual(parseLayout(JSON.stringify(on)), on);
    // Sorted by cost, then turned off: the sort goes with it.
    const sorted = nextSort(on, 'cost');
    assert.deepEqual(sorted.sort, { column: 'cost', descending: false });
    assert.equal(toggleColumn(sorted, 'cost').sort, undefined);
    // Hiding it through the list of hidden columns does nothing: it is off or on by `shown` alone.
    assert.deepEqual(parseLayout(JSON.stringify({ hidden: ['cost'], shown: ['cost', 'model'] })).shown, ['cost']);
  });

  it('is kept by the panel store in the storage it was given', () => {
    const storage = new MemoryStorage();
    const store = new PanelStore();
    store.useLayoutStorage(storage);
    assert.deepEqual(store.layout, DEFAULT_LAYOUT);
    store.setLayout(toggleColumn(store.layout, 'time'));
    const again = new PanelStore();
    again.useLayoutStorage(storage);
    assert.deepEqual(again.layout.hidden, ['time']);
    assert.ok(storage.items.has(LAYOUT_STORAGE_KEY));
    // A storage that refuses (quota, privacy mode) leaves the layout for this session.
    const refusing = new PanelStore();
    refusing.useLayoutStorage({ getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } });
    refusing.setLayout(toggleColumn(refusing.layout, 'model'));
    assert.deepEqual(refusing.layout.hidden, ['model']);
  });
});

describe('model text as Markdown', () => {
  it('is rendered only when it uses Markdown, and the choice of plain text is kept', async () => {
    const { looksLikeMarkdown } = await import('../../panel/views/Markdown.tsx');
    for (const markdown of ['# Title', 'a **bold** word', 'see [docs](https://x.y)', '1. first\n2. second', '- item', '```js\ncode\n```', 'use `npm`', '| a | b |\n|---|---|', '> quoted', 'an *emphasised* word']) assert.equal(looksLikeMarkdown(markdown), true, markdown);
    for (const plain of ['Hello! How can I assist you today?', '2 * 3 = 6 and 4 * 5 = 20', 'line 1 of a long answer\nline 2', 'x'.repeat(100), 'word96 word0 word1']) assert.equal(looksLikeMarkdown(plain), false, plain);
    const storage = new MemoryStorage();
    const store = new PanelStore();
    store.useLayoutStorage(storage);
    assert.equal(store.markdown, true);
    store.setMarkdown(false);
    const again = new PanelStore();
    again.useLayoutStorage(storage);
    assert.equal(again.markdown, false);
  });
});
