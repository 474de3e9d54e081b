/**
 * The per-tab store of captures. Plain logic, no extension API: the
 * background wires it to ports and the database, tests drive it directly.
 *
 * In memory it keeps what lists show (each capture without its body, and a
 * summary once it ended) and the bodies of live captures; finished bodies go
 * to the database (`takeDirty`) and are read back from there when a panel
 * opens one. Bounded per tab (captures and characters, from the settings):
 * the oldest finished captures go first, a live one never, and the count of
 * those dropped since the tab's log was last cleared is kept for the panel.
 */
import {
  CaptureReading,
  type BackgroundToPanel,
  type CaptureMessage,
  type CaptureSettings,
  type CaptureSnapshot,
  type CaptureSummary,
  type HeaderList,
  type NetworkTimings,
} from '../extension/core/index.ts';
import { emptyBatch, type StoredCapture, type StoredChunk, type WriteBatch } from './capture-db.ts';

export interface StoreLimits {
  maxCapturesPerTab: number;
  maxCharsPerTab: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxCapturesPerTab: 10_000, maxCharsPerTab: 1024 * 1024 * 1024 };

export function limitsOf(settings: Partial<CaptureSettings> | undefined): StoreLimits {
  const captures = settings?.maxCapturesPerTab;
  const megabytes = settings?.maxMegabytesPerTab;
  return {
    maxCapturesPerTab: typeof captures === 'number' && captures >= 1 ? Math.floor(captures) : DEFAULT_LIMITS.maxCapturesPerTab,
    maxCharsPerTab: typeof megabytes === 'number' && megabytes > 0 ? Math.floor(megabytes * 1024 * 1024) : DEFAULT_LIMITS.maxCharsPerTab,
  };
}

/** The body of a capture still streaming: kept whole in memory until it ends. */
interface LiveBody {
  chunks: CaptureSnapshot['chunks'];
  indexes: Set<number>;
  lastIndex: number;
  /** Every chunk up to this index is here: what the relay may forget. */
  contiguous: number;
  reading: CaptureReading;
}

function advanceContiguous(live: LiveBody): void {
  while (live.indexes.has(live.contiguous + 1)) live.contiguous++;
}

interface HeldCapture {
  seq: number;
  tabId: number;
  /** Without chunks; with its request body only while that is not yet written. */
  snapshot: CaptureSnapshot;
  chars: number;
  summary?: CaptureSummary;
  live?: LiveBody;
  /** Not yet written to the database. */
  unpersisted: StoredChunk[];
  requestBody?: string;
  /** Highest chunk index received. */
  lastIndex: number;
}

interface TabCaptures {
  order: string[];
  captures: Map<string, HeldCapture>;
  evicted: number;
  chars: number;
  clearedAt: number;
  /** Requests of captures dropped by the bounds: DevTools may still report them, and they must not come back. */
  evictedRequests: Array<{ method: string; url: string; startedAt: number }>;
}

/** What a flush wrote, so that relays hear which chunks are safe. */
export interface Confirmation {
  captureId: string;
  upTo: number;
  complete: boolean;
}

export interface Flush {
  batch: WriteBatch;
  confirmations: Confirmation[];
}

const EVICTED_REQUESTS_KEPT = 1000;

export class CaptureStore {
  private readonly tabs = new Map<number, TabCaptures>();
  private readonly dirty = new Set<HeldCapture>();
  private readonly dirtyTabs = new Set<number>();
  private readonly removedCaptures = new Set<string>();
  private readonly removedTabs = new Set<number>();
  private nextSeq = 1;

  constructor(private limits: StoreLimits = DEFAULT_LIMITS) {}

  /** New bounds: what each tab's panels should hear of the captures they drop. */
  setLimits(limits: StoreLimits): Map<number, BackgroundToPanel[]> {
    this.limits = limits;
    return new Map([...this.tabs.entries()].map(([tabId, tab]) => [tabId, this.enforceLimits(tab, tabId)]));
  }

  private tab(tabId: number): TabCaptures {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = { order: [], captures: new Map(), evicted: 0, chars: 0, clearedAt: 0, evictedRequests: [] };
      this.tabs.set(tabId, tab);
      this.removedTabs.delete(tabId);
    }
    return tab;
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  /** What a panel that (re)connects gets: live captures whole, finished ones as summaries. */
  snapshots(tabId: number): CaptureSnapshot[] {
    const tab = this.tabs.get(tabId);
    if (!tab) return [];
    return tab.order.map((id) => tab.captures.get(id)).filter((held): held is HeldCapture => held !== undefined).map(outward);
  }

