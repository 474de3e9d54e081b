/**
 * What a careful page can observe about its own `fetch`, `XMLHttpRequest`,
 * `Response` and window. The invisibility test runs it with and without the
 * extension on the same page and server: every observation must be the same.
 */
export type Observations = Record<string, unknown>;

const STREAM_URL = '/r/seed__hello-gpt-4.1-nano/v1/responses';
const HELD_URL = '/r/seed__hello-gpt-4.1-nano/hold/2/v1/responses';
const BODY = JSON.stringify({ model: 'gpt-4.1-nano', input: 'Say hello', stream: true });

function describe(error: unknown): string {
  if (error instanceof Error || error instanceof DOMException) return `${error.name}: ${error.message}`;
  return `non-error ${String(error)}`;
}

function nativeLook(value: unknown): unknown {
  if (typeof value !== 'function') return typeof value;
  return {
    toString: Function.prototype.toString.call(value),
    ownToString: String(value),
    name: value.name,
    length: value.length,
    hasPrototype: 'prototype' in value,
    ownProperties: Object.getOwnPropertyNames(value),
  };
}

function descriptorLook(holder: object, property: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(holder, property);
  if (!descriptor) return 'absent';
  return {
    enumerable: descriptor.enumerable,
    configurable: descriptor.configurable,
    writable: descriptor.writable,
    value: descriptor.value === undefined ? undefined : nativeLook(descriptor.value),
    get: descriptor.get === undefined ? undefined : nativeLook(descriptor.get),
    set: descriptor.set === undefined ? undefined : nativeLook(descriptor.set),
  };
}

/** An error's own properties and where it says it was made (Firefox's errors carry a file name and line). */
function errorLook(error: unknown): unknown {
  const record = error as Record<string, unknown>;
  return { own: Object.getOwnPropertyNames(error), fileName: record.fileName, lineNumber: record.lineNumber, columnNumber: record.columnNumber };
}

function responseLook(response: Response): unknown {
  let headersSet: string;
  try {
    response.headers.set('x-probe', '1');
    headersSet = 'accepted';
  } catch (error) {
    headersSet = describe(error);
  }
  return {
    keys: Object.keys(response),
    json: JSON.stringify(response),
    ownNames: Object.getOwnPropertyNames(response),
    ownSymbols: Object.getOwnPropertySymbols(response).length,
    url: new URL(response.url).pathname,
    type: response.type,
    redirected: response.redirected,
    status: response.status,
    ok: response.ok,
    headersSameObject: response.headers === response.headers,
    contentType: response.headers.get('content-type'),
    headersSet,
    prototypeIsResponse: Object.getPrototypeOf(response) === Response.prototype,
    toStringTag: Object.prototype.toString.call(response),
    bodyUsed: response.bodyUsed,
  };
}

async function attempt(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    return `threw ${describe(error)}`;
  }
}

function* headerPairs(): Generator<[string, string]> {
  yield ['content-type', 'application/json'];
  yield ['x-probe-header', 'from-a-generator'];
}

/** An init whose every read is logged, in order. */
function loggedInit(log: string[], fields: Record<string, unknown>): RequestInit {
  return new Proxy(fields, {
    get(target, key, receiver) {
      log.push(String(key));
      return Reflect.get(target, key, receiver);
    },
  }) as RequestInit;
}

