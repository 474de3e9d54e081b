/**
 * The per-tab store of captures. Plain logic, no extension API: the
 * background wires it to ports and storage, tests drive it directly.
 *
 * Bounded per tab (captures and characters): the oldest finished captures go
 * first, and the count of those dropped is kept so the panel can say so.
 */
import type { BackgroundToPanel, CaptureMessage, CaptureSnapshot, HeaderList, NetworkTimings } from '../extension/core/protocol.ts';

export interface StoreLimits {
  maxCapturesPerTab: number;
  maxCharsPerTab: number;
}

/** Sized so that a tab's captures usually fit storage.session (10 MB in Chrome, shared by all tabs). */
export const DEFAULT_LIMITS: StoreLimits = { maxCapturesPerTab: 500, maxCharsPerTab: 8 * 1024 * 1024 };

interface StoredCapture {
  snapshot: CaptureSnapshot;
  chars: number;
  /** Highest chunk index held. */
  lastIndex: number;
  /** Chunks added since the last persistence flush. */
  unpersisted: CaptureSnapshot['chunks'];
  metaDirty: boolean;
  persistedBatches: number;
}

interface TabCaptures {
  order: string[];
  captures: Map<string, StoredCapture>;
  evicted: number;
  chars: number;
}

/** What changed, for the persistence layer. */
export interface DirtyCapture {
  captureId: string;
  tabId: number;
  snapshotWithoutChunks?: Omit<CaptureSnapshot, 'chunks'>;
  newChunks: CaptureSnapshot['chunks'];
  batch: number;
  /** Highest chunk index persisted once this flush is written. */
  upTo: number;
  complete: boolean;
}

export class CaptureStore {
  private readonly tabs = new Map<number, TabCaptures>();
  private readonly dirtyTabs = new Set<number>();
  private readonly removed = new Set<string>();

  constructor(private readonly limits: StoreLimits = DEFAULT_LIMITS) {}