  evictedCount(tabId: number): number {
    return this.tabs.get(tabId)?.evicted ?? 0;
  }

  /** A capture, in whichever tab holds it. */
  private locate(captureId: string): { tabId: number; held: HeldCapture } | undefined {
    for (const [tabId, tab] of this.tabs) {
      const held = tab.captures.get(captureId);
      if (held) return { tabId, held };
    }
    return undefined;
  }

  /** A capture without its body (the database has that). */
  find(captureId: string): { tabId: number; snapshot: CaptureSnapshot; live: boolean; summary?: CaptureSummary; chars: number } | undefined {
    const found = this.locate(captureId);
    if (!found) return undefined;
    const { held } = found;
    return { tabId: found.tabId, snapshot: held.snapshot, live: held.live !== undefined, chars: held.chars, ...(held.summary ? { summary: held.summary } : {}) };
  }

  /** What of a capture's body is not written yet (a write failed): a load must not miss it. */
  unwritten(captureId: string): { requestBody?: string; chunks: StoredChunk[] } {
    const held = this.locate(captureId)?.held;
    if (!held) return { chunks: [] };
    return held.requestBody === undefined ? { chunks: [...held.unpersisted] } : { requestBody: held.requestBody, chunks: [...held.unpersisted] };
  }

  /** Forgets every tab and capture (and has the database forget them). */
  forgetAll(): void {
    for (const tabId of [...this.tabs.keys()]) this.removeTab(tabId);
  }

  /** Characters held in memory for bodies (live captures and what is not yet written). */
  bodyCharsInMemory(): number {
    let chars = 0;
    for (const tab of this.tabs.values()) {
      for (const held of tab.captures.values()) {
        if (held.live) chars += held.chars;
        else chars += held.unpersisted.reduce((sum, chunk) => sum + chunk.text.length, 0);
      }
    }
    return chars;
  }

  /** Applies one capture message; returns what panels of that tab should hear. */
  apply(tabId: number, frameId: number | undefined, message: CaptureMessage): BackgroundToPanel[] {
    const tab = this.tab(tabId);
    switch (message.kind) {
      case 'capture.start': {
        const id = message.start.captureId;
        const known = tab.captures.get(id);
        if (known) {
          this.touch(known);
          return [];
        }
        // A request started before the tab's log was cleared belongs to the cleared log, whenever its start arrives
        // (a relay sending again what it held when the background restarted).
        if (message.start.startedAt < tab.clearedAt) return [];
        const snapshot: CaptureSnapshot = { start: message.start, chunks: [], tabId };
        if (frameId !== undefined) snapshot.frameId = frameId;
        // DevTools reported this request before its page hook did (a background just restarted): the hook's capture,
        // live and whole, takes the place of the report, and keeps its network timings.
        const twin = tab.order
          .map((other) => tab.captures.get(other))
          .find((held) => held !== undefined && held.snapshot.start.initiator === 'network' && sameRequest(held.snapshot.start, message.start));
        const replaced: BackgroundToPanel[] = [];
        if (twin) {
          if (twin.snapshot.networkTimings) snapshot.networkTimings = twin.snapshot.networkTimings;
          this.drop(tab, tabId, twin);
          replaced.push({ kind: 'store.evicted', captureIds: [twin.snapshot.start.captureId], evicted: tab.evicted });
        }
        this.add(tab, tabId, snapshot);
        return [...replaced, { kind: 'store.capture', message }, ...this.enforceLimits(tab, tabId)];
      }
      case 'capture.response': {
        const held = tab.captures.get(message.response.captureId);
        if (!held || held.snapshot.response) return [];
        held.snapshot.response = message.response;
        if (held.live) held.live.reading.response = message.response;
        this.touch(held);
        return [{ kind: 'store.capture', message }];
      }
      case 'capture.chunk': {
        const held = tab.captures.get(message.chunk.captureId);
        const live = held?.live;
        if (!held) return [];
        // A chunk for a capture that ended, or one already held, is a relay sending again after a restart:
        // the next write confirms the capture again, so that the relay forgets it.
        if (!live || live.indexes.has(message.chunk.index)) {
          this.touch(held);
          return [];
        }
        const { index, text, receivedAt } = message.chunk;
        const bytes = message.chunk.bytes instanceof ArrayBuffer ? message.chunk.bytes : undefined;
        const stored = { index, text, receivedAt };
        live.indexes.add(index);
        advanceContiguous(live);
        if (index > live.lastIndex) {
          live.chunks.push(stored);
          live.lastIndex = index;
          live.reading.push(text, receivedAt);
        } else {
          // A gap filled late: the reading has moved on, so it reads the body again from the start.
          live.chunks.splice(live.chunks.findIndex((chunk) => chunk.index > index), 0, stored);
          live.reading = readingOf(held.snapshot, live.chunks);
        }
        held.lastIndex = Math.max(held.lastIndex, index);
        held.unpersisted.push(bytes ? { captureId: held.snapshot.start.captureId, ...stored, bytes } : { captureId: held.snapshot.start.captureId, ...stored });
        held.chars += text.length;
        tab.chars += text.length;
        this.touch(held);
        // Panels get text, as every chunk is past the background.
        const forPanels: CaptureMessage = bytes ? { kind: 'capture.chunk', chunk: { captureId: held.snapshot.start.captureId, ...stored } } : message;
        return [{ kind: 'store.capture', message: forPanels }, ...this.enforceLimits(tab, tabId)];
      }
      case 'capture.end': {
        const held = tab.captures.get(message.end.captureId);
        if (!held) return [];
        if (held.snapshot.end) {
          this.touch(held);
          return [];
        }
        held.snapshot.end = message.end;
        const messages: BackgroundToPanel[] = [{ kind: 'store.capture', message }];
        const lost = held.live ? countMissing(held.live.chunks) : 0;
        if (lost > 0) {
          held.snapshot.lostChunks = lost;
          held.snapshot.lossNote = `${lost} chunk(s) of this body never reached the extension.`;
          messages.push({ kind: 'store.update', captureId: message.end.captureId, lostChunks: lost, lossNote: held.snapshot.lossNote });
        }
        this.settle(held);
        return messages;
      }
    }
  }

