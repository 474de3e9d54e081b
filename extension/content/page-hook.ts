/**
 * Runs in the page's own JavaScript world (MAIN), at document_start, in every
 * frame. It wraps `fetch` and `XMLHttpRequest` so that Responses API bodies are
 * copied, chunk by chunk, to the extension while the page reads them.
 *
 * The page must not notice: it gets the very bytes, as soon as they arrive;
 * cancelling its reader cancels the request; every wrapper reads as native
 * (`natives.ts`); the page's arguments are read once, and what was read is
 * what the native gets; a rebuilt Response behaves as the native one
 * (`response-disguise.ts`). Any failure in here falls back to the page's own,
 * unwrapped objects. No extension API exists in this world.
 */
import { isEventStream, isLlmEventData, compileUrlPatterns, shouldCapture } from '../core/request-match.ts';
import { SseDecoder } from '../core/sse-decoder.ts';
import { sseOfFrame } from '../core/websocket-frames.ts';
import { wholeCharactersLength } from '../core/utf8.ts';
import { DEFAULT_SETTINGS, type CaptureMessage, type CaptureSettings, type HeaderList, type PageToRelay, type RelayToPage } from '../core/protocol.ts';
import { HANDSHAKE_EVENT } from './handshake.ts';
import { TARGET_BROWSER } from '../target-browser.ts';
import { call, callNative, disguise, disguiseMethod, disguiseToString, getVia, natives, PrivateMap, scrubStack } from './natives.ts';
import { disguiseResponses, registerRebuilt, type RebuiltState } from './response-disguise.ts';

const now = () => natives.timeOrigin + natives.now();
const reflectGet = Reflect.get;
const toUpperCase = String.prototype.toUpperCase;
const toLowerCase = String.prototype.toLowerCase;
const NativeAbortController = AbortController;
const abortControllerAbort = AbortController.prototype.abort;
const abortControllerSignal = Object.getOwnPropertyDescriptor(AbortController.prototype, 'signal')?.get;

let settings: CaptureSettings = DEFAULT_SETTINGS;
let userPatterns: RegExp[] = [];
/** Firefox: a known stream's bytes go to the background undecoded (see `CaptureChunk.bytes`). */
const SEND_BYTES = TARGET_BROWSER === 'firefox';

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

const MERGED_CHUNK_CHARS = 128 * 1024;

/** Next chunk index of each capture: indexes are given when chunks leave, after merging. */
const nextChunkIndex = new Map<string, number>();

/**
 * Pieces of one body that arrived within the same task leave as one chunk
 * (stamped with the last piece's time, when the merged text was complete):
 * a burst of thousands of tiny reads costs a few messages, not thousands.
 * A chunk stops growing past `MERGED_CHUNK_CHARS`: the store reads chunks
 * whole, and a view of a body's end needs only its last chunks.
 */
