import { responseCost, type CostSummary, type PriceLookup } from './cost.ts';
import type { ResponseObject } from './response-types.ts';
import type { ResponseRecord } from './stream-reader.ts';
import type { ResponseTiming, UsageSummary } from './usage-timing.ts';
import type { WarningCode } from './warnings.ts';

/** One response as the command's `--json` output and the HAR transcript give it. */
export interface ResponseSummary {
  response: ResponseObject;
  events: number;
  usage: UsageSummary | null;
  /** With prices to look up: what it cost, or null (no price for its model or its service tier, no usage). */
  cost?: CostSummary | null;
  timing: ResponseTiming;
  warnings: Array<{ code: WarningCode; message: string; sequence_number?: number }>;
}

/** What the HAR transcript writes of a response (`_responsesAssembly`). */
export function summarizeRecord(record: ResponseRecord): ResponseSummary {
  return summaryOf(record, undefined);
}

/** What `inspect --json` prints of a response: the same, with what it cost at `prices`. */
export function summarizePricedRecord(record: ResponseRecord, prices: PriceLookup): ResponseSummary {
  return summaryOf(record, prices);
}

function summaryOf(record: ResponseRecord, prices: PriceLookup | undefined): ResponseSummary {
  const usage = record.usage;
  return {
    response: record.response,
    events: record.events.length,
    usage,
    ...(prices ? { cost: responseCost(record.response, usage, prices).cost } : {}),
    timing: record.timing,
    warnings: record.warnings.map(({ code, message, sequence_number }) => (sequence_number === undefined ? { code, message } : { code, message, sequence_number })),
  };
}
