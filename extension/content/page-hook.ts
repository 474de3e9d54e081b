/**
 * Runs in the page's own JavaScript world (MAIN), at document_start, in every
 * frame. It wraps `fetch` and `XMLHttpRequest` so that Responses API bodies are
 * copied, chunk by chunk, to the extension while the page reads them.
 *
 * The page must not notice: it gets the very bytes, as soon as they arrive;
 * cancelling its reader cancels the request; the Response keeps its url,
 * status, headers, redirected and type. Any failure in here falls back to the
 * page's own, unwrapped objects. No extension API exists in this world.
 */
import { isEventStream, isResponsesEventData, compileUrlPatterns, shouldCapture } from '../core/request-match.ts';
import { SseDecoder } from '../core/sse-decoder.ts';
import {
  DEFAULT_SETTINGS,
  PAGE_MESSAGE_TAG,
  type CaptureMessage,
  type CaptureSettings,
  type HeaderList,
  type PageToRelay,
  type RelayToPage,
  type WindowHandshake,
} from '../core/protocol.ts';

declare global {
  interface Window {
    [PAGE_MESSAGE_TAG]?: boolean;
  }
}

const now = () => performance.timeOrigin + performance.now();

let settings: CaptureSettings = DEFAULT_SETTINGS;
let userPatterns: RegExp[] = [];
let captureCounter = 0;
const frameId = Math.random().toString(36).slice(2, 10);

/**
 * Messages wait for the current task to end and leave together: one
 * postMessage per batch, not per chunk, keeps our work off the page's read
 * loop. Each chunk keeps its own receive time.
 */
let outbox: CaptureMessage[] = [];
let flushScheduled = false;
/** The private channel to the relay, once the relay accepted it. */
let relayPort: MessagePort | undefined;

/** Next chunk index of each capture: indexes are given when chunks leave, after merging. */
const nextChunkIndex = new Map<string, number>();

/**
 * Pieces of one body that arrived within the same task leave as one chunk
 * (stamped with the last piece's time, when the merged text was complete):
 * a burst of thousands of tiny reads costs a few messages, not thousands.
 */
function mergeChunks(messages: CaptureMessage[]): CaptureMessage[] {
  const merged: CaptureMessage[] = [];
  for (const message of messages) {
    const previous = merged[merged.length - 1];
    if (message.kind === 'capture.chunk' && previous?.kind === 'capture.chunk' && previous.chunk.captureId === message.chunk.captureId) {
      previous.chunk.text += message.chunk.text;
      previous.chunk.receivedAt = message.chunk.receivedAt;
      continue;
    }
    merged.push(message.kind === 'capture.chunk' ? { kind: 'capture.chunk', chunk: { ...message.chunk } } : message);
  }
  for (const message of merged) {
    if (message.kind === 'capture.chunk') {
      const index = nextChunkIndex.get(message.chunk.captureId) ?? 0;
      message.chunk.index = index;
      nextChunkIndex.set(message.chunk.captureId, index + 1);
    } else if (message.kind === 'capture.end') {
      nextChunkIndex.delete(message.end.captureId);
    }
  }
  return merged;
}

function flush(): void {
  flushScheduled = false;
  // Until the relay has accepted the channel, messages wait here (in order).
  if (!relayPort || outbox.length === 0) return;
  const messages = mergeChunks(outbox);
  outbox = [];
  try {
    relayPort.postMessage({ kind: 'page.batch', messages } satisfies PageToRelay);
  } catch {
    // The extension is an observer: a failure to report must never reach the page.
  }
}

function post(message: CaptureMessage): void {
  outbox.push(message);
  if (flushScheduled) return;
  flushScheduled = true;
  setTimeout(flush, 0);
}

/** Offers the relay a fresh channel; the first one it accepts is kept. */
function offerChannel(): void {
  if (relayPort) return;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event: MessageEvent<RelayToPage>) => {
    const message = event.data;
    if (message.kind === 'relay.accept') {
      relayPort ??= channel.port1;
      flush();
    } else if (message.kind === 'relay.settings') {
      settings = message.settings;
      userPatterns = compileUrlPatterns(settings.urlPatterns);
    }
  };
  const offer: WindowHandshake = { tag: PAGE_MESSAGE_TAG, from: 'page', offer: true };
  // Sandboxed and file: documents have an opaque origin, which postMessage cannot target by name.
  window.postMessage(offer, location.origin === 'null' ? '*' : location.origin, [channel.port2]);
}