  /** Adds a whole capture (from DevTools' network log). */
  addSnapshot(tabId: number, snapshot: CaptureSnapshot): BackgroundToPanel[] {
    const tab = this.tab(tabId);
    if (tab.captures.has(snapshot.start.captureId)) return [];
    const held = this.add(tab, tabId, { ...snapshot, chunks: [] });
    const live = held.live as LiveBody;
    for (const chunk of snapshot.chunks) {
      live.chunks.push(chunk);
      live.indexes.add(chunk.index);
      advanceContiguous(live);
      live.lastIndex = Math.max(live.lastIndex, chunk.index);
      held.unpersisted.push({ captureId: snapshot.start.captureId, ...chunk });
      held.chars += chunk.text.length;
      tab.chars += chunk.text.length;
    }
    held.lastIndex = live.lastIndex;
    live.reading = readingOf(held.snapshot, live.chunks);
    if (snapshot.end) this.settle(held);
    return [{ kind: 'store.capture-added', snapshot }, ...this.enforceLimits(tab, tabId)];
  }

  /** A capture of the page hook that DevTools' report of this request would complete. */
  hasNetworkTwin(tabId: number, start: CaptureSnapshot['start']): boolean {
    const tab = this.tabs.get(tabId);
    return tab !== undefined && this.networkTwinOf(tab, start) !== undefined;
  }

  /**
   * DevTools' report of a finished request, without its body: merged into the capture of the same request, or
   * nothing to do (that capture has the report already, or was dropped); the body is wanted only when no capture of
   * it was ever held and the request belongs to the log (`inLog`: not before its last clear, not while paused).
   */
  mergeNetworkReport(tabId: number, snapshot: CaptureSnapshot, inLog = true): { messages: BackgroundToPanel[]; bodyWanted: boolean } {
    const tab = this.tabs.get(tabId);
    if (!tab) return { messages: [], bodyWanted: inLog };
    if (this.networkTwinOf(tab, snapshot.start)) return { messages: this.mergeNetwork(tabId, snapshot), bodyWanted: false };
    if (!inLog) return { messages: [], bodyWanted: false };
    const seen =
      tab.evictedRequests.some((request) => sameRequest(request, snapshot.start)) ||
      tab.order.some((id) => {
        const held = tab.captures.get(id);
        return held !== undefined && held.snapshot.networkTimings !== undefined && sameRequest(held.snapshot.start, snapshot.start);
      });
    return { messages: [], bodyWanted: !seen };
  }

