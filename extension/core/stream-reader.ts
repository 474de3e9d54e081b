import { ResponseAssembler } from './assembler.ts';
import { DeltaEventReader } from './delta-event.ts';
import { isJsonObject, numberField, stringField, type JsonObject, type ResponseObject } from './response-types.ts';
import { SseDecoder, type SseFrame } from './sse-decoder.ts';
import { isOutputDelta } from './stream-events.ts';
import { computeTiming, summarizeUsage, type ResponseTiming, type TimingMarks, type UsageSummary } from './usage-timing.ts';
import { quotedExcerpt, type StreamWarning, type WarningCode } from './warnings.ts';
import { foreignEventType, protocolOfEvent, type ProtocolName, type ProtocolTranslator } from './protocols.ts';
import { translatorFor } from './translators.ts';

/** One SSE data frame as it was received; the JSON stays text until someone looks at it. */
export interface LoggedEvent {
  /** The event's `type` (or the SSE `event:` name); "[DONE]" and "(not JSON)" mark frames that are not events. */
  type: string;
  data: string;
  receivedAt?: number;
  sequence_number?: number;
  /** A frame of a WebSocket that is no Responses event (`codex.rate_limits`…): kept in the log, never applied. */
  logOnly?: true;
}

/**
 * What a response's events have built: the Responses assembler, and for another protocol the translator that feeds
 * it (see `protocols.ts`). A replay keeps copies of it.
 */
export class AssemblyState {
  private translationEnded = false;

  constructor(
    readonly assembler: ResponseAssembler,
    readonly translator: ProtocolTranslator | undefined,
  ) {}

  static start(protocol: ProtocolName): AssemblyState {
    return new AssemblyState(new ResponseAssembler(), protocol === 'responses' ? undefined : translatorFor(protocol));
  }

  /** What the provider's own SDK returns at the end, in its shape: the Response itself for the Responses API. */
  get result(): JsonObject {
    return this.translator ? this.translator.result : (this.assembler.response as JsonObject);
  }

  /** Applies one event of the stream: itself, or the Responses events it stands for; the types applied are given to `onApplied`. */
  apply(event: JsonObject, type: string, eventIndex: number, onApplied?: (type: string) => void): void {
    if (!this.translator) {
      this.assembler.apply(event, eventIndex, type);
      return;
    }
    for (const translated of this.translator.translate(event, type)) {
      const translatedType = String(translated.type);
      onApplied?.(translatedType);
      this.assembler.apply(translated, eventIndex, translatedType);
    }
  }

  /** The end of a translated stream (its end marker, or the body's end): its open items finish, the response closes. */
  endTranslation(eventIndex: number): void {
    if (!this.translator || this.translationEnded) return;
    this.translationEnded = true;
    const { events, closing } = this.translator.end();
    for (const translated of events) this.assembler.apply(translated, eventIndex, String(translated.type));
    this.assembler.closeWith(closing);
  }

  /** The stream has ended: a translated one closes, and a response left without its end is warned about. */
  finish(eventIndex: number): void {
    this.endTranslation(eventIndex);
    this.assembler.finish();
  }

  clone(): AssemblyState {
    const copy = new AssemblyState(this.assembler.clone(), this.translator?.clone());
    copy.translationEnded = this.translationEnded;
    return copy;
  }
}

/** One response: its event log and the state assembled from it. */
export class ResponseRecord {
  readonly state: AssemblyState;
  readonly events: LoggedEvent[] = [];
  /** The event types in `events`, kept as they arrive (a viewer lists them without scanning the log). */
  readonly eventTypes = new Set<string>();
  readonly marks: TimingMarks = {};
  /** A terminal event or `data: [DONE]` was seen: further events belong to another response. */
  closed = false;
  private finished = false;
  /** The stream's protocol; another than the Responses API's is read through a translator. */
  readonly protocol: ProtocolName;

  constructor(protocol: ProtocolName = 'responses') {
    this.protocol = protocol;
    this.state = AssemblyState.start(protocol);
  }

  get assembler(): ResponseAssembler {
    return this.state.assembler;
  }

  get translator(): ProtocolTranslator | undefined {
    return this.state.translator;
  }

  /** What the provider's own SDK returns at the end, in its shape: the Response itself for the Responses API. */
  get result(): JsonObject {
    return this.state.result;
  }

  /** Applies one event of the stream (see `AssemblyState.apply`). */
  applyEvent(event: JsonObject, type: string, eventIndex: number): void {
    // A translated stream's first output is seen among the Responses events it stands for (the reader sees the
    // Responses API's own); watched only until it comes, so nothing is made per event after.
    const receivedAt = this.events[eventIndex]?.receivedAt;
    const watch =
      this.translator && receivedAt !== undefined && this.marks.firstOutputAt === undefined
        ? (applied: string) => {
            if (this.marks.firstOutputAt === undefined && isOutputDelta(applied)) this.marks.firstOutputAt = receivedAt;
          }
        : undefined;
    this.state.apply(event, type, eventIndex, watch);
    if (this.translator?.done) this.closed = true;
  }

