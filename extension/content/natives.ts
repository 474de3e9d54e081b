/**
 * The page's own built-ins, taken at document_start before any page script
 * runs, and the means to replace a built-in with a wrapper that reads as the
 * native one.
 *
 * Page scripts may later patch globals (zone.js patches `addEventListener`,
 * test pages fake timers, libraries wrap `Promise.prototype.then`): the hook
 * calls only what it took here, so its work never runs page code and stays
 * out of the page's sight.
 */

const reflectApply = Reflect.apply;
const weakMapGet = WeakMap.prototype.get;
const weakMapSet = WeakMap.prototype.set;
const weakMapDelete = WeakMap.prototype.delete;
const stringIncludes = String.prototype.includes;
const stringSplit = String.prototype.split;
const arrayFilter = Array.prototype.filter;
const arrayJoin = Array.prototype.join;

/** Calls `fn` with `thisArg` and `args` without touching anything the page may have patched. */
export function call<R>(fn: unknown, thisArg: unknown, ...args: unknown[]): R {
  return reflectApply(fn as (...a: unknown[]) => R, thisArg, args);
}

function descriptorGetter(prototype: object, property: string): ((this: unknown) => unknown) | undefined {
  return Object.getOwnPropertyDescriptor(prototype, property)?.get as ((this: unknown) => unknown) | undefined;
}

/** Reads a getter of a built-in's prototype; throws (as the native does) when `target` is not of that kind. */
export function getVia<T>(getter: ((this: unknown) => unknown) | undefined, target: unknown): T {
  return reflectApply(getter as (this: unknown) => T, target, []);
}

export const natives = {
  reflectApply,
  promiseReject: Promise.reject.bind(Promise) as (reason: unknown) => Promise<never>,
  promiseThen: Promise.prototype.then,
  setTimeout: globalThis.setTimeout.bind(globalThis),
  clearTimeout: globalThis.clearTimeout.bind(globalThis),
  regExpExec: RegExp.prototype.exec,
  addEventListener: EventTarget.prototype.addEventListener,
  removeEventListener: EventTarget.prototype.removeEventListener,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  MessageChannel,
  MessageEvent,
  URL,
  Headers,
  Response,
  ReadableStream,
  TextDecoder,
  headersForEach: Headers.prototype.forEach,
  headersGet: Headers.prototype.get,
  requestUrl: descriptorGetter(Request.prototype, 'url'),
  requestMethod: descriptorGetter(Request.prototype, 'method'),
  requestHeaders: descriptorGetter(Request.prototype, 'headers'),
  requestSignal: descriptorGetter(Request.prototype, 'signal'),
  responseHeaders: descriptorGetter(Response.prototype, 'headers'),
  responseBody: descriptorGetter(Response.prototype, 'body'),
  responseBodyUsed: descriptorGetter(Response.prototype, 'bodyUsed'),
  responseStatus: descriptorGetter(Response.prototype, 'status'),
  responseStatusText: descriptorGetter(Response.prototype, 'statusText'),
  responseType: descriptorGetter(Response.prototype, 'type'),
  streamLocked: descriptorGetter(ReadableStream.prototype, 'locked'),
  streamGetReader: ReadableStream.prototype.getReader,
  readerRead: ReadableStreamDefaultReader.prototype.read,
  readerCancel: ReadableStreamDefaultReader.prototype.cancel,
  signalReason: descriptorGetter(AbortSignal.prototype, 'reason'),
  signalAborted: descriptorGetter(AbortSignal.prototype, 'aborted'),
  searchParamsToString: URLSearchParams.prototype.toString,
  urlPathname: descriptorGetter(URL.prototype, 'pathname'),
  arrayBufferByteLength: descriptorGetter(ArrayBuffer.prototype, 'byteLength'),
  isView: ArrayBuffer.isView,
  decode: TextDecoder.prototype.decode,
  Uint8Array,
  typedArrayLength: descriptorGetter(Object.getPrototypeOf(Uint8Array.prototype) as object, 'length'),
  typedArrayBuffer: descriptorGetter(Object.getPrototypeOf(Uint8Array.prototype) as object, 'buffer'),
  webSocketUrl: typeof WebSocket === 'function' ? descriptorGetter(WebSocket.prototype, 'url') : undefined,
  webSocketReadyState: typeof WebSocket === 'function' ? descriptorGetter(WebSocket.prototype, 'readyState') : undefined,
  messageEventData: descriptorGetter(MessageEvent.prototype, 'data'),
  jsonParse: JSON.parse,
  xhrReadyState: descriptorGetter(XMLHttpRequest.prototype, 'readyState'),
  xhrStatus: descriptorGetter(XMLHttpRequest.prototype, 'status'),
  xhrStatusText: descriptorGetter(XMLHttpRequest.prototype, 'statusText'),
  xhrResponseType: descriptorGetter(XMLHttpRequest.prototype, 'responseType'),
  xhrResponseText: descriptorGetter(XMLHttpRequest.prototype, 'responseText'),
  xhrResponse: descriptorGetter(XMLHttpRequest.prototype, 'response'),
  xhrGetResponseHeader: XMLHttpRequest.prototype.getResponseHeader,
  xhrGetAllResponseHeaders: XMLHttpRequest.prototype.getAllResponseHeaders,
  jsonStringify: JSON.stringify,
  includes: String.prototype.includes,
  now: performance.now.bind(performance),
  timeOrigin: performance.timeOrigin,
  locationHref: () => location.href,
};

