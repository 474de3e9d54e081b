import { readResponsesBody, UnreadableBodyError, type BodyKind } from './body-reader.ts';
import { HAR_WEBSOCKET_FIELD, looksLikeHar, noHarCallError, readHar, type HarCall, type HarReading, type HarWebSocketMessage, type TranscriptCall } from './har.ts';
import type { ResponseRecord } from './stream-reader.ts';
import type { ProtocolName } from './protocols.ts';
import { readHarDeferring, type DeferredHarCall } from './deferred-har.ts';
import { isJsonObject } from './response-types.ts';
import { quotedExcerpt } from './warnings.ts';
import type { WebSocketMessage } from './websocket-frames.ts';

export interface InputReading {
  /** `websocket`: a trace of a Responses API WebSocket's frames (JSON lines of `{"dir","data"}`). */
  kind: BodyKind | 'har' | 'websocket';
  responses: ResponseRecord[];
  /**
   * For a HAR: its Responses calls, entries skipped, entries that could not be read. For a WebSocket trace: its
   * calls, one per `response.create`, read as a browser's HAR entry of the whole socket would be.
   */
  har?: HarReading;
}

/**
 * Reads any input the tools accept: a HAR, a Responses SSE stream, a Response JSON body, JSON lines of events, a
 * WebSocket trace.
 */
export function readInput(input: Uint8Array | string): InputReading {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  const parsed = parsedHar(text);
  if (parsed) {
    const har = readHar(parsed);
    if (har.calls.length === 0) throw noHarCallError(har);
    return { kind: 'har', responses: har.calls.flatMap((call: HarCall) => [...call.records]), har };
  }
  const trace = readWebSocketTrace(text);
  if (trace) {
    const har = readTrace(trace, traceUrl(undefined));
    return { kind: 'websocket', responses: har.calls.flatMap((call: HarCall) => [...call.records]), har };
  }
  return readResponsesBody(text);
}

/** A trace says nothing of its socket's URL: it names the file, on the reserved domain recordings have. */
function traceUrl(fileName: string | undefined): string {
  return `wss://recording.invalid/v1/responses${fileName === undefined ? '' : `?recording=${encodeURIComponent(fileName)}`}`;
}

/** A trace's calls, read as the HAR entry of a socket that sent and received its frames, at unknown times. */
function readTrace(messages: readonly WebSocketMessage[], url: string): HarReading {
  const frames: HarWebSocketMessage[] = messages.map((message) => ({ type: message.type, time: 0, opcode: 1, data: message.data }));
  const entry = {
    startedDateTime: new Date(0).toISOString(),
    time: 0,
    request: { method: 'GET', url, headers: [] },
    response: { status: 101, statusText: 'Switching Protocols', headers: [], content: { size: 0, mimeType: 'x-unknown' } },
    [HAR_WEBSOCKET_FIELD]: frames,
  };
  const har = readHar({ log: { entries: [entry] } });
  if (har.calls.length > 0) return har;
  if (har.problems.length > 0) throw noHarCallError(har);
  throw new UnreadableBodyError(`a WebSocket trace of ${messages.length} frame(s), none of them a response.create sent`);
}

/** The input parsed, when it is a HAR (a JSON object with `log.entries`). */
function parsedHar(text: string): unknown {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (!start.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(start);
  } catch {
    return undefined;
  }
  return looksLikeHar(parsed) ? parsed : undefined;
}

/** The path a recording's call is given, as its protocol's API names it (an AI SDK route's usual path). */
const RECORDING_PATHS: Record<ProtocolName, string> = {
  responses: '/v1/responses',
  'chat.completions': '/v1/chat/completions',
  'anthropic.messages': '/v1/messages',
  'ai-sdk.ui': '/api/chat',
};

/**
 * A recording as a transcript call. A recording says nothing of its request:
 * the URL names the file, on a reserved domain.
 */
export function recordingCall(fileName: string, body: string, reading: InputReading): TranscriptCall {
  return {
    method: 'POST',
    url: `https://recording.invalid${RECORDING_PATHS[reading.responses[0]?.protocol ?? 'responses']}?recording=${encodeURIComponent(fileName)}`,
    requestHeaders: [],
    status: 200,
    statusText: 'OK',
    responseHeaders: [{ name: 'content-type', value: reading.kind === 'json' ? 'application/json' : 'text/event-stream; charset=utf-8' }],
    body,
    records: reading.responses,
  };
}

/** The calls of one input: a HAR's Responses entries, a WebSocket trace's calls, or a recording as one call. */
export function callsOfInput(fileName: string, body: string, reading: InputReading): TranscriptCall[] {
  if (reading.kind === 'websocket' && reading.har) {
    const url = traceUrl(fileName);
    return reading.har.calls.map((call) => ({ ...call, url }));
  }
  return reading.har ? reading.har.calls : [recordingCall(fileName, body, reading)];
}

/**
 * The calls of one input for a viewer: as `readInput` and `callsOfInput` read them, but the calls of our own
 * transcripts are listed from what the transcript wrote and read when opened (`readHarDeferring`).
 */
export function readInputDeferring(fileName: string, text: string): { calls: Array<TranscriptCall | DeferredHarCall>; har?: Omit<HarReading, 'calls'> } {
  const parsed = parsedHar(text);
  if (parsed) {
    const har = readHarDeferring(parsed);
    if (har.calls.length === 0) throw noHarCallError(har);
    return { calls: har.calls, har: { skipped: har.skipped, problems: har.problems } };
  }
  const trace = readWebSocketTrace(text);
  if (trace) {
    const har = readTrace(trace, traceUrl(fileName));
    return { calls: har.calls, har: { skipped: har.skipped, problems: har.problems } };
  }
  const reading = readResponsesBody(text);
  return { calls: [recordingCall(fileName, text, reading)] };
}

/**
 * A trace of a socket's frames, one JSON object a line:
 * `{"dir":"send"|"receive","data":"<frame text>"}`. Undefined when the first
 * line is not such a frame (the input is something else); a later line that is
 * not one makes the trace unreadable.
 */
export function readWebSocketTrace(text: string): WebSocketMessage[] | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  // The first line tells: any other input is left at once, unsplit.
  const firstEnd = start.indexOf('\n');
  if (!traceFrame((firstEnd === -1 ? start : start.slice(0, firstEnd)).trim())) return undefined;
  const lines = start.split('\n');
  const messages: WebSocketMessage[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '') continue;
    const message = traceFrame(line);
    if (message) {
      messages.push(message);
      continue;
    }
    if (messages.length === 0) return undefined;
    throw new UnreadableBodyError(`line ${index + 1} of the WebSocket trace is not a {"dir","data"} frame: ${quotedExcerpt(line)}`);
  }
  return messages.length === 0 ? undefined : messages;
}

function traceFrame(line: string): WebSocketMessage | undefined {
  // Only a line that has the key is parsed: the first line of a large JSON body is not parsed twice.
  if (!line.startsWith('{') || !line.includes('"dir"')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  // A line of stream events has a `type`: that is the other JSON-lines input.
  if (!isJsonObject(value) || 'type' in value || typeof value.data !== 'string') return undefined;
  return value.dir === 'send' || value.dir === 'receive' ? { type: value.dir, data: value.data } : undefined;
}
