import type { PriceLookup } from './cost.ts';
import type { HeaderList } from './protocol.ts';
import type { ResponseRecord } from './stream-reader.ts';
import { summarizeInspectedRecord, type ResponseSummary } from './summary.ts';
import { mergeThreadLinks, requestThreadLinks, responseThreadLinks, ThreadTracker } from './threads.ts';

/** A call as `inspect` reads it; a recording has no request and no headers. */
export interface InspectedCall {
  requestBody?: string;
  responseHeaders?: HeaderList;
  records: readonly ResponseRecord[];
}

/**
 * What `inspect` tells of every response of these calls, in order: each placed in its thread (by the calls before
 * it), priced, with its call's rate limits. Calls are taken one at a time, so a large file is read entry by entry.
 */
export function* inspectCalls(calls: Iterable<InspectedCall>, prices: PriceLookup): Generator<ResponseSummary, void, undefined> {
  const threads = new ThreadTracker();
  for (const call of calls) {
    const requestLinks = requestThreadLinks(call.requestBody);
    for (const record of call.records) {
      const id = typeof record.response.id === 'string' ? record.response.id : undefined;
      const thread = threads.place(id, mergeThreadLinks(requestLinks, responseThreadLinks(record.response)));
      yield summarizeInspectedRecord(record, { prices, thread, responseHeaders: call.responseHeaders });
    }
  }
}