export async function observe(): Promise<Observations> {
  const seen: Observations = {};

  // Wrapped functions read as native.
  seen.fetch = nativeLook(window.fetch);
  seen.fetchDescriptor = descriptorLook(window, 'fetch');
  for (const method of ['open', 'send', 'setRequestHeader', 'abort', 'getResponseHeader'] as const) {
    seen[`xhr.${method}`] = descriptorLook(XMLHttpRequest.prototype, method);
  }
  seen.webSocket = descriptorLook(window, 'WebSocket');
  seen['webSocket.send'] = descriptorLook(WebSocket.prototype, 'send');
  seen['eventSource'] = descriptorLook(window, 'EventSource');
  seen.functionToString = descriptorLook(Function.prototype, 'toString');
  seen.toStringOfToString = Function.prototype.toString.call(Function.prototype.toString);
  for (const property of ['url', 'redirected', 'type', 'headers', 'body', 'bodyUsed', 'status', 'clone', 'text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData']) {
    seen[`Response.${property}`] = descriptorLook(Response.prototype, property);
  }
  seen.toStringError = await attempt(() => Function.prototype.toString.call({}));
  try {
    Function.prototype.toString.call({});
  } catch (error) {
    seen.toStringErrorStack = (error as Error).stack;
    seen.toStringErrorOwn = errorLook(error);
  }
  try {
    (XMLHttpRequest.prototype.open as (this: unknown, method: string, url: string) => void).call({}, 'GET', '/');
  } catch (error) {
    seen.xhrOpenErrorStack = (error as Error).stack;
    seen.xhrOpenErrorOwn = errorLook(error);
  }
  try {
    (WebSocket.prototype.send as (this: unknown, data: string) => void).call({}, '{"type":"response.create"}');
  } catch (error) {
    seen.webSocketSendErrorStack = (error as Error).stack;
    seen.webSocketSendErrorOwn = errorLook(error);
  }
  // A socket to a Responses path, sent to before it opens: the native's error, as it would be without us.
  try {
    new WebSocket(`ws://${location.host}/ws/v1/responses`).send('{"type":"response.create"}');
  } catch (error) {
    seen.webSocketEarlySend = { name: (error as Error).name, message: (error as Error).message, stack: (error as Error).stack, own: errorLook(error) };
  }
  const badFetch = await fetch('http://[bad').catch((error: unknown) => error as Error);
  seen.badFetch = { message: describe(badFetch), stack: (badFetch as Error).stack, own: errorLook(badFetch) };

  // The window: no property, no message.
  seen.windowProperties = Object.getOwnPropertyNames(window).sort();
  seen.windowSymbols = Object.getOwnPropertySymbols(window).map(String);

  // Arguments are read once, and the native gets what was read.
  const plainLog: string[] = [];
  await (await fetch('/echo', loggedInit(plainLog, { method: 'POST', headers: { 'x-probe': 'plain' }, body: 'hello' }))).text();
  seen.plainInitReads = plainLog;
  const streamLog: string[] = [];
  await (await fetch(STREAM_URL, loggedInit(streamLog, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY }))).text();
  seen.streamInitReads = streamLog;
  let inputToString = 0;
  const input = { toString: () => (inputToString++, STREAM_URL) };
  await (await fetch(input as unknown as string, { method: 'POST', body: BODY })).text();
  seen.inputToStringCalls = inputToString;
  const echoed = (await (await fetch('/echo', { method: 'POST', headers: headerPairs() as unknown as HeadersInit, body: '{}' })).json()) as { headers: Record<string, string> };
  seen.generatorHeadersOnPlainFetch = { probe: echoed.headers['x-probe-header'], contentType: echoed.headers['content-type'] };
  await (await fetch(STREAM_URL, { method: 'POST', headers: headerPairs() as unknown as HeadersInit, body: BODY })).text();

  // Headers fetch refuses, given by a generator: refused (and read once).
  function* badHeaders(): Generator<[string, string]> {
    yield ['bad name', 'x'];
  }
  seen.refusedHeaders = await fetch(STREAM_URL, { method: 'POST', headers: badHeaders() as unknown as HeadersInit, body: BODY }).then(
    () => 'sent',
    (error: unknown) => (error as Error).name,
  );
  // `signal: null` unties the request from a Request's own signal.
  const requestController = new AbortController();
  const untied = await fetch(new Request(STREAM_URL, { method: 'POST', body: BODY, signal: requestController.signal }), { signal: null });
  requestController.abort();
  seen.untiedFromRequestSignal = await attempt(async () => (await untied.text()).length);

  // The Response of a streamed call behaves as a native one.
  const streamed = await fetch(STREAM_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  seen.streamedResponse = responseLook(streamed);
  const copy = streamed.clone();
  seen.streamedClone = responseLook(copy);
  seen.streamedText = (await streamed.text()).length;
  seen.streamedCloneText = (await copy.text()).length;
  seen.streamedAfterRead = await attempt(() => streamed.text());

  // Aborting before the body is read.
  const controller = new AbortController();
  const aborted = await fetch(HELD_URL, { method: 'POST', body: BODY, signal: controller.signal });
  controller.abort();
  seen.abortedText = await attempt(() => aborted.text());
  seen.abortedBodyUsed = aborted.bodyUsed;
  seen.abortedJson = await attempt(() => aborted.json());
  const reasonController = new AbortController();
  const reason = new Error('the page gave up');
  const abortedWithReason = await fetch(HELD_URL, { method: 'POST', body: BODY, signal: reasonController.signal });
  reasonController.abort(reason);
  seen.abortReasonIsTheReason = await abortedWithReason.arrayBuffer().then(
    () => 'resolved',
    (error: unknown) => error === reason,
  );
  // Aborting while the body is being read, and while a reader holds it.
  const midController = new AbortController();
  const mid = await fetch(HELD_URL, { method: 'POST', body: BODY, signal: midController.signal });
  const reading = mid.text();
  midController.abort();
  seen.abortedMidText = await attempt(() => reading);
  const readerController = new AbortController();
  const withReader = await fetch(HELD_URL, { method: 'POST', body: BODY, signal: readerController.signal });
  const reader = withReader.body!.getReader();
  await reader.read();
  readerController.abort();
  seen.abortedReaderRead = await attempt(async () => (await reader.read()).done);
  seen.abortedReaderBodyUsed = withReader.bodyUsed;

  // XMLHttpRequest converts its arguments once.
  let urlToString = 0;
  let headerToString = 0;
  const xhr = new XMLHttpRequest();
  xhr.open('POST', { toString: () => (urlToString++, STREAM_URL) } as unknown as string);
  xhr.setRequestHeader('x-probe', { toString: () => (headerToString++, 'value') } as unknown as string);
  await new Promise<void>((resolve) => {
    xhr.onloadend = () => resolve();
    xhr.send(BODY);
  });
  seen.xhr = { urlToString, headerToString, status: xhr.status, length: xhr.responseText.length };

  seen.messages = (window as unknown as { probeMessages: unknown[] }).probeMessages;
  return seen;
}

declare global {
  interface Window {
    probe: { observe: typeof observe };
  }
}
window.probe = { observe };
