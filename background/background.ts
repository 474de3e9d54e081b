/**
 * The background: receives captures (from page relays in Chrome, from the
 * stream filter in Firefox, from DevTools' network log), keeps them in the
 * per-tab store, and forwards them to the panels inspecting that tab.
 */
import { browser, type Runtime } from '../extension/browser-api.ts';
import {
  PROTOCOL_VERSION,
  captureIdOf,
  type BackgroundToPanel,
  type BackgroundToRelay,
  type CaptureMessage,
  type CaptureSettings,
  type PanelToBackground,
  type RelayToBackground,
} from '../extension/core/protocol.ts';
import { readSettings, writeSettings } from '../extension/settings.ts';
import { CaptureStore, limitsOf, type Confirmation } from './capture-store.ts';
import { PanelLink } from './panel-link.ts';
import { IndexedDbCaptureDatabase, MemoryCaptureDatabase, type CaptureDatabase } from './capture-db.ts';
import { CapturePersistence } from './persistence.ts';
import { startFilterCapture } from './firefox-capture.ts';

const store = new CaptureStore();
const panelPorts = new Map<number, Set<PanelLink>>();
/** Which relay port delivered each capture, to confirm persistence back to it. */
const relayPortOf = new Map<string, Runtime.Port>();
let settings: CaptureSettings | undefined;

/** Set in storage.session, which lasts as long as the browser session: its absence at start means a new session. */
const SESSION_KEY = 'session';
/** A body this long takes the panel longer to read whole than a glance: its final response is sent first. */
const PREVIEW_ABOVE_CHARS = 256 * 1024;
/** What the panel reads of a loaded body in one task. */
const LOAD_PART_CHARS = 512 * 1024;

/** Consecutive chunks, a part ending once it holds `chars` characters. */
function partsOf<T extends { text: string }>(chunks: readonly T[], chars: number): T[][] {
  const parts: T[][] = [];
  let part: T[] = [];
  let held = 0;
  for (const chunk of chunks) {
    part.push(chunk);
    held += chunk.text.length;
    if (held >= chars) {
      parts.push(part);
      part = [];
      held = 0;
    }
  }
  if (part.length > 0 || parts.length === 0) parts.push(part);
  return parts;
}

function openDatabase(): CaptureDatabase {
  try {
    return new IndexedDbCaptureDatabase();
  } catch {
    // No IndexedDB here: captures live as long as the background does.
    return new MemoryCaptureDatabase();
  }
}

let persistence = new CapturePersistence(store, openDatabase(), confirmPersisted);

/** Everything waits for the store to be read back from the database. */
const ready: Promise<void> = (async () => {
  try {
    await persistence.load();
    // The database outlives the browser; tab ids do not (a new session reuses them): captures of a past session go.
    if (!(await browser.storage.session.get(SESSION_KEY))[SESSION_KEY]) {
      store.forgetAll();
      await persistence.flush();
      await browser.storage.session.set({ [SESSION_KEY]: true });
    }
  } catch {
    // An unreadable database: start empty, in memory.
    store.forgetAll();
    store.takeDirty();
    persistence = new CapturePersistence(store, new MemoryCaptureDatabase(), confirmPersisted);
  }
  settings = await readSettings().catch(() => undefined);
  store.setLimits(limitsOf(settings));
  await forgetClosedTabs();
})();

function broadcast(tabId: number, messages: BackgroundToPanel[]): void {
  if (messages.length === 0) return;
  persistence.schedule();
  const links = panelPorts.get(tabId);
  if (!links) return;
  for (const link of links) {
    for (const message of messages) {
      try {
        link.post(message);
      } catch {
        links.delete(link);
        link.close();
      }
    }
  }
}