function mergeChunks(messages: CaptureMessage[]): CaptureMessage[] {
  const merged: CaptureMessage[] = [];
  for (const message of messages) {
    const previous = merged[merged.length - 1];
    if (
      message.kind === 'capture.chunk' &&
      previous?.kind === 'capture.chunk' &&
      previous.chunk.captureId === message.chunk.captureId &&
      previous.chunk.text.length < MERGED_CHUNK_CHARS &&
      // Bytes stay as they came: joining them would copy them all again on the page's thread.
      previous.chunk.bytes === undefined &&
      message.chunk.bytes === undefined
    ) {
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
  // Bytes are handed over, not copied once more.
  const transfer: ArrayBuffer[] = [];
  for (const message of messages) if (message.kind === 'capture.chunk' && message.chunk.bytes) transfer[transfer.length] = message.chunk.bytes;
  try {
    relayPort.postMessage({ kind: 'page.batch', messages } satisfies PageToRelay, transfer);
  } catch {
    // The extension is an observer: a failure to report must never reach the page.
  }
}

function post(message: CaptureMessage): void {
  outbox.push(message);
  if (flushScheduled) return;
  flushScheduled = true;
  natives.setTimeout(flush, 0);
}

/** Hands the relay one end of a private channel (see handshake.ts). */
function connectToRelay(): void {
  const channel = new natives.MessageChannel();
  const offer = () => call(natives.dispatchEvent, window, new natives.MessageEvent(HANDSHAKE_EVENT, { ports: [channel.port2] }));
  const onRelayHello = (event: Event) => {
    if (!relayPort && (event as MessageEvent).ports.length === 0) offer();
  };
  channel.port1.onmessage = (event: MessageEvent<RelayToPage>) => {
    const message = event.data;
    if (message.kind === 'relay.accept') {
      if (!relayPort) call(natives.removeEventListener, window, HANDSHAKE_EVENT, onRelayHello);
      relayPort ??= channel.port1;
      flush();
    } else if (message.kind === 'relay.settings') {
      settings = message.settings;
      userPatterns = compileUrlPatterns(settings.urlPatterns);
    }
  };
  call(natives.addEventListener, window, HANDSHAKE_EVENT, onRelayHello);
  offer();
}

function newCaptureId(): string {
  return `${frameId}-${++captureCounter}`;
}

/** The entries of a native Headers; throws if `headers` is not one. */
function readHeaders(headers: unknown): HeaderList {
  const list: HeaderList = [];
  call(natives.headersForEach, headers, (value: string, name: string) => list.push({ name, value }));
  return list;
}

const bodyDecoder = new natives.TextDecoder();

/** A request body as text, when it is text or bytes; read through natives only, so no page code runs. */
function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body === null || typeof body !== 'object') return undefined;
  try {
    return call<string>(natives.searchParamsToString, body);
  } catch {
    // not URLSearchParams
  }
  try {
    if (natives.isView(body)) return call<string>(natives.decode, bodyDecoder, body);
    getVia(natives.arrayBufferByteLength, body);
    return call<string>(natives.decode, bodyDecoder, body);
  } catch {
    return undefined;
  }
}

function upperCase(method: string): string {
  return call<string>(toUpperCase, method);
}

/**
 * Reports one body's chunks. A stream on a URL that is not a known Responses
 * endpoint is reported only once its first event proves to be a Responses event.
 */
class BodyReporter {
  private readonly decoder = new natives.TextDecoder();
  /** Sends bytes, not text: a known endpoint's stream in Firefox. */
  private readonly sendsBytes: boolean;
  /** The start of a character whose other bytes are in the next chunk. */
  private carry: Uint8Array | undefined;
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
    this.sendsBytes = SEND_BYTES && knownEndpoint;
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
    if (this.sendsBytes && typeof bytes !== 'string') {
      this.sendBytes(bytes, receivedAt);
      return;
    }
    const text = typeof bytes === 'string' ? bytes : call<string>(natives.decode, this.decoder, bytes, { stream: true });
    if (text === '') return;
    if (!this.decided) {
      this.pending?.push({ text, receivedAt });
      this.pendingLength += text.length;
      // No complete event in the first 64 KB: not an LLM stream worth holding on to.
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
      this.reporting = isLlmEventData(first.data);
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
    const rest = call<string>(natives.decode, this.decoder);
    if (rest !== '') this.send(rest, now());
    // A character cut short by the end: its bytes go as they are, and decode as the decoder says.
    if (this.carry) this.postBytes(this.carry, now());
    this.carry = undefined;
    const end: CaptureMessage = { kind: 'capture.end', end: { captureId: this.captureId, state, endedAt: now() } };
    if (error !== undefined) end.end.error = describeError(error);
    post(end);
  }

  private send(text: string, receivedAt: number): void {
    post({ kind: 'capture.chunk', chunk: { captureId: this.captureId, index: -1, text, receivedAt } });
  }

  /** A copy of the page's bytes (its own stay with the page), cut after the last whole character. */
  private sendBytes(bytes: Uint8Array, receivedAt: number): void {
    const length = getVia<number>(natives.typedArrayLength, bytes);
    const carry = this.carry;
    let data = bytes;
    let total = length;
    if (carry) {
      const carried = getVia<number>(natives.typedArrayLength, carry);
      total = carried + length;
      data = new natives.Uint8Array(total);
      for (let index = 0; index < carried; index++) data[index] = carry[index] as number;
      for (let index = 0; index < length; index++) data[carried + index] = bytes[index] as number;
    }
    const whole = wholeCharactersLength(data, total);
    this.carry = whole < total ? copyOf(data, whole, total) : undefined;
    if (whole === 0) return;
    // A whole array of the page's is copied by the engine, from its internal slots: no page code runs.
    const out = whole < total ? copyOf(data, 0, whole) : data === bytes ? new natives.Uint8Array(bytes) : data;
    this.postBytes(out, receivedAt);
  }

