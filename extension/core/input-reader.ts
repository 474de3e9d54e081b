import { readResponsesBody, type BodyKind } from './body-reader.ts';
import { looksLikeHar, noHarCallError, readHar, type HarCall, type HarReading, type TranscriptCall } from './har.ts';
import type { ResponseRecord } from './stream-reader.ts';
import { readHarDeferring, type DeferredHarCall } from './deferred-har.ts';

export interface InputReading {
  kind: BodyKind | 'har';
  responses: ResponseRecord[];
  /** For a HAR: its Responses calls, entries skipped, entries that could not be read. */
  har?: HarReading;
}

/** Reads any input the tools accept: a HAR, a Responses SSE stream, a Response JSON body, JSON lines of events. */
export function readInput(input: Uint8Array | string): InputReading {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  const parsed = parsedHar(text);
  if (parsed) {
    const har = readHar(parsed);
    if (har.calls.length === 0) throw noHarCallError(har);
    return { kind: 'har', responses: har.calls.flatMap((call: HarCall) => [...call.records]), har };
  }
  return readResponsesBody(text);
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

/**
 * A recording as a transcript call. A recording says nothing of its request:
 * the URL names the file, on a reserved domain.
 */
export function recordingCall(fileName: string, body: string, reading: InputReading): TranscriptCall {
  return {
    method: 'POST',
    url: `https://recording.invalid/v1/responses?recording=${encodeURIComponent(fileName)}`,
    requestHeaders: [],
    status: 200,
    statusText: 'OK',
    responseHeaders: [{ name: 'content-type', value: reading.kind === 'json' ? 'application/json' : 'text/event-stream; charset=utf-8' }],
    body,
    records: reading.responses,
  };
}

/** The calls of one input: a HAR's Responses entries, or a recording as one call. */
export function callsOfInput(fileName: string, body: string, reading: InputReading): TranscriptCall[] {
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
  const reading = readResponsesBody(text);
  return { calls: [recordingCall(fileName, text, reading)] };
}
