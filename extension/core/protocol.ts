/**
 * The one message protocol between the page (capture hooks), the background
 * (per-tab store) and the DevTools panel. Every message crosses a structured
 * clone or JSON boundary, so it holds plain data only: body chunks travel as
 * text (SSE is UTF-8 by definition), times as epoch milliseconds.
 */

import type { CaptureSummary } from './capture-reading.ts';
import type { PriceOverride } from './cost.ts';

export const PROTOCOL_VERSION = 2;

export type HeaderList = Array<{ name: string; value: string }>;

/** `server`: a call of the app's server, recorded by `responses-devtools proxy`. */
export type CaptureInitiator = 'fetch' | 'xhr' | 'websocket' | 'network' | 'background' | 'import' | 'server';

export type CaptureState = 'pending' | 'streaming' | 'complete' | 'cancelled' | 'error';

/** What is known of a captured request before its body arrives. */
export interface CaptureStart {
  captureId: string;
  url: string;
  method: string;
  /**
   * As sent, credentials included: they stay inside the browser (memory and
   * the extension's IndexedDB), every view masks them, every export redacts them unless
   * the user asks to keep them.
   */
  requestHeaders: HeaderList;
  /** The request body as text (JSON for Responses calls). */
  requestBody?: string;
  initiator: CaptureInitiator;
  /** A WebSocket's responses (one capture each) share the id of their connection. */
  connectionId?: string;
  startedAt: number;
  frameUrl?: string;
}

export interface CaptureResponse {
  captureId: string;
  status: number;
  statusText: string;
  responseHeaders: HeaderList;
  receivedAt: number;
}

export interface CaptureChunk {
  captureId: string;
  /** Position of this chunk in the body: lets a receiver notice loss and drop repeats. */
  index: number;
  text: string;
  /**
   * Firefox's page hook sends the bytes (whole characters each time, but for a character cut short by the body's
   * end; `text` empty) and the background decodes
   * them: decoding on the page's thread costs the page there, and Firefox's ports carry binary data. Only the
   * background reads this: it keeps them to store (see `StoredChunk.bytes`); to panels every chunk is text.
   */
  bytes?: ArrayBuffer;
  receivedAt: number;
}

export interface CaptureEnd {
  captureId: string;
  state: Extract<CaptureState, 'complete' | 'cancelled' | 'error'>;
  endedAt: number;
  error?: string;
}

/** Network-level detail that DevTools' Network panel knows and a page hook does not. */
export interface NetworkTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  ssl?: number;
  send?: number;
  wait?: number;
  receive?: number;
}

/** Messages a capture source (page hook, background filter, DevTools network) emits. */
export type CaptureMessage =
  | { kind: 'capture.start'; start: CaptureStart }
  | { kind: 'capture.response'; response: CaptureResponse }
  | { kind: 'capture.chunk'; chunk: CaptureChunk }
  | { kind: 'capture.end'; end: CaptureEnd };

export function captureIdOf(message: CaptureMessage): string {
  switch (message.kind) {
    case 'capture.start':
      return message.start.captureId;
    case 'capture.response':
      return message.response.captureId;
    case 'capture.chunk':
      return message.chunk.captureId;
    case 'capture.end':
      return message.end.captureId;
  }
}

/** A finished capture whose body the store keeps on disk: what a list shows of it until someone opens it. */
export interface StoredBody {
  /** Characters of the body. */
  chars: number;
  summary: CaptureSummary;
}

/** The whole of one capture, as the store holds it and sends it to a panel that (re)connects. */
export interface CaptureSnapshot {
  start: CaptureStart;
  response?: CaptureResponse;
  chunks: Array<{ index: number; text: string; receivedAt: number }>;
  /**
   * Set when the body (the chunks and the request body) stayed on disk: `chunks` is empty and
   * `start.requestBody` absent until the panel asks for them (`panel.load`).
   */
  stored?: StoredBody;
  end?: CaptureEnd;
  /** Chunks known to be missing (a gap the store could not fill). */
  lostChunks?: number;
  /** Why part of this capture may be missing, in words for the panel. */
  lossNote?: string;
  networkTimings?: NetworkTimings;
  tabId: number;
  frameId?: number;
}

export interface CaptureSettings {
  /** URL patterns (`*` matches anything) captured on top of the built-in Responses endpoints. */
  urlPatterns: string[];
  /** Recording paused: new requests are not captured. */
  paused: boolean;
  /** Keep captures across navigations of the inspected page. */
  preserveLog: boolean;
  /** What a tab keeps at most: past either bound, the oldest finished captures go. */
  maxCapturesPerTab: number;
  maxMegabytesPerTab: number;
  /** Model prices the user set, over the bundled table's. */
  priceOverrides: PriceOverride[];
  /** Where `responses-devtools proxy` may listen (`host:port` on the loopback interface): the panel shows their calls. */
  proxyAddresses: string[];
}

