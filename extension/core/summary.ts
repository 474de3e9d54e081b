import { responseCost, type CostSummary, type PriceLookup } from './cost.ts';
import type { HeaderList } from './protocol.ts';
import { rateLimitsOf, type RateLimits } from './rate-limits.ts';
import type { ThreadPlace } from './threads.ts';
import type { JsonObject, ResponseObject } from './response-types.ts';
import type { ProtocolName } from './protocols.ts';
import type { ResponseRecord } from './stream-reader.ts';
import { summarizeUsage, type ResponseTiming, type UsageSummary } from './usage-timing.ts';
import type { ReplayedResponse } from './replay.ts';
import type { WarningCode } from './warnings.ts';

/** One response as the command's `--json` output and the HAR transcript give it. */
export interface ResponseSummary {
  /** The stream's protocol: always in `inspect`'s output; in a transcript, only for another than the Responses API. */
  protocol?: ProtocolName;
  /** What the provider's SDK returns at the end: the Response, a `chat.completion`, an Anthropic `Message`, a `UIMessage`. */
  response: ResponseObject | JsonObject;
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
  return summaryOf(stateOf(record), undefined);
}

function stateOf(record: ResponseRecord): SummarizedState {
  return { protocol: record.protocol, result: record.result, response: record.response, events: record.events, usage: record.usage, timing: record.timing, warnings: record.warnings };
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
  return summaryOf(stateOf(record), context);
}

/** `summarizeInspectedRecord` of the response as it stood after some of its events (`inspect --at`). */
export function summarizeReplayedRecord(record: ResponseRecord, replayed: ReplayedResponse, ms: number | null, context: InspectionContext): ResponseSummary {
  const summary = summaryOf(
    {
      protocol: record.protocol,
      result: replayed.result,
      response: replayed.response,
      events: { length: replayed.count },
      usage: summarizeUsage(replayed.response),
      timing: record.timing,
      warnings: replayed.warnings,
    },
    context,
  );
  return { ...summary, at: { events: replayed.count, of: record.events.length, ms } };
}

/** What a summary reads of a record: the record itself, or a response replayed from it. */
interface SummarizedState {
  protocol: ProtocolName;
  /** The SDK's own final object (the Response itself for the Responses API). */
  result: JsonObject;
  /** The Response-shaped view: what cost and usage are read from. */
  response: ResponseObject;
  events: { length: number };
  usage: UsageSummary | null;
  timing: ResponseTiming;
  warnings: ReadonlyArray<{ code: WarningCode; message: string; sequence_number?: number }>;
}

function summaryOf(record: SummarizedState, context: InspectionContext | undefined): ResponseSummary {
  const usage = record.usage;
  return {
    ...(context || record.protocol !== 'responses' ? { protocol: record.protocol } : {}),
    response: record.result,
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