  private postBytes(bytes: Uint8Array, receivedAt: number): void {
    const buffer = getVia<ArrayBuffer>(natives.typedArrayBuffer, bytes);
    post({ kind: 'capture.chunk', chunk: { captureId: this.captureId, index: -1, text: '', bytes: buffer, receivedAt } });
  }
}

/** Bytes `from`..`to` of `source` in a new array of ours, element by element: no method of the page's arrays runs. */
function copyOf(source: Uint8Array, from: number, to: number): Uint8Array {
  const copy = new natives.Uint8Array(to - from);
  for (let index = from; index < to; index++) copy[index - from] = source[index] as number;
  return copy;
}

/** Words for an error, without running page code (a page's error may have a getter or a toString of its own). */
function describeError(error: unknown): string {
  if (error instanceof DOMException || error instanceof TypeError) {
    const name = reflectGet(error, 'name') as unknown;
    const message = reflectGet(error, 'message') as unknown;
    if (typeof name === 'string' && typeof message === 'string') return `${name}: ${message}`;
  }
  return typeof error === 'string' ? error : 'the page gave a reason of its own';
}

// ── fetch ────────────────────────────────────────────────────────────────

/** What the page's `init` said, as fetch itself read it. */
interface InitSeen {
  /** `init.signal` was there, even as null (which unties the request from a Request's own signal). */
  signalGiven?: boolean;
  method?: unknown;
  headers?: HeaderList;
  body?: unknown;
  signal?: unknown;
}

/**
 * `init` as fetch should see it, reading each member once: fetch reads the
 * members itself (in its own order, once each); we keep what it read. Headers
 * given as anything but a Headers object (a record, pairs, a generator) are
 * converted once, here, and fetch gets the converted Headers: an iterable
 * cannot be read twice.
 */
function readOnce(init: object, seen: InitSeen): object {
  return new Proxy(init, {
    get(target, key) {
      let value: unknown;
      try {
        value = reflectGet(target, key);
      } catch (error) {
        scrubStack(error);
        throw error;
      }
      // Headers fetch would refuse are refused here, with the error of their one reading.
      if (key === 'headers') return headersOnce(value, seen);
      try {
        if (key === 'method') seen.method = value;
        else if (key === 'body') seen.body = value;
        else if (key === 'signal') {
          seen.signal = value;
          seen.signalGiven = value !== undefined;
        }
      } catch {
        // observer only
      }
      return value;
    },
  });
}