  /** The end of a translated stream: see `AssemblyState.endTranslation`. */
  endTranslation(): void {
    this.state.endTranslation(this.events.length - 1);
  }

  /** `finish()` was called: the stream ended, and a response left without a terminal event was warned about. */
  get isFinished(): boolean {
    return this.finished;
  }

  get response(): ResponseObject {
    return this.assembler.response;
  }

  get warnings(): readonly StreamWarning[] {
    return this.assembler.warnings;
  }

  get usage(): UsageSummary | null {
    return summarizeUsage(this.assembler.response);
  }

  get timing(): ResponseTiming {
    return computeTiming(this.marks, this.assembler.response, this.usage);
  }

  log(event: LoggedEvent): number {
    this.events.push(event);
    this.eventTypes.add(event.type);
    if (event.receivedAt !== undefined) this.marks.lastEventAt = event.receivedAt;
    return this.events.length - 1;
  }

  finish(endedAt?: number): void {
    if (this.finished) return;
    this.finished = true;
    if (endedAt !== undefined) this.marks.endedAt = endedAt;
    this.state.finish(this.events.length - 1);
  }

  /** The record of a non-streaming call: a whole Response object. */
  static fromResponseObject(response: ResponseObject, marks: TimingMarks = {}): ResponseRecord {
    const record = new ResponseRecord();
    Object.assign(record.marks, marks);
    record.assembler.adoptFinalResponse(response);
    record.closed = true;
    record.finished = true;
    return record;
  }
}

export interface StreamReaderOptions {
  /** When the request was sent (epoch ms), for time to first byte. */
  requestStartedAt?: number;
  /** Every frame through JSON.parse, deltas too: slower, the reference the quick reading of deltas is tested against. */
  parseEveryFrame?: boolean;
  /** The protocol, when the call says it (see `protocolOfCall`); otherwise the first event that tells decides. */
  protocol?: ProtocolName;
  /**
   * The body is the frames a Responses API WebSocket received, each framed as SSE (`sseOfFrame` in
   * `websocket-frames.ts`). Its protocol is the Responses API's, and a frame whose type is neither `response.*` nor
   * `error` shares the socket without being part of the stream (`codex.rate_limits`…): it is logged (`logOnly`), not
   * applied, and raises no `unknown_event`.
   */
  webSocket?: boolean;
}

/**
 * Turns the bytes of a Responses stream, chunk by chunk, into responses.
 * Several responses in one input (recordings concatenated) come out as
 * several records: a new one starts at `response.created`, or at any
 * `response.*` event after the previous response ended.
 */
export class ResponsesStreamReader {
  readonly responses: ResponseRecord[] = [];
  readonly decoder = new SseDecoder();
  private readonly deltas: DeltaEventReader | undefined;
  private firstChunkAt: number | undefined;
  private chunkCount = 0;
  /** The stream's protocol: as the caller knows it (the URL, the headers), else as its first telling event says. */
  protocol: ProtocolName | undefined;

  constructor(private readonly options: StreamReaderOptions = {}) {
    this.deltas = options.parseEveryFrame ? undefined : new DeltaEventReader();
    this.protocol = options.protocol ?? (options.webSocket ? 'responses' : undefined);
  }

  /** Frames seen so far, events or not. */
  get frameCount(): number {
    let count = 0;
    for (const record of this.responses) count += record.events.length;
    return count;
  }

  push(chunk: Uint8Array | string, receivedAt?: number): void {
    if (this.chunkCount++ === 0) this.firstChunkAt = receivedAt;
    for (const frame of this.decoder.push(chunk, receivedAt)) this.handleFrame(frame);
  }

  end(endedAt?: number): void {
    for (const frame of this.decoder.end(endedAt)) this.handleFrame(frame);
    for (const record of this.responses) record.finish();
    const last = this.responses[this.responses.length - 1];
    if (last && endedAt !== undefined) last.marks.endedAt = endedAt;
  }

  /** Applies one already-parsed event (from a JSON-lines file, a HAR's event list…). */
  pushEvent(event: JsonObject, data: string, receivedAt?: number): void {
    const type = eventType(event, undefined);
    if (type === undefined) {
      const record = this.recordFor(undefined, receivedAt);
      const index = record.log({ type: '(no type)', data, ...(receivedAt === undefined ? {} : { receivedAt }) });
      record.assembler.warnAboutFrame('not_an_event', `A line's JSON has no "type": ${quotedExcerpt(data)}`, index);
      return;
    }
    this.applyEvent(event, type, data, receivedAt);
  }

  private handleFrame(frame: SseFrame): void {
    const { data, receivedAt } = frame;
    const reading = readFrame(data, frame.event, frame.unterminated === true, this.deltas);
    if (reading.kind === 'event') {
      this.applyEvent(reading.event, reading.type, data, receivedAt);
      return;
    }
    const at = receivedAt === undefined ? {} : { receivedAt };
    if (reading.kind === 'done') {
      const record = this.responses[this.responses.length - 1];
      if (record) {
        record.log({ type: '[DONE]', data, ...at });
        record.closed = true;
        record.endTranslation();
      }
      return;
    }
    const record = this.recordFor(undefined, receivedAt);
    const index = record.log({ type: reading.type, data, ...at });
    record.assembler.warnAboutFrame(reading.code, reading.message, index);
  }