/** A WeakMap whose reads and writes cannot be intercepted by a page that patches `WeakMap.prototype`. */
export class PrivateMap<K extends object, V> {
  private readonly map = new WeakMap<K, V>();
  get(key: unknown): V | undefined {
    return reflectApply(weakMapGet, this.map, [key]) as V | undefined;
  }
  set(key: K, value: V): void {
    reflectApply(weakMapSet, this.map, [key, value]);
  }
  delete(key: K): void {
    reflectApply(weakMapDelete, this.map, [key]);
  }
}

/** Each wrapper we installed → the native it stands for. */
const disguised = new PrivateMap<object, object>();

/**
 * Where this script's frames say they are in stack traces: its URL in Chrome
 * ("at f (chrome-extension://…/page-hook.js:1:2)"), "<anonymous code>" in
 * Firefox ("f@<anonymous code>:1:2"). Read off a stack of our own.
 */
const ownScript = (() => {
  const frames = (new Error().stack ?? '').split('\n');
  for (const frame of frames) {
    const match = /(?:@|\(|at\s+)([^@()]+?):\d+:\d+\)?\s*$/.exec(frame);
    if (match?.[1]) return `${match[1]}:`;
  }
  return undefined;
})();

const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const stringMatch = String.prototype.match;

/**
 * An error thrown by a native called from one of our wrappers carries our
 * frames in its stack: remove them, so the stack reads as if the page had
 * called the native itself.
 *
 * V8 keeps `stack` as an own property of the error: it is rewritten. In
 * Firefox `stack` is an accessor of `Error.prototype`, and writing it would
 * give the error an own `stack` a native one lacks: there the stack stays as
 * it is (ARCHITECTURE.md lists this among what a page can still observe), and
 * only the own `fileName`, `lineNumber` and `columnNumber` are set to the
 * page's frame.
 */
export function scrubStack(error: unknown): void {
  if (!ownScript || typeof error !== 'object' || error === null) return;
  try {
    const stack = (error as { stack?: unknown }).stack;
    if (typeof stack !== 'string' || !reflectApply(stringIncludes, stack, [ownScript])) return;
    const lines = reflectApply(stringSplit, stack, ['\n']) as string[];
    const kept = reflectApply(arrayFilter, lines, [(line: string) => !reflectApply(stringIncludes, line, [ownScript])]) as string[];
    if (getOwnPropertyDescriptor(error, 'stack')) {
      (error as { stack: string }).stack = reflectApply(arrayJoin, kept, ['\n']) as string;
      return;
    }
    const pageFrame = kept[0] === undefined ? null : (reflectApply(stringMatch, kept[0], [/@(.*):(\d+):(\d+)$/]) as RegExpMatchArray | null);
    if (!pageFrame || !getOwnPropertyDescriptor(error, 'fileName')?.writable) return;
    const record = error as Record<string, unknown>;
    record.fileName = pageFrame[1];
    record.lineNumber = Number(pageFrame[2]);
    record.columnNumber = Number(pageFrame[3]);
  } catch {
    // A frozen error keeps its stack.
  }
}

/** Calls a native as the page's call would, with our frames removed from anything it throws. */
export function callNative<R>(fn: unknown, thisArg: unknown, args: ArrayLike<unknown>): R {
  try {
    return reflectApply(fn as (...a: unknown[]) => R, thisArg, args);
  } catch (error) {
    scrubStack(error);
    throw error;
  }
}

/**
 * A wrapper over a native function that reads as the native: a Proxy keeps its
 * name, length, own properties and lack of `prototype`; `Function.prototype.toString`
 * (itself disguised by `disguiseToString`) prints the native's source.
 */
export function disguise<T extends object>(native: T, apply: (native: T, thisArg: unknown, args: unknown[]) => unknown): T {
  const wrapper = new Proxy(native, {
    apply(target, thisArg, args: unknown[]) {
      return apply(target, thisArg, args);
    },
  });
  disguised.set(wrapper, native);
  return wrapper;
}

/** Replaces an accessor's getter on a prototype with a disguised one, keeping the property's attributes. */
export function disguiseGetter(prototype: object, property: string, get: (native: (this: unknown) => unknown, thisArg: unknown) => unknown): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, property);
  if (!descriptor?.get) return;
  descriptor.get = disguise(descriptor.get, (native, thisArg) => get(native, thisArg));
  Object.defineProperty(prototype, property, descriptor);
}

/**
 * Replaces a method on a prototype (or an object) with a disguised one, keeping the property's attributes.
 * `settleOwnKeys`: Firefox lists the `length` and `name` of some natives (Response's methods) in that order
 * however they were read, but a Proxy's reads fix the order they are read in: listing them first keeps the
 * native order.
 */
export function disguiseMethod(
  holder: object,
  property: string,
  apply: (native: (...args: unknown[]) => unknown, thisArg: unknown, args: unknown[]) => unknown,
  options: { settleOwnKeys?: boolean } = {},
): void {
  const descriptor = Object.getOwnPropertyDescriptor(holder, property);
  if (typeof descriptor?.value !== 'function') return;
  if (options.settleOwnKeys) Reflect.ownKeys(descriptor.value as object);
  descriptor.value = disguise(descriptor.value as (...args: unknown[]) => unknown, apply);
  Object.defineProperty(holder, property, descriptor);
}

/** `Function.prototype.toString` prints a native's source for each of our wrappers, and for itself. */
export function disguiseToString(): void {
  // The wrapper is in `disguised` too: printing it prints the native `toString`.
  disguiseMethod(Function.prototype, 'toString', (native, thisArg, args) => callNative(native, disguised.get(thisArg) ?? thisArg, args));
}
