/**
 * HAR 1.2 transcripts of Responses calls: written by the panel and the
 * command, read back from ours and from the HARs browsers and test tools
 * write (Chrome, Firefox, Playwright's `recordHar`).
 *
 * Each entry is a plain HAR entry (the body exactly as received in
 * `response.content.text`) plus two fields, underscored as HAR allows, the way
 * Chrome keeps WebSocket frames in `_webSocketMessages`:
 *   `_responsesEvents`   — every SSE event: `{ time, type, sequence_number?, data }`
 *                          (`time` in seconds since the epoch, as Chrome's frames; null when unknown);
 *   `_responsesAssembly` — `{ responses: [{ response, events, usage, timing, warnings }] }`,
 *                          what `responses-devtools inspect --json` prints for the body.
 *
 * A call over the Responses API's WebSocket (a `ws:`/`wss:` URL) is written as
 * Chrome writes a WebSocket: `GET`, `101 Switching Protocols`, `_resourceType`
 * `websocket`, no body text, and its frames in `_webSocketMessages` (the
 * `response.create` sent, then the frames received), plus the two fields above.
 * Reading, an entry with `_webSocketMessages` (ours, or a browser's holding a
 * whole socket) gives one call per `response.create` sent (`websocket-frames.ts`).
 */
import { readResponsesBody, UnreadableBodyError, type BodyOptions } from './body-reader.ts';
import { protocolOfCall } from './protocols.ts';
import { JsonItems, stringifyJson } from './json-text.ts';
import type { CaptureResponse, CaptureStart, HeaderList, NetworkTimings } from './protocol.ts';
import { redactBody, redactHeaders, redactText, redactUrl } from './redact.ts';
import { AI_SDK_UI_STREAM_HEADER, isEventStream, isLlmEventData, isOtherLlmEndpoint, isResponsesEndpoint } from './request-match.ts';
import { isOutputDelta } from './stream-events.ts';
import { isJsonObject, looksLikeResponseObject, type JsonObject } from './response-types.ts';
import type { ResponseRecord } from './stream-reader.ts';
import { summarizeRecord, type ResponseSummary } from './summary.ts';
import { utf8Length } from './sse-decoder.ts';
import { bodyOfFrames, framesOfSse, isWebSocketUrl, turnsOfSocket, type SentFrame, type WebSocketMessage, type WebSocketTurn } from './websocket-frames.ts';

export const HAR_EVENTS_FIELD = '_responsesEvents';
export const HAR_ASSEMBLY_FIELD = '_responsesAssembly';
/** Chrome's field for a WebSocket's frames. */
export const HAR_WEBSOCKET_FIELD = '_webSocketMessages';
export const TRANSCRIPT_CREATOR = { name: 'Responses DevTools', version: '0.1.0' };

export interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: Array<{ name: string; value: string }>;
    headers: HarHeader[];
    queryString: Array<{ name: string; value: string }>;
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: Array<{ name: string; value: string }>;
    headers: HarHeader[];
    content: { size: number; mimeType: string; text?: string; encoding?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { blocked?: number; dns?: number; connect?: number; ssl?: number; send: number; wait: number; receive: number };
  _resourceType?: string;
  [HAR_EVENTS_FIELD]?: HarEvent[];
  [HAR_ASSEMBLY_FIELD]?: { responses: ResponseSummary[] };
  [HAR_WEBSOCKET_FIELD]?: HarWebSocketMessage[];
  [key: string]: unknown;
}

/** A WebSocket frame as Chrome's HAR writes it. */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  /** Seconds since the epoch, fractional; 0 when unknown (Chrome's importer leaves out a message with no time). */
  time: number;
  /** 1: a text frame. */
  opcode: number;
  data: string;
}

export interface HarEvent {
  time: number | null;
  type: string;
  sequence_number?: number;
  data: string;
}

export interface Har {
  log: { version: string; creator: { name: string; version: string }; pages?: unknown[]; entries: HarEntry[]; comment?: string };
}

