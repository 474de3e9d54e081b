/**
 * The core's reading of one captured body, as it arrives: the Responses in it
 * (streamed events, or a JSON body read at the end), and what a list of
 * captures shows of it (status, model, usage) in a small `CaptureSummary` that
 * outlives the reading. The panel reads the captures it shows; the background
 * reads live captures, keeps their summaries and lets the bodies go to disk.
 */
import type { CaptureEnd, CaptureResponse, CaptureStart } from './protocol.ts';
import { searchTextOfInput } from './search-text.ts';
import { requestInputOf, toolAnswersOf, type ToolAnswer } from './tool-answers.ts';
import { isWebSocketUrl } from './websocket-frames.ts';
import { protocolOfCall, type ForeignProtocol } from './protocols.ts';
import { toolCallsOf, type ToolCalls } from './cost.ts';
import { mergeThreadLinks, requestThreadLinks, responseThreadLinks, type ThreadLinks } from './threads.ts';
import { readResponsesBody } from './body-reader.ts';
import { isEventStream } from './request-match.ts';
import { ResponseRecord, ResponsesStreamReader } from './stream-reader.ts';
import { SseDecoder, type SseFrame } from './sse-decoder.ts';
import { isJsonObject, type JsonValue, type ResponseObject } from './response-types.ts';
import { TERMINAL_EVENT_TYPES } from './stream-events.ts';
import { summarizeUsage, type TimingMarks, type UsageSummary } from './usage-timing.ts';

export type DisplayStatus = 'pending' | 'streaming' | 'completed' | 'incomplete' | 'failed' | 'cancelled' | 'error' | 'http-error';

export interface BodyPlace {
  chunk: number;
  offset: number;
}

/** What a list of captures shows of one, without its body. */
export interface CaptureSummary {
  status: DisplayStatus;
  /** The stream's protocol, when it is not the Responses API. */
  protocol?: ForeignProtocol;
  model?: string;
  responseId?: string;
  /** Every response's id, in order, when the body holds more than one. */
  responseIds?: string[];
  /** The last response's `service_tier` (its prices depend on it). */
  serviceTier?: string;
  /** The last response's built-in tool calls that are charged apiece, when it made any. */
  toolCalls?: ToolCalls;
  /** What ties the call to earlier turns (its request's, else what its last response echoes): see `threads.ts`. */
  previousResponseId?: string;
  conversationId?: string;
  inputRefs?: string[];
  outputRefs?: string[];
  /** What the request sent back for earlier tool calls (an agent's next step), in short. */
  toolAnswers?: ToolAnswer[];
  usage?: UsageSummary;
  /** Events read (streamed bodies). */
  events: number;
  bodyError?: string;
  /**
   * A place in the body (a chunk, a character in it) at or before the start of its last terminal event, which
   * carries the whole Response: the body from there gives a preview of the finished response without reading
   * all of it (`previewRecords`).
   */
  terminalFrom?: BodyPlace;
  /** What a person remembers of the call, lower case, bounded: its input and output (`searchTextOf`). */
  searchText?: string;
}

export function headerValue(response: CaptureResponse | undefined, name: string): string | undefined {
  return response?.responseHeaders.find((header) => header.name.toLowerCase() === name)?.value;
}

/** A JSON document (a non-streaming call) rather than an event stream. */
export function isJsonResponse(response: CaptureResponse | undefined): boolean {
  const type = headerValue(response, 'content-type');
  return type !== undefined && /json/i.test(type) && !isEventStream(type);
}

/** The model a request asked for. */
export function requestedModel(requestBody: string | undefined): string | undefined {
  if (requestBody === undefined) return undefined;
  try {
    const body = JSON.parse(requestBody) as { model?: unknown };
    return typeof body.model === 'string' ? body.model : undefined;
  } catch {
    return undefined;
  }
}

/** A delta frame as OpenAI-style servers write it (`type` first): what a summary can do without. */
function isDeltaFrame(data: string): boolean {
  return data.startsWith('{"type":"response.') && data.slice(18, 80).includes('.delta"');
}

export class CaptureReading {
  private readonly reader: ResponsesStreamReader;
  /**
   * Light: for a summary only (the background's). Delta frames are counted, not read: status, model, usage and
   * the response id come from the other events (a terminal event carries the whole Response).
   */
  private readonly frames: SseDecoder | undefined;
  private frameCount = 0;
  private skippedDeltas = 0;
  private jsonParts: string[] = [];
  /** Light readings: where each chunk pushed starts in the body, to find where a terminal event's frame began. */
  private readonly chunkStarts: number[] = [];
  private currentChunk = '';
  private terminalFrom: BodyPlace | undefined;
  private jsonRecords: ResponseRecord[] | undefined;
  private jsonError: string | undefined;
  private readonly askedModel: string | undefined;
  bodyLength = 0;
  response: CaptureResponse | undefined;
  end: CaptureEnd | undefined;