  private networkTwinOf(tab: TabCaptures, start: CaptureSnapshot['start']): HeldCapture | undefined {
    for (const id of tab.order) {
      const held = tab.captures.get(id);
      if (held !== undefined && held.snapshot.start.initiator !== 'network' && held.snapshot.networkTimings === undefined && sameRequest(held.snapshot.start, start)) return held;
    }
    return undefined;
  }

  /**
   * DevTools saw a finished request: if a page hook captured it, that capture
   * gains the network's timings and full headers; otherwise (a worker's
   * request, for one) it becomes a capture of its own, unless the bounds
   * dropped its capture already.
   */
  mergeNetwork(tabId: number, snapshot: CaptureSnapshot): BackgroundToPanel[] {
    const tab = this.tab(tabId);
    const match = this.networkTwinOf(tab, snapshot.start);
    if (!match) {
      if (tab.evictedRequests.some((request) => sameRequest(request, snapshot.start))) return [];
      return this.addSnapshot(tabId, snapshot);
    }
    const update: BackgroundToPanel & { kind: 'store.update' } = { kind: 'store.update', captureId: match.snapshot.start.captureId };
    if (snapshot.networkTimings) {
      match.snapshot.networkTimings = snapshot.networkTimings;
      update.networkTimings = snapshot.networkTimings;
    }
    if (snapshot.start.requestHeaders.length > match.snapshot.start.requestHeaders.length) {
      match.snapshot.start = { ...match.snapshot.start, requestHeaders: snapshot.start.requestHeaders };
      update.requestHeaders = snapshot.start.requestHeaders;
    }
    if (snapshot.response && match.snapshot.response && snapshot.response.responseHeaders.length > match.snapshot.response.responseHeaders.length) {
      match.snapshot.response = { ...match.snapshot.response, responseHeaders: snapshot.response.responseHeaders };
      update.responseHeaders = snapshot.response.responseHeaders;
    }
    this.touch(match);
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
    for (const held of tab.captures.values()) {
      const { snapshot } = held;
      if (snapshot.end || snapshot.frameId !== frameId || heldCaptureIds.includes(snapshot.start.captureId)) continue;
      messages.push(...this.interrupt(held, 'The background restarted and the page no longer had the rest of this stream.'));
    }
    return messages;
  }

  /** Ends these captures, those still unfinished, whose page is gone. */
  interruptCaptures(captureIds: readonly string[], note: string): BackgroundToPanel[] {
    const messages: BackgroundToPanel[] = [];
    for (const captureId of captureIds) {
      const held = this.locate(captureId)?.held;
      if (held && !held.snapshot.end) messages.push(...this.interrupt(held, note));
    }
    return messages;
  }

  private interrupt(held: HeldCapture, note: string): BackgroundToPanel[] {
    const { snapshot } = held;
    const last = held.live?.chunks[held.live.chunks.length - 1];
    const end = { captureId: snapshot.start.captureId, state: 'error' as const, endedAt: last?.receivedAt ?? snapshot.start.startedAt, error: 'capture interrupted' };
    snapshot.end = end;
    snapshot.lossNote = note;
    this.settle(held);
    return [
      { kind: 'store.capture', message: { kind: 'capture.end', end } },
      { kind: 'store.update', captureId: end.captureId, lossNote: note },
    ];
  }

  clear(tabId: number, at?: number): void {
    if (at !== undefined) this.tab(tabId).clearedAt = at;
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    for (const held of tab.captures.values()) this.forget(held);
    tab.order = [];
    tab.captures.clear();
    tab.chars = 0;
    tab.evicted = 0;
    tab.evictedRequests = [];
    this.dirtyTabs.add(tabId);
  }

  removeTab(tabId: number): void {
    this.clear(tabId);
    this.tabs.delete(tabId);
    this.dirtyTabs.delete(tabId);
    this.removedTabs.add(tabId);
  }

