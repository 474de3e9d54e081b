import { responseCost, type CostSummary, type PriceLookup } from './cost.ts';
import type { HeaderList } from './protocol.ts';
import { rateLimitsOf, type RateLimits } from './rate-limits.ts';
import type { ThreadPlace } from './threads.ts';
import type { ResponseObject } from './response-types.ts';
import type { ResponseRecord } from './stream-reader.ts';
import type { ResponseTiming, UsageSummary } from './usage-timing.ts';
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

function summaryOf(record: ResponseRecord, context: InspectionContext | undefined): ResponseSummary {
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
