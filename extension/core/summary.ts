import type { ResponseObject } from './response-types.ts';
import type { ResponseRecord } from './stream-reader.ts';
import type { ResponseTiming, UsageSummary } from './usage-timing.ts';
import type { WarningCode } from './warnings.ts';

/** One response as the command's `--json` output and the HAR transcript give it. */
export interface ResponseSummary {
  response: ResponseObject;
  events: number;
  usage: UsageSummary | null;
  timing: ResponseTiming;
  warnings: Array<{ code: WarningCode; message: string; sequence_number?: number }>;
}

export function summarizeRecord(record: ResponseRecord): ResponseSummary {
  return {
    response: record.response,
    events: record.events.length,
    usage: record.usage,
    timing: record.timing,
    warnings: record.warnings.map(({ code, message, sequence_number }) =>
      sequence_number === undefined ? { code, message } : { code, message, sequence_number },
    ),
  };
}
