/**
 * The devtools page: lives as long as DevTools is open on a tab. It registers
 * the panel and watches DevTools' own network log, which sees requests the
 * page hook cannot (from workers), and knows network timings and the full
 * request headers of those it did see.
 */
import { browser } from '../extension/browser-api.ts';
import {
  captureFromHarEntry,
  compileUrlPatterns,
  isEventStream,
  isResponsesEventData,
  shouldCapture,
  type CaptureSettings,
  type HarEntryLike,
  type PanelToBackground,
} from '../extension/core/index.ts';
import { readSettings, SETTINGS_KEY } from '../extension/settings.ts';
import { PANEL_TITLE } from './panel-title.ts';

void browser.devtools.panels.create(PANEL_TITLE, '/icons/icon-32.png', '/panel/panel.html');

const tabId = browser.devtools.inspectedWindow.tabId;
let patterns: RegExp[] = [];
let preserveLog = false;
const applySettings = (settings: Partial<CaptureSettings> | undefined) => {
  patterns = compileUrlPatterns(settings?.urlPatterns ?? []);
  preserveLog = settings?.preserveLog ?? false;
};
void readSettings().then(applySettings, () => undefined);
browser.storage.onChanged.addListener((changes, area) => {
  const change = changes[SETTINGS_KEY];
  if (area === 'local' && change) applySettings(change.newValue as Partial<CaptureSettings> | undefined);
});

/** DevTools reports a finished request late, sometimes after the page moved on: those belong to the old page. */
let navigatedAt = 0;
browser.devtools.network.onNavigated.addListener(() => {
  navigatedAt = Date.now();
});

type FinishedRequest = HarEntryLike & { getContent(callback?: (content: string, encoding: string) => void): Promise<[string, string]> | undefined };

/** Chrome's getContent takes a callback; Firefox's returns a promise. */
function bodyOf(request: FinishedRequest): Promise<string> {
  return new Promise((resolve) => {
    const decode = (content: string | null | undefined, encoding: string | undefined) => {
      if (!content) return resolve('');
      if (encoding === 'base64') {
        const bytes = Uint8Array.from(atob(content), (char) => char.charCodeAt(0));
        return resolve(new TextDecoder().decode(bytes));
      }
      resolve(content);
    };
    const result = request.getContent((content, encoding) => decode(content, encoding));
    if (result && typeof result.then === 'function') result.then(([content, encoding]) => decode(content, encoding), () => resolve(''));
  });
}

let counter = 0;
let port = browser.runtime.connect({ name: 'panel' });
port.onDisconnect.addListener(() => (port = browser.runtime.connect({ name: 'panel' })));

function send(message: PanelToBackground): void {
  try {
    port.postMessage(message);
  } catch {
    port = browser.runtime.connect({ name: 'panel' });
    port.postMessage(message);
  }
}

browser.devtools.network.onRequestFinished.addListener((raw) => {
  const request = raw as unknown as FinishedRequest;
  if (!preserveLog && Date.parse(request.startedDateTime) < navigatedAt) return;
  const method = request.request.method;
  const url = request.request.url;
  const known = shouldCapture(method, url, patterns);
  const mimeType = request.response.content?.mimeType;
  if (!known && !isEventStream(mimeType)) return;
  void bodyOf(request).then((body) => {
    if (!known && !isResponsesEventData(body.slice(body.indexOf('data:') + 5))) return;
    const snapshot = captureFromHarEntry(request, body, tabId, `net-${Date.now().toString(36)}-${++counter}`);
    send({ kind: 'panel.network', tabId, snapshot });
  });
});