  private tab(tabId: number): TabCaptures {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = { order: [], captures: new Map(), evicted: 0, chars: 0 };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  snapshots(tabId: number): CaptureSnapshot[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    return tab.order.map((id) => tab.captures.get(id)?.snapshot).filter((snapshot): snapshot is CaptureSnapshot => snapshot !== undefined);
  }

  evictedCount(tabId: number): number {
    return this.tabs.get(tabId)?.evicted ?? 0;
  }

  find(captureId: string): { tabId: number; snapshot: CaptureSnapshot } | undefined {
    for (const [tabId, tab] of this.tabs) {
      const capture = tab.captures.get(captureId);
      if (capture) return { tabId, snapshot: capture.snapshot };
    }
    return undefined;
  }

  /** Applies one capture message; returns what panels of that tab should hear. */
  apply(tabId: number, frameId: number | undefined, message: CaptureMessage): BackgroundToPanel[] {
    const tab = this.tab(tabId);
    switch (message.kind) {
      case 'capture.start': {
        const id = message.start.captureId;
        if (tab.captures.has(id)) return [];
        const snapshot: CaptureSnapshot = { start: message.start, chunks: [], tabId };
        if (frameId !== undefined) snapshot.frameId = frameId;
        this.add(tab, tabId, snapshot);
        return [{ kind: 'store.capture', message }, ...this.enforceLimits(tab, tabId)];
      }
      case 'capture.response': {
        const capture = tab.captures.get(message.response.captureId);
        if (!capture || capture.snapshot.response) return [];
        capture.snapshot.response = message.response;
        capture.metaDirty = true;
        this.dirtyTabs.add(tabId);
        return [{ kind: 'store.capture', message }];
      }
      case 'capture.chunk': {
        const capture = tab.captures.get(message.chunk.captureId);
        if (!capture) return [];
        const { index, text, receivedAt } = message.chunk;
        const chunks = capture.snapshot.chunks;
        if (index <= capture.lastIndex && chunks.some((chunk) => chunk.index === index)) return [];
        const stored = { index, text, receivedAt };
        if (index > capture.lastIndex) {
          chunks.push(stored);
          capture.lastIndex = index;
        } else {
          chunks.splice(chunks.findIndex((chunk) => chunk.index > index), 0, stored);
        }
        capture.unpersisted.push(stored);
        capture.chars += text.length;
        tab.chars += text.length;
        this.dirtyTabs.add(tabId);
        return [{ kind: 'store.capture', message }, ...this.enforceLimits(tab, tabId)];
      }
      case 'capture.end': {
        const capture = tab.captures.get(message.end.captureId);
        if (!capture || capture.snapshot.end) return [];
        capture.snapshot.end = message.end;
        const lost = countMissing(capture.snapshot.chunks);
        const messages: BackgroundToPanel[] = [{ kind: 'store.capture', message }];
        if (lost > 0) {
          capture.snapshot.lostChunks = lost;
          capture.snapshot.lossNote = `${lost} chunk(s) of this body never reached the extension.`;
          messages.push({ kind: 'store.update', captureId: message.end.captureId, lostChunks: lost, lossNote: capture.snapshot.lossNote });
        }
        capture.metaDirty = true;
        this.dirtyTabs.add(tabId);
        return messages;
      }
    }
  }

  /** Adds a whole capture (from DevTools' network log, or restored from storage). */
  addSnapshot(tabId: number, snapshot: CaptureSnapshot): BackgroundToPanel[] {
    const tab = this.tab(tabId);
    if (tab.captures.has(snapshot.start.captureId)) return [];
    this.add(tab, tabId, snapshot);
    return [{ kind: 'store.capture-added', snapshot }, ...this.enforceLimits(tab, tabId)];
  }

  /**
   * DevTools saw a finished request: if a page hook captured it, that capture
   * gains the network's timings and full headers; otherwise (a worker's
   * request, for one) it becomes a capture of its own.
   */
  mergeNetwork(tabId: number, snapshot: CaptureSnapshot): BackgroundToPanel[] {
    const tab = this.tab(tabId);
    const match = tab.order
      .map((id) => tab.captures.get(id))
      .find(
        (capture) =>
          capture !== undefined &&
          capture.snapshot.start.initiator !== 'network' &&
          capture.snapshot.networkTimings === undefined &&
          capture.snapshot.start.method === snapshot.start.method &&
          capture.snapshot.start.url === snapshot.start.url &&
          Math.abs(capture.snapshot.start.startedAt - snapshot.start.startedAt) < 3000,
      );
    if (!match) return this.addSnapshot(tabId, snapshot);
    const update: BackgroundToPanel & { kind: 'store.update' } = { kind: 'store.update', captureId: match.snapshot.start.captureId };
    if (snapshot.networkTimings) {
      match.snapshot.networkTimings = snapshot.networkTimings;
      update.networkTimings = snapshot.networkTimings;
    }
    if (snapshot.start.requestHeaders.length > match.snapshot.start.requestHeaders.length) {
      match.snapshot.start.requestHeaders = snapshot.start.requestHeaders;
      update.requestHeaders = snapshot.start.requestHeaders;
    }
    if (snapshot.response && match.snapshot.response && snapshot.response.responseHeaders.length > match.snapshot.response.responseHeaders.length) {
      match.snapshot.response.responseHeaders = snapshot.response.responseHeaders;
      update.responseHeaders = snapshot.response.responseHeaders;
    }
    match.metaDirty = true;
    this.dirtyTabs.add(tabId);
    return [update];
  }

  /**
   * A relay came back after the background restarted. Its unfinished captures
   * that it no longer holds can never complete: say so instead of waiting.
   */
  relayReconnected(tabId: number, frameId: number | undefined, heldCaptureIds: readonly string[]): BackgroundToPanel[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    const messages: BackgroundToPanel[] = [];
    for (const capture of tab.captures.values()) {
      const { snapshot } = capture;
      if (snapshot.end || snapshot.frameId !== frameId || heldCaptureIds.includes(snapshot.start.captureId)) continue;
      messages.push(...this.interrupt(tabId, capture, 'The background restarted and the page no longer had the rest of this stream.'));
    }
    return messages;
  }

  /** Ends every unfinished capture of a tab whose page is gone. */
  interruptTab(tabId: number, note: string): BackgroundToPanel[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    return [...tab.captures.values()].filter((capture) => !capture.snapshot.end).flatMap((capture) => this.interrupt(tabId, capture, note));
  }

  private interrupt(tabId: number, capture: StoredCapture, note: string): BackgroundToPanel[] {
    const { snapshot } = capture;
    const last = snapshot.chunks[snapshot.chunks.length - 1];
    const end = { captureId: snapshot.start.captureId, state: 'error' as const, endedAt: last?.receivedAt ?? snapshot.start.startedAt, error: 'capture interrupted' };
    snapshot.end = end;
    snapshot.lossNote = note;
    capture.metaDirty = true;
    this.dirtyTabs.add(tabId);
    return [
      { kind: 'store.capture', message: { kind: 'capture.end', end } },
      { kind: 'store.update', captureId: end.captureId, lossNote: note },
    ];
  }

  clear(tabId: number): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    for (const id of tab.order) this.removed.add(id);
    tab.order = [];
    tab.captures.clear();
    tab.chars = 0;
    tab.evicted = 0;
    this.dirtyTabs.add(tabId);
  }

  removeTab(tabId: number): void {
    this.clear(tabId);
    this.tabs.delete(tabId);
  }