  constructor(readonly start: CaptureStart, response?: CaptureResponse, options: { light?: boolean } = {}) {
    const webSocket = isWebSocketUrl(start.url);
    // The path names the protocol when it can (a stream whose first frame is an error tells nothing itself).
    const protocol = webSocket ? undefined : protocolOfCall(start.url);
    this.reader = new ResponsesStreamReader({ requestStartedAt: start.startedAt, webSocket, ...(protocol ? { protocol } : {}) });
    if (options.light) this.frames = new SseDecoder();
    this.askedModel = requestedModel(start.requestBody);
    this.response = response;
  }

  get isJsonBody(): boolean {
    return isJsonResponse(this.response);
  }

  push(text: string, receivedAt: number): void {
    this.bodyLength += text.length;
    if (this.isJsonBody) this.jsonParts.push(text);
    else if (this.frames) {
      this.chunkStarts.push(this.bodyLength - text.length);
      this.currentChunk = text;
      this.readLight(this.frames.push(text, receivedAt));
      this.currentChunk = '';
    }
    else this.reader.push(text, receivedAt);
  }

  private readLight(frames: SseFrame[]): void {
    for (const frame of frames) {
      this.frameCount++;
      if (isDeltaFrame(frame.data)) {
        this.skippedDeltas++;
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(frame.data);
      } catch {
        continue;
      }
      if (!isJsonObject(parsed)) continue;
      this.reader.pushEvent(parsed, frame.data, frame.receivedAt);
      if (TERMINAL_EVENT_TYPES.has(parsed.type as string)) this.terminalFrom = this.placeBefore(frame.data);
    }
  }

  /** A place at or before the start of the frame whose data is `data`, which the chunk being read completed. */
  private placeBefore(data: string): BodyPlace {
    const chunkStart = this.chunkStarts[this.chunkStarts.length - 1] ?? 0;
    // The data's end, found by its last characters in this chunk (the last such place: the frame is the newest).
    const tail = data.slice(-64);
    const found = tail.length === 64 ? this.currentChunk.lastIndexOf(tail) : -1;
    // Room before the data for an `event:` line, the prefixes of further data lines and the blank line before.
    const before = found === -1 ? -1 : chunkStart + found + tail.length - data.length - FRAME_ROOM;
    if (found === -1 || before < 0) return { chunk: chunkHolding(this.chunkStarts, this.bodyLength, data.length), offset: 0 };
    let chunk = this.chunkStarts.length - 1;
    while (chunk > 0 && (this.chunkStarts[chunk] as number) > before) chunk--;
    return { chunk, offset: before - (this.chunkStarts[chunk] as number) };
  }

  finish(end: CaptureEnd): void {
    this.end = end;
    if (!this.isJsonBody) {
      if (this.frames) this.readLight(this.frames.end(end.endedAt));
      this.reader.end(end.endedAt);
      return;
    }
    try {
      const body = readResponsesBody(this.jsonParts.join(''));
      this.jsonRecords = body.responses;
      for (const record of body.responses) {
        record.marks.requestStartedAt = this.start.startedAt;
        record.marks.firstByteAt = this.response?.receivedAt ?? end.endedAt;
        record.marks.endedAt = end.endedAt;
      }
    } catch (error) {
      this.jsonError = error instanceof Error ? error.message : String(error);
    }
    this.jsonParts = [];
  }

  get records(): readonly ResponseRecord[] {
    return this.jsonRecords ?? this.reader.responses;
  }

  /** The response this capture is mostly about: the last in its body. */
  get record(): ResponseRecord | undefined {
    const records = this.records;
    return records[records.length - 1];
  }

  /** Why the body could not be read as Responses traffic, if it could not. */
  get bodyError(): string | undefined {
    if (this.jsonError) return this.jsonError;
    if (this.end && !this.isJsonBody && this.records.length === 0 && this.skippedDeltas === 0 && this.bodyLength > 0) return 'The body holds no Responses API event.';
    return undefined;
  }

  get status(): DisplayStatus {
    return displayStatus(this.response, this.end, this.record);
  }

  get model(): string | undefined {
    const model = this.record?.response.model;
    return typeof model === 'string' ? model : this.askedModel;
  }

  summary(): CaptureSummary {
    const events = this.frames ? this.frameCount : this.records.reduce((sum, one) => sum + one.events.length, 0);
    const summary: CaptureSummary = { status: this.status, events, ...responsesSummary(this.records.map((one) => one.response), this.start.requestBody) };
    const protocol = this.record?.protocol;
    if (protocol !== undefined && protocol !== 'responses') summary.protocol = protocol;
    const bodyError = this.bodyError;
    if (bodyError !== undefined) summary.bodyError = bodyError;
    if (this.terminalFrom !== undefined) summary.terminalFrom = this.terminalFrom;
    return summary;
  }
}

type ResponsesPart = Pick<
  CaptureSummary,
  'model' | 'responseId' | 'responseIds' | 'serviceTier' | 'toolCalls' | 'previousResponseId' | 'conversationId' | 'inputRefs' | 'outputRefs' | 'toolAnswers' | 'usage' | 'searchText'
