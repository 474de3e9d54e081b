import type { ProxyStatus } from '../proxy-links.ts';
import { DEFAULT_SETTINGS, ThreadTracker, withPriceOverrides, type PriceLookup, type ToolAnswer, type BackgroundToPanel, type CaptureMessage, type CaptureSettings } from '../../extension/core/index.ts';
import { PanelCapture } from './panel-capture.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { DEFAULT_LAYOUT, loadLayout, saveLayout, type LayoutStorage, type ListLayout } from './list-layout.ts';

export type ViewName = 'assembly' | 'usage' | 'events' | 'request' | 'raw' | 'thread';

const MARKDOWN_KEY = 'responses-devtools.text-as';

/** The views in the order of their tabs. */
const VIEW_ORDER: readonly ViewName[] = ['assembly', 'usage', 'events', 'request', 'raw', 'thread'];

/** The view `step` places after `view` (before it, for a negative step), round the end. */
export function nextView(view: ViewName, step: number): ViewName {
  const index = VIEW_ORDER.indexOf(view);
  return VIEW_ORDER[(((index + step) % VIEW_ORDER.length) + VIEW_ORDER.length) % VIEW_ORDER.length] as ViewName;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'version-mismatch';

const NO_OVERRIDES: CaptureSettings['priceOverrides'] = [];

/** Finished captures whose bodies the panel keeps after the user looked at them (besides the selected one). */
const RECENTLY_VIEWED_KEPT = 3;

/**
 * Everything the panel shows, fed by one `applyMessage`. Views read it
 * directly; `subscribe` tells them when to render again (at most once a frame).
 */
export class PanelStore {
  captures = new Map<string, PanelCapture>();
  order: string[] = [];
  selectedId: string | undefined;
  /** Select the newest capture as it arrives, until the user picks one by hand. */
  follow = true;
  view: ViewName = 'assembly';
  filterText = '';
  settings: CaptureSettings = DEFAULT_SETTINGS;
  /** The bundled price table under the user's overrides (Settings): every capture's cost is reckoned at these. */
  prices: PriceLookup = priceTable;
  private pricesFrom: CaptureSettings['priceOverrides'] = DEFAULT_SETTINGS.priceOverrides;
  evicted = 0;
  connection: ConnectionState = 'connecting';
  /** The background restarted and the panel reconnected this many times. */
  reconnections = 0;
  revision = 0;
  /** The files read into this panel (the standalone viewer names them). */
  files: string[] = [];
  /** What the last import had to say (files that are not HAR, broken entries). */
  importMessages: string[] = [];
  /** Model text rendered as Markdown, or shown as the plain text it is. */
  markdown = true;
  /** Columns, sort and split, as the user arranged them. */
  layout: ListLayout = DEFAULT_LAYOUT;
  private layoutStorage: LayoutStorage | undefined;
  private listeners = new Set<() => void>();
  /** Asks the background for a capture's body (set by the panel's connection). */
  loader: ((captureId: string) => void) | undefined;
  private recentlyViewed: string[] = [];
  private loadWaiters = new Map<string, Array<(capture: PanelCapture | undefined) => void>>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.applyPrices();
    this.revision++;
    for (const listener of this.listeners) listener();
  }

  /** Prices follow the settings: a change of overrides prices every capture anew. */
  private applyPrices(): void {
    const overrides = this.settings.priceOverrides ?? NO_OVERRIDES;
    if (overrides === this.pricesFrom) return;
    this.pricesFrom = overrides;
    this.prices = withPriceOverrides(overrides, priceTable);
    for (const capture of this.captures.values()) {
      capture.prices = this.prices;
      capture.revision++;
    }
  }

  get selected(): PanelCapture | undefined {
    return this.selectedId === undefined ? undefined : this.captures.get(this.selectedId);
  }

  private threadsPlacedAt = -1;

  /**
   * Places every capture in its thread (`capture.thread`), in the order they were made; once per change of the
   * store. A capture is placed as its last response.
   */
  placeThreads(): void {
    if (this.threadsPlacedAt === this.revision) return;
    this.threadsPlacedAt = this.revision;
    const tracker = new ThreadTracker();
    const members = new Map<string, PanelCapture[]>();
    for (const id of this.order) {
      const capture = this.captures.get(id);
      if (!capture) continue;
      const links = capture.threadLinks;
      const ids = capture.responseIds;
      let place = ids.length === 0 ? tracker.place(undefined, links) : undefined;
      for (const responseId of ids) place = tracker.place(responseId, links);
      capture.thread = place;
      if (!place) continue;
      const thread = members.get(place.id);
      if (thread) thread.push(capture);
      else members.set(place.id, [capture]);
    }
    for (const thread of members.values()) thread.sort((a, b) => (a.thread?.turn ?? 0) - (b.thread?.turn ?? 0));
    this.threadMembers = members;
  }

  /** Each thread's captures in the order of their turns, as the store was last placed. */
  private threadMembers = new Map<string, PanelCapture[]>();

  /** The captures of a thread, in the order of their turns. */
  threadCaptures(threadId: string): readonly PanelCapture[] {
    this.placeThreads();
    return this.threadMembers.get(threadId) ?? [];
  }

  /**
   * What the app sent back for a tool call of this capture's response: the first later turn of its thread whose
   * request answers the call id. Summaries keep the answers, so no body is loaded to find it.
   */
  answerFor(capture: PanelCapture, callId: string): { capture: PanelCapture; answer: ToolAnswer } | undefined {
    this.placeThreads();
    const thread = capture.thread;
    if (!thread) return undefined;
    for (const later of this.threadCaptures(thread.id)) {
      if (later === capture || (later.thread?.turn ?? 0) <= thread.turn) continue;
      const answer = later.toolAnswers.find((candidate) => candidate.callId === callId);
      if (answer) return { capture: later, answer };
    }
    return undefined;
  }

  visibleCaptures(): PanelCapture[] {
    const filter = this.filterText.trim().toLowerCase();
    const all = this.order.map((id) => this.captures.get(id)).filter((capture): capture is PanelCapture => capture !== undefined);
    if (filter === '') return all;
    // The short fields first: most searches end there, without the texts.
    return all.filter(
      (capture) =>
        `${capture.start.method} ${capture.start.url} ${capture.model ?? ''} ${capture.status} ${capture.responseIds.join(' ')}`.toLowerCase().includes(filter) ||
        capture.searchText.includes(filter),
    );
  }

  applyMessage(message: BackgroundToPanel): void {
    switch (message.kind) {
      case 'store.snapshot': {
        const previousSelection = this.selectedId;
        // The server's calls come from proxies, not from the background: they stay, in their place by time.
        const serverCaptures = this.order.map((id) => this.captures.get(id)).filter((capture): capture is PanelCapture => capture?.isServerCall === true);
        this.captures.clear();
        this.order = [];
        this.marked = [];
        this.comparing = undefined;
        for (const snapshot of message.captures) this.add(new PanelCapture(snapshot));
        if (serverCaptures.length > 0) {
          for (const capture of serverCaptures) this.add(capture);
          const startOf = (id: string) => this.captures.get(id)?.start.startedAt ?? 0;
          this.order.sort((a, b) => startOf(a) - startOf(b));
        }
        this.settings = { ...DEFAULT_SETTINGS, ...message.settings };
        this.evicted = message.evicted;
        this.connection = 'connected';
        this.selectedId = !this.follow && previousSelection && this.captures.has(previousSelection) ? previousSelection : this.order[this.order.length - 1];
        this.ensureLoaded(this.selectedId);
        // Loads asked for on the old connection are asked for again on this one.
        for (const id of this.loadWaiters.keys()) {
          const capture = this.captures.get(id);
          if (!capture || capture.loaded) this.resolveLoad(id, capture);
          else this.ensureLoaded(id);
        }
        break;
      }
      case 'store.loaded': {
        const capture = this.captures.get(message.snapshot.start.captureId);
        if (message.parts !== undefined && message.parts > 1) {
          if (capture && !capture.loaded) capture.startFill(message.snapshot);
          break;
        }
        if (capture && !capture.loaded) capture.fill(message.snapshot);
        this.resolveLoad(message.snapshot.start.captureId, capture);
        break;
      }
      case 'store.load-part': {
        const capture = this.captures.get(message.captureId);
        if (!capture || capture.loaded) {
          if (message.last) this.resolveLoad(message.captureId, capture);
          break;
        }
        capture.continueFill(message.chunks);
        if (message.last) {
          capture.endFill();
          this.resolveLoad(message.captureId, capture);
        }
        break;
      }
      case 'store.load-preview': {
        const capture = this.captures.get(message.captureId);
        if (capture && !capture.loaded) capture.preview(message.chunks, message.fromStart, message.requestBody);
        break;
      }
      case 'store.load-failed': {
        const capture = this.captures.get(message.captureId);
        if (capture) {
          capture.loading = false;
          capture.loadError = message.reason;
          capture.revision++;
        }
        this.resolveLoad(message.captureId, undefined);
        break;
      }
      case 'store.capture':
        this.applyCapture(message.message);
        break;
      case 'store.capture-added': {
        if (this.captures.has(message.snapshot.start.captureId)) return;
        this.add(new PanelCapture(message.snapshot));
        if (this.follow) this.selectedId = message.snapshot.start.captureId;
        break;
      }
      case 'store.update': {
        const capture = this.captures.get(message.captureId);
        if (!capture) return;
        if (message.lossNote !== undefined) capture.lossNote = message.lossNote;
        if (message.lostChunks !== undefined) capture.lostChunks = message.lostChunks;
        if (message.networkTimings) capture.networkTimings = message.networkTimings;
        if (message.requestHeaders) capture.start = { ...capture.start, requestHeaders: message.requestHeaders };
        if (message.responseHeaders && capture.response) capture.response = { ...capture.response, responseHeaders: message.responseHeaders };
        capture.revision++;
        break;
      }
      case 'store.cleared':
        this.marked = [];
        if (this.comparing) this.unpin([this.comparing.a, this.comparing.b]);
        this.comparing = undefined;
        for (const id of this.loadWaiters.keys()) this.resolveLoad(id, undefined);
        this.captures.clear();
        this.order = [];
        this.selectedId = undefined;
        this.recentlyViewed = [];
        this.evicted = 0;
        this.serverEvicted = 0;
        this.follow = true;
        this.files = [];
        break;
      case 'store.evicted':
        for (const id of message.captureIds) {
          this.captures.delete(id);
          this.resolveLoad(id, undefined);
        }
        this.order = this.order.filter((id) => this.captures.has(id));
        this.marked = this.marked.filter((id) => this.captures.has(id));
        if (this.comparing && !(this.captures.has(this.comparing.a) && this.captures.has(this.comparing.b))) {
          this.unpin([this.comparing.a, this.comparing.b]);
          this.comparing = undefined;
        }
        this.evicted = message.evicted;
        if (this.selectedId !== undefined && !this.captures.has(this.selectedId)) {
          this.selectedId = this.order[this.order.length - 1];
          this.ensureLoaded(this.selectedId);
        }
        this.recentlyViewed = this.recentlyViewed.filter((id) => this.captures.has(id));
        break;
      case 'store.settings':
        this.settings = { ...DEFAULT_SETTINGS, ...message.settings };
        break;
      case 'store.version-mismatch':
        this.connection = 'version-mismatch';
        break;
    }
    this.changed();
  }

  private applyCapture(message: CaptureMessage): void {
    switch (message.kind) {
      case 'capture.start':
        if (this.captures.has(message.start.captureId)) return;
        this.add(new PanelCapture({ start: message.start, chunks: [], tabId: -1 }));
        if (this.follow) this.selectedId = message.start.captureId;
        return;
      case 'capture.response':
        this.captures.get(message.response.captureId)?.setResponse(message.response);
        return;
      case 'capture.chunk':
        this.captures.get(message.chunk.captureId)?.addChunk(message.chunk);
        return;
      case 'capture.end':
        this.captures.get(message.end.captureId)?.finish(message.end);
        this.unloadUnviewed();
        return;
    }
  }

  /** The proxies Settings name, and how the panel's link to each stands (`panel/proxy-links.ts`). */
  proxies: ProxyStatus[] = [];

  setProxies(proxies: ProxyStatus[]): void {
    this.proxies = proxies;
    this.changed();
  }

  setProxyStatus(status: ProxyStatus): void {
    this.proxies = this.proxies.map((known) => (known.address === status.address ? status : known));
    this.changed();
  }

  /** A capture message from a proxy: a call of the app's server, shown as the page's are. */
  applyServerCapture(message: CaptureMessage): void {
    this.applyCapture(message);
    if (message.kind === 'capture.end') this.boundServerCaptures();
    this.changed();
  }

  /**
   * Server calls are held by this panel alone (never unloaded): past the bounds Settings set for a tab, the oldest
   * finished ones go, and are counted.
   */
  private boundServerCaptures(): void {
    const server = this.order.map((id) => this.captures.get(id)).filter((capture): capture is PanelCapture => capture?.isServerCall === true);
    let chars = server.reduce((total, capture) => total + capture.bodyLength, 0);
    const maxChars = this.settings.maxMegabytesPerTab * 1024 * 1024;
    const dropped = new Set<string>();
    for (const capture of server) {
      if (server.length - dropped.size <= this.settings.maxCapturesPerTab && chars <= maxChars) break;
      if (capture.live || capture.id === this.selectedId) continue;
      dropped.add(capture.id);
      chars -= capture.bodyLength;
    }
    if (dropped.size === 0) return;
    for (const id of dropped) this.captures.delete(id);
    this.order = this.order.filter((id) => !dropped.has(id));
    this.marked = this.marked.filter((id) => !dropped.has(id));
    this.recentlyViewed = this.recentlyViewed.filter((id) => !dropped.has(id));
    this.serverEvicted += dropped.size;
  }

  /** Server calls this panel let go past the bounds (the background counts the page's in `evicted`). */
  serverEvicted = 0;

  /** Every response dropped past the bounds: the page's, counted by the background, and the server's, by this panel. */
  get droppedCount(): number {
    return this.evicted + this.serverEvicted;
  }

  /** Asks for the body of a capture the panel is about to show. */
  private ensureLoaded(id: string | undefined): void {
    const capture = id === undefined ? undefined : this.captures.get(id);
    if (!capture || capture.loaded || capture.loading) return;
    if (capture.readsItself) {
      capture.readDeferred();
      return;
    }
    if (!this.loader) return;
    capture.loading = true;
    capture.loadError = undefined;
    this.loader(capture.id);
  }

  /** Resolves with the capture, its body loaded (undefined when the store no longer has it). */
  load(id: string): Promise<PanelCapture | undefined> {
    const capture = this.captures.get(id);
    if (!capture) return Promise.resolve(undefined);
    if (capture.loaded) return Promise.resolve(capture);
    if (capture.readsItself) {
      capture.readDeferred();
      this.changed();
      return Promise.resolve(capture.loaded ? capture : undefined);
    }
    return new Promise((resolve) => {
      this.loadWaiters.set(id, [...(this.loadWaiters.get(id) ?? []), resolve]);
      // Without a background (the standalone viewer) there is nothing to load from.
      if (this.loader) this.ensureLoaded(id);
      else this.resolveLoad(id, undefined);
    });
  }

  private resolveLoad(id: string, capture: PanelCapture | undefined): void {
    const waiters = this.loadWaiters.get(id) ?? [];
    this.loadWaiters.delete(id);
    for (const resolve of waiters) resolve(capture);
  }

  /** Captures whose bodies must stay while something (an export) reads them. */
  /** How many holders (an export, the Thread view, the Compare view) pin each body: it stays until the last lets go. */
  private readonly pinned = new Map<string, number>();

  pin(ids: Iterable<string>): void {
    for (const id of ids) this.pinned.set(id, (this.pinned.get(id) ?? 0) + 1);
  }

  unpin(ids: Iterable<string>): void {
    for (const id of ids) {
      const holders = (this.pinned.get(id) ?? 0) - 1;
      if (holders > 0) this.pinned.set(id, holders);
      else this.pinned.delete(id);
    }
    this.unloadUnviewed();
  }

  /** Lets go of the bodies of finished captures nobody looks at: the background keeps them. */
  unloadUnviewed(): void {
    if (!this.loader) return;
    const keep = new Set([this.selectedId, ...this.recentlyViewed, ...this.pinned.keys()]);
    for (const capture of this.captures.values()) {
      if (capture.loaded && !capture.live && !keep.has(capture.id) && !this.loadWaiters.has(capture.id)) capture.unload();
    }
  }

  private add(capture: PanelCapture): void {
    capture.prices = this.prices;
    this.captures.set(capture.id, capture);
    this.order.push(capture.id);
  }

  /** The Assembly view's timeline: the selected call's last response as it stood after `count` events; undefined at its end. */
  replay: { captureId: string; count: number } | undefined;

  setReplay(captureId: string, count: number | undefined): void {
    this.replay = count === undefined ? undefined : { captureId, count };
    this.changed();
  }

  /** Calls marked to compare (Ctrl/Cmd-click), oldest first: at most two. */
  marked: string[] = [];
  /** The two calls the Compare view shows, A then B; undefined while it is closed. */
  comparing: { a: string; b: string } | undefined;

  /** Ctrl/Cmd-click: marks a call to compare (the selected one is marked first), or unmarks it; the newest two stay. */
  toggleMarked(id: string): void {
    const base = this.marked.length === 0 && this.selectedId !== undefined && this.selectedId !== id ? [this.selectedId] : this.marked;
    this.marked = base.includes(id) ? base.filter((other) => other !== id) : [...base, id].slice(-2);
    this.select(id);
  }

  /** Opens the Compare view on two calls (their bodies kept while it shows them). */
  compare(a: string, b: string): void {
    if (!this.captures.has(a) || !this.captures.has(b)) return;
    // The new pair is pinned before the old one lets go: a call in both keeps its body.
    this.pin([a, b]);
    if (this.comparing) this.unpin([this.comparing.a, this.comparing.b]);
    this.comparing = { a, b };
    this.marked = [a, b];
    this.loadCompared();
    this.changed();
  }

  /** Asks again for a compared call's body that is not here (never loaded, or let go before it was pinned). */
  loadCompared(): void {
    if (!this.comparing) return;
    for (const id of [this.comparing.a, this.comparing.b]) {
      const capture = this.captures.get(id);
      if (capture && !capture.loaded && !capture.loading && !capture.loadError) void this.load(id);
    }
  }

  closeCompare(): void {
    const shown = this.comparing;
    this.comparing = undefined;
    if (shown) this.unpin([shown.a, shown.b]);
    this.changed();
  }

  select(id: string | undefined, byHand = true): void {
    const previous = this.selectedId;
    if (this.replay && this.replay.captureId !== id) this.replay = undefined;
    this.selectedId = id;
    if (byHand) this.follow = id === this.order[this.order.length - 1];
    this.viewed(previous);
    this.ensureLoaded(id);
    this.changed();
  }

  setFollow(follow: boolean): void {
    this.follow = follow;
    if (follow) {
      this.viewed(this.selectedId);
      this.selectedId = this.order[this.order.length - 1];
      this.ensureLoaded(this.selectedId);
    }
    this.changed();
  }

  private viewed(id: string | undefined): void {
    if (id === undefined) return;
    this.recentlyViewed = [id, ...this.recentlyViewed.filter((other) => other !== id)].slice(0, RECENTLY_VIEWED_KEPT);
    this.unloadUnviewed();
  }

  setView(view: ViewName): void {
    this.view = view;
    this.changed();
  }

  /** A short message for the user (what was copied), shown a few seconds. */
  notice: { text: string; id: number } | undefined;
  private noticeCount = 0;

  notify(text: string): void {
    this.notice = { text, id: ++this.noticeCount };
    this.changed();
  }

  /** Clears the notice if it is still the one that was shown (`id`). */
  clearNotice(id: number): void {
    if (this.notice?.id !== id) return;
    this.notice = undefined;
    this.changed();
  }

  /** Reads the list's layout (and how model text is shown) from `storage`, where later changes are kept too. */
  useLayoutStorage(storage: LayoutStorage | undefined): void {
    this.layoutStorage = storage;
    this.layout = loadLayout(storage);
    try {
      this.markdown = storage?.getItem(MARKDOWN_KEY) !== 'plain';
    } catch {
      this.markdown = true;
    }
    this.changed();
  }

  /** Model text as Markdown (the default) or as the plain text it is. */
  setMarkdown(markdown: boolean): void {
    this.markdown = markdown;
    try {
      this.layoutStorage?.setItem(MARKDOWN_KEY, markdown ? 'markdown' : 'plain');
    } catch {
      // kept for this session only
    }
    this.changed();
  }

  setLayout(layout: ListLayout): void {
    this.layout = layout;
    saveLayout(this.layoutStorage, layout);
    this.changed();
  }

  setFilter(text: string): void {
    this.filterText = text;
    // The detail follows the filter: a selection the filter hides gives way to the newest response it shows.
    const visible = this.visibleCaptures();
    if (this.selectedId === undefined || !visible.some((capture) => capture.id === this.selectedId)) {
      this.selectedId = visible[visible.length - 1]?.id;
      this.ensureLoaded(this.selectedId);
    }
    this.changed();
  }

  /** Settings the user just changed: shown (and built on by the next change) before the background echoes them. */
  setSettings(settings: CaptureSettings): void {
    this.settings = settings;
    this.changed();
  }

  setConnection(state: ConnectionState): void {
    if (state === 'reconnecting') this.reconnections++;
    this.connection = state;
    this.changed();
  }

  /** Adds captures read from files (HAR, recording) named `files`: they live in this panel only. */
  addLocal(captures: PanelCapture[], messages: string[] = [], files: string[] = []): void {
    this.importMessages = messages;
    this.files = [...this.files, ...files];
    for (const capture of captures) this.add(capture);
    const last = captures[captures.length - 1];
    if (last) {
      this.selectedId = last.id;
      this.ensureLoaded(last.id);
    }
    this.changed();
  }
}
