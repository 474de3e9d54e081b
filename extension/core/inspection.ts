import type { PriceLookup } from './cost.ts';
import type { HeaderList } from './protocol.ts';
import type { ResponseRecord } from './stream-reader.ts';
import type { ResponseObject } from './response-types.ts';
import { ResponseReplay } from './replay.ts';
import { UnreadableBodyError } from './body-reader.ts';
import { summarizeInspectedRecord, summarizeReplayedRecord, type ResponseSummary } from './summary.ts';
import { mergeThreadLinks, requestThreadLinks, responseThreadLinks, ThreadTracker } from './threads.ts';

/** A call as `inspect` reads it; a recording has no request and no headers. */
export interface InspectedCall {
  requestBody?: string;
  responseHeaders?: HeaderList;
  records: readonly ResponseRecord[];
}

/** `inspect --at`: a moment of each response, after so many of its events or so long after its start. */
export type ReplayPoint = { events: number } | { ms: number };

/** `--at` in milliseconds for a response whose events have no receive times (a bare recording). */
export class NoReceiveTimesError extends UnreadableBodyError {}

/** `--at N` (events) or `--at 2.5s` / `--at 300ms`; undefined for anything else. */
export function parseReplayPoint(text: string): ReplayPoint | undefined {
  if (/^\d+$/.test(text)) return { events: Number(text) };
  const time = /^(\d+(?:\.\d+)?)(s|ms)$/.exec(text);
  if (!time) return undefined;
  return { ms: Number(time[1]) * (time[2] === 's' ? 1000 : 1) };
}

/** A response as `inspect` tells it: its summary (the JSON output), and its Response-shaped view (the text output). */
export interface InspectedResponse {
  summary: ResponseSummary;
  view: ResponseObject;
}

/**
 * What `inspect` tells of every response of these calls, in order: each placed in its thread (by the calls before
 * it), priced, with its call's rate limits; with `at`, as it stood at that moment. Calls are taken one at a time, so
 * a large file is read entry by entry.
 */
export function* inspectCalls(calls: Iterable<InspectedCall>, prices: PriceLookup, at?: ReplayPoint): Generator<InspectedResponse, void, undefined> {
  const threads = new ThreadTracker();
  for (const call of calls) {
    const requestLinks = requestThreadLinks(call.requestBody);
    for (const record of call.records) {
      const id = typeof record.response.id === 'string' ? record.response.id : undefined;
      const thread = threads.place(id, mergeThreadLinks(requestLinks, responseThreadLinks(record.response)));
      const context = { prices, thread, responseHeaders: call.responseHeaders };
      if (!at) {
        yield { summary: summarizeInspectedRecord(record, context), view: record.response };
        continue;
      }
      const replay = new ResponseReplay(record);
      const count = 'events' in at ? at.events : replay.countAt(at.ms);
      if (count === undefined) throw new NoReceiveTimesError(`response ${id ?? '(no id)'} has no receive times: --at takes a number of events here`);
      const replayed = replay.at(count);
      yield { summary: summarizeReplayedRecord(record, replayed, replay.msAt(replayed.count) ?? null, context), view: replayed.response };
    }
  }
}
