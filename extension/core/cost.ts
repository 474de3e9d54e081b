/**
 * What a response cost, from its usage and its model's prices. The prices come
 * from outside the core (a bundled price table, the user's settings) through a
 * `PriceLookup`; a model nobody prices gets no cost, never a guess.
 */
import type { UsageSummary } from './usage-timing.ts';

/** A model's prices, in US dollars per million tokens. */
export interface ModelPrices {
  input: number;
  /** Cached input (cache reads); at the input price when the table has none. */
  cachedInput?: number;
  /** Tokens written to a cache, where the table prices them apart. */
  cacheWrite?: number;
  /** Output, reasoning tokens included (they are output tokens). */
  output: number;
}

export interface PriceQuote {
  prices: ModelPrices;
  /** Where the prices come from: `package@version`, or `settings`. */
  source: string;
  /** The model the prices are for, as the source names it (a dated model name resolves to its model). */
  model: string;
}

/** The prices of `model` for a call of this usage (some tables price long prompts higher), or undefined when unknown. */
export type PriceLookup = (model: string, usage: UsageSummary) => PriceQuote | undefined;

export interface CostSummary {
  total: number;
  input: number;
  cachedInput: number;
  cacheWrite: number;
  output: number;
  currency: 'USD';
  source: string;
}

export type CostReading = { cost: CostSummary } | { cost: null; reason: string };

/** The service tiers the prices of a table are for: any other tier has prices of its own, which the tables lack. */
const STANDARD_TIERS = new Set(['default', 'auto', 'standard']);

export function costOf(usage: UsageSummary, quote: PriceQuote): CostSummary {
  const { prices } = quote;
  const cacheWrite = usage.cacheWrite ?? 0;
  const uncached = Math.max(0, usage.input - usage.cached - cacheWrite);
  const parts = {
    input: (uncached * prices.input) / 1e6,
    cachedInput: (usage.cached * (prices.cachedInput ?? prices.input)) / 1e6,
    cacheWrite: (cacheWrite * (prices.cacheWrite ?? prices.input)) / 1e6,
    output: (usage.output * prices.output) / 1e6,
  };
  return { total: parts.input + parts.cachedInput + parts.cacheWrite + parts.output, ...parts, currency: 'USD', source: quote.source };
}

/** An amount in dollars, down to a hundred-millionth (a short call costs less than a millionth): `$0.0000049`. */
export function formatUsd(value: number): string {
  return value === 0 ? '$0' : `$${value.toFixed(8).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** A response's cost, or why it has none. */
export function responseCost(response: { model?: unknown; service_tier?: unknown }, usage: UsageSummary | null, lookup: PriceLookup): CostReading {
  if (!usage) return { cost: null, reason: 'no usage reported' };
  if (typeof response.model !== 'string' || response.model === '') return { cost: null, reason: 'no model named' };
  const tier = response.service_tier;
  if (typeof tier === 'string' && !STANDARD_TIERS.has(tier)) return { cost: null, reason: `no price for the ${tier} service tier` };
  const quote = lookup(response.model, usage);
  if (!quote) return { cost: null, reason: `no price for ${response.model}` };
  return { cost: costOf(usage, quote) };
}