function listenForRelay(): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.source !== window) return;
    const data = event.data as Partial<{ tag: string; from: string; hello: boolean }> | null;
    // The relay loaded after our first offer went out: offer again.
    if (data && data.tag === PAGE_MESSAGE_TAG && data.from === 'relay' && data.hello) offerChannel();
  });
}

function newCaptureId(): string {
  return `${frameId}-${++captureCounter}`;
}

function headerList(headers: Headers | Record<string, string> | Array<[string, string]> | undefined): HeaderList {
  const list: HeaderList = [];
  if (!headers) return list;
  new Headers(headers).forEach((value, name) => list.push({ name, value }));
  return list;
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return undefined;
}

/**
 * Reports one body's chunks. A stream on a URL that is not a known Responses
 * endpoint is reported only once its first event proves to be a Responses event.
 */
class BodyReporter {
  private readonly decoder = new TextDecoder();
  private pending: Array<{ text: string; receivedAt: number }> | undefined;
  private pendingLength = 0;
  private probe: SseDecoder | undefined;
  private decided: boolean;
  private reporting: boolean;

  constructor(
    private readonly captureId: string,
    private readonly start: CaptureMessage & { kind: 'capture.start' },
    private readonly response: CaptureMessage & { kind: 'capture.response' },
    knownEndpoint: boolean,
  ) {
    this.decided = knownEndpoint;
    this.reporting = knownEndpoint;
    if (knownEndpoint) {
      post(start);
      post(response);
    } else {
      this.pending = [];
      this.probe = new SseDecoder();
    }
  }

  chunk(bytes: Uint8Array | string, receivedAt: number): void {
    if (this.decided && !this.reporting) return;
    const text = typeof bytes === 'string' ? bytes : this.decoder.decode(bytes, { stream: true });
    if (text === '') return;
    if (!this.decided) {
      this.pending?.push({ text, receivedAt });
      this.pendingLength += text.length;
      // No complete event in the first 64 KB: not a Responses stream worth holding on to.
      if (this.pendingLength > 65536) {
        this.decided = true;
        this.pending = undefined;
        this.probe = undefined;
        return;
      }
      const frames = this.probe?.push(text) ?? [];
      const first = frames[0];
      if (!first) return;
      this.decided = true;
      this.reporting = isResponsesEventData(first.data);
      if (this.reporting) {
        post(this.start);
        post(this.response);
        for (const held of this.pending ?? []) this.send(held.text, held.receivedAt);
      }
      this.pending = undefined;
      this.probe = undefined;
      return;
    }
    if (this.reporting) this.send(text, receivedAt);
  }

  end(state: 'complete' | 'cancelled' | 'error', error?: unknown): void {
    if (!this.reporting) return;
    const rest = this.decoder.decode();
    if (rest !== '') this.send(rest, now());
    const end: CaptureMessage = { kind: 'capture.end', end: { captureId: this.captureId, state, endedAt: now() } };
    if (error !== undefined) end.end.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    post(end);
  }

  private send(text: string, receivedAt: number): void {
    post({ kind: 'capture.chunk', chunk: { captureId: this.captureId, index: -1, text, receivedAt } });
  }
}

// ── fetch ────────────────────────────────────────────────────────────────

function hookFetch(): void {
  const originalFetch = window.fetch;
  const wrapped = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let request: FetchDescription | undefined;
    try {
      if (!settings.paused) request = describeFetch(input, init);
    } catch {
      request = undefined;
    }
    const startedAt = now();
    const pending = originalFetch.call(this, input, init);
    if (!request) return pending;
    const described = request;
    return pending.then((response) => {
      try {
        return observeResponse(response, described, startedAt);
      } catch {
        return response;
      }
    });
  };
  // Keep the native function's look for code that inspects it.
  Object.defineProperty(wrapped, 'name', { value: 'fetch' });
  Object.defineProperty(wrapped, 'length', { value: originalFetch.length });
  window.fetch = wrapped as typeof window.fetch;
}

interface FetchDescription {
  method: string;
  url: string;
  headers: HeaderList;
  body?: string;
  known: boolean;
  signal?: AbortSignal;
}