  /** Hands the persistence layer what changed since the last call. */
  takeDirty(): { captures: DirtyCapture[]; tabs: Array<{ tabId: number; order: string[]; evicted: number } | { tabId: number; removed: true }>; removed: string[] } {
    const captures: DirtyCapture[] = [];
    const tabs: Array<{ tabId: number; order: string[]; evicted: number } | { tabId: number; removed: true }> = [];
    for (const tabId of this.dirtyTabs) {
      const tab = this.tabs.get(tabId);
      if (!tab) {
        tabs.push({ tabId, removed: true });
        continue;
      }
      tabs.push({ tabId, order: [...tab.order], evicted: tab.evicted });
      for (const capture of tab.captures.values()) {
        if (!capture.metaDirty && capture.unpersisted.length === 0) continue;
        const { chunks: _chunks, ...meta } = capture.snapshot;
        const dirty: DirtyCapture = {
          captureId: capture.snapshot.start.captureId,
          tabId,
          newChunks: capture.unpersisted,
          batch: capture.persistedBatches,
          upTo: capture.lastIndex,
          complete: capture.snapshot.end !== undefined,
          snapshotWithoutChunks: meta,
        };
        if (capture.unpersisted.length > 0) capture.persistedBatches++;
        capture.unpersisted = [];
        capture.metaDirty = false;
        captures.push(dirty);
      }
    }
    this.dirtyTabs.clear();
    const removed = [...this.removed];
    this.removed.clear();
    return { captures, tabs, removed };
  }

  /** A flush failed: what it took goes back, to be written by the next one (and not confirmed to relays before). */
  returnDirty(dirty: ReturnType<CaptureStore['takeDirty']>): void {
    for (const entry of dirty.captures) {
      const tab = this.tabs.get(entry.tabId);
      const capture = tab?.captures.get(entry.captureId);
      if (!capture) continue;
      if (entry.newChunks.length > 0) {
        capture.unpersisted = [...entry.newChunks, ...capture.unpersisted];
        capture.persistedBatches = entry.batch;
      }
      capture.metaDirty = true;
      this.dirtyTabs.add(entry.tabId);
    }
    for (const tab of dirty.tabs) this.dirtyTabs.add(tab.tabId);
    for (const id of dirty.removed) this.removed.add(id);
  }

  /** Batches already persisted for a capture (to name the next batch key). */
  persistedBatches(captureId: string): number {
    for (const tab of this.tabs.values()) {
      const capture = tab.captures.get(captureId);
      if (capture) return capture.persistedBatches;
    }
    return 0;
  }

  /** Restores a capture read back from storage, already persisted. */
  restore(tabId: number, snapshot: CaptureSnapshot, persistedBatches: number, evicted: number): void {
    const tab = this.tab(tabId);
    tab.evicted = Math.max(tab.evicted, evicted);
    const capture = this.add(tab, tabId, snapshot);
    capture.unpersisted = [];
    capture.metaDirty = false;
    capture.persistedBatches = persistedBatches;
  }

  private add(tab: TabCaptures, tabId: number, snapshot: CaptureSnapshot): StoredCapture {
    const chars = snapshot.chunks.reduce((sum, chunk) => sum + chunk.text.length, 0);
    const last = snapshot.chunks[snapshot.chunks.length - 1];
    const capture: StoredCapture = { snapshot, chars, lastIndex: last?.index ?? -1, unpersisted: [...snapshot.chunks], metaDirty: true, persistedBatches: 0 };
    tab.captures.set(snapshot.start.captureId, capture);
    tab.order.push(snapshot.start.captureId);
    tab.chars += chars;
    this.dirtyTabs.add(tabId);
    return capture;
  }

  private enforceLimits(tab: TabCaptures, tabId: number): BackgroundToPanel[] {
    const evictedIds: string[] = [];
    while (tab.order.length > this.limits.maxCapturesPerTab || tab.chars > this.limits.maxCharsPerTab) {
      // The oldest finished capture goes first. A live one is never dropped: its page is still reading it.
      const victimIndex = tab.order.findIndex((id) => tab.captures.get(id)?.snapshot.end !== undefined);
      if (victimIndex === -1) break;
      const [victim] = tab.order.splice(victimIndex, 1);
      if (victim === undefined) break;
      const capture = tab.captures.get(victim);
      tab.captures.delete(victim);
      tab.chars -= capture?.chars ?? 0;
      tab.evicted++;
      this.removed.add(victim);
      evictedIds.push(victim);
      if (tab.order.length === 0) break;
    }
    if (evictedIds.length === 0) return [];
    this.dirtyTabs.add(tabId);
    return [{ kind: 'store.evicted', captureIds: evictedIds, evicted: tab.evicted }];
  }
}

function countMissing(chunks: CaptureSnapshot['chunks']): number {
  const last = chunks[chunks.length - 1];
  return last ? last.index + 1 - chunks.length : 0;
}

export type { HeaderList, NetworkTimings };
