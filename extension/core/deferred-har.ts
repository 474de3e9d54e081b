/**
 * Reading a HAR to list its calls, the bodies of our own transcripts read only
 * when a call is opened: what lists show (status, model, usage, events, times,
 * the text searched) comes from what the transcript wrote of each body
 * (`_responsesAssembly`), which is what reading the body gave when it was
 * written. Any other entry is read at once, as `readHar` reads it.
 *
 * A transcript edited by hand could say one thing of a body and hold another:
 * a call shows what its body says once it is opened.
 */
import { responsesSummary, statusOf, type CaptureSummary } from './capture-reading.ts';
import { callOfParts, HarFormatError, looksLikeHar, readHarEntryParts, type HarCall, type HarEntryParts, type HarReading, type RecordTimes, type TranscriptCall } from './har.ts';
import { isJsonObject, looksLikeResponseObject, type ResponseObject } from './response-types.ts';
import type { ResponseRecord } from './stream-reader.ts';
import type { TimingMarks } from './usage-timing.ts';

/** A HAR call whose responses are read when it is opened. */
export interface DeferredHarCall extends Omit<HarCall, 'records'> {
  /** What a list shows of it until then. */
  summary: CaptureSummary;
  /** The marks its reading gives its first response (`requestStartedAt`, `firstByteAt`) and its last (`endedAt`, `lastEventAt`). */
  marks: Partial<TimingMarks>;
  /** Reads its body (as `readHar` does); throws `UnreadableBodyError` when it cannot be read. */
  readRecords: () => ResponseRecord[];
}

export interface DeferredHarReading extends Omit<HarReading, 'calls'> {
  calls: Array<HarCall | DeferredHarCall>;
}

export function isDeferred(call: Omit<TranscriptCall, 'records'>): call is DeferredHarCall {
  return 'readRecords' in call;
}

/** What our transcript wrote of one response, when it has every field a list needs, of the right type. */
interface Written {
  response: ResponseObject;
  events: number;
  warningCodes: string[];
}

function writtenOf(value: unknown): Written | undefined {
  // Another protocol's summary holds its SDK's object, not a Response: such a call is read at once.
  if (!isJsonObject(value) || (value.protocol !== undefined && value.protocol !== 'responses') || !looksLikeResponseObject(value.response)) return undefined;
  const { events, warnings } = value;
  if (typeof events !== 'number' || !Number.isInteger(events) || events < 0 || !Array.isArray(warnings)) return undefined;
  const warningCodes = warnings.map((warning) => (isJsonObject(warning) && typeof warning.code === 'string' ? warning.code : ''));
  return { response: value.response, events, warningCodes };
}

export function readHarDeferring(har: unknown): DeferredHarReading {
  if (!looksLikeHar(har)) throw new HarFormatError('not a HAR file (no log.entries array)');
  const reading: DeferredHarReading = { calls: [], skipped: 0, problems: [] };
  har.log.entries.forEach((raw, entryIndex) => {
    for (const parts of readHarEntryParts(raw, entryIndex, reading)) {
      const call = deferredCall(parts) ?? callOfParts(parts, entryIndex, reading);
      if (call) reading.calls.push(call);
    }
  });
  return reading;
}

function deferredCall({ call, written: writtenField, times, readRecords }: HarEntryParts): DeferredHarCall | undefined {
  if (!writtenField || writtenField.length === 0 || times.kind !== 'events') return undefined;
  const written: Written[] = [];
  for (const value of writtenField) {
    const one = writtenOf(value);
    if (!one) return undefined;
    written.push(one);
  }
  // Every event written is one of a response written: else the two disagree, and only the body can tell.
  const events = times.eventTimes.length;
  if (written.reduce((sum, one) => sum + one.events, 0) !== events) return undefined;
  const last = written[written.length - 1] as Written;
  const terminal = endedAsWritten(call.body, last);
  if (terminal === undefined) return undefined;
  const response = { captureId: '', status: call.status, statusText: call.statusText, responseHeaders: call.responseHeaders, receivedAt: 0 };
  const summary: CaptureSummary = {
    status: statusOf(response, { captureId: '', state: 'complete', endedAt: 0 }, last.response.status, terminal),
    events,
    ...responsesSummary(
      written.map((one) => one.response),
      call.requestBody,
    ),
  };
  return { ...call, summary, marks: marksOf(written, times), readRecords };
}

/**
 * Whether a terminal event ended the last response, as reading the body whole would say; undefined when what was
 * written may not be what that reading says. A transcript written while a stream was still coming (the panel exports
 * live calls) holds a response that had not ended yet, with no word of it: read whole, it ends without a terminal
 * event, and a body cut inside a frame gives one event more.
 */
function endedAsWritten(body: string, last: Written): boolean | undefined {
  // A JSON body (no events) is read whole as the final response.
  if (last.events === 0) return true;
  if (!/(\r\n\r\n|\n\n|\r\r)$/.test(body)) return undefined;
  if (last.warningCodes.includes('no_terminal_event')) return false;
  const status = last.response.status;
  return status === 'completed' || status === 'incomplete' || status === 'failed' ? true : undefined;
}

/**
 * The marks `readHar` gives the first and the last response (see `readRecordsOf`): the events' times spread over
 * the responses as many as each had, then the timing written taken back as it was.
 */
function marksOf(written: Written[], times: Extract<RecordTimes, { kind: 'events' }>): Partial<TimingMarks> {
  const marks: Partial<TimingMarks> = {};
  const { eventTimes, writtenTimings } = times;
  const first = written[0] as Written;
  const firstTiming = writtenTimings[0];
  const requestStartedAt = firstTiming?.startedAt ?? times.startedAt;
  if (requestStartedAt !== undefined) marks.requestStartedAt = requestStartedAt;
  const firstByteAt = firstTiming?.firstByteAt ?? eventTimes.slice(0, first.events).find(Number.isFinite);
  if (firstByteAt !== undefined) marks.firstByteAt = firstByteAt;
  const lastIndex = written.length - 1;
  const lastTimes = eventTimes.slice(eventTimes.length - (written[lastIndex] as Written).events).filter(Number.isFinite);
  const lastEventAt = lastTimes[lastTimes.length - 1];
  if (lastEventAt !== undefined) marks.lastEventAt = lastEventAt;
  const endedAt = writtenTimings[lastIndex]?.endedAt;
  if (endedAt !== undefined) marks.endedAt = endedAt;
  return marks;
}