function describeFetch(input: RequestInfo | URL, init: RequestInit | undefined): FetchDescription {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const url = new URL(isRequest ? input.url : String(input), location.href).href;
  const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
  const known = shouldCapture(method, url, userPatterns);
  const headers = headerList(init?.headers ?? (isRequest ? input.headers : undefined));
  const body = bodyText(init?.body);
  const description: FetchDescription = { method, url, headers, known };
  if (body !== undefined) description.body = body;
  const signal = init?.signal ?? (isRequest ? input.signal : undefined);
  if (signal) description.signal = signal;
  return description;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function observeResponse(response: Response, request: FetchDescription, startedAt: number): Response {
  const contentType = response.headers.get('content-type');
  const eventStream = isEventStream(contentType);
  if (!request.known && !eventStream) return response;
  // An opaque or body-less response cannot be rebuilt, and has nothing to show.
  if (!response.body || response.type === 'opaque' || response.type === 'opaqueredirect') return response;

  const captureId = newCaptureId();
  const startMessage: CaptureMessage & { kind: 'capture.start' } = {
    kind: 'capture.start',
    start: {
      captureId,
      url: request.url,
      method: request.method,
      requestHeaders: request.headers,
      initiator: 'fetch',
      startedAt,
      frameUrl: location.href,
    },
  };
  if (request.body !== undefined) startMessage.start.requestBody = request.body;
  const responseMessage: CaptureMessage & { kind: 'capture.response' } = {
    kind: 'capture.response',
    response: { captureId, status: response.status, statusText: response.statusText, responseHeaders: headerList(response.headers), receivedAt: now() },
  };
  const reporter = new BodyReporter(captureId, startMessage, responseMessage, request.known);
  const upstream = response.body.getReader();
  let finished = false;
  const finish = (state: 'complete' | 'cancelled' | 'error', error?: unknown) => {
    if (finished) return;
    finished = true;
    if (onAbort) request.signal?.removeEventListener('abort', onAbort);
    try {
      reporter.end(state, error);
    } catch {
      // observer only
    }
  };

  // Pull-based: a chunk is read from the network only when the page asks for
  // one, and handed over at once. Nothing is buffered, nothing read ahead.
  let onAbort: (() => void) | undefined;
  const pageBody = new ReadableStream(
    {
      // A byte stream, as native bodies are (BYOB readers work); high-water mark 0: nothing is read ahead.
      type: 'bytes',
      start(controller) {
        // The page aborting its request errors a native body at once, read or not: so does this one.
        onAbort = () => {
          finish('cancelled', request.signal?.reason);
          try {
            controller.error(request.signal?.reason);
          } catch {
            // already closed
          }
        };
        request.signal?.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await upstream.read();
        } catch (error) {
          finish(isAbort(error) ? 'cancelled' : 'error', error);
          controller.error(error);
          return;
        }
        if (result.done) {
          finish('complete');
          controller.close();
          controller.byobRequest?.respond(0);
          return;
        }
        try {
          reporter.chunk(result.value, now());
        } catch {
          // observer only
        }
        controller.enqueue(result.value as Uint8Array<ArrayBuffer>);
      },
      cancel(reason) {
        finish('cancelled', reason);
        return upstream.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const rebuilt = new Response(pageBody, { status: response.status, statusText: response.statusText, headers: response.headers });
  keepIdentity(rebuilt, response);
  return rebuilt;
}

/** A rebuilt Response (and its clones) keeps the url, redirected and type of the one it stands for. */
function keepIdentity(rebuilt: Response, original: Response): void {
  for (const property of ['url', 'redirected', 'type'] as const) {
    Object.defineProperty(rebuilt, property, { value: original[property], enumerable: true, configurable: true });
  }
  const nativeClone = Response.prototype.clone;
  Object.defineProperty(rebuilt, 'clone', {
    configurable: true,
    value: function clone(this: Response) {
      const copy = nativeClone.call(this);
      keepIdentity(copy, original);
      return copy;
    },
  });
}

// ── XMLHttpRequest ───────────────────────────────────────────────────────

interface XhrState {
  method: string;
  url: string;
  headers: HeaderList;
}

const xhrStates = new WeakMap<XMLHttpRequest, XhrState>();
/** The listeners of an XHR's current send: a reused XHR drops those of its previous request. */
const xhrListeners = new WeakMap<XMLHttpRequest, AbortController>();

function hookXhr(): void {
  const proto = XMLHttpRequest.prototype;
  const originalOpen = proto.open;
  const originalSetRequestHeader = proto.setRequestHeader;
  const originalSend = proto.send;

  proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    try {
      xhrStates.set(this, { method: method.toUpperCase(), url: new URL(String(url), location.href).href, headers: [] });
    } catch {
      xhrStates.delete(this);
    }
    return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;

  proto.setRequestHeader = function setRequestHeader(this: XMLHttpRequest, name: string, value: string) {
    try {
      xhrStates.get(this)?.headers.push({ name: String(name).toLowerCase(), value: String(value) });
    } catch {
      // observer only
    }
    return originalSetRequestHeader.call(this, name, value);
  };

  proto.send = function send(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    try {
      const state = xhrStates.get(this);
      if (state && !settings.paused) observeXhr(this, state, bodyText(body));
    } catch {
      // observer only
    }
    return originalSend.call(this, body);
  };
}

function observeXhr(xhr: XMLHttpRequest, state: XhrState, body: string | undefined): void {
  xhrListeners.get(xhr)?.abort();
  const listeners = new AbortController();
  xhrListeners.set(xhr, listeners);
  const options = { signal: listeners.signal };
  const known = shouldCapture(state.method, state.url, userPatterns);
  const startedAt = now();
  let reporter: BodyReporter | undefined;
  let seen = 0;
  let decided = false;
  let finished = false;

  const readNewText = () => {
    if (!reporter) return;
    if (xhr.responseType !== '' && xhr.responseType !== 'text') return;
    const text = xhr.responseText;
    if (text.length > seen) {
      reporter.chunk(text.slice(seen), now());
      seen = text.length;
    }
  };
  const onHeaders = () => {
    if (decided || xhr.readyState < XMLHttpRequest.HEADERS_RECEIVED) return;
    decided = true;
    if (!known && !isEventStream(xhr.getResponseHeader('content-type'))) return;
    const captureId = newCaptureId();
    const headers: HeaderList = xhr
      .getAllResponseHeaders()
      .trim()
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => {
        const colon = line.indexOf(':');
        return { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
      });
    const start: CaptureMessage & { kind: 'capture.start' } = {
      kind: 'capture.start',
      start: { captureId, url: state.url, method: state.method, requestHeaders: state.headers, initiator: 'xhr', startedAt, frameUrl: location.href },
    };
    if (body !== undefined) start.start.requestBody = body;
    const response: CaptureMessage & { kind: 'capture.response' } = {
      kind: 'capture.response',
      response: { captureId, status: xhr.status, statusText: xhr.statusText, responseHeaders: headers, receivedAt: now() },
    };
    reporter = new BodyReporter(captureId, start, response, known);
  };
  const finish = (state: 'complete' | 'cancelled' | 'error') => {
    if (finished) return;
    finished = true;
    try {
      onHeaders();
      readNewText();
      if (reporter && state === 'complete' && xhr.responseType !== '' && xhr.responseType !== 'text') {
        const whole = xhr.responseType === 'json' ? JSON.stringify(xhr.response) : undefined;
        if (whole !== undefined) reporter.chunk(whole, now());
      }
      reporter?.end(state, state === 'error' ? 'network error' : undefined);
    } catch {
      // observer only
    }
    listeners.abort();
  };
  const guard = (callback: () => void) => () => {
    try {
      callback();
    } catch {
      // observer only
    }
  };
  xhr.addEventListener(
    'readystatechange',
    guard(() => {
      onHeaders();
      readNewText();
    }),
    options,
  );
  xhr.addEventListener('progress', guard(readNewText), options);
  xhr.addEventListener('load', () => finish('complete'), options);
  xhr.addEventListener('abort', () => finish('cancelled'), options);
  xhr.addEventListener('error', () => finish('error'), options);
  xhr.addEventListener('timeout', () => finish('error'), options);
}

// Installed once per world, even if the script is injected twice.
if (!window[PAGE_MESSAGE_TAG]) {
  Object.defineProperty(window, PAGE_MESSAGE_TAG, { value: true });
  listenForRelay();
  try {
    offerChannel();
  } catch {
    // No channel, no capture: the page is unaffected.
  }
  try {
    hookFetch();
  } catch {
    // Leave fetch as it was.
  }
  try {
    hookXhr();
  } catch {
    // Leave XMLHttpRequest as it was.
  }
}
