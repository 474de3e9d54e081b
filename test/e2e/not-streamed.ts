/** A call that was not streamed: marked in the list, and its Events view says why it has no events and shows the body. */
import assert from 'node:assert/strict';
import type { PanelDocument } from './chromium-devtools.ts';

export async function expectNotStreamedShown(panel: PanelDocument): Promise<void> {
  await panel.waitFor('document.querySelector("[data-testid=capture-row][aria-selected=true] [data-testid=json-tag]") !== null');
  await panel.click('[data-testid=tab-events]');
  try {
    await panel.waitFor('document.querySelector("[data-testid=events-not-streamed]") !== null');
    assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=events-not-streamed]").innerText'), /Not streamed[^]*"?object"?/);
  } finally {
    await panel.click('[data-testid=tab-assembly]');
  }
}
