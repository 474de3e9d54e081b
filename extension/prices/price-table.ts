/**
 * Model prices from `@pydantic/genai-prices`, bundled: its table is data in
 * the package, read offline (nothing is fetched at run time; the package only
 * fetches newer data when asked to, and we never ask).
 */
import { calcPrice } from '@pydantic/genai-prices';
import type { ModelPrices, PriceLookup, UsageSummary } from '../core/index.ts';

/** The table's name and version, shown beside every price taken from it (a test checks it is the one installed). */
export const PRICE_TABLE_SOURCE = '@pydantic/genai-prices@0.1.8';

type TablePrice = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;

/** A price that depends on the prompt's length: the tier this many input tokens fall in. */
function priceFor(price: TablePrice, inputTokens: number): number | undefined {
  if (price === undefined || typeof price === 'number') return price;
  let current = price.base;
  for (const tier of price.tiers) if (inputTokens > tier.start) current = tier.price;
  return current;
}

export const priceTable: PriceLookup = (model: string, usage: UsageSummary) => {
  let found;
  try {
    const tokens = { input_tokens: usage.input, cache_read_tokens: Math.min(usage.cached, usage.input), output_tokens: usage.output, output_reasoning_tokens: Math.min(usage.reasoning, usage.output) };
    // OpenAI's prices first (a model served by OpenAI and others, such as gpt-4o, costs what OpenAI asks); any
    // other model at the price of the provider the table knows it from (claude-… at Anthropic's, deepseek-… at DeepSeek's).
    found = calcPrice(tokens, model, { providerId: 'openai' }) ?? calcPrice(tokens, model);
  } catch {
    // The table refuses usage it cannot read (more cached tokens than input): no price rather than a wrong one.
    return undefined;
  }
  if (!found) return undefined;
  const table = found.model_price as Record<string, TablePrice>;
  const input = priceFor(table.input_mtok, usage.input);
  const output = priceFor(table.output_mtok, usage.input);
  if (input === undefined || output === undefined) return undefined;
  const prices: ModelPrices = { input, output };
  const cachedInput = priceFor(table.cache_read_mtok, usage.input);
  if (cachedInput !== undefined) prices.cachedInput = cachedInput;
  const cacheWrite = priceFor(table.cache_write_mtok, usage.input);
  if (cacheWrite !== undefined) prices.cacheWrite = cacheWrite;
  // OpenAI's web search and file search calls are charged per 1,000; the table calls file search "storage searches".
  const webSearch = priceFor(table.web_searches_kcount, usage.input);
  if (webSearch !== undefined) prices.webSearchPerThousand = webSearch;
  const fileSearch = priceFor(table.storage_searches_kcount, usage.input);
  if (fileSearch !== undefined) prices.fileSearchPerThousand = fileSearch;
  return { prices, source: PRICE_TABLE_SOURCE, model: found.model.id };
};