/** One captured call, as the transcript writer needs it. */
export interface TranscriptCall {
  method: string;
  url: string;
  requestHeaders: HeaderList;
  requestBody?: string;
  status: number;
  statusText: string;
  responseHeaders: HeaderList;
  /** The body exactly as received. */
  body: string;
  /** Epoch ms; unknown for a bare recording. */
  startedAt?: number;
  endedAt?: number;
  networkTimings?: NetworkTimings;
  /** The responses read from the body, with their events' receive times. */
  records: readonly ResponseRecord[];
  /**
   * A WebSocket call (a `ws:`/`wss:` URL, whose `requestBody` is the `response.create` frame and whose body is the
   * frames received, framed by `sseOfFrame`): the other frames the page sent on the socket while it was the latest.
   */
  sentFrames?: readonly SentFrame[];
}

export interface RedactionOptions {
  /** Keep credentials as they were. Off by default: every export is redacted. */
  keepSecrets?: boolean;
}

function redactHarHeaders(headers: HarHeader[], keep: boolean): HarHeader[] {
  return keep ? headers : redactHeaders(headers);
}

function queryString(url: string): Array<{ name: string; value: string }> {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function header(headers: HeaderList, name: string): string | undefined {
  return headers.find((candidate) => candidate.name.toLowerCase() === name)?.value;
}

/** The UTF-8 length of a text; ASCII text (most bodies) is told by a native search instead of a count. */
function byteLength(text: string): number {
  return /[^\0-\x7f]/.test(text) ? utf8Length(text) : text.length;
}

/** A HAR entry for one call, with its events and assembly. */
export function transcriptEntry(call: TranscriptCall, options: RedactionOptions = {}): HarEntry {
  const keep = options.keepSecrets === true;
  const url = keep ? call.url : redactUrl(call.url);
  const webSocket = isWebSocketUrl(call.url);
  // A WebSocket's frames are written as messages, each redacted alone: Chrome leaves such an entry no body text.
  const body = webSocket ? '' : keep ? call.body : redactText(call.body);
  const mimeType = webSocket ? 'x-unknown' : header(call.responseHeaders, 'content-type') ?? (body.trimStart().startsWith('{') ? 'application/json' : 'text/event-stream');
  const events: HarEvent[] = call.records.flatMap((record) =>
    record.events.map((event) => {
      const harEvent: HarEvent = { time: event.receivedAt === undefined ? null : event.receivedAt / 1000, type: event.type, data: keep ? event.data : redactText(event.data) };
      if (event.sequence_number !== undefined) harEvent.sequence_number = event.sequence_number;
      return harEvent;
    }),
  );
  const started = call.startedAt ?? 0;
  const total = call.startedAt !== undefined && call.endedAt !== undefined ? Math.max(0, call.endedAt - call.startedAt) : 0;
  const network = call.networkTimings ?? {};
  const firstByte = call.records[0]?.marks.firstByteAt;
  const wait = network.wait ?? (firstByte !== undefined && call.startedAt !== undefined ? Math.max(0, firstByte - call.startedAt) : 0);
  const receive = network.receive ?? Math.max(0, total - wait);
  const bodyBytes = byteLength(body);
  const entry: HarEntry = {
    startedDateTime: new Date(started).toISOString(),
    time: total,
    request: {
      method: webSocket ? 'GET' : call.method,
      url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: redactHarHeaders(call.requestHeaders, keep),
      queryString: queryString(url),
      headersSize: -1,
      bodySize: call.requestBody === undefined || webSocket ? 0 : byteLength(call.requestBody),
    },
    response: {
      status: webSocket ? 101 : call.status,
      statusText: webSocket ? 'Switching Protocols' : call.statusText,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: redactHarHeaders(call.responseHeaders, keep),
      content: webSocket ? { size: 0, mimeType } : { size: bodyBytes, mimeType, text: body },
      redirectURL: '',
      headersSize: -1,
      bodySize: bodyBytes,
    },
    cache: {},
    timings: { blocked: network.blocked ?? -1, dns: network.dns ?? -1, connect: network.connect ?? -1, ssl: network.ssl ?? -1, send: network.send ?? 0, wait, receive },
    _resourceType: webSocket ? 'websocket' : 'fetch',
  };
  if (webSocket) entry[HAR_WEBSOCKET_FIELD] = webSocketMessages(call, keep);
  entry[HAR_EVENTS_FIELD] = events;
  entry[HAR_ASSEMBLY_FIELD] = { responses: call.records.map(summarizeRecord) };
  if (call.requestBody !== undefined && !webSocket) {
    const contentType = header(call.requestHeaders, 'content-type');
    entry.request.postData = { mimeType: contentType ?? 'application/json', text: keep ? call.requestBody : redactBody(call.requestBody, contentType) };
  }
  if (!keep) {
    const summaries = entry[HAR_ASSEMBLY_FIELD];
    if (summaries) entry[HAR_ASSEMBLY_FIELD] = JSON.parse(redactText(stringifyJson(summaries))) as { responses: ResponseSummary[] };
  }
  return entry;
}

/** A WebSocket call's frames as Chrome writes them: its `response.create`, then the frames received and the others sent, in order. */
function webSocketMessages(call: TranscriptCall, keep: boolean): HarWebSocketMessage[] {
  const message = (type: 'send' | 'receive', data: string, at: number | undefined): HarWebSocketMessage => ({
    type,
    time: at === undefined ? 0 : at / 1000,
    opcode: 1,
    data: keep ? data : type === 'send' ? redactBody(data, 'application/json') : redactText(data),
  });
  const messages: HarWebSocketMessage[] = [];
  if (call.requestBody !== undefined) messages.push(message('send', call.requestBody, call.startedAt));
  const sent = call.sentFrames ?? [];
  let next = 0;
  const received = framesOfSse(call.body);
  const times = receiveTimes(received, call.records);
  received.forEach((data, index) => {
    for (; next < sent.length && (sent[next] as SentFrame).after <= index; next++) messages.push(message('send', (sent[next] as SentFrame).data, (sent[next] as SentFrame).at));
    messages.push(message('receive', data, times[index]));
  });
  for (; next < sent.length; next++) messages.push(message('send', (sent[next] as SentFrame).data, (sent[next] as SentFrame).at));
  return messages;
}

/**
 * A capture as a transcript writes it: its request, its response's status and headers, its body and the responses
 * read from it; with its start and end times when they are known (an import without times has none).
 */
export function captureTranscriptCall(
  start: CaptureStart,
  response: CaptureResponse | undefined,
  body: string,
  records: readonly ResponseRecord[],
  times?: { startedAt: number; endedAt: number | undefined },
): TranscriptCall {
  const call: TranscriptCall = {
    method: start.method,
    url: start.url,
    requestHeaders: start.requestHeaders,
    status: response?.status ?? 0,
    statusText: response?.statusText ?? '',
    responseHeaders: response?.responseHeaders ?? [],
    body,
    records,
  };
  if (start.requestBody !== undefined) call.requestBody = start.requestBody;
  if (times) call.startedAt = times.startedAt;
  if (times?.endedAt !== undefined) call.endedAt = times.endedAt;
  return call;
}

/** When each frame of a body came: the receive time of the event the reader logged for it (one event a frame, in order). */
function receiveTimes(frames: readonly string[], records: readonly ResponseRecord[]): Array<number | undefined> {
  const events = records.flatMap((record) => record.events);
  const times: Array<number | undefined> = [];
  let next = 0;
  for (const frame of frames) {
    const event = events[next];
    // A frame the reader did not log (a `[DONE]` before any event) has no time; the next event is still the next frame's.
    if (event && event.data === frame) {
      times.push(event.receivedAt);
      next++;
    } else times.push(undefined);
  }
  return times;
}

function transcriptLog<Entries>(entries: Entries, options: RedactionOptions): { log: Omit<Har['log'], 'entries'> & { entries: Entries } } {
  return {
    log: {
      version: '1.2',
      creator: TRANSCRIPT_CREATOR,
      entries,
      comment: options.keepSecrets ? 'Credentials were kept in this transcript.' : 'Credentials redacted.',
    },
  };
}

export function buildTranscript(calls: readonly TranscriptCall[], options: RedactionOptions = {}): Har {
  return transcriptLog(calls.map((call) => transcriptEntry(call, options)), options);
}

/**
 * The transcript `buildTranscript` gives, for `writeJson`, with each entry made
 * as it is written: the calls may come from a file read along the way.
 */
export function streamedTranscript(calls: Iterable<TranscriptCall>, options: RedactionOptions = {}): object {
  return transcriptLog(new JsonItems(mapItems(calls, (call) => transcriptEntry(call, options))), options);
}

function* mapItems<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U, void, undefined> {
  for (const item of items) yield map(item);
}

// ── reading ──────────────────────────────────────────────────────────────

export class HarFormatError extends UnreadableBodyError {
  override name = 'HarFormatError';
}

export function looksLikeHar(value: unknown): value is Har {
  return isJsonObject(value) && isJsonObject(value.log) && Array.isArray(value.log.entries);
}

/** A Responses call read back from a HAR entry. */
export interface HarCall extends TranscriptCall {
  entryIndex: number;
}

export interface HarReading {
  calls: HarCall[];
  /** Entries that are not Responses calls. */
  skipped: number;
  /** Entries that looked like Responses calls but could not be read, with why. */
  problems: Array<{ entryIndex: number; message: string }>;
}

function entryBody(entry: HarEntry): string {
  const content = entry.response?.content;
  if (!content || typeof content.text !== 'string') return '';
  if (content.encoding === 'base64') {
    const binary = atob(content.text);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  }
  return content.text;
}

function isResponsesEntry(entry: HarEntry, body: string): boolean {
  if (Array.isArray(entry[HAR_EVENTS_FIELD])) return true;
  const method = entry.request?.method ?? 'GET';
  const url = entry.request?.url ?? '';
  if (isResponsesEndpoint(method, url)) return true;
  const declared = entry.response?.content?.mimeType;
  const mimeType = typeof declared === 'string' ? declared : undefined;
  // Another protocol's stream: named by its path, its header, or its first event.
  const streamed = isEventStream(mimeType) || body.trimStart().startsWith('data:');
  if (streamed && (isOtherLlmEndpoint(method, url) || isLlmEventData(body.slice(body.indexOf('data:') + 5)))) return true;
  const headers = Array.isArray(entry.response?.headers) ? entry.response.headers : [];
  if (headers.some((header) => typeof header?.name === 'string' && header.name.toLowerCase() === AI_SDK_UI_STREAM_HEADER)) return true;
  if (mimeType?.includes('json')) {
    try {
      return looksLikeResponseObject(JSON.parse(body));
    } catch {
      return false;
    }
  }
  return false;
}

/** Reads every Responses entry of a HAR, in order. A broken entry is reported, the rest still read. */
export function readHar(har: unknown): HarReading {
  if (!looksLikeHar(har)) throw new HarFormatError('not a HAR file (no log.entries array)');
  const reading: HarReading = { calls: [], skipped: 0, problems: [] };
  har.log.entries.forEach((raw, entryIndex) => {
    for (const call of readHarEntryCalls(raw, entryIndex, reading)) reading.calls.push(call);
  });
  return reading;
}

/**
 * Reads one entry of a HAR: its Responses calls (one, or one per
 * `response.create` of a WebSocket entry), none when it has none (counted in
 * `reading.skipped`) or they cannot be read (each problem is added to
 * `reading.problems`). The calls are returned, not added to `reading.calls`.
 */
export function readHarEntryCalls(raw: unknown, entryIndex: number, reading: HarReadingProblems): HarCall[] {
  const calls: HarCall[] = [];
  for (const parts of readHarEntryParts(raw, entryIndex, reading)) {
    const call = callOfParts(parts, entryIndex, reading);
    if (call) calls.push(call);
  }
  return calls;
}

/** The first of an entry's calls (`readHarEntryCalls`): whether it has one, or its call when it can have only one. */
export function readHarEntry(raw: unknown, entryIndex: number, reading: HarReadingProblems): HarCall | undefined {
  return readHarEntryCalls(raw, entryIndex, reading)[0];
}

/** Where reading a HAR's entries counts what it left out, and why. */
export type HarReadingProblems = Pick<HarReading, 'skipped' | 'problems'>;

/** All of each of an entry's calls but its body's responses (see `HarEntryParts`): none as `readHarEntryCalls` says. */
export function readHarEntryParts(raw: unknown, entryIndex: number, reading: HarReadingProblems): HarEntryParts[] {
  try {
    return readEntryParts(raw as HarEntry, entryIndex, reading);
  } catch (error) {
    // A malformed entry is reported, never fatal: the rest of the file still loads.
    reading.problems.push({ entryIndex, message: `entry ${entryIndex} is malformed (${error instanceof Error ? error.message : String(error)})` });
    return [];
  }
}

/** An entry's call with its responses read from its body; undefined, its problem added, when they cannot be read. */
export function callOfParts(parts: HarEntryParts, entryIndex: number, reading: HarReadingProblems): HarCall | undefined {
  try {
    return { ...parts.call, records: parts.readRecords() };
  } catch (error) {
    reading.problems.push({ entryIndex, message: (error as Error).message });
    return undefined;
  }
}

/** The error for a HAR none of whose entries gave a Responses call. */
export function noHarCallError(reading: Pick<HarReading, 'skipped' | 'problems'>): UnreadableBodyError {
  const [first, ...more] = reading.problems;
  if (!first) return new UnreadableBodyError(`a HAR file, but none of its ${reading.skipped} entries is a Responses API call`);
  return new UnreadableBodyError(`no Responses call could be read: ${first.message}${more.length > 0 ? ` (and ${more.length} more)` : ''}`);
}

/**
 * An entry's call without its responses, and how to read them: from its body, with the event times and the timing
 * the transcript wrote (taken out of the entry now, so that nothing else of it is kept until then).
 */
export interface HarEntryParts {
  call: Omit<HarCall, 'records'>;
  /** What our own transcript wrote of the body's responses (`_responsesAssembly.responses`), as it is in the file. */
  written: unknown[] | undefined;
  /** When the events of its responses came, as far as the entry says. */
  times: RecordTimes;
  /** Reads the body's responses; throws an error saying which entry could not be read. */
  readRecords: () => ResponseRecord[];
}

/** Reads all of an entry's calls but their bodies' responses: none, with the reason counted in `reading`, when it has none. */
function readEntryParts(entry: HarEntry, entryIndex: number, reading: HarReadingProblems): HarEntryParts[] {
  if (!isJsonObject(entry) || !isJsonObject(entry.request) || !isJsonObject(entry.response)) {
    reading.problems.push({ entryIndex, message: `entry ${entryIndex} has no request or response` });
    return [];
  }
  if (typeof entry.request.method !== 'string' || typeof entry.request.url !== 'string') {
    reading.problems.push({ entryIndex, message: `entry ${entryIndex} has no request method or URL` });
    return [];
  }
  if (Array.isArray(entry[HAR_WEBSOCKET_FIELD]) || (isWebSocketUrl(entry.request.url) && Array.isArray(entry[HAR_EVENTS_FIELD]))) {
    return webSocketParts(entry, entryIndex, reading);
  }
  let body: string;
  try {
    body = entryBody(entry);
  } catch {
    reading.problems.push({ entryIndex, message: `entry ${entryIndex}: its content is not valid base64` });
    return [];
  }
  if (!isResponsesEntry(entry, body)) {
    reading.skipped++;
    return [];
  }
  if (body.trim() === '') {
    reading.problems.push({ entryIndex, message: `entry ${entryIndex} (${entry.request.method} ${entry.request.url}) has no response body: save the HAR with its content` });
    return [];
  }
  const events = entry[HAR_EVENTS_FIELD];
  // Any field may hold anything: each is read only when it has the type it should.
  const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
  const ours = Array.isArray(events);
  const assembly: unknown = entry[HAR_ASSEMBLY_FIELD];
  const written = ours && isJsonObject(assembly) && Array.isArray(assembly.responses) ? (assembly.responses as unknown[]) : undefined;
  let times: RecordTimes;
  if (ours) {
    // Our own transcript: the events carry their receive times (or say they had none).
    const timed = events.some((event) => isJsonObject(event) && typeof event.time === 'number');
    times = {
      kind: 'events',
      eventTimes: events.map((event) => (isJsonObject(event) && typeof event.time === 'number' ? event.time * 1000 : NaN)),
      startedAt: timed && Number.isFinite(started) ? started : undefined,
      writtenTimings: (written ?? []).map(writtenTiming),
    };
  } else if (Number.isFinite(started)) {
    // A browser's or Playwright's HAR: the network's times.
    const timings: JsonObject = isJsonObject(entry.timings) ? entry.timings : {};
    const before = ['blocked', 'dns', 'connect', 'send', 'wait'].reduce((sum, key) => sum + Math.max(0, finite(timings[key])), 0);
    times = { kind: 'network', startedAt: started, firstByteAt: started + before, endedAt: started + Math.max(0, finite(entry.time)) };
  } else {
    times = { kind: 'none' };
  }
  const call: Omit<HarCall, 'records'> = {
    entryIndex,
    method: entry.request.method,
    url: entry.request.url,
    requestHeaders: harHeaders(entry.request.headers),
    status: finite(entry.response.status),
    statusText: typeof entry.response.statusText === 'string' ? entry.response.statusText : '',
    responseHeaders: harHeaders(entry.response.headers),
    body,
  };
  const postData: unknown = entry.request.postData;
  if (isJsonObject(postData) && typeof postData.text === 'string') call.requestBody = postData.text;
  if (Number.isFinite(started) && !(ours && events.every((event) => !isJsonObject(event) || event.time === null))) {
    call.startedAt = started;
    call.endedAt = started + Math.max(0, finite(entry.time));
  }
  const where = `entry ${entryIndex} (${entry.request.method} ${entry.request.url})`;
  // The path or a header names the protocol where the body's first event cannot (a stream that begins with an error).
  const protocol = protocolOfCall(call.url, call.responseHeaders);
  return [{ call, written, times, readRecords: () => readRecordsOf(body, times, where, protocol ? { protocol } : {}) }];
}

/** The frames of a Responses socket's responses: a terminal event, which another API's socket (the Realtime API's) never sends. */
const RESPONSES_TERMINAL_FRAME = /"type"\s*:\s*"response\.(completed|incomplete|failed)"/;

/**
 * A WebSocket entry's calls, one per `response.create` sent: the socket is a Responses API's when the entry is ours,
 * its path is one of the API's (`…/responses`), or it received a Responses terminal event.
 */
function webSocketParts(entry: HarEntry, entryIndex: number, reading: HarReadingProblems): HarEntryParts[] {
  const { method, url } = entry.request;
  const where = `entry ${entryIndex} (${method} ${url})`;
  const raw: unknown = entry[HAR_WEBSOCKET_FIELD];
  const ours = Array.isArray(entry[HAR_EVENTS_FIELD]);
  if (!Array.isArray(raw)) {
    reading.problems.push({ entryIndex, message: `${where} has no WebSocket messages (${HAR_WEBSOCKET_FIELD})` });
    return [];
  }
  const turns = turnsOfSocket(harWebSocketMessages(raw));
  if (turns.length === 0 && ours) {
    reading.problems.push({ entryIndex, message: `${where} has no response.create frame among its WebSocket messages` });
    return [];
  }
  if (turns.length === 0 || !(ours || protocolOfCall(url) === 'responses' || turns.some((turn) => turn.received.some((frame) => RESPONSES_TERMINAL_FRAME.test(frame.data))))) {
    reading.skipped++;
    return [];
  }
  const assembly: unknown = entry[HAR_ASSEMBLY_FIELD];
  // What we wrote of the responses is of the entry's one call; an entry holding several is read from its frames alone.
  const written = ours && turns.length === 1 && isJsonObject(assembly) && Array.isArray(assembly.responses) ? (assembly.responses as unknown[]) : undefined;
  const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
  return turns.map((turn, index) => {
    const call: Omit<HarCall, 'records'> = {
      entryIndex,
      method,
      url,
      requestHeaders: harHeaders(entry.request.headers),
      status: finite(entry.response.status),
      statusText: typeof entry.response.statusText === 'string' ? entry.response.statusText : '',
      responseHeaders: harHeaders(entry.response.headers),
      body: bodyOfFrames(turn.received),
      requestBody: turn.create.data,
    };
    if (turn.sent.length > 0) call.sentFrames = turn.sent;
    const startedAt = turn.create.at;
    if (startedAt !== undefined) {
      call.startedAt = startedAt;
      const endedAt = written && Number.isFinite(started) ? startedAt + Math.max(0, finite(entry.time)) : lastReceivedAt(turn);
      if (endedAt !== undefined) call.endedAt = Math.max(startedAt, endedAt);
    }
    const times: RecordTimes = {
      kind: 'events',
      eventTimes: turn.received.map((frame) => frame.at ?? NaN),
      startedAt,
      writtenTimings: (written ?? []).map(writtenTiming),
    };
    const named = turns.length === 1 ? where : `${where}, response.create ${index + 1} of ${turns.length}`;
    return { call, written, times, readRecords: () => readRecordsOf(call.body, times, named, { webSocket: true }) };
  });
}


function lastReceivedAt(turn: WebSocketTurn): number | undefined {
  for (let index = turn.received.length - 1; index >= 0; index--) {
    const at = (turn.received[index] as { at?: number }).at;
    if (at !== undefined) return at;
  }
  return undefined;
}

/**
 * The text frames of `_webSocketMessages`, their times in epoch ms (Chrome writes seconds, to the microsecond: kept
 * to it, so that a time written from whole milliseconds reads back as it was). A time of 0 or none is unknown; binary
 * frames (base64 in Chrome's HAR) and Chrome's `error` messages are no frame of a Responses stream, and are left out.
 */
function harWebSocketMessages(raw: readonly unknown[]): WebSocketMessage[] {
  const messages: WebSocketMessage[] = [];
  for (const message of raw) {
    if (!isJsonObject(message) || (message.type !== 'send' && message.type !== 'receive') || typeof message.data !== 'string') continue;
    if (message.opcode !== undefined && message.opcode !== 1) continue;
    const one: WebSocketMessage = { type: message.type, data: message.data };
    const time = message.time;
    if (typeof time === 'number' && Number.isFinite(time) && time > 0) one.at = Math.round(time * 1e6) / 1e3;
    messages.push(one);
  }
  return messages;
}

/** When the events of an entry's responses came: what its reading needs of the entry besides the body. */
export type RecordTimes =
  | { kind: 'events'; eventTimes: number[]; startedAt: number | undefined; writtenTimings: Array<WrittenTiming | undefined> }
  | { kind: 'network'; startedAt: number; firstByteAt: number; endedAt: number }
  | { kind: 'none' };

export interface WrittenTiming {
  startedAt: number;
  firstByteAt?: number;
  endedAt?: number;
}

/** The timing we wrote says when the first byte came and when the body ended: taken back as it was. */
function writtenTiming(summary: unknown): WrittenTiming | undefined {
  const timing = isJsonObject(summary) && isJsonObject(summary.timing) ? summary.timing : undefined;
  const startedAt = timing?.startedAt;
  if (!timing || typeof startedAt !== 'number' || !Number.isFinite(startedAt)) return undefined;
  const at = (offset: unknown) => (typeof offset === 'number' && Number.isFinite(offset) ? startedAt + offset : undefined);
  const found: WrittenTiming = { startedAt };
  const firstByteAt = at(timing.firstByteMs);
  const endedAt = at(timing.durationMs);
  if (firstByteAt !== undefined) found.firstByteAt = firstByteAt;
  if (endedAt !== undefined) found.endedAt = endedAt;
  return found;
}

function readRecordsOf(body: string, times: RecordTimes, where: string, options: BodyOptions): ResponseRecord[] {
  let records: ResponseRecord[];
  try {
    records = readResponsesBody(body, options).responses;
  } catch (error) {
    throw new UnreadableBodyError(`${where}: ${(error as Error).message}`);
  }
  if (times.kind === 'events') {
    applyEventTimes(records, times.eventTimes, times.startedAt);
    records.forEach((record, index) => {
      const timing = times.writtenTimings[index];
      if (!timing) return;
      record.marks.requestStartedAt = timing.startedAt;
      if (timing.firstByteAt !== undefined) record.marks.firstByteAt = timing.firstByteAt;
      if (timing.endedAt !== undefined) record.marks.endedAt = timing.endedAt;
    });
  } else if (times.kind === 'network') {
    for (const record of records) {
      record.marks.requestStartedAt = times.startedAt;
      record.marks.firstByteAt = times.firstByteAt;
      record.marks.endedAt = times.endedAt;
      record.marks.lastEventAt = times.endedAt;
    }
  }
  return records;
}

/** A number from a HAR field, or 0 when it holds anything else. */
function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A header name or value as text, whatever the field holds. */
function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : stringifyJson(value);
}

function harHeaders(headers: unknown): HeaderList {
  if (!Array.isArray(headers)) return [];
  return headers.filter(isJsonObject).map((header) => ({ name: headerText(header.name), value: headerText(header.value) }));
}

function applyEventTimes(records: ResponseRecord[], eventTimes: readonly number[], startedAt: number | undefined): void {
  let index = 0;
  for (const record of records) {
    if (startedAt !== undefined) record.marks.requestStartedAt = startedAt;
    for (const event of record.events) {
      const at = eventTimes[index++] ?? NaN;
      if (!Number.isFinite(at)) continue;
      event.receivedAt = at;
      record.marks.firstByteAt ??= at;
      record.marks.lastEventAt = at;
      if (record.marks.firstOutputAt === undefined && isOutputDelta(event.type)) record.marks.firstOutputAt = at;
    }
  }
}