function headersOnce(value: unknown, seen: InitSeen): unknown {
  if (value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function')) return value;
  try {
    seen.headers = readHeaders(value);
    return value;
  } catch {
    // Not a Headers object: convert it as fetch would.
  }
  let converted: Headers;
  try {
    converted = new natives.Headers(value as HeadersInit);
  } catch (error) {
    // Read once, so refused once: fetch rejects with the conversion's error (an iterable cannot be read again).
    scrubStack(error);
    throw error;
  }
  seen.headers = readHeaders(converted);
  return converted;
}

interface FetchDescription {
  method: string;
  url: string;
  headers: HeaderList;
  body?: string;
  known: boolean;
  signal?: AbortSignal;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false;
  try {
    getVia(natives.signalAborted, value);
    return true;
  } catch {
    return false;
  }
}

/** An error made while our wrapper was on the stack (a URL fetch cannot parse) would show our frames. */
function rejectScrubbed(error: unknown): Promise<never> {
  scrubStack(error);
  return natives.promiseReject(error);
}

function hookFetch(): void {
  if (typeof window.fetch !== 'function') return;
  window.fetch = disguise(window.fetch, (native, thisArg, args) => {
    if (settings.paused || args.length === 0) return callNative(native, thisArg, args);
    const input = args[0];
    let requestUrl: string | undefined;
    // Only an object can be a Request (a string input costs no thrown brand check).
    if (typeof input === 'object' && input !== null) {
      try {
        requestUrl = getVia<string>(natives.requestUrl, input);
      } catch {
        requestUrl = undefined;
      }
    }
    if (requestUrl === undefined) {
      // fetch turns anything but a Request into a string: do it once, here, and give fetch the string.
      try {
        args[0] = `${input as string}`;
      } catch (error) {
        scrubStack(error);
        return natives.promiseReject(error);
      }
    }
    const seen: InitSeen = {};
    const init = args[1];
    if (init !== null && (typeof init === 'object' || typeof init === 'function')) args[1] = readOnce(init, seen);
    const startedAt = now();
    const pending = callNative<Promise<Response>>(native, thisArg, args);
    const isRequest = requestUrl !== undefined;
    const describe = () => {
      try {
        return describeFetch(args[0], isRequest, seen);
      } catch {
        return undefined;
      }
    };
    // Most requests of most sites name no Responses path: they are described only if their response is an event stream.
    const described = mayBeKnown(isRequest ? (requestUrl as string) : (args[0] as string)) ? describe() : undefined;
    return natives.reflectApply(natives.promiseThen, pending, [
      (response: Response) => {
        try {
          const description = described ?? (isEventStreamResponse(response) ? describe() : undefined);
          return description ? observeResponse(response, description, startedAt) : response;
        } catch {
          return response;
        }
      },
      rejectScrubbed,
    ]);
  });
}

/** Whether a request to `url` (as given: maybe relative) can be a known call, seen without parsing it. */
function mayBeKnown(url: string): boolean {
  return userPatterns.length > 0 || call<boolean>(natives.includes, url, 'responses') || call<boolean>(natives.includes, natives.locationHref(), 'responses');
}

function isEventStreamResponse(response: Response): boolean {
  return isEventStream(call<string | null>(natives.headersGet, getVia<Headers>(natives.responseHeaders, response), 'content-type'));
}

/** A Responses endpoint or a user's pattern. Most requests of most sites have neither, seen without parsing the URL. */
function isKnownCall(method: string, url: string): boolean {
  if (userPatterns.length === 0 && !call<boolean>(natives.includes, url, 'responses')) return false;
  return shouldCapture(method, url, userPatterns);
}

function describeFetch(input: unknown, isRequest: boolean, seen: InitSeen): FetchDescription | undefined {
  const rawUrl = isRequest ? getVia<string>(natives.requestUrl, input) : (input as string);
  const url = new natives.URL(rawUrl, natives.locationHref()).href;
  let method = 'GET';
  if (seen.method !== undefined) {
    // A method that is not a string was converted by fetch's own call to the page's code: not called twice.
    if (typeof seen.method !== 'string') return undefined;
    method = upperCase(seen.method);
  } else if (isRequest) {
    method = getVia<string>(natives.requestMethod, input);
  }
  const headers = seen.headers ?? (isRequest ? readHeaders(getVia(natives.requestHeaders, input)) : []);
  const known = isKnownCall(method, url);
  const description: FetchDescription = { method, url, headers, known };
  const body = bodyText(seen.body);
  if (body !== undefined) description.body = body;
  const signal = seen.signalGiven ? seen.signal : isRequest ? getVia<AbortSignal>(natives.requestSignal, input) : undefined;
  if (isAbortSignal(signal)) description.signal = signal;
  return description;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && reflectGet(error, 'name') === 'AbortError';
}

function observeResponse(response: Response, request: FetchDescription, startedAt: number): Response {
  const responseHeaders = getVia<Headers>(natives.responseHeaders, response);
  const contentType = call<string | null>(natives.headersGet, responseHeaders, 'content-type');
  const eventStream = isEventStream(contentType);
  if (!request.known && !eventStream) return response;
  const body = getVia<ReadableStream<Uint8Array> | null>(natives.responseBody, response);
  const type = getVia<ResponseType>(natives.responseType, response);
  // An opaque or body-less response cannot be rebuilt, and has nothing to show.
  if (!body || type === 'opaque' || type === 'opaqueredirect') return response;
  const status = getVia<number>(natives.responseStatus, response);
  const statusText = getVia<string>(natives.responseStatusText, response);

  const captureId = newCaptureId();
  const startMessage: CaptureMessage & { kind: 'capture.start' } = {
    kind: 'capture.start',
    start: { captureId, url: request.url, method: request.method, requestHeaders: request.headers, initiator: 'fetch', startedAt, frameUrl: natives.locationHref() },
  };
  if (request.body !== undefined) startMessage.start.requestBody = request.body;
  const headerList = readHeaders(responseHeaders);
  const responseMessage: CaptureMessage & { kind: 'capture.response' } = {
    kind: 'capture.response',
    response: { captureId, status, statusText, responseHeaders: headerList, receivedAt: now() },
  };
  // Made once the rebuilt Response is: a failure before leaves no capture behind.
  let reporter: BodyReporter | undefined;
  let upstream: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const state: RebuiltState = { original: response, aborted: false, hasBodyError: false };
  const signal = request.signal;
  let finished = false;
  let onAbort: (() => void) | undefined;
  const finish = (end: 'complete' | 'cancelled' | 'error', error?: unknown) => {
    if (finished) return;
    finished = true;
    if (onAbort && signal) call(natives.removeEventListener, signal, 'abort', onAbort);
    try {
      reporter?.end(end, error);
    } catch {
      // observer only
    }
  };

  // Pull-based: a chunk is read from the network only when the page asks for
  // one, and handed over at once. Nothing is buffered, nothing read ahead.
  const pageBody: ReadableStream<Uint8Array> = new natives.ReadableStream(
    {
      // A byte stream, as native bodies are (BYOB readers work); high-water mark 0: nothing is read ahead.
      type: 'bytes',
      start(controller) {
        // The page aborting its request errors a native body at once, read or not: so does this one.
        onAbort = () => {
          const reason = signal ? getVia(natives.signalReason, signal) : undefined;
          state.aborted = true;
          state.abortReason = reason;
          finish('cancelled', reason);
          try {
            controller.error(reason);
          } catch {
            // already closed
          }
        };
        if (signal) call(natives.addEventListener, signal, 'abort', onAbort, { once: true });
      },
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await call<Promise<ReadableStreamReadResult<Uint8Array>>>(natives.readerRead, upstream as ReadableStreamDefaultReader<Uint8Array>);
        } catch (error) {
          if (!state.aborted) {
            state.hasBodyError = true;
            state.bodyError = error;
          }
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
          reporter?.chunk(result.value, now());
        } catch {
          // observer only
        }
        controller.enqueue(result.value as Uint8Array<ArrayBuffer>);
      },
      cancel(reason) {
        finish('cancelled', reason);
        return call<Promise<void>>(natives.readerCancel, upstream, reason);
      },
    },
    { highWaterMark: 0 },
  );

  // The headers as a plain record: converting a Headers object or pairs would call an iterator the page may patch.
  const headerRecord = Object.create(null) as Record<string, string>;
  for (const { name, value } of headerList) headerRecord[name] = name in headerRecord ? `${headerRecord[name]}, ${value}` : value;
  let rebuilt: Response;
  try {
    rebuilt = new natives.Response(pageBody, { status, statusText, headers: headerRecord });
  } catch {
    if (onAbort && signal) call(natives.removeEventListener, signal, 'abort', onAbort);
    return response;
  }
  reporter = new BodyReporter(captureId, startMessage, responseMessage, request.known);
  // Only now, with the rebuilt Response made, is the network body taken: before, any failure leaves the page its own.
  upstream = call<ReadableStreamDefaultReader<Uint8Array>>(natives.streamGetReader, body);
  registerRebuilt(rebuilt, state);
  return rebuilt;
}