  /** What changed since the last call, for the database; relays may forget what it confirms once it is written. */
  takeDirty(): Flush {
    const batch = emptyBatch();
    const confirmations: Confirmation[] = [];
    for (const held of this.dirty) {
      const { snapshot } = held;
      const stored: StoredCapture = { captureId: snapshot.start.captureId, tabId: held.tabId, seq: held.seq, snapshot: bodiless(snapshot), chars: held.chars };
      if (held.summary) stored.summary = held.summary;
      batch.captures.push(stored);
      if (held.requestBody !== undefined) batch.requestBodies.push({ captureId: stored.captureId, requestBody: held.requestBody });
      batch.chunks.push(...held.unpersisted);
      // While live, only what came without a gap: the relay may still hold a chunk missing here.
      confirmations.push({ captureId: stored.captureId, upTo: held.live ? held.live.contiguous : held.lastIndex, complete: snapshot.end !== undefined });
      held.unpersisted = [];
      held.requestBody = undefined;
      // A finished capture's request body now lives on disk only.
      if (!held.live && snapshot.start.requestBody !== undefined) {
        const { requestBody: _written, ...start } = snapshot.start;
        snapshot.start = start;
      }
    }
    this.dirty.clear();
    for (const tabId of this.dirtyTabs) {
      const tab = this.tabs.get(tabId);
      if (tab) batch.tabs.push({ tabId, evicted: tab.evicted, clearedAt: tab.clearedAt });
    }
    this.dirtyTabs.clear();
    batch.removedCaptures = [...this.removedCaptures];
    this.removedCaptures.clear();
    batch.removedTabs = [...this.removedTabs];
    this.removedTabs.clear();
    return { batch, confirmations };
  }

  /** A write failed: what it took goes back, to be written by the next one (and confirmed to relays only then). */
  returnDirty(flush: Flush): void {
    const chunksOf = new Map<string, StoredChunk[]>();
    for (const chunk of flush.batch.chunks) {
      const list = chunksOf.get(chunk.captureId) ?? [];
      list.push(chunk);
      chunksOf.set(chunk.captureId, list);
    }
    const bodies = new Map(flush.batch.requestBodies.map((body) => [body.captureId, body.requestBody]));
    for (const stored of flush.batch.captures) {
      const held = this.tabs.get(stored.tabId)?.captures.get(stored.captureId);
      if (!held) continue;
      held.unpersisted = [...(chunksOf.get(stored.captureId) ?? []), ...held.unpersisted];
      const requestBody = bodies.get(stored.captureId);
      if (requestBody !== undefined && held.requestBody === undefined) {
        held.requestBody = requestBody;
        held.snapshot.start = { ...held.snapshot.start, requestBody };
      }
      this.touch(held);
    }
    for (const tab of flush.batch.tabs) if (this.tabs.has(tab.tabId)) this.dirtyTabs.add(tab.tabId);
    for (const id of flush.batch.removedCaptures) this.removedCaptures.add(id);
    for (const tabId of flush.batch.removedTabs) if (!this.tabs.has(tabId)) this.removedTabs.add(tabId);
  }

  /** Restores a tab's count of dropped captures, read back from the database. */
  restoreTab(tabId: number, evicted: number, clearedAt = 0): void {
    const tab = this.tab(tabId);
    tab.evicted = Math.max(tab.evicted, evicted);
    tab.clearedAt = Math.max(tab.clearedAt, clearedAt);
  }

  /** When the tab's log was last cleared (0: never), written with the store so that a restarted background knows. */
  clearedAt(tabId: number): number {
    return this.tabs.get(tabId)?.clearedAt ?? 0;
  }

  /** Restores a capture read back from the database; an unfinished one comes with the chunks it had. */
  restore(stored: StoredCapture, body?: { requestBody?: string; chunks: StoredChunk[] }): void {
    const tab = this.tab(stored.tabId);
    if (tab.captures.has(stored.captureId)) return;
    const snapshot: CaptureSnapshot = { ...stored.snapshot, chunks: [] };
    const held: HeldCapture = { seq: stored.seq, tabId: stored.tabId, snapshot, chars: stored.chars, unpersisted: [], lastIndex: -1 };
    if (stored.summary) held.summary = stored.summary;
    if (!snapshot.end && body) {
      if (body.requestBody !== undefined) snapshot.start = { ...snapshot.start, requestBody: body.requestBody };
      const chunks = body.chunks.map(({ index, text, receivedAt }) => ({ index, text, receivedAt }));
      const lastIndex = chunks.reduce((last, chunk) => Math.max(last, chunk.index), -1);
      held.live = { chunks, indexes: new Set(chunks.map((chunk) => chunk.index)), lastIndex, contiguous: -1, reading: readingOf(snapshot, chunks) };
      advanceContiguous(held.live);
      held.lastIndex = lastIndex;
    }
    tab.captures.set(stored.captureId, held);
    tab.order.push(stored.captureId);
    tab.chars += stored.chars;
    this.nextSeq = Math.max(this.nextSeq, stored.seq + 1);
  }

