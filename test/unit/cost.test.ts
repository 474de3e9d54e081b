import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { costOf, formatPriceOverrides, formatUsd, parsePriceOverrides, readResponsesBody, responseCost, withPriceOverrides, type PriceLookup, type UsageSummary } from '../../extension/core/index.ts';
import { PRICE_TABLE_SOURCE, priceTable } from '../../extension/prices/price-table.ts';
import { fixtureNames, readFixture } from '../helpers/streams.ts';

const usage = (input: number, cached: number, output: number, reasoning = 0, cacheWrite?: number): UsageSummary => ({
  input,
  cached,
  output,
  reasoning,
  total: input + output,
  ...(cacheWrite === undefined ? {} : { cacheWrite }),
});

describe('the cost of a response', () => {
  it('prices uncached input, cached input, cache writes and output (reasoning included) apart', () => {
    const cost = costOf(usage(1000, 400, 500, 200, 100), { prices: { input: 2, cachedInput: 0.5, cacheWrite: 2.5, output: 8 }, source: 'test', model: 'm' });
    assert.deepEqual(cost, { total: (500 * 2 + 400 * 0.5 + 100 * 2.5 + 500 * 8) / 1e6, input: 0.001, cachedInput: 0.0002, cacheWrite: 0.00025, output: 0.004, tools: 0, currency: 'USD', source: 'test' });
    // No cached price in the table: cached input at the input price.
    assert.equal(costOf(usage(1000, 400, 0), { prices: { input: 2, output: 8 }, source: 'test', model: 'm' }).cachedInput, 0.0008);
  });

  it('has no cost, and says why, rather than a guess', () => {
    const everything: PriceLookup = () => ({ prices: { input: 1, output: 1 }, source: 'test', model: 'm' });
    const nothing: PriceLookup = () => undefined;
    assert.deepEqual(responseCost({ model: 'gpt-4.1' }, null, everything), { cost: null, reason: 'no usage reported' });
    assert.deepEqual(responseCost({}, usage(1, 0, 1), everything), { cost: null, reason: 'no model named' });
    assert.deepEqual(responseCost({ model: 'gpt-5', service_tier: 'flex' }, usage(1, 0, 1), everything), { cost: null, reason: 'no price for the flex service tier' });
    assert.deepEqual(responseCost({ model: 'gpt-5', service_tier: 'priority' }, usage(1, 0, 1), everything), { cost: null, reason: 'no price for the priority service tier' });
    assert.deepEqual(responseCost({ model: 'nobody-prices-this' }, usage(1, 0, 1), nothing), { cost: null, reason: 'no price for nobody-prices-this' });
    assert.ok(responseCost({ model: 'gpt-5', service_tier: 'default' }, usage(1, 0, 1), everything).cost);
    assert.ok(responseCost({ model: 'gpt-5', service_tier: 'auto' }, usage(1, 0, 1), everything).cost);
  });
});

describe('built-in tool fees', () => {
  it('charges each web search and file search call at the table\'s price per 1,000', () => {
    for (const [name, type] of [
      ['vercel-ai__web-search-gpt-5-mini.sse', 'web_search_call'],
      ['vercel-ai__azure-web-search-preview-gpt-4.1-mini.sse', 'web_search_call'],
      ['vercel-ai__file-search-gpt-5-mini.sse', 'file_search_call'],
    ] as const) {
      const record = readResponsesBody(readFixture(name)).responses[0];
      assert.ok(record?.usage);
      const calls = record.response.output.filter((item) => item.type === type).length;
      assert.ok(calls > 0, name);
      const reading = responseCost(record.response, record.usage, priceTable);
      assert.ok(reading.cost, name);
      const perThousand = type === 'web_search_call' ? 10 : 2.5;
      assert.ok(Math.abs(reading.cost.tools - (calls * perThousand) / 1000) < 1e-12, `${name}: ${reading.cost.tools}`);
      const tokensOnly = costOf(record.usage, priceTable(String(record.response.model), record.usage)!);
      assert.ok(Math.abs(reading.cost.total - tokensOnly.total - reading.cost.tools) < 1e-12);
    }
    // A response without such calls pays no fee.
    const plain = readResponsesBody(readFixture('fantasy__text-gpt-4o.sse')).responses[0]!;
    assert.equal(responseCost(plain.response, plain.usage, priceTable).cost?.tools, 0);
  });
});

