/**
 * Firefox: the background reads the Responses bodies that no page hook sees
 * (requests from workers), as they stream, with `webRequest.filterResponseData`.
 * A document's own requests are the page hook's, as in Chrome: a response
 * filter keeps its request alive when the page cancels the body (the page's
 * `reader.cancel()` never reaches the network while a filter is attached), and
 * it slows every response it sits on.
 *
 * Each chunk is written on to the page first, unchanged, and only then
 * reported: whatever our code does, the page's bytes are not held back.
 */
import { browser, type WebRequest } from '../extension/browser-api.ts';
import {
  compileUrlPatterns,
  isEventStream,
  isLlmEventData,
  shouldCapture,
  SseDecoder,
  type CaptureMessage,
  type CaptureSettings,
  type HeaderList,
} from '../extension/core/index.ts';

type Report = (tabId: number, frameId: number | undefined, message: CaptureMessage) => void;

interface StreamFilter {
  ondata: ((event: { data: ArrayBuffer }) => void) | null;
  onstop: (() => void) | null;
  onerror: (() => void) | null;
  write(data: ArrayBuffer): void;
  close(): void;
  disconnect(): void;
  error: string;
}

interface Pending {
  requestId: string;
  captureId: string;
  tabId: number;
  frameId: number;
  method: string;
  url: string;
  startedAt: number;
  body?: string;
  requestHeaders: HeaderList;
  /** Known endpoint or user pattern: report from the start. Otherwise only once the first event proves to be a Responses event. */
  known: boolean;
  reporting: boolean;
  filtered: boolean;
  /** The filter delivered its last data. */
  filterStopped: boolean;
  /** webRequest said the request completed, maybe before the filter's last data. */
  completed: boolean;
  ended: boolean;
  chunkIndex: number;
  decoder: TextDecoder;
  probe?: SseDecoder;
  held: Array<{ text: string; receivedAt: number }>;
  response?: CaptureMessage & { kind: 'capture.response' };
}

/** True where `filterResponseData` exists: Firefox. Feature detection, not browser sniffing. */
export function canFilterResponses(): boolean {
  const webRequest = (browser as unknown as { webRequest?: { filterResponseData?: unknown } }).webRequest;
  return typeof webRequest?.filterResponseData === 'function';
}

