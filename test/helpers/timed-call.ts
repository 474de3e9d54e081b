/** A recording as a call whose events came at set times: what a capture or our HAR transcripts hold. */
import { ResponsesStreamReader, type TranscriptCall } from '../../extension/core/index.ts';
import { readFixture, splitFrames } from './streams.ts';

/** The recording's frames, the first `firstAfterMs` after the request started and then one every `everyMs`. */
export function timedCall(name: string, firstAfterMs: number, everyMs: number): TranscriptCall {
  const text = readFixture(name);
  const reader = new ResponsesStreamReader();
  const startedAt = Date.UTC(2026, 0, 1, 12);
  const frames = splitFrames(text);
  frames.forEach((frame, index) => reader.push(`${frame}\n\n`, startedAt + firstAfterMs + index * everyMs));
  const endedAt = startedAt + firstAfterMs + frames.length * everyMs;
  reader.end(endedAt);
  for (const record of reader.responses) record.marks.requestStartedAt = startedAt;
  return {
    method: 'POST',
    url: 'https://api.openai.com/v1/responses',
    requestHeaders: [],
    status: 200,
    statusText: 'OK',
    responseHeaders: [{ name: 'content-type', value: 'text/event-stream' }],
    body: text,
    startedAt,
    endedAt,
    records: reader.responses,
  };
}
