/**
 * Credentials planted in every place the redaction rules cover must not show
 * in any view of the panel (nor in its export). Shared by the Chrome and
 * Firefox suites.
 */
import assert from 'node:assert/strict';
import { leakedSecrets } from '../helpers/planted-secrets.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { ROW_COUNT } from './recordings.ts';

const VIEWS = ['assembly', 'usage', 'events', 'request', 'raw'] as const;

/** Every view of every listed response (the first event opened in Events): no planted credential anywhere. */
export async function expectNoPlantedSecretsInViews(panel: PanelDocument, rows: number): Promise<void> {
  await panel.waitFor(`${ROW_COUNT} === ${rows}`);
  for (let row = 0; row < rows; row++) {
    await panel.click(`[data-testid=capture-row]:nth-child(${row + 1})`);
    for (const view of VIEWS) {
      await panel.click(`[data-testid=tab-${view}]`);
      await panel.waitFor(`document.querySelector("[data-testid=tab-${view}]")?.getAttribute("aria-selected") === "true"`);
      if (view === 'events') {
        await panel.waitFor('document.querySelector("[data-testid=event-row]") !== null');
        await panel.click('[data-testid=event-row]');
        await panel.waitFor('document.querySelector("[data-testid=event-detail]") !== null');
      }
      if (view === 'request') await panel.waitForText('[redacted]');
      const text = await panel.text();
      assert.deepEqual(leakedSecrets(text), [], `row ${row + 1}, ${view} view`);
    }
  }
  await panel.click('[data-testid=tab-assembly]');
}