// ── XMLHttpRequest ───────────────────────────────────────────────────────

interface XhrState {
  method: string;
  url: string;
  headers: HeaderList;
}

const xhrStates = new PrivateMap<XMLHttpRequest, XhrState>();
/** How to end the capture of an XHR's request in flight (an `open()` in flight ends it without any event). */
const xhrInFlight = new PrivateMap<XMLHttpRequest, (end: 'complete' | 'cancelled' | 'error') => void>();

/**
 * Converts the arguments the native converts to strings, once, and hands the
 * native the strings: a page's `toString` runs once, as without us.
 */
function stringArguments(args: unknown[], count: number): string[] | undefined {
  if (args.length < count) return undefined;
  const strings: string[] = [];
  for (let index = 0; index < count; index++) {
    const value = args[index];
    const text = typeof value === 'string' ? value : `${value as string}`;
    args[index] = text;
    strings.push(text);
  }
  return strings;
}

function convertOrThrow(args: unknown[], count: number): string[] | undefined {
  try {
    return stringArguments(args, count);
  } catch (error) {
    scrubStack(error);
    throw error;
  }
}

/** A socket to a Responses path (`wss://…/v1/responses`: the API's WebSocket mode), from its first `response.create`. */
interface SocketState {
  connectionId: string;
  url: string;
  /** The response whose frames are coming: they go to its capture. */
  current?: string;
  /**
   * Responses asked for (`response.create` sent) whose frames have not begun: the next `response.created` is the one
   * at `nextAsked`. Read by index: no method of the page's arrays runs.
   */
  asked: string[];
  nextAsked: number;
  /** The current response's terminal event came: its capture ends once the socket is quiet, or when the next begins. */
  ending?: ReturnType<typeof setTimeout>;
}