  private add(tab: TabCaptures, tabId: number, snapshot: CaptureSnapshot): HeldCapture {
    const held: HeldCapture = { seq: this.nextSeq++, tabId, snapshot, chars: 0, unpersisted: [], lastIndex: -1 };
    if (snapshot.start.requestBody !== undefined) held.requestBody = snapshot.start.requestBody;
    held.live = { chunks: [], indexes: new Set(), lastIndex: -1, contiguous: -1, reading: new CaptureReading(snapshot.start, snapshot.response, { light: true }) };
    tab.captures.set(snapshot.start.captureId, held);
    tab.order.push(snapshot.start.captureId);
    this.touch(held);
    return held;
  }

  /** The capture ended: its summary stays, its body goes to disk with the next write. */
  private settle(held: HeldCapture): void {
    const end = held.snapshot.end;
    if (held.live && end) {
      held.live.reading.finish(end);
      held.summary = held.live.reading.summary();
    }
    held.live = undefined;
    this.touch(held);
  }

  private touch(held: HeldCapture): void {
    this.dirty.add(held);
  }

  /** Removes a capture that another stands for (not counted as dropped). */
  private drop(tab: TabCaptures, tabId: number, held: HeldCapture): void {
    const id = held.snapshot.start.captureId;
    tab.order = tab.order.filter((other) => other !== id);
    tab.captures.delete(id);
    tab.chars -= held.chars;
    this.forget(held);
    this.dirtyTabs.add(tabId);
  }

  private forget(held: HeldCapture): void {
    this.dirty.delete(held);
    this.removedCaptures.add(held.snapshot.start.captureId);
  }

  private enforceLimits(tab: TabCaptures, tabId: number): BackgroundToPanel[] {
    const evictedIds: string[] = [];
    while (tab.order.length > this.limits.maxCapturesPerTab || tab.chars > this.limits.maxCharsPerTab) {
      // The oldest finished capture goes first. A live one is never dropped: its page is still reading it.
      const victimIndex = tab.order.findIndex((id) => tab.captures.get(id)?.snapshot.end !== undefined);
      if (victimIndex === -1) break;
      const [victim] = tab.order.splice(victimIndex, 1);
      const held = victim === undefined ? undefined : tab.captures.get(victim);
      if (victim === undefined || !held) break;
      tab.captures.delete(victim);
      tab.chars -= held.chars;
      tab.evicted++;
      const { method, url, startedAt } = held.snapshot.start;
      tab.evictedRequests.push({ method, url, startedAt });
      if (tab.evictedRequests.length > EVICTED_REQUESTS_KEPT) tab.evictedRequests.shift();
      this.forget(held);
      evictedIds.push(victim);
    }
    if (evictedIds.length === 0) return [];
    this.dirtyTabs.add(tabId);
    return [{ kind: 'store.evicted', captureIds: evictedIds, evicted: tab.evicted }];
  }
}

/** The same request seen by two sources (the page hook and DevTools' network log), whose clocks differ a little. */
function sameRequest(a: { method: string; url: string; startedAt: number }, b: { method: string; url: string; startedAt: number }): boolean {
  return a.method === b.method && a.url === b.url && Math.abs(a.startedAt - b.startedAt) < 3000;
}

function readingOf(snapshot: CaptureSnapshot, chunks: CaptureSnapshot['chunks']): CaptureReading {
  const reading = new CaptureReading(snapshot.start, snapshot.response, { light: true });
  for (const chunk of chunks) reading.push(chunk.text, chunk.receivedAt);
  return reading;
}

/** What panels get: a live capture whole, a finished one without its body. */
function outward(held: HeldCapture): CaptureSnapshot {
  if (held.live) return { ...held.snapshot, chunks: [...held.live.chunks] };
  const snapshot: CaptureSnapshot = { ...bodiless(held.snapshot), stored: { chars: held.chars, summary: held.summary ?? { status: 'error', events: 0 } } };
  return snapshot;
}

function bodiless(snapshot: CaptureSnapshot): CaptureSnapshot {
  const { requestBody: _body, ...start } = snapshot.start;
  return { ...snapshot, start, chunks: [] };
}

function countMissing(chunks: CaptureSnapshot['chunks']): number {
  const last = chunks[chunks.length - 1];
  return last ? last.index + 1 - chunks.length : 0;
}

export type { HeaderList, NetworkTimings };