  private applyEvent(event: JsonObject, type: string, data: string, receivedAt: number | undefined): void {
    this.protocol ??= protocolOfEvent(event);
    const logOnly = this.options.webSocket === true && type !== 'error' && !type.startsWith('response.');
    // A frame that is not part of the stream never starts a response: it joins the one it came after.
    const record = this.recordFor(logOnly ? undefined : type, receivedAt);
    const logged: LoggedEvent = { type, data };
    if (receivedAt !== undefined) logged.receivedAt = receivedAt;
    const sequence = numberField(event, 'sequence_number');
    if (sequence !== undefined) logged.sequence_number = sequence;
    if (logOnly) {
      logged.logOnly = true;
      record.log(logged);
      return;
    }
    const index = record.log(logged);
    if (receivedAt !== undefined && record.marks.firstOutputAt === undefined && isOutputDelta(type)) record.marks.firstOutputAt = receivedAt;
    record.applyEvent(event, type, index);
    if (record.assembler.terminal) record.closed = true;
  }

  private recordFor(type: string | undefined, receivedAt: number | undefined): ResponseRecord {
    const current = this.responses[this.responses.length - 1];
    if (current) {
      const startsAnother =
        type !== undefined &&
        (current.translator
          ? current.closed
          : (type === 'response.created' && current.assembler.eventCount > 0) || (current.closed && type.startsWith('response.')));
      if (!startsAnother) return current;
      current.finish();
    }
    const record = new ResponseRecord(this.protocol ?? 'responses');
    if (this.responses.length === 0) {
      if (this.options.requestStartedAt !== undefined) record.marks.requestStartedAt = this.options.requestStartedAt;
      const firstByteAt = this.firstChunkAt ?? receivedAt;
      if (firstByteAt !== undefined) record.marks.firstByteAt = firstByteAt;
    } else if (receivedAt !== undefined) {
      record.marks.firstByteAt = receivedAt;
    }
    this.responses.push(record);
    return record;
  }
}

/** The warnings the reader gives a frame it logs without applying it: each such frame gets one. */
export type FrameWarningCode = Extract<WarningCode, 'invalid_json' | 'not_an_event' | 'truncated_event'>;
export const FRAME_WARNING_CODES: ReadonlySet<WarningCode> = new Set<FrameWarningCode>(['invalid_json', 'not_an_event', 'truncated_event']);

/** What the reader makes of a frame's data: an event to apply, the end of the stream, or a frame it only logs and warns about. */
export type FrameReading =
  | { kind: 'event'; event: JsonObject; type: string }
  | { kind: 'done' }
  | { kind: 'no-event'; type: string; code: FrameWarningCode; message: string };

/**
 * Reads a frame's data as the reader does. `deltas` reads delta events
 * without JSON.parse (its event is reused by its next read: apply it at once).
 * A frame the reader applied reads again, given its logged type as
 * `sseEventName`, as the same event under the same type.
 */
export function readFrame(data: string, sseEventName: string | undefined, unterminated: boolean, deltas: DeltaEventReader | undefined): FrameReading {
  // Most frames are deltas: read without JSON.parse.
  const delta = deltas?.read(data);
  if (delta !== undefined) return { kind: 'event', event: delta, type: delta.type as string };
  if (data === '[DONE]') return { kind: 'done' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    const type = sseEventName ?? '(not JSON)';
    if (unterminated) return { kind: 'no-event', type, code: 'truncated_event', message: `The stream ended in the middle of an event: ${quotedExcerpt(data)}` };
    // An engine whose parser recurses gives up on JSON nested deep enough: that frame is lost, not the stream.
    if (error instanceof RangeError) return { kind: 'no-event', type, code: 'invalid_json', message: `A frame's JSON is too deep to read (${error.message}): ${quotedExcerpt(data)}` };
    return { kind: 'no-event', type, code: 'invalid_json', message: `A frame is not JSON: ${quotedExcerpt(data)}` };
  }
  const type = isJsonObject(parsed) ? eventType(parsed, sseEventName) : undefined;
  if (!isJsonObject(parsed) || type === undefined) {
    return { kind: 'no-event', type: sseEventName ?? '(no type)', code: 'not_an_event', message: `A frame's JSON is not a Responses event (no "type"): ${quotedExcerpt(data)}` };
  }
  return { kind: 'event', event: parsed, type };
}

function eventType(event: JsonObject, sseEventName: string | undefined): string | undefined {
  const type = stringField(event, 'type');
  if (type !== undefined) return type;
  // Some servers report a failure as a bare `{"error": {…}}` frame (Groq's with `event: error`).
  if (isJsonObject(event.error) && !Array.isArray(event.choices)) return 'error';
  // A Chat Completions chunk has no `type`: it is named by its `object` (an error chunk too: OpenRouter's).
  return foreignEventType(event) ?? sseEventName;
}