function confirmPersisted(captures: Confirmation[]): void {
  for (const capture of captures) {
    const port = relayPortOf.get(capture.captureId);
    if (!port) continue;
    const message: BackgroundToRelay = { kind: 'relay.persisted', captureId: capture.captureId, upTo: capture.upTo, complete: capture.complete };
    try {
      port.postMessage(message);
    } catch {
      relayPortOf.delete(capture.captureId);
    }
    if (capture.complete) relayPortOf.delete(capture.captureId);
  }
}

/** Applies a capture message from any source. */
function applyCapture(tabId: number, frameId: number | undefined, message: CaptureMessage): void {
  if (message.kind === 'capture.start' && settings?.paused) return;
  broadcast(tabId, store.apply(tabId, frameId, message));
}

function onRelayConnect(port: Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  const frameId = port.sender?.frameId;
  if (tabId === undefined) return;
  let queue = ready;
  port.onMessage.addListener((raw: unknown) => {
    const message = raw as RelayToBackground;
    // Keep each port's messages in order behind the store's restore; one bad message must not stop the rest.
    queue = queue
      .then(() => {
        if (message.kind === 'relay.hello') {
          if (message.reconnect) broadcast(tabId, store.relayReconnected(tabId, frameId, message.heldCaptureIds ?? []));
          else if (frameId === 0) onNavigation(tabId);
          return;
        }
        if (message.kind !== 'capture.batch' || !Array.isArray(message.messages)) return;
        const batchIds = new Set<string>();
        for (const received of message.messages) {
          if (!isCaptureMessage(received)) continue;
          const capture = withText(received);
          const captureId = captureIdOf(capture);
          batchIds.add(captureId);
          relayPortOf.set(captureId, port);
          applyCapture(tabId, frameId, capture);
        }
        // A capture the store does not keep (cleared, dropped by the bounds, started while paused) is done with:
        // the relay may forget it, or it would send it again after every restart of the background.
        for (const captureId of batchIds) if (!store.find(captureId)) release(port, captureId);
      })
      .catch(() => undefined);
  });
  port.onDisconnect.addListener(() => {
    const orphaned: string[] = [];
    for (const [captureId, owner] of relayPortOf) {
      if (owner !== port) continue;
      relayPortOf.delete(captureId);
      orphaned.push(captureId);
    }
    // The relay's document is gone (a navigation, a removed frame): its unfinished captures will never end.
    void ready.then(() => broadcast(tabId, store.interruptCaptures(orphaned, 'The page went away before this stream ended.')));
  });
}

function release(port: Runtime.Port, captureId: string): void {
  relayPortOf.delete(captureId);
  try {
    port.postMessage({ kind: 'relay.persisted', captureId, upTo: Number.MAX_SAFE_INTEGER, complete: true } satisfies BackgroundToRelay);
  } catch {
    // The relay is gone too.
  }
}

/** Messages come from pages, which can forge them: check the shape before the store sees one. */
function isCaptureMessage(value: unknown): value is CaptureMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  const body = (key: string) => typeof message[key] === 'object' && message[key] !== null && typeof (message[key] as { captureId?: unknown }).captureId === 'string';
  switch (message.kind) {
    case 'capture.start':
      return body('start') && typeof (message.start as { url?: unknown }).url === 'string' && Array.isArray((message.start as { requestHeaders?: unknown }).requestHeaders);
    case 'capture.response':
      return body('response') && Array.isArray((message.response as { responseHeaders?: unknown }).responseHeaders);
    case 'capture.chunk':
      return body('chunk') && typeof (message.chunk as { text?: unknown }).text === 'string' && Number.isInteger((message.chunk as { index?: unknown }).index);
    case 'capture.end':
      return body('end');
    default:
      return false;
  }
}