const sockets = new PrivateMap<object, SocketState>();
let socketCounter = 0;
/** After a response's terminal event, how long its socket may still send frames that belong to it (rate limits…). */
const SOCKET_QUIET_MS = 250;
/** `WebSocket.OPEN`. */
const SOCKET_OPEN = 1;

const RESPONSES_PATH = /\/responses\/?$/;
const TERMINAL_FRAME = /^\s*\{\s*"type"\s*:\s*"(response\.(completed|failed|incomplete)|error)"/;
const CREATED_FRAME = /^\s*\{\s*"type"\s*:\s*"response\.created"/;

function isResponsesSocket(url: string): boolean {
  if (userPatterns.length > 0 && shouldCapture('WEBSOCKET', url, userPatterns)) return true;
  try {
    return call<unknown>(natives.regExpExec, RESPONSES_PATH, getVia<string>(natives.urlPathname, new natives.URL(url))) !== null;
  } catch {
    return false;
  }
}

function matches(pattern: RegExp, text: string): boolean {
  return call<unknown>(natives.regExpExec, pattern, text) !== null;
}

function endCurrent(state: SocketState, how: 'complete' | 'cancelled' | 'error'): void {
  if (state.ending !== undefined) natives.clearTimeout(state.ending);
  state.ending = undefined;
  if (state.current === undefined) return;
  post({ kind: 'capture.end', end: { captureId: state.current, state: how, endedAt: now() } });
  state.current = undefined;
}

/**
 * The Responses API's WebSocket mode: each `response.create` a page sends on a socket to a Responses path starts a
 * capture (its request is that frame), and the frames of that response are its body, each framed as SSE text for the
 * core. Only `send` is wrapped: the server says nothing before the first `response.create`, so a socket is observed
 * from then on, through a listener of ours the page cannot see. A page may send the next `response.create` from its
 * own handler of a response's last frame, before our listener sees that frame: so a response's frames are told by
 * the stream itself, from its `response.created` on, not by when the page asked.
 */
function hookWebSocket(): void {
  if (typeof WebSocket !== 'function') return;
  disguiseMethod(WebSocket.prototype, 'send', (native, thisArg, args) => {
    // The native first: a frame it refuses (a socket still connecting) or drops (a closed one) asked for nothing.
    const result = callNative(native, thisArg, args);
    try {
      const data = args[0];
      if (
        !settings.paused &&
        typeof data === 'string' &&
        call<boolean>(natives.includes, data, 'response.create') &&
        getVia<number>(natives.webSocketReadyState, thisArg) === SOCKET_OPEN
      ) {
        observeSocketSend(thisArg, data);
      }
    } catch {
      // observer only
    }
    return result;
  });
}

function observeSocketSend(socket: unknown, data: string): void {
  let state = sockets.get(socket as object);
  if (!state) {
    const url = getVia<string>(natives.webSocketUrl, socket);
    if (!isResponsesSocket(url)) return;
    state = { connectionId: `${frameId}-ws-${++socketCounter}`, url, asked: [], nextAsked: 0 };
    sockets.set(socket as object, state);
    listenToSocket(socket as WebSocket, state);
  }
  let frame: unknown;
  try {
    frame = natives.jsonParse(data);
  } catch {
    return;
  }
  if (typeof frame !== 'object' || frame === null || reflectGet(frame, 'type') !== 'response.create') return;
  const captureId = newCaptureId();
  const startedAt = now();
  state.asked[state.asked.length] = captureId;
  post({
    kind: 'capture.start',
    start: { captureId, url: state.url, method: 'GET', requestHeaders: [], requestBody: data, initiator: 'websocket', connectionId: state.connectionId, startedAt, frameUrl: natives.locationHref() },
  });
  post({ kind: 'capture.response', response: { captureId, status: 101, statusText: 'Switching Protocols', responseHeaders: [], receivedAt: startedAt } });
}

function listenToSocket(socket: WebSocket, state: SocketState): void {
  const listen = (type: string, listener: (event: Event) => void) => call(natives.addEventListener, socket, type, listener);
  const nextAsked = (): string | undefined => (state.nextAsked < state.asked.length ? state.asked[state.nextAsked++] : undefined);
  listen('message', (event) => {
    try {
      const data = getVia<unknown>(natives.messageEventData, event);
      if (typeof data !== 'string') return;
      // A new response begins: the one before is over. A response's first frame may be its error, too.
      // A response that is over (or ending) gives way to the next asked for at its first frame, an error too.
      const created = matches(CREATED_FRAME, data);
      const begins = created || ((state.current === undefined || state.ending !== undefined) && state.nextAsked < state.asked.length && matches(TERMINAL_FRAME, data));
      if (begins) {
        endCurrent(state, 'complete');
        // A response asked for while recording was paused is not ours: its frames go nowhere.
        state.current = nextAsked();
      }
      if (state.current === undefined) return;
      const receivedAt = now();
      post({ kind: 'capture.chunk', chunk: { captureId: state.current, index: -1, text: sseOfFrame(data), receivedAt } });
      const ended = state.ending !== undefined || matches(TERMINAL_FRAME, data);
      if (state.ending !== undefined) natives.clearTimeout(state.ending);
      if (ended) state.ending = natives.setTimeout(() => endCurrent(state, 'complete'), SOCKET_QUIET_MS);
    } catch {
      // observer only
    }
  });
  const close = (how: 'cancelled' | 'error') => {
    try {
      endCurrent(state, state.ending !== undefined ? 'complete' : how);
      // Asked for and never begun: the socket went first.
      for (let captureId = nextAsked(); captureId !== undefined; captureId = nextAsked()) post({ kind: 'capture.end', end: { captureId, state: how, endedAt: now() } });
    } catch {
      // observer only
    }
  };
  listen('close', () => close('cancelled'));
  listen('error', () => close('error'));
}

function hookXhr(): void {
  const proto = XMLHttpRequest.prototype;
  disguiseMethod(proto, 'open', (native, thisArg, args) => {
    const strings = convertOrThrow(args, 2);
    try {
      // Opening again stops the request in flight, with no event to tell.
      xhrInFlight.get(thisArg)?.('cancelled');
    } catch {
      // observer only
    }
    const result = callNative(native, thisArg, args);
    try {
      if (strings) {
        const [method, url] = strings as [string, string];
        xhrStates.set(thisArg as XMLHttpRequest, { method: upperCase(method), url: new natives.URL(url, natives.locationHref()).href, headers: [] });
      }
    } catch {
      // observer only
    }
    return result;
  });
  disguiseMethod(proto, 'setRequestHeader', (native, thisArg, args) => {
    const strings = convertOrThrow(args, 2);
    const result = callNative(native, thisArg, args);
    try {
      if (strings) xhrStates.get(thisArg)?.headers.push({ name: call<string>(toLowerCase, strings[0]), value: strings[1]! });
    } catch {
      // observer only
    }
    return result;
  });
  disguiseMethod(proto, 'send', (native, thisArg, args) => {
    // Listeners go on before the native send: a synchronous request has finished when it returns.
    // A send while one is in flight is refused by the native: that request stays the one observed.
    let observed = false;
    try {
      const state = xhrStates.get(thisArg);
      if (state && !settings.paused && !xhrInFlight.get(thisArg)) {
        observeXhr(thisArg as XMLHttpRequest, state, bodyText(args[0]));
        observed = true;
      }
    } catch {
      // observer only
    }
    try {
      return callNative(native, thisArg, args);
    } catch (error) {
      // Refused, or a synchronous request that failed: its capture ends here.
      if (observed) xhrInFlight.get(thisArg)?.('error');
      throw error;
    }
  });
}

function observeXhr(xhr: XMLHttpRequest, state: XhrState, body: string | undefined): void {
  const listeners = new NativeAbortController();
  const options = { signal: getVia<AbortSignal>(abortControllerSignal, listeners) };
  const listen = (type: string, listener: () => void) => call(natives.addEventListener, xhr, type, listener, options);
  const known = isKnownCall(state.method, state.url);
  const startedAt = now();
  let reporter: BodyReporter | undefined;
  let seen = 0;
  let decided = false;
  let finished = false;
  const responseType = () => getVia<XMLHttpRequestResponseType>(natives.xhrResponseType, xhr);

  const readNewText = () => {
    if (!reporter) return;
    const type = responseType();
    if (type !== '' && type !== 'text') return;
    const text = getVia<string>(natives.xhrResponseText, xhr);
    if (text.length > seen) {
      reporter.chunk(text.slice(seen), now());
      seen = text.length;
    }
  };
  const onHeaders = () => {
    if (decided || getVia<number>(natives.xhrReadyState, xhr) < 2) return;
    decided = true;
    if (!known && !isEventStream(call<string | null>(natives.xhrGetResponseHeader, xhr, 'content-type'))) {
      // Not a Responses call: our listeners go at once.
      xhrInFlight.delete(xhr);
      call(abortControllerAbort, listeners);
      return;
    }
    const captureId = newCaptureId();
    const headers: HeaderList = call<string>(natives.xhrGetAllResponseHeaders, xhr)
      .trim()
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => {
        const colon = line.indexOf(':');
        return { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
      });
    const start: CaptureMessage & { kind: 'capture.start' } = {
      kind: 'capture.start',
      start: { captureId, url: state.url, method: state.method, requestHeaders: state.headers, initiator: 'xhr', startedAt, frameUrl: natives.locationHref() },
    };
    if (body !== undefined) start.start.requestBody = body;
    const response: CaptureMessage & { kind: 'capture.response' } = {
      kind: 'capture.response',
      response: {
        captureId,
        status: getVia<number>(natives.xhrStatus, xhr),
        statusText: getVia<string>(natives.xhrStatusText, xhr),
        responseHeaders: headers,
        receivedAt: now(),
      },
    };
    reporter = new BodyReporter(captureId, start, response, known);
  };
  const finish = (end: 'complete' | 'cancelled' | 'error') => {
    if (finished) return;
    finished = true;
    try {
      onHeaders();
      readNewText();
      if (reporter && end === 'complete' && responseType() === 'json') {
        const whole = call<string | undefined>(natives.jsonStringify, JSON, getVia(natives.xhrResponse, xhr));
        if (whole !== undefined) reporter.chunk(whole, now());
      }
      reporter?.end(end, end === 'error' ? 'network error' : undefined);
    } catch {
      // observer only
    }
    xhrInFlight.delete(xhr);
    call(abortControllerAbort, listeners);
  };
  xhrInFlight.set(xhr, finish);
  const guard = (callback: () => void) => () => {
    try {
      callback();
    } catch {
      // observer only
    }
  };
  listen(
    'readystatechange',
    guard(() => {
      onHeaders();
      readNewText();
    }),
  );
  listen('progress', guard(readNewText));
  listen('load', () => finish('complete'));
  listen('abort', () => finish('cancelled'));
  listen('error', () => finish('error'));
  listen('timeout', () => finish('error'));
}

// Installed once per document, before any page script (manifest content scripts are injected once).
try {
  connectToRelay();
} catch {
  // No channel, no capture: the page is unaffected.
}
try {
  disguiseToString();
  disguiseResponses();
  hookFetch();
} catch {
  // Leave fetch as it was.
}
try {
  hookXhr();
} catch {
  // Leave XMLHttpRequest as it was.
}
try {
  hookWebSocket();
} catch {
  // Leave WebSocket as it was.
}
