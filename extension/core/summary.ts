import { responseCost, type CostSummary, type PriceLookup } from './cost.ts';
import type { HeaderList } from './protocol.ts';
import { rateLimitsOf, type RateLimits } from './rate-limits.ts';
import type { ThreadPlace } from './threads.ts';
import type { ResponseObject } from './response-types.ts';
import type { ResponseRecord } from './stream-reader.ts';
import { summarizeUsage, type ResponseTiming, type UsageSummary } from './usage-timing.ts';
import type { ReplayedResponse } from './replay.ts';
import type { WarningCode } from './warnings.ts';

/** One response as the command's `--json` output and the HAR transcript give it. */
export interface ResponseSummary {
  response: ResponseObject;
  /** As `inspect` places it: its thread and turn. */
  thread?: ThreadPlace;
  events: number;
  usage: UsageSummary | null;
  /** With prices to look up: what it cost, or null (no price for its model or its service tier, no usage). */
  cost?: CostSummary | null;
  /** As `inspect` reads them from the call's response headers: the rate limits, or null when none was sent. */
  rateLimits?: RateLimits | null;
  /** With `inspect --at`: where the response was replayed to, of how many events, and how long after the start. */
  at?: { events: number; of: number; ms: number | null };
  timing: ResponseTiming;
  warnings: Array<{ code: WarningCode; message: string; sequence_number?: number }>;
}

/** What the HAR transcript writes of a response (`_responsesAssembly`). */
export function summarizeRecord(record: ResponseRecord): ResponseSummary {
  return summaryOf(record, undefined);
}

/** What `inspect` tells of a response beside what a transcript writes. */
export interface InspectionContext {
  prices: PriceLookup;
  thread: ThreadPlace;
  /** The call's response headers; undefined for a recording, which has none (its rate limits are null). */
  responseHeaders: HeaderList | undefined;
}

/** What `inspect --json` prints of a response: the same, with its thread, what it cost at `prices`, and its rate limits. */
export function summarizeInspectedRecord(record: ResponseRecord, context: InspectionContext): ResponseSummary {
  return summaryOf(record, context);
}

/** `summarizeInspectedRecord` of the response as it stood after some of its events (`inspect --at`). */
export function summarizeReplayedRecord(record: ResponseRecord, replayed: ReplayedResponse, ms: number | null, context: InspectionContext): ResponseSummary {
  const summary = summaryOf({ response: replayed.response, events: { length: replayed.count }, usage: summarizeUsage(replayed.response), timing: record.timing, warnings: replayed.warnings }, context);
  return { ...summary, at: { events: replayed.count, of: record.events.length, ms } };
}

/** What a summary reads of a record: the record itself, or a response replayed from it. */
interface SummarizedState {
  response: ResponseObject;
  events: { length: number };
  usage: UsageSummary | null;
  timing: ResponseTiming;
  warnings: ReadonlyArray<{ code: WarningCode; message: string; sequence_number?: number }>;
}

function summaryOf(record: SummarizedState, context: InspectionContext | undefined): ResponseSummary {
  const usage = record.usage;
  return {
    response: record.response,
    ...(context ? { thread: context.thread } : {}),
    events: record.events.length,
    usage,
    ...(context
      ? {
          cost: responseCost(record.response, usage, context.prices).cost,
          rateLimits: context.responseHeaders ? rateLimitsOf(context.responseHeaders) : null,
        }
      : {}),
    timing: record.timing,
    warnings: record.warnings.map(({ code, message, sequence_number }) => (sequence_number === undefined ? { code, message } : { code, message, sequence_number })),
  };
}
