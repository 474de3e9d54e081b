/**
 * The rate limits OpenAI reports on every response (`x-ratelimit-*` headers):
 * for requests and for tokens, the limit, what remains of it and when it
 * resets, as the server sent them.
 */
import type { HeaderList } from './protocol.ts';

export interface RateLimit {
  /** A number when the header holds one; the header's text otherwise; null when it was not sent. */
  limit: number | string | null;
  remaining: number | string | null;
  /** As sent: `120ms`, `6m0s`, `1s`. */
  reset: string | null;
}

export interface RateLimits {
  requests?: RateLimit;
  tokens?: RateLimit;
}

export type RateLimitKind = keyof RateLimits;

export const RATE_LIMIT_KINDS: readonly RateLimitKind[] = ['requests', 'tokens'];

function headerIn(headers: HeaderList, name: string): string | undefined {
  return headers.find((header) => header.name.toLowerCase() === name)?.value.trim();
}

function count(text: string | undefined): number | string | null {
  if (text === undefined) return null;
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** The limits a response's headers report, or null when they report none. */
export function rateLimitsOf(headers: HeaderList): RateLimits | null {
  const limits: RateLimits = {};
  for (const kind of RATE_LIMIT_KINDS) {
    const limit = headerIn(headers, `x-ratelimit-limit-${kind}`);
    const remaining = headerIn(headers, `x-ratelimit-remaining-${kind}`);
    const reset = headerIn(headers, `x-ratelimit-reset-${kind}`);
    if (limit === undefined && remaining === undefined && reset === undefined) continue;
    limits[kind] = { limit: count(limit), remaining: count(remaining), reset: reset ?? null };
  }
  return limits.requests || limits.tokens ? limits : null;
}

/** The share of a limit used once this call was counted (0–1), when both figures are numbers and the limit is not 0. */
export function usedShare(limit: RateLimit): number | undefined {
  if (typeof limit.limit !== 'number' || typeof limit.remaining !== 'number' || limit.limit === 0) return undefined;
  return Math.min(1, Math.max(0, (limit.limit - limit.remaining) / limit.limit));
}

/** A share of a limit as a percentage to read: `0.2 %`, `<0.1 %`, `13.3 %`. */
export function formatShare(share: number): string {
  const percent = share * 100;
  return `${percent > 0 && percent < 0.1 ? '<0.1' : percent.toFixed(1).replace(/\.0$/, '')} %`;
}
