/**
 * Keeps the capture store in storage.session, which outlives a stopped MV3
 * service worker (not the browser). Writes are batched: each flush adds one
 * key per capture with the chunks that arrived since the previous flush.
 *
 * Keys: `tab:<tabId>` → { order, evicted }; `meta:<captureId>` → the capture
 * without chunks, plus how many chunk batches it has; `chunks:<captureId>:<n>`.
 */
import { browser } from '../extension/browser-api.ts';
import type { CaptureSnapshot } from '../extension/core/protocol.ts';
import type { CaptureStore, DirtyCapture } from './capture-store.ts';

interface StoredMeta {
  meta: Omit<CaptureSnapshot, 'chunks'>;
  batches: number;
}

interface StoredTab {
  order: string[];
  evicted: number;
}

export type PersistedCallback = (captures: DirtyCapture[]) => void;

export class SessionPersistence {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** The last write failed (storage full): an unavoidable loss on restart is then possible. */
  failing = false;

  constructor(
    private readonly store: CaptureStore,
    private readonly onPersisted: PersistedCallback,
    private readonly delayMs = 50,
  ) {}

  private get area() {
    return browser.storage.session;
  }

  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.flush());
    }, this.delayMs);
  }

  async flush(): Promise<void> {
    const dirty = this.store.takeDirty();
    if (dirty.captures.length === 0 && dirty.tabs.length === 0 && dirty.removed.length === 0) return;
    const writes: Record<string, unknown> = {};
    for (const tab of dirty.tabs) {
      if ('removed' in tab) continue;
      writes[`tab:${tab.tabId}`] = { order: tab.order, evicted: tab.evicted } satisfies StoredTab;
    }
    for (const capture of dirty.captures) {
      const batches = capture.batch + (capture.newChunks.length > 0 ? 1 : 0);
      if (capture.snapshotWithoutChunks) writes[`meta:${capture.captureId}`] = { meta: capture.snapshotWithoutChunks, batches } satisfies StoredMeta;
      if (capture.newChunks.length > 0) writes[`chunks:${capture.captureId}:${capture.batch}`] = capture.newChunks;
    }
    try {
      if (dirty.removed.length > 0 || dirty.tabs.some((tab) => 'removed' in tab)) {
        const all = await this.area.get(null);
        const gone = new Set(dirty.removed);
        const removeKeys = Object.keys(all).filter((key) => {
          const [prefix, id] = key.split(':');
          if (prefix === 'meta' || prefix === 'chunks') return gone.has(id ?? '');
          return prefix === 'tab' && dirty.tabs.some((tab) => 'removed' in tab && `${tab.tabId}` === id);
        });
        if (removeKeys.length > 0) await this.area.remove(removeKeys);
      }
      await this.area.set(writes);
      this.failing = false;
      this.onPersisted(dirty.captures);
    } catch {
      // Storage is full or gone: keep the captures in memory, write them with the next flush, and confirm
      // nothing to the relays meanwhile (they keep their copies for a restarted background).
      this.failing = true;
      this.store.returnDirty(dirty);
    }
  }

  /** Rebuilds the store from storage after the service worker (re)started. */
  async load(): Promise<void> {
    const all = await this.area.get(null);
    for (const [key, value] of Object.entries(all)) {
      if (!key.startsWith('tab:')) continue;
      const tabId = Number(key.slice(4));
      const tab = value as StoredTab;
      for (const captureId of tab.order) {
        const stored = all[`meta:${captureId}`] as StoredMeta | undefined;
        if (!stored) continue;
        const chunks: CaptureSnapshot['chunks'] = [];
        for (let batch = 0; batch < stored.batches; batch++) {
          const part = all[`chunks:${captureId}:${batch}`] as CaptureSnapshot['chunks'] | undefined;
          if (part) chunks.push(...part);
        }
        chunks.sort((a, b) => a.index - b.index);
        this.store.restore(tabId, { ...stored.meta, chunks }, stored.batches, tab.evicted);
      }
    }
    // Restoring marks nothing dirty that storage does not already hold.
    this.store.takeDirty();
  }
}