export const DEFAULT_SETTINGS: CaptureSettings = {
  urlPatterns: [],
  paused: false,
  preserveLog: false,
  maxCapturesPerTab: 10_000,
  maxMegabytesPerTab: 1024,
  priceOverrides: [],
  proxyAddresses: ['127.0.0.1:8788'],
};

/**
 * Page hook ⇄ ISOLATED relay, over a private MessageChannel whose port the
 * hook hands the relay in a synchronous handshake on the window (see
 * `extension/content/handshake.ts`): nothing is ever posted on the window.
 */
/** Over the private channel. */
export type PageToRelay = { kind: 'page.batch'; messages: CaptureMessage[] };
export type RelayToPage = { kind: 'relay.accept' } | { kind: 'relay.settings'; settings: CaptureSettings };

/** Relay (content script) → background, over a port named "capture". Capture messages travel in batches. */
export type RelayToBackground =
  | { kind: 'capture.batch'; messages: CaptureMessage[] }
  | {
      kind: 'relay.hello';
      protocolVersion: number;
      frameUrl: string;
      /** This relay connected before: the background restarted, the document did not change. */
      reconnect: boolean;
      /** Captures the relay still holds (not all confirmed persisted). */
      heldCaptureIds: string[];
    };

/** Background → relay. `persisted` confirms chunks up to `upTo` are safe, so the relay may forget them. */
export type BackgroundToRelay = { kind: 'relay.persisted'; captureId: string; upTo: number; complete: boolean };

/** Panel → background, over a port named "panel". */
export type PanelToBackground =
  /**
   * `channel`: the name of a `BroadcastChannel` the panel listens on, for every message to it from then on (Chrome,
   * whose ports carry JSON; see `background/panel-link.ts`); without it, they come over the port.
   */
  | { kind: 'panel.subscribe'; tabId: number; protocolVersion: number; channel?: string }
  | { kind: 'panel.clear'; tabId: number }
  | { kind: 'panel.settings'; settings: CaptureSettings }
  /** DevTools' network log finished a Responses request: merge it into the page hook's capture, or add it. */
  | { kind: 'panel.network'; tabId: number; snapshot: CaptureSnapshot }
  /**
   * The same, without the body (`chunks` empty): the page hook has most requests already, and reading a body
   * back from DevTools costs the browser a copy of it. The background answers `store.network-report-taken`,
   * asking for the body only when no capture of its own matches.
   */
  | { kind: 'panel.network-report'; tabId: number; reportId: string; snapshot: CaptureSnapshot }
  /** The panel opens a capture whose body is on disk. */
  | { kind: 'panel.load'; tabId: number; captureId: string };

/** Background → panel. */
export type BackgroundToPanel =
  | { kind: 'store.snapshot'; protocolVersion: number; tabId: number; captures: CaptureSnapshot[]; settings: CaptureSettings; evicted: number }
  | { kind: 'store.capture'; message: CaptureMessage }
  | { kind: 'store.capture-added'; snapshot: CaptureSnapshot }
  | { kind: 'store.update'; captureId: string; lostChunks?: number; lossNote?: string; networkTimings?: NetworkTimings; requestHeaders?: HeaderList; responseHeaders?: HeaderList }
  | { kind: 'store.cleared'; tabId: number; reason: 'user' | 'navigation' }
  | { kind: 'store.evicted'; captureIds: string[]; evicted: number }
  | { kind: 'store.settings'; settings: CaptureSettings }
  | { kind: 'store.version-mismatch'; expected: number }
  /**
   * The answer to `panel.load`: the whole capture, or why it cannot be had (dropped meanwhile, storage unreadable).
   * A big body comes in parts, each read in a task of its own: `parts` says how many; the others follow as
   * `store.load-part`.
   */
  | { kind: 'store.loaded'; snapshot: CaptureSnapshot; parts?: number }
  | { kind: 'store.load-part'; captureId: string; chunks: CaptureSnapshot['chunks']; last: boolean }
  | { kind: 'store.load-failed'; captureId: string; reason: string }
  /**
   * Before `store.loaded` of a big finished capture: its body from a chunk at or before its last terminal event
   * (`CaptureSummary.terminalFrom`), enough to show the final response while the whole body comes.
   */
  | { kind: 'store.load-preview'; captureId: string; fromStart: boolean; chunks: CaptureSnapshot['chunks']; requestBody?: string }
  /** The answer to `panel.network-report`, to the devtools page that sent it. */
  | { kind: 'store.network-report-taken'; reportId: string; bodyWanted: boolean };
