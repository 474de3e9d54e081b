/**
 * Prices set in Settings: a bad line is refused with its reason, a good one prices the model's calls (its cost names
 * settings as the source), the settings keep them, and clearing them brings the table's prices back. Shared by the
 * Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { formatUsd, readResponsesBody, responseCost, withPriceOverrides, parsePriceOverrides } from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { readFixture } from '../helpers/streams.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { finalCostText, saveSettingText } from './recordings.ts';

const NAME = 'seed__hello-gpt-4.1-nano';
const OVERRIDES = 'gpt-4.1-nano 1.5 0.25 6';

function saveOverrides(panel: PanelDocument, text: string): Promise<void> {
  return saveSettingText(panel, 'price-overrides', text);
}

export async function expectPriceOverrides(panel: PanelDocument, streamRecording: (name: string) => Promise<void>, reopen: () => Promise<void>): Promise<void> {
  const record = readResponsesBody(readFixture(`${NAME}.sse`)).responses[0];
  assert.ok(record);
  const overridden = responseCost(record.response, record.usage, withPriceOverrides(parsePriceOverrides(OVERRIDES).overrides, priceTable)).cost;
  assert.ok(overridden);
  assert.notEqual(formatUsd(overridden.total), finalCostText(NAME));
  try {
    await saveOverrides(panel, 'gpt-4.1-nano 1.5 lots');
    await panel.waitFor('document.querySelector("[data-testid=price-error]")?.textContent.startsWith("line 1:")');
    assert.equal(await panel.evaluate<boolean>('document.querySelector("[data-testid=settings-dialog]") !== null'), true);
    await panel.evaluate('(() => { document.querySelector("[data-testid=price-overrides]").value = ""; document.querySelector("[data-testid=settings-dialog] .dialog-buttons button:last-child").click(); })()');
    await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
    await saveOverrides(panel, OVERRIDES);
    await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
    await streamRecording(NAME);
    await panel.waitFor(`document.querySelector("[data-testid=summary-cost]")?.textContent === ${JSON.stringify(formatUsd(overridden.total))}`);
    await panel.click('[data-testid=tab-usage]');
    await panel.waitFor('document.querySelector("[data-testid=cost-source]")?.textContent === "USD, prices from settings"');
    await panel.click('[data-testid=tab-assembly]');
    // Kept: the settings, as the extension sends them again, still hold them.
    await reopen();
    await panel.waitFor('document.querySelector("[data-testid=panel-root]")?.dataset.connection === "connected"');
    await panel.click('[data-testid=settings]');
    await panel.waitFor(`document.querySelector("[data-testid=price-overrides]")?.value === ${JSON.stringify(OVERRIDES)}`);
    await panel.evaluate('document.querySelector("[data-testid=settings-dialog] .dialog-buttons button:last-child").click()');
  } finally {
    await panel.evaluate('document.querySelector("[data-testid=settings-dialog] .dialog-buttons button:last-child")?.click()');
    await saveOverrides(panel, '');
    await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
  }
  // Without them, the table's prices again.
  await streamRecording(NAME);
  await panel.waitFor(`document.querySelector("[data-testid=summary-cost]")?.textContent === ${JSON.stringify(finalCostText(NAME))}`);
}
