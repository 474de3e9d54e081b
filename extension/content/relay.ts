/**
 * The content script in the extension's ISOLATED world, beside the page hook
 * in every frame. It carries the hook's capture messages to the background
 * over a port, and keeps each message until the background says it is
 * persisted, so that a background service worker stopped mid-stream loses
 * nothing: on reconnect, the relay sends again what was not confirmed.
 */
import { browser, type Runtime } from '../browser-api.ts';
import {
  DEFAULT_SETTINGS,
  PROTOCOL_VERSION,
  captureIdOf,
  type BackgroundToRelay,
  type CaptureMessage,
  type CaptureSettings,
  type PageToRelay,
  type RelayToBackground,
  type RelayToPage,
} from '../core/protocol.ts';
import { SETTINGS_KEY, readSettings } from '../settings.ts';
import { HANDSHAKE_EVENT } from './handshake.ts';
import { TARGET_BROWSER } from '../target-browser.ts';

interface HeldCapture {
  start?: CaptureMessage;
  response?: CaptureMessage;
  chunks: Map<number, CaptureMessage>;
  end?: CaptureMessage;
  bytes: number;
}

/**
 * How long the relay gathers the hook's batches before it sends them on. Firefox runs an extension's messaging in
 * JavaScript on the page's own thread: each send is work a page's next chunk waits behind when it arrives meanwhile
 * (a paced stream's slowest frames came about 0.8 ms later, p99, with a send per frame; a send every 32 ms took that
 * away). In Chrome a send is cheap for the page, and the panel shows each chunk as it comes.
 */
const SEND_EVERY_MS = TARGET_BROWSER === 'firefox' ? 32 : 0;

/** What the relay holds for the background at most; past it, the oldest finished captures go first. */
const MAX_HELD_BYTES = 32 * 1024 * 1024;

const held = new Map<string, HeldCapture>();
let heldBytes = 0;
let port: Runtime.Port | undefined;
let connections = 0;
let extensionGone = false;

function send(message: RelayToBackground): void {
  if (extensionGone) return;
  try {
    // Without a port, connect and send everything held (this message included), not just this message.
    if (!port) replay();
    else port.postMessage(message);
  } catch {
    // The extension was reloaded or removed: this relay is orphaned.
    extensionGone = true;
  }
}

function connect(): Runtime.Port {
  const opened = browser.runtime.connect({ name: 'capture' });
  port = opened;
  connections++;
  opened.onMessage.addListener((message: unknown) => onBackgroundMessage(message as BackgroundToRelay));
  opened.onDisconnect.addListener(() => {
    port = undefined;
    // The background went away (a stopped service worker): come back and send what it did not confirm.
    if (!extensionGone && held.size > 0) setTimeout(replay, 0);
  });
  opened.postMessage({ kind: 'relay.hello', protocolVersion: PROTOCOL_VERSION, frameUrl: location.href, reconnect: connections > 1, heldCaptureIds: [...held.keys()] } satisfies RelayToBackground);
  return opened;
}

function replay(): void {
  if (port || extensionGone) return;
  // What was gathered is held, and sent with the rest.
  gathered = [];
  if (sendTimer !== undefined) clearTimeout(sendTimer);
  sendTimer = undefined;
  try {
    const opened = connect();
    const messages: CaptureMessage[] = [];
    for (const capture of held.values()) {
      for (const message of [capture.start, capture.response, ...capture.chunks.values(), capture.end]) {
        if (message) messages.push(message);
      }
    }
    opened.postMessage({ kind: 'capture.batch', messages } satisfies RelayToBackground);
  } catch {
    extensionGone = true;
  }
}

/** What a chunk holds in memory: its text (two bytes a character) or its bytes. */
function chunkBytes(message: CaptureMessage & { kind: 'capture.chunk' }): number {
  return message.chunk.text.length * 2 + (message.chunk.bytes?.byteLength ?? 0);
}