// Each chunk is decoded alone: a U+FEFF at its start is text, not a byte order mark (the SSE decoder drops a real one).
const chunkDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A chunk sent as bytes (Firefox's page hook: whole characters each) with its text; the bytes stay, to be stored. */
function withText(message: CaptureMessage): CaptureMessage {
  if (message.kind !== 'capture.chunk' || !(message.chunk.bytes instanceof ArrayBuffer)) return message;
  return { kind: 'capture.chunk', chunk: { ...message.chunk, text: chunkDecoder.decode(message.chunk.bytes) } };
}

/** When recording was paused (`to` unset while it still is): the newest few spans. */
const pauses: Array<{ from: number; to?: number }> = [];

function notePauses(before: CaptureSettings | undefined, after: CaptureSettings): void {
  const now = Date.now();
  if (after.paused && !before?.paused) pauses.push({ from: now });
  const open = pauses[pauses.length - 1];
  if (!after.paused && open && open.to === undefined) open.to = now;
  if (pauses.length > 100) pauses.shift();
}

function startedWhilePaused(startedAt: number): boolean {
  if (settings?.paused) return true;
  return pauses.some((pause) => startedAt >= pause.from && startedAt <= (pause.to ?? Infinity));
}

/** A new top document clears the log (the store notes when: DevTools may report older requests after it). */
function onNavigation(tabId: number): void {
  if (settings?.preserveLog) return;
  // Broadcast even when the store is empty: panels clear what they imported too.
  store.clear(tabId, Date.now());
  broadcast(tabId, [{ kind: 'store.cleared', tabId, reason: 'navigation' }]);
  void persistence.flush();
}

/**
 * A finished capture's body for a panel: a big one's end first (`store.load-preview`, its final response at once),
 * then the whole body, in parts past `LOAD_PART_CHARS`.
 */
async function answerLoad(link: PanelLink, tabId: number, captureId: string): Promise<void> {
  const found = store.find(captureId);
  const from = found?.summary?.terminalFrom;
  if (found && found.tabId === tabId && from !== undefined && found.chars > PREVIEW_ABOVE_CHARS) {
    const tail = await persistence.loadCapture(captureId, from.chunk).catch(() => undefined);
    const first = tail?.chunks[0];
    if (tail && first) {
      if (first.index === from.chunk) tail.chunks[0] = { ...first, text: first.text.slice(from.offset) };
      const fromStart = from.chunk === 0 && from.offset === 0 && first.index === 0;
      const preview: BackgroundToPanel = { kind: 'store.load-preview', captureId, fromStart, chunks: tail.chunks };
      if (tail.start.requestBody !== undefined) preview.requestBody = tail.start.requestBody;
      link.post(preview);
    }
  }
  const snapshot = await persistence.loadCapture(captureId).catch(() => undefined);
  if (!snapshot || snapshot.tabId !== tabId) {
    link.post({ kind: 'store.load-failed', captureId, reason: 'This response is no longer kept.' });
    return;
  }
  const parts = partsOf(snapshot.chunks, LOAD_PART_CHARS);
  const loaded: BackgroundToPanel = { kind: 'store.loaded', snapshot: { ...snapshot, chunks: parts[0] ?? [] } };
  if (parts.length > 1) loaded.parts = parts.length;
  link.post(loaded);
  for (let index = 1; index < parts.length; index++) {
    link.post({ kind: 'store.load-part', captureId, chunks: parts[index] ?? [], last: index === parts.length - 1 });
  }
}

/**
 * Whether a request DevTools reports belongs to the tab's log: not started before its last clear (a request of the
 * page before the last navigation belongs to the cleared log), nor while recording was paused (DevTools reports such
 * a request only once it finished, maybe after recording resumed).
 */
function inLog(tabId: number, startedAt: number): boolean {
  return startedAt >= store.clearedAt(tabId) && !startedWhilePaused(startedAt);
}

function onPanelConnect(port: Runtime.Port): void {
  let subscribedTab: number | undefined;
  const link = new PanelLink(port);
  port.onMessage.addListener((raw: unknown) => {
    const message = raw as PanelToBackground;
    void ready.then(async () => {
      switch (message.kind) {
        case 'panel.subscribe': {
          if (message.protocolVersion !== PROTOCOL_VERSION) {
            port.postMessage({ kind: 'store.version-mismatch', expected: PROTOCOL_VERSION } satisfies BackgroundToPanel);
            return;
          }
          if (subscribedTab !== undefined) panelPorts.get(subscribedTab)?.delete(link);
          subscribedTab = message.tabId;
          link.useChannel(message.channel);
          let links = panelPorts.get(message.tabId);
          if (!links) {
            links = new Set();
            panelPorts.set(message.tabId, links);
          }
          links.add(link);
          const current = settings ?? (await readSettings());
          link.post({
            kind: 'store.snapshot',
            protocolVersion: PROTOCOL_VERSION,
            tabId: message.tabId,
            captures: store.snapshots(message.tabId),
            settings: current,
            evicted: store.evictedCount(message.tabId),
          } satisfies BackgroundToPanel);
          return;
        }
        case 'panel.clear':
          // Requests finished after the clear but started before it belong to the cleared log, as on a navigation.
          store.clear(message.tabId, Date.now());
          broadcast(message.tabId, [{ kind: 'store.cleared', tabId: message.tabId, reason: 'user' }]);
          // Written at once: a background stopped before a delayed write would restore what the user cleared.
          void persistence.flush();
          return;
        case 'panel.settings': {
          notePauses(settings, message.settings);
          settings = message.settings;
          filterCapture?.settingsChanged();
          await writeSettings(message.settings);
          const evictions = store.setLimits(limitsOf(message.settings));
          for (const tabId of new Set([...panelPorts.keys(), ...evictions.keys()])) {
            broadcast(tabId, [{ kind: 'store.settings', settings: message.settings }, ...(evictions.get(tabId) ?? [])]);
          }
          return;
        }
        case 'panel.load':
          await answerLoad(link, message.tabId, message.captureId);
          return;
        case 'panel.network':
          // A request the page hook captured belongs to the log, even if DevTools' clock puts its start a little before.
          if (!store.hasNetworkTwin(message.tabId, message.snapshot.start) && !inLog(message.tabId, message.snapshot.start.startedAt)) return;
          broadcast(message.tabId, store.mergeNetwork(message.tabId, message.snapshot));
          return;
        case 'panel.network-report': {
          const { messages, bodyWanted } = store.mergeNetworkReport(message.tabId, message.snapshot, inLog(message.tabId, message.snapshot.start.startedAt));
          broadcast(message.tabId, messages);
          port.postMessage({ kind: 'store.network-report-taken', reportId: message.reportId, bodyWanted } satisfies BackgroundToPanel);
          return;
        }
      }
    });
  });
  port.onDisconnect.addListener(() => {
    if (subscribedTab !== undefined) panelPorts.get(subscribedTab)?.delete(link);
    link.close();
  });
}

async function forgetClosedTabs(): Promise<void> {
  const open = new Set((await browser.tabs.query({})).map((tab) => tab.id));
  for (const tabId of store.tabIds()) {
    if (!open.has(tabId)) store.removeTab(tabId);
  }
  persistence.schedule();
}

browser.runtime.onConnect.addListener((port) => {
  if (port.name === 'capture') onRelayConnect(port);
  else if (port.name === 'panel') onPanelConnect(port);
});

// The toolbar button opens the transcript viewer: HAR files and recordings, without any inspected page.
browser.action.onClicked.addListener(() => {
  void browser.tabs.create({ url: browser.runtime.getURL('panel/viewer.html') });
});

browser.tabs.onRemoved.addListener((tabId) => {
  void ready.then(() => {
    store.removeTab(tabId);
    persistence.schedule();
  });
});

// Firefox reads workers' bodies here (a document's come through its relay, as in Chrome); a new top document
// clears the log when its relay says hello.
const filterCapture = startFilterCapture(
  (tabId, frameId, message) => void ready.then(() => applyCapture(tabId, frameId, message)),
  () => settings,
);
void ready.then(() => filterCapture?.settingsChanged());