>;

/** What ties a call to earlier turns: its request's links, each completed from its (last) response's echo. */
export function callThreadLinks(requestBody: string | undefined, response: ResponseObject | undefined): ThreadLinks {
  return mergeThreadLinks(requestThreadLinks(requestBody), response ? responseThreadLinks(response) : {});
}

/**
 * What a summary says of a body's responses, the last one first: its model (else the one asked for), id, service
 * tier, usage, its links to other turns, the tool answers its request sent and the text searched, and every
 * response's id when there are several. One place for the store's
 * reading and for a transcript's written summaries alike.
 */
export function responsesSummary(
  responses: readonly ResponseObject[],
  requestBody: string | undefined,
): ResponsesPart {
  const last = responses[responses.length - 1];
  const summary: ResponsesPart = {};
  const model = typeof last?.model === 'string' ? last.model : requestedModel(requestBody);
  if (model !== undefined) summary.model = model;
  if (typeof last?.id === 'string') summary.responseId = last.id;
  const ids = responses.map((one) => one.id).filter((id): id is string => typeof id === 'string');
  if (ids.length > 1) summary.responseIds = ids;
  if (typeof last?.service_tier === 'string') summary.serviceTier = last.service_tier;
  const usage = last ? summarizeUsage(last) : null;
  if (usage) summary.usage = usage;
  const toolCalls = toolCallsOf(last?.output);
  if (toolCalls.webSearch > 0 || toolCalls.fileSearch > 0) summary.toolCalls = toolCalls;
  Object.assign(summary, callThreadLinks(requestBody, last));
  const input = requestInputOf(requestBody);
  const answers = toolAnswersOf(input);
  if (answers.length > 0) summary.toolAnswers = answers;
  const searchText = searchTextOfInput(input, last?.output as JsonValue | undefined);
  if (searchText.trim() !== '') summary.searchText = searchText;
  return summary;
}

const FRAME_ROOM = 512;

/**
 * For a frame of `chars` characters of data that the last chunk completed, when its place in that chunk is not
 * known: a chunk at or before its start. The chunks before the last must hold the whole frame (the last may end
 * with other frames), and one more the blank line before it.
 */
function chunkHolding(starts: readonly number[], bodyLength: number, chars: number): number {
  let index = starts.length - 1;
  const lastStart = starts[index] ?? bodyLength;
  while (index > 0 && lastStart - (starts[index] as number) < chars + FRAME_ROOM) index--;
  return Math.max(0, index - 1);
}

/**
 * The finished responses that a body's end shows, read from its last chunks (from `terminalFrom`): the Response
 * each terminal event there carries. Frames before a terminal event are passed over, deltas unparsed.
 */
export function previewRecords(tail: string, fromStart: boolean, marks: TimingMarks = {}): ResponseRecord[] {
  // Unless the tail is the whole body, it starts inside some frame: from the first blank line on, frames are whole.
  const boundary = fromStart ? 0 : firstBlankLineEnd(tail);
  if (boundary === -1) return [];
  const frames = new SseDecoder().push(tail.slice(boundary));
  const records: ResponseRecord[] = [];
  for (const frame of frames) {
    // Only a terminal event (servers write `type` first) is parsed.
    if (!/^\{\s*"type"\s*:\s*"response\.(completed|incomplete|failed)"/.test(frame.data)) continue;
    try {
      const event = JSON.parse(frame.data) as unknown;
      if (isJsonObject(event) && isJsonObject(event.response)) records.push(ResponseRecord.fromResponseObject(event.response as ResponseObject, marks));
    } catch {
      // A preview only: the whole reading says what is wrong with this frame.
    }
  }
  return records;
}

function firstBlankLineEnd(text: string): number {
  const match = /\r\n\r\n|\n\n|\r\r/.exec(text);
  return match ? match.index + match[0].length : -1;
}

/** How a capture ended, in the words of the list: the page's side (cancelled, error) before the server's. */
export function displayStatus(response: CaptureResponse | undefined, end: CaptureEnd | undefined, record: ResponseRecord | undefined): DisplayStatus {
  return statusOf(response, end, record?.response.status, record?.assembler.terminal ?? false);
}

/** `displayStatus` from what it needs of the response read: its status, and whether a terminal event ended it. */
export function statusOf(response: CaptureResponse | undefined, end: CaptureEnd | undefined, responseStatus: unknown, terminal: boolean): DisplayStatus {
  if (response && response.status >= 400 && !terminal) return end?.state === 'cancelled' ? 'cancelled' : 'http-error';
  // The server's word on the response comes first: a page that stops reading after an error event (as the openai
  // client does) cancelled a response that had failed. The capture's own fate is shown beside it.
  if (responseStatus === 'completed' || responseStatus === 'incomplete' || responseStatus === 'failed') return responseStatus;
  if (end?.state === 'cancelled') return 'cancelled';
  if (end?.state === 'error') return 'error';
  if (end) return terminal ? 'completed' : 'error';
  return response ? 'streaming' : 'pending';
}