function hold(message: CaptureMessage): void {
  const id = captureIdOf(message);
  let capture = held.get(id);
  if (!capture) {
    capture = { chunks: new Map(), bytes: 0 };
    held.set(id, capture);
  }
  switch (message.kind) {
    case 'capture.start':
      capture.start = message;
      break;
    case 'capture.response':
      capture.response = message;
      break;
    case 'capture.chunk':
      capture.chunks.set(message.chunk.index, message);
      capture.bytes += chunkBytes(message);
      heldBytes += chunkBytes(message);
      break;
    case 'capture.end':
      capture.end = message;
      break;
  }
  if (heldBytes > MAX_HELD_BYTES) dropOldestFinished();
}

function dropOldestFinished(): void {
  for (const [id, capture] of held) {
    if (heldBytes <= MAX_HELD_BYTES) return;
    if (!capture.end) continue;
    heldBytes -= capture.bytes;
    held.delete(id);
  }
}

function onBackgroundMessage(message: BackgroundToRelay): void {
  if (message.kind !== 'relay.persisted') return;
  const capture = held.get(message.captureId);
  if (!capture) return;
  for (const [index, chunk] of capture.chunks) {
    if (index > message.upTo) continue;
    const size = chunk.kind === 'capture.chunk' ? chunkBytes(chunk) : 0;
    capture.bytes -= size;
    heldBytes -= size;
    capture.chunks.delete(index);
  }
  if (message.complete) {
    heldBytes -= capture.bytes;
    held.delete(message.captureId);
  }
}

/** The private channel from the page hook (see handshake.ts). */
let pagePort: MessagePort | undefined;
let lastSettings: CaptureSettings | undefined;

function postSettingsToPage(settings: CaptureSettings): void {
  lastSettings = settings;
  pagePort?.postMessage({ kind: 'relay.settings', settings } satisfies RelayToPage);
}

function onPageMessage(event: MessageEvent<PageToRelay>): void {
  const data = event.data;
  if (!data || data.kind !== 'page.batch' || !Array.isArray(data.messages)) return;
  for (const message of data.messages) hold(message);
  if (SEND_EVERY_MS === 0) {
    send({ kind: 'capture.batch', messages: data.messages });
    return;
  }
  for (const message of data.messages) gathered.push(message);
  // A hidden page's timers wait a second or more: its batches go at once.
  if (document.visibilityState === 'hidden') sendGathered();
  else sendTimer ??= setTimeout(sendGathered, SEND_EVERY_MS);
}

/** The hook's batches not sent on yet (see `SEND_EVERY_MS`). */
let gathered: CaptureMessage[] = [];
let sendTimer: ReturnType<typeof setTimeout> | undefined;

function sendGathered(): void {
  if (sendTimer !== undefined) clearTimeout(sendTimer);
  sendTimer = undefined;
  if (gathered.length === 0) return;
  const messages = gathered;
  gathered = [];
  send({ kind: 'capture.batch', messages });
}

// A document going away (a navigation, a closed tab) sends what it gathered first.
window.addEventListener('pagehide', sendGathered);

/** Takes the port the page hook offers (see handshake.ts); the first offer is the hook's, made before any page script. */
function onHandshake(event: Event): void {
  const offered = (event as MessageEvent).ports?.[0];
  if (pagePort || !offered) return;
  window.removeEventListener(HANDSHAKE_EVENT, onHandshake);
  pagePort = offered;
  pagePort.onmessage = onPageMessage;
  pagePort.postMessage({ kind: 'relay.accept' } satisfies RelayToPage);
  if (lastSettings) postSettingsToPage(lastSettings);
}

window.addEventListener(HANDSHAKE_EVENT, onHandshake);
// The hook ran first and its offer found no listener: ask for it (synchronously, still before any page script).
if (!pagePort) window.dispatchEvent(new MessageEvent(HANDSHAKE_EVENT));

browser.storage.onChanged.addListener((changes, area) => {
  const change = changes[SETTINGS_KEY];
  if (area === 'local' && change) postSettingsToPage({ ...DEFAULT_SETTINGS, ...(change.newValue as Partial<CaptureSettings>) });
});

try {
  connect();
} catch {
  extensionGone = true;
}
void readSettings().then(postSettingsToPage, () => undefined);
