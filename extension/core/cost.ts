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
  /** Built-in tools, in US dollars per 1,000 calls, where the table prices them. */
  webSearchPerThousand?: number;
  fileSearchPerThousand?: number;
}

/** Calls of the built-in tools a response made, which are charged apiece (`web_search_call`, `file_search_call` items). */
export interface ToolCalls {
  webSearch: number;
  fileSearch: number;
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
  /** Built-in tool calls charged apiece (web and file search), at the table's prices; 0 when it has none. */
  tools: number;
  currency: 'USD';
  source: string;
}

export type CostReading = { cost: CostSummary } | { cost: null; reason: string };

/** The service tiers the prices of a table are for: any other tier has prices of its own, which the tables lack. */
const STANDARD_TIERS = new Set(['default', 'auto', 'standard']);

export function costOf(usage: UsageSummary, quote: PriceQuote, toolCalls: ToolCalls = { webSearch: 0, fileSearch: 0 }): CostSummary {
  const { prices } = quote;
  const cacheWrite = usage.cacheWrite ?? 0;
  const uncached = Math.max(0, usage.input - usage.cached - cacheWrite);
  const parts = {
    input: (uncached * prices.input) / 1e6,
    cachedInput: (usage.cached * (prices.cachedInput ?? prices.input)) / 1e6,
    cacheWrite: (cacheWrite * (prices.cacheWrite ?? prices.input)) / 1e6,
    output: (usage.output * prices.output) / 1e6,
    tools: (toolCalls.webSearch * (prices.webSearchPerThousand ?? 0) + toolCalls.fileSearch * (prices.fileSearchPerThousand ?? 0)) / 1000,
  };
  return { total: parts.input + parts.cachedInput + parts.cacheWrite + parts.output + parts.tools, ...parts, currency: 'USD', source: quote.source };
}

/** An amount in dollars, down to a hundred-millionth (a short call costs less than a millionth): `$0.0000049`. */
export function formatUsd(value: number): string {
  return value === 0 ? '$0' : `$${value.toFixed(8).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** The built-in tool calls among a response's output items. */
export function toolCallsOf(output: unknown): ToolCalls {
  const calls: ToolCalls = { webSearch: 0, fileSearch: 0 };
  if (!Array.isArray(output)) return calls;
  for (const item of output as Array<{ type?: unknown }>) {
    if (item?.type === 'web_search_call') calls.webSearch++;
    else if (item?.type === 'file_search_call') calls.fileSearch++;
  }
  return calls;
}

/**
 * A response's cost, or why it has none. Its built-in tool calls are counted from its `output` when given; a summary
 * of a response without its output passes them counted (`toolCalls`).
 */
export function responseCost(response: { model?: unknown; service_tier?: unknown; output?: unknown }, usage: UsageSummary | null, lookup: PriceLookup, toolCalls?: ToolCalls): CostReading {
  if (!usage) return { cost: null, reason: 'no usage reported' };
  if (typeof response.model !== 'string' || response.model === '') return { cost: null, reason: 'no model named' };
  const tier = response.service_tier;
  if (typeof tier === 'string' && !STANDARD_TIERS.has(tier)) return { cost: null, reason: `no price for the ${tier} service tier` };
  const quote = lookup(response.model, usage);
  if (!quote) return { cost: null, reason: `no price for ${response.model}` };
  return { cost: costOf(usage, quote, toolCalls ?? toolCallsOf(response.output)) };
}

/** A price the user set for a model in Settings, per million tokens; it wins over the table's. */
export interface PriceOverride {
  model: string;
  input: number;
  cachedInput?: number;
  output: number;
}

export const SETTINGS_PRICE_SOURCE = 'settings';

/** A model name without the date a snapshot adds to it (`gpt-4o-2024-08-06` → `gpt-4o`). */
function undatedModel(model: string): string {
  return model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

/** Prices from the user's overrides (a model by its name, or a dated snapshot of it), else from `table`. */
export function withPriceOverrides(overrides: readonly PriceOverride[], table: PriceLookup): PriceLookup {
  if (overrides.length === 0) return table;
  const byModel = new Map(overrides.map((override) => [override.model, override]));
  return (model, usage) => {
    const override = byModel.get(model) ?? byModel.get(undatedModel(model));
    const listed = table(model, usage);
    if (!override) return listed;
    // Token prices are the user's; what the settings cannot set (cache writes, built-in tools) stays the table's.
    const { cachedInput: _tableCached, ...tableRest } = listed?.prices ?? { input: 0, output: 0 };
    const prices: ModelPrices = { ...tableRest, input: override.input, output: override.output };
    if (override.cachedInput !== undefined) prices.cachedInput = override.cachedInput;
    return { prices, source: SETTINGS_PRICE_SOURCE, model: override.model };
  };
}

/** One override a line, `MODEL INPUT [CACHED] OUTPUT` (US dollars per million tokens); each bad line says why. */
export function parsePriceOverrides(text: string): { overrides: PriceOverride[]; errors: string[] } {
  const overrides: PriceOverride[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [model, ...figures] = line.split(/\s+/);
    const numbers = figures.map(Number);
    if (!model || (numbers.length !== 2 && numbers.length !== 3) || numbers.some((value) => !Number.isFinite(value) || value < 0)) {
      errors.push(`line ${index + 1}: "${line}" is not MODEL INPUT [CACHED] OUTPUT, in dollars per million tokens`);
      return;
    }
    const [input, cachedOrOutput, output] = numbers as [number, number, number | undefined];
    overrides.push(output === undefined ? { model, input, output: cachedOrOutput } : { model, input, cachedInput: cachedOrOutput, output });
  });
  return { overrides, errors };
}

/** The overrides as `parsePriceOverrides` reads them. */
export function formatPriceOverrides(overrides: readonly PriceOverride[]): string {
  return overrides.map((override) => [override.model, override.input, ...(override.cachedInput === undefined ? [] : [override.cachedInput]), override.output].join(' ')).join('\n');
}
