/**
 * Credentials planted in every place the redaction rules cover must not show
 * in any view of the panel (nor in its export). Shared by the Chrome and
 * Firefox suites.
 */
import assert from 'node:assert/strict';
import { leakedSecrets, PLANTED } from '../helpers/planted-secrets.ts';
import type { StreamOptions } from '../server/page/page.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { ROW_COUNT } from './recordings.ts';

/** A page's call with credentials in its URL query, its headers and its body. */
export const PLANTED_STREAM: StreamOptions = {
  route: 'seed__hello-gpt-4.1-nano',
  defaultQuery: { sig: PLANTED.urlSig, client_secret: PLANTED.urlClientSecret },
  extraHeaders: { 'Ocp-Apim-Subscription-Key': PLANTED.apimKey, 'X-Goog-Api-Key': PLANTED.googApiKey, 'x-session-token': PLANTED.sessionToken },
  extraBody: { credentials: { key: PLANTED.jsonCredentialsKey }, metadata: { refresh_token: PLANTED.jsonRefreshToken } },
};

const VIEWS = ['assembly', 'usage', 'events', 'request', 'raw', 'thread'] as const;

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
      if (view === 'thread') await panel.waitFor('document.querySelector("[data-testid=thread-turn-input]") !== null');
      const text = await panel.text();
      assert.deepEqual(leakedSecrets(text), [], `row ${row + 1}, ${view} view`);
    }
  }
  await panel.click('[data-testid=tab-assembly]');
  if (rows < 2) return;
  // The Compare view of two of them: their request bodies' differences, masked.
  await panel.click('[data-testid=capture-row]:nth-child(1)');
  await panel.evaluate('document.querySelector("[data-testid=capture-row]:nth-child(2)").dispatchEvent(new (typeof content === "object" && content ? content.MouseEvent : MouseEvent)("click", { bubbles: true, cancelable: true, ctrlKey: true }))');
  await panel.waitFor('document.querySelector("[data-testid=compare-button]") !== null');
  await panel.click('[data-testid=compare-button]');
  await panel.waitFor('document.querySelector("[data-testid=compare-request], [data-testid=compare-request-same]") !== null');
  // Long values open to show them whole.
  await panel.evaluate('document.querySelectorAll("[data-testid=compare-view] details").forEach((details) => { details.open = true; })');
  assert.deepEqual(leakedSecrets(await panel.text()), [], 'the Compare view');
  await panel.click('[data-testid=compare-close]');
  await panel.waitFor('document.querySelector("[data-testid=compare-view]") === null');
}
