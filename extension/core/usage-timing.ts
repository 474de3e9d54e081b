import { numberField, isJsonObject, type ResponseObject } from './response-types.ts';

export interface UsageSummary {
  input: number;
  cached: number;
  /** Present only when the server reports it. */
  cacheWrite?: number;
  output: number;
  reasoning: number;
  total: number;
}

/** Token usage from a Response's `usage`, or null while the server has not sent it. */
export function summarizeUsage(response: ResponseObject): UsageSummary | null {
  const usage = response.usage;
  if (!isJsonObject(usage)) return null;
  const input = numberField(usage, 'input_tokens') ?? 0;
  const output = numberField(usage, 'output_tokens') ?? 0;
  const inputDetails = isJsonObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = isJsonObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const summary: UsageSummary = {
    input,
    cached: numberField(inputDetails, 'cached_tokens') ?? 0,
    output,
    reasoning: numberField(outputDetails, 'reasoning_tokens') ?? 0,
    total: numberField(usage, 'total_tokens') ?? input + output,
  };
  const cacheWrite = numberField(inputDetails, 'cache_write_tokens');
  if (cacheWrite !== undefined) summary.cacheWrite = cacheWrite;
  return summary;
}

export function addUsage(total: UsageSummary, usage: UsageSummary): UsageSummary {
  const sum: UsageSummary = {
    input: total.input + usage.input,
    cached: total.cached + usage.cached,
    output: total.output + usage.output,
    reasoning: total.reasoning + usage.reasoning,
    total: total.total + usage.total,
  };
  if (total.cacheWrite !== undefined || usage.cacheWrite !== undefined) sum.cacheWrite = (total.cacheWrite ?? 0) + (usage.cacheWrite ?? 0);
  return sum;
}

/** The moments of one response's life, as epoch milliseconds where known. */
export interface TimingMarks {
  /** The request was sent. */
  requestStartedAt?: number;
  firstByteAt?: number;
  /** The first delta of generated output (text, reasoning, arguments, code…). */
  firstOutputAt?: number;
  lastEventAt?: number;
  /** The body ended (stream closed, cancelled or failed). */
  endedAt?: number;
}

export interface ResponseTiming {
  /** When the request started (or, if unknown, the first byte arrived), epoch ms; null when no time is known. */
  startedAt: number | null;
  /** Offsets from `startedAt`, in ms. */
  firstByteMs: number | null;
  firstTokenMs: number | null;
  lastEventMs: number | null;
  durationMs: number | null;
  /** Output tokens per second over the generation (first token to last event), once usage is known. */
  outputTokensPerSecond: number | null;
  /** `completed_at - created_at` as the server reports them (whole seconds). */
  serverDurationMs: number | null;
}

export function computeTiming(marks: TimingMarks, response: ResponseObject, usage: UsageSummary | null): ResponseTiming {
  const startedAt = marks.requestStartedAt ?? marks.firstByteAt ?? null;
  const offset = (at: number | undefined) => (startedAt === null || at === undefined ? null : Math.max(0, at - startedAt));
  const end = marks.endedAt ?? marks.lastEventAt;
  let outputTokensPerSecond: number | null = null;
  if (usage && usage.output > 0 && marks.firstOutputAt !== undefined && marks.lastEventAt !== undefined) {
    const seconds = (marks.lastEventAt - marks.firstOutputAt) / 1000;
    if (seconds > 0) outputTokensPerSecond = Math.round((usage.output / seconds) * 10) / 10;
  }
  const createdAt = numberField(response, 'created_at');
  const completedAt = numberField(response, 'completed_at');
  return {
    startedAt,
    firstByteMs: offset(marks.firstByteAt),
    firstTokenMs: offset(marks.firstOutputAt),
    lastEventMs: offset(marks.lastEventAt),
    durationMs: offset(end),
    outputTokensPerSecond,
    serverDurationMs: createdAt !== undefined && completedAt !== undefined ? Math.max(0, completedAt - createdAt) * 1000 : null,
  };
}
