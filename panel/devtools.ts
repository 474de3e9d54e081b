/**
 * The devtools page: lives as long as DevTools is open on a tab. It registers
 * the panel and watches DevTools' own network log, which sees requests the
 * page hook cannot (from workers), and knows network timings and the full
 * request headers of those it did see.
 */
import { browser, type Runtime } from '../extension/browser-api.ts';
import {
  captureFromHarEntry,
  compileUrlPatterns,
  isEventStream,
  isLlmEventData,
  shouldCapture,
  type BackgroundToPanel,
  type CaptureSettings,
  type CaptureSnapshot,
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
/** Reports of requests the background has not answered yet: their body is read from DevTools only if it asks. */
const pendingReports = new Map<string, { request: FinishedRequest; snapshot: CaptureSnapshot }>();

function connect(): Runtime.Port {
  const opened = browser.runtime.connect({ name: 'panel' });
  opened.onMessage.addListener((raw) => {
    const message = raw as BackgroundToPanel;
    if (message.kind !== 'store.network-report-taken') return;
    const report = pendingReports.get(message.reportId);
    pendingReports.delete(message.reportId);
    if (report && message.bodyWanted) {
      void bodyOf(report.request).then((body) => send({ kind: 'panel.network', tabId, snapshot: captureFromHarEntry(report.request, body, tabId, report.snapshot.start.captureId) }));
    }
  });
  opened.onDisconnect.addListener(() => {
    port = connect();
    // A restarted background never saw these (or its answers were lost): ask again.
    for (const [reportId, { snapshot }] of pendingReports) send({ kind: 'panel.network-report', tabId, reportId, snapshot });
  });
  return opened;
}
let port = connect();

function send(message: PanelToBackground): void {
  try {
    port.postMessage(message);
  } catch {
    port = connect();
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
  const captureId = `net-${Date.now().toString(36)}-${++counter}`;
  if (known) {
    const snapshot = captureFromHarEntry(request, '', tabId, captureId);
    pendingReports.set(captureId, { request, snapshot });
    send({ kind: 'panel.network-report', tabId, reportId: captureId, snapshot });
    return;
  }
  // An event stream from a URL no pattern names: only its body tells whether it is an LLM stream.
  void bodyOf(request).then((body) => {
    if (!isLlmEventData(body.slice(body.indexOf('data:') + 5))) return;
    send({ kind: 'panel.network', tabId, snapshot: captureFromHarEntry(request, body, tabId, captureId) });
  });
});