describe('prices the user sets', () => {
  it('reads one model a line, with or without a cached price, and says which lines it cannot read', () => {
    const { overrides, errors } = parsePriceOverrides('gpt-4.1 3 0.75 12\n\n# mine\n  my-model 1 2  \ngpt-x 1\nbad -1 2\n');
    assert.deepEqual(overrides, [
      { model: 'gpt-4.1', input: 3, cachedInput: 0.75, output: 12 },
      { model: 'my-model', input: 1, output: 2 },
    ]);
    assert.deepEqual(errors.map((error) => error.slice(0, 7)), ['line 5:', 'line 6:']);
    assert.deepEqual(parsePriceOverrides(formatPriceOverrides(overrides)).overrides, overrides);
  });

  it('win over the table for their model and its dated snapshots, and name settings as their source', () => {
    const prices = withPriceOverrides(parsePriceOverrides('gpt-4o 1 0.5 2\nmy-model 4 8').overrides, priceTable);
    // The token prices are the user's; what Settings cannot set (built-in tools) stays the table's.
    assert.deepEqual(prices('gpt-4o-2024-08-06', usage(1, 0, 1)), { prices: { input: 1, cachedInput: 0.5, output: 2, webSearchPerThousand: 10, fileSearchPerThousand: 2.5 }, source: 'settings', model: 'gpt-4o' });
    assert.deepEqual(prices('my-model', usage(1, 0, 1))?.prices, { input: 4, output: 8 });
    const searching = readResponsesBody(readFixture('vercel-ai__azure-web-search-preview-gpt-4.1-mini.sse')).responses[0]!;
    const overridden = responseCost(searching.response, searching.usage, withPriceOverrides(parsePriceOverrides('gpt-4.1-mini 1 2').overrides, priceTable)).cost;
    assert.equal(overridden?.tools, responseCost(searching.response, searching.usage, priceTable).cost?.tools);
    assert.ok((overridden?.tools ?? 0) > 0);
    assert.equal(prices('my-model', usage(1, 0, 1))?.source, 'settings');
    assert.deepEqual(prices('gpt-4.1', usage(1, 0, 1)), priceTable('gpt-4.1', usage(1, 0, 1)));
    assert.equal(withPriceOverrides([], priceTable), priceTable);
    const record = readResponsesBody(readFixture('fantasy__text-gpt-4o.sse')).responses[0]!;
    const cost = responseCost(record.response, record.usage, prices).cost;
    assert.ok(cost && record.usage);
    assert.equal(cost.source, 'settings');
    assert.ok(Math.abs(cost.total - ((record.usage.input - record.usage.cached) * 1 + record.usage.cached * 0.5 + record.usage.output * 2) / 1e6) < 1e-12);
  });
});

describe('amounts in dollars', () => {
  it('are written down to a hundred-millionth, without trailing zeros', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.0000049), '$0.0000049');
    assert.equal(formatUsd(0.0054), '$0.0054');
    assert.equal(formatUsd(1.5), '$1.5');
    assert.equal(formatUsd(12), '$12');
  });
});

describe('the bundled price table', () => {
  it('names the package and version installed', () => {
    const installed = JSON.parse(readFileSync('node_modules/@pydantic/genai-prices/package.json', 'utf8')) as { name: string; version: string };
    assert.equal(PRICE_TABLE_SOURCE, `${installed.name}@${installed.version}`);
  });

  it('prices OpenAI models per million tokens, a dated name as its model', () => {
    const quote = priceTable('gpt-4.1', usage(1000, 400, 500, 200));
    assert.deepEqual(quote, { prices: { input: 2, cachedInput: 0.5, output: 8, webSearchPerThousand: 10, fileSearchPerThousand: 2.5 }, source: PRICE_TABLE_SOURCE, model: 'gpt-4.1' });
    assert.equal(priceTable('gpt-4o-2024-08-06', usage(1, 0, 1))?.model, 'gpt-4o');
    assert.deepEqual(priceTable('gpt-4o-2024-08-06', usage(1, 0, 1))?.prices, priceTable('gpt-4o', usage(1, 0, 1))?.prices);
    assert.equal(priceTable('not-a-model-anyone-sells', usage(1, 0, 1)), undefined);
    // Usage the table cannot read (more cached than input) gets no price, and does not throw.
    assert.doesNotThrow(() => priceTable('gpt-4.1', usage(1, 5, 1)));
  });

  it('gives every recording of an OpenAI model a cost, and the others none', () => {
    let priced = 0;
    for (const name of fixtureNames()) {
      for (const record of readResponsesBody(readFixture(name)).responses) {
        const reading = responseCost(record.response, record.usage, priceTable);
        const model = String(record.response.model);
        if (reading.cost) {
          priced++;
          assert.ok(reading.cost.total > 0, `${name}: ${model}`);
          assert.ok(Math.abs(reading.cost.total - (reading.cost.input + reading.cost.cachedInput + reading.cost.cacheWrite + reading.cost.output + reading.cost.tools)) < 1e-12);
        } else {
          // Only a model outside OpenAI's names, or a response that reported no usage.
          assert.match(reading.reason, /^no price for openai\/|^no usage reported$/, `${name}: ${model}: ${reading.reason}`);
        }
      }
    }
    assert.ok(priced >= 20, `${priced} priced`);
  });
});
