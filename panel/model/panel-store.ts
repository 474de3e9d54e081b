import { DEFAULT_SETTINGS, type BackgroundToPanel, type CaptureMessage, type CaptureSettings } from '../../extension/core/index.ts';
import { PanelCapture } from './panel-capture.ts';

export type ViewName = 'assembly' | 'usage' | 'events' | 'request' | 'raw';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'version-mismatch';

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
  evicted = 0;
  connection: ConnectionState = 'connecting';
  /** The background restarted and the panel reconnected this many times. */
  reconnections = 0;
  revision = 0;
  /** What the last import had to say (files that are not HAR, broken entries). */
  importMessages: string[] = [];
  private listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.revision++;
    for (const listener of this.listeners) listener();
  }

  get selected(): PanelCapture | undefined {
    return this.selectedId === undefined ? undefined : this.captures.get(this.selectedId);
  }

  visibleCaptures(): PanelCapture[] {
    const filter = this.filterText.trim().toLowerCase();
    const all = this.order.map((id) => this.captures.get(id)).filter((capture): capture is PanelCapture => capture !== undefined);
    if (filter === '') return all;
    return all.filter((capture) => `${capture.start.method} ${capture.start.url} ${capture.model ?? ''} ${capture.status}`.toLowerCase().includes(filter));
  }

  applyMessage(message: BackgroundToPanel): void {
    switch (message.kind) {
      case 'store.snapshot': {
        const previousSelection = this.selectedId;
        this.captures.clear();
        this.order = [];
        for (const snapshot of message.captures) this.add(new PanelCapture(snapshot));
        this.settings = message.settings;
        this.evicted = message.evicted;
        this.connection = 'connected';
        this.selectedId = !this.follow && previousSelection && this.captures.has(previousSelection) ? previousSelection : this.order[this.order.length - 1];
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
        this.captures.clear();
        this.order = [];
        this.selectedId = undefined;
        this.evicted = 0;
        this.follow = true;
        break;
      case 'store.evicted':
        for (const id of message.captureIds) this.captures.delete(id);
        this.order = this.order.filter((id) => this.captures.has(id));
        this.evicted = message.evicted;
        if (this.selectedId !== undefined && !this.captures.has(this.selectedId)) this.selectedId = this.order[this.order.length - 1];
        break;
      case 'store.settings':
        this.settings = message.settings;
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
        return;
    }
  }

  private add(capture: PanelCapture): void {
    this.captures.set(capture.id, capture);
    this.order.push(capture.id);
  }

  select(id: string | undefined, byHand = true): void {
    this.selectedId = id;
    if (byHand) this.follow = id === this.order[this.order.length - 1];
    this.changed();
  }

  setFollow(follow: boolean): void {
    this.follow = follow;
    if (follow) this.selectedId = this.order[this.order.length - 1];
    this.changed();
  }

  setView(view: ViewName): void {
    this.view = view;
    this.changed();
  }

  setFilter(text: string): void {
    this.filterText = text;
    this.changed();
  }

  setConnection(state: ConnectionState): void {
    if (state === 'reconnecting') this.reconnections++;
    this.connection = state;
    this.changed();
  }

  /** Adds captures read from a file (HAR, recording): they live in this panel only. */
  addLocal(captures: PanelCapture[], messages: string[] = []): void {
    this.importMessages = messages;
    for (const capture of captures) this.add(capture);
    const last = captures[captures.length - 1];
    if (last) this.selectedId = last.id;
    this.changed();
  }
}