export function startFilterCapture(report: Report, settings: () => CaptureSettings | undefined): { settingsChanged(): void } | undefined {
  if (!canFilterResponses()) return undefined;
  const pending = new Map<string, Pending>();
  let patternSource: string[] = [];
  let patterns: RegExp[] = [];
  const userPatterns = () => {
    const current = settings()?.urlPatterns ?? [];
    if (current !== patternSource) {
      patternSource = current;
      patterns = compileUrlPatterns(current);
    }
    return patterns;
  };
  const filterResponseData = (requestId: string) =>
    (browser.webRequest as unknown as { filterResponseData(id: string): StreamFilter }).filterResponseData(requestId);

  const emit = (entry: Pending, message: CaptureMessage) => {
    try {
      report(entry.tabId, entry.frameId, message);
    } catch {
      // observer only
    }
  };

  const startReporting = (entry: Pending) => {
    entry.reporting = true;
    const start: CaptureMessage = {
      kind: 'capture.start',
      start: { captureId: entry.captureId, url: entry.url, method: entry.method, requestHeaders: entry.requestHeaders, initiator: 'background', startedAt: entry.startedAt },
    };
    if (entry.body !== undefined) start.start.requestBody = entry.body;
    emit(entry, start);
    if (entry.response) emit(entry, entry.response);
    for (const held of entry.held) sendChunk(entry, held.text, held.receivedAt);
    entry.held = [];
  };

  const sendChunk = (entry: Pending, text: string, receivedAt: number) => {
    emit(entry, { kind: 'capture.chunk', chunk: { captureId: entry.captureId, index: entry.chunkIndex++, text, receivedAt } });
  };

  const onChunk = (entry: Pending, data: ArrayBuffer) => {
    const receivedAt = Date.now();
    const text = entry.decoder.decode(data, { stream: true });
    if (text === '') return;
    if (entry.reporting) {
      sendChunk(entry, text, receivedAt);
      return;
    }
    // A known request's headers may come after its first bytes (their listener does not block): keep those till then.
    if (entry.known) {
      entry.held.push({ text, receivedAt });
      return;
    }
    if (!entry.probe) return;
    entry.held.push({ text, receivedAt });
    const first = entry.probe.push(text)[0];
    if (!first) return;
    entry.probe = undefined;
    if (isLlmEventData(first.data)) startReporting(entry);
    else entry.held = [];
  };

  const finish = (entry: Pending, state: 'complete' | 'cancelled' | 'error', error?: string) => {
    if (entry.ended) return;
    entry.ended = true;
    pending.delete(entry.captureId);
    if (!entry.reporting) return;
    const rest = entry.decoder.decode();
    if (rest !== '') sendChunk(entry, rest, Date.now());
    const end: CaptureMessage = { kind: 'capture.end', end: { captureId: entry.captureId, state, endedAt: Date.now() } };
    if (error) end.end.error = error;
    emit(entry, end);
  };

  const attachFilter = (entry: Pending) => {
    if (entry.filtered) return;
    entry.filtered = true;
    let filter: StreamFilter;
    try {
      filter = filterResponseData(entry.requestId);
    } catch {
      return;
    }
    filter.ondata = (event) => {
      // The page's bytes first, unchanged; then our copy.
      filter.write(event.data);
      try {
        onChunk(entry, event.data);
      } catch {
        // observer only
      }
    };
    // The filter also stops when the page aborts: webRequest.onCompleted / onErrorOccurred
    // (which follow at once) say how the request really ended. The timers only cover their absence.
    filter.onstop = () => {
      entry.filterStopped = true;
      try {
        filter.close();
      } finally {
        if (entry.completed) finish(entry, 'complete');
        else setTimeout(() => finish(entry, 'complete'), 2000);
      }
    };
    filter.onerror = () => {
      const reason = filter.error;
      setTimeout(() => finish(entry, /abort/i.test(reason) ? 'cancelled' : 'error', reason), 2000);
    };
  };

  const onBeforeRequest = (details: WebRequest.OnBeforeRequestDetailsType) => {
      try {
        if (settings()?.paused || details.tabId < 0 || fromDocument(details)) return {};
        const known = shouldCapture(details.method, details.url, userPatterns());
        const entry = newEntry(details, known);
        const raw = details.requestBody?.raw?.[0]?.bytes;
        if (raw) entry.body = new TextDecoder().decode(raw as ArrayBuffer);
        if (!known) {
          // With user patterns every request is seen, and an event stream is sniffed once its headers say so (a
          // blocking listener). Without, only a Responses path is: sniffed from here, the headers listener not blocking.
          if ((settings()?.urlPatterns ?? []).length > 0) return {};
          entry.probe = new SseDecoder();
        }
        pending.set(entry.captureId, entry);
        attachFilter(entry);
      } catch {
        // observer only
      }
      return {};
  };

  const onSendHeaders = (details: WebRequest.OnSendHeadersDetailsType) => {
      const entry = pending.get(`ff-${details.requestId}`);
      if (entry) entry.requestHeaders = headerList(details.requestHeaders);
  };

  const onHeadersReceived = (details: WebRequest.OnHeadersReceivedDetailsType) => {
      try {
        const headers = headerList(details.responseHeaders);
        const contentType = headers.find((header) => header.name.toLowerCase() === 'content-type')?.value;
        let entry = pending.get(`ff-${details.requestId}`);
        if (!entry && isEventStream(contentType) && details.tabId >= 0 && !fromDocument(details) && !settings()?.paused) {
          // An event stream on a URL only a user pattern named: watch it, report it only if it turns out to be a Responses stream.
          entry = newEntry(details, false);
          entry.probe = new SseDecoder();
          pending.set(entry.captureId, entry);
          attachFilter(entry);
        }
        if (!entry) return {};
        entry.response = {
          kind: 'capture.response',
          response: {
            captureId: entry.captureId,
            status: details.statusCode,
            statusText: details.statusLine.replace(/^\S+\s+\d+\s*/, ''),
            responseHeaders: headers,
            receivedAt: details.timeStamp,
          },
        };
        if (entry.known && !entry.reporting) startReporting(entry);
      } catch {
        // observer only
      }
      return {};
  };

  const onCompleted = (details: WebRequest.OnCompletedDetailsType) => {
      const entry = pending.get(`ff-${details.requestId}`);
      if (!entry) return;
      entry.completed = true;
      if (entry.filterStopped) finish(entry, 'complete');
  };

  const onErrorOccurred = (details: WebRequest.OnErrorOccurredDetailsType) => {
      const entry = pending.get(`ff-${details.requestId}`);
      if (!entry) return;
      const aborted = /ABORT/i.test(details.error);
      finish(entry, aborted ? 'cancelled' : 'error', details.error);
  };

  /**
   * Listeners only on fetch/XHR requests (a worker's API call is one) to a Responses path, or to anything when the
   * user added URL patterns (match patterns cannot say all they can): every other request, on every site, never
   * waits for the extension. Registered again when the patterns change.
   */
  let registeredFor: string | undefined;
  const register = () => {
    const patterns = settings()?.urlPatterns ?? [];
    const key = patterns.join('\n');
    if (key === registeredFor) return;
    registeredFor = key;
    const events = browser.webRequest;
    events.onBeforeRequest.removeListener(onBeforeRequest);
    events.onSendHeaders.removeListener(onSendHeaders);
    events.onHeadersReceived.removeListener(onHeadersReceived);
    events.onCompleted.removeListener(onCompleted);
    events.onErrorOccurred.removeListener(onErrorOccurred);
    const filter = { urls: patterns.length > 0 ? ['<all_urls>'] : RESPONSES_URLS, types: ['xmlhttprequest'] as WebRequest.ResourceType[] };
    events.onBeforeRequest.addListener(onBeforeRequest, filter, ['blocking', 'requestBody']);
    events.onSendHeaders.addListener(onSendHeaders, filter, ['requestHeaders']);
    // Blocking only to attach a filter to an event stream on a URL that only a user pattern named (see onBeforeRequest).
    events.onHeadersReceived.addListener(onHeadersReceived, filter, patterns.length > 0 ? ['blocking', 'responseHeaders'] : ['responseHeaders']);
    events.onCompleted.addListener(onCompleted, filter);
    events.onErrorOccurred.addListener(onErrorOccurred, filter);
  };
  register();
  return { settingsChanged: register };
}

/** Every URL whose path ends in /responses, or goes on past it (a stream resumed by its id); queries included. */
const RESPONSES_URLS = ['*://*/*/responses', '*://*/*/responses?*', '*://*/*/responses/*'];

/** A document's request carries its document's id; a worker's does not. The page hook captures a document's requests. */
function fromDocument(details: object): boolean {
  return typeof (details as { documentId?: unknown }).documentId === 'string';
}

function newEntry(details: { requestId: string; tabId: number; frameId: number; method: string; url: string; timeStamp: number }, known: boolean): Pending {
  return {
    requestId: details.requestId,
    captureId: `ff-${details.requestId}`,
    tabId: details.tabId,
    frameId: details.frameId,
    method: details.method.toUpperCase(),
    url: details.url,
    startedAt: details.timeStamp,
    requestHeaders: [],
    known,
    reporting: false,
    filtered: false,
    filterStopped: false,
    completed: false,
    ended: false,
    chunkIndex: 0,
    decoder: new TextDecoder(),
    held: [],
  };
}

function headerList(headers: WebRequest.HttpHeaders | undefined): HeaderList {
  return (headers ?? []).map((header) => ({ name: header.name, value: header.value ?? '' }));
}
