import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDINGS_DIR } from '../server/test-site.ts';
import { finalResponse } from '../server/replay-server.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { formatUsd, readResponsesBody, responseCost } from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';

interface FinalResponse {
  id?: string;
  output: Array<{ type: string; content?: Array<{ type: string; text?: string }> }>;
  usage?: { input_tokens: number; output_tokens: number };
}

export function finalOf(name: string): FinalResponse {
  return finalResponse(readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8')) as FinalResponse;
}

/** The final message text of a recording, as the panel must show it. */
export function finalMessageText(name: string): string {
  return finalOf(name)
    .output.filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .map((part) => part.text ?? '')
    .join('');
}

export function finalUsage(name: string): { input: number; output: number } {
  const usage = finalOf(name).usage;
  return { input: usage?.input_tokens ?? 0, output: usage?.output_tokens ?? 0 };
}

/** What the summary strip must say the recording's last response cost (reckoned here in Node, from the same table). */
export function finalCostText(name: string): string {
  const records = readResponsesBody(readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8')).responses;
  const last = records[records.length - 1];
  const reading = last ? responseCost(last.response, last.usage, priceTable) : undefined;
  return reading?.cost ? formatUsd(reading.cost.total) : '–';
}

export const ROW_COUNT = 'document.querySelectorAll("[data-testid=capture-row]").length';

/** The captures listed, in the list's order. */
export const ROW_IDS = '[...document.querySelectorAll("[data-testid=capture-row]")].map((row) => row.dataset.captureId)';

export function rowSelector(index: number): string {
  return `document.querySelectorAll("[data-testid=capture-row]")[${index}]`;
}

/** Clicks a row of the list, and waits until it is selected. */
export async function selectRow(panel: Pick<PanelDocument, 'evaluate' | 'waitFor'>, index: number): Promise<void> {
  await panel.evaluate(`${rowSelector(index)}.click()`);
  await panel.waitFor(`${rowSelector(index)}.getAttribute("aria-selected") === "true"`);
}

/** Types into the list's filter, as a user does (Firefox's panel code sees the page's constructors through `content`). */
export function setFilter(panel: Pick<PanelDocument, 'evaluate'>, text: string): Promise<unknown> {
  return panel.evaluate(`(() => {
    const filter = document.querySelector("[data-testid=filter]");
    filter.value = ${JSON.stringify(text)};
    filter.dispatchEvent(new (typeof content === "object" && content ? content.Event : Event)("input", { bubbles: true }));
  })()`);
}

/**
 * A condition (in the panel) that the model's text `text` is shown: as plain text on screen, or rendered as Markdown
 * from exactly that source (its `data-source`; what the Markdown shows is tested on its own).
 */
export function messageShown(text: string): string {
  return `(document.body.innerText.includes(${JSON.stringify(text)}) || [...document.querySelectorAll("[data-testid=message-text]")].map((element) => element.dataset.source ?? element.textContent).join("").includes(${JSON.stringify(text)}))`;
}

/** Waits until the panel shows the recording's final message, its input and output token counts, and its cost. */
export async function expectFinal(panel: PanelDocument, name: string): Promise<void> {
  await panel.waitFor(messageShown(finalMessageText(name)));
  const usage = finalUsage(name);
  await panel.waitFor(`document.querySelector("[data-testid=summary-input]")?.textContent === "${usage.input}"`);
  await panel.waitFor(`document.querySelector("[data-testid=summary-output]")?.textContent === "${usage.output}"`);
  await panel.waitFor(`document.querySelector("[data-testid=summary-cost]")?.textContent === ${JSON.stringify(finalCostText(name))}`);
}

/** Opens Settings, puts `text` in the field of that test id, and saves, as a user would. */
export async function saveSettingText(panel: Pick<PanelDocument, 'click' | 'evaluate' | 'waitFor'>, testId: string, text: string): Promise<void> {
  await panel.click('[data-testid=settings]');
  await panel.waitFor(`document.querySelector("[data-testid=${testId}]") !== null`);
  await panel.evaluate(`(() => {
    document.querySelector("[data-testid=${testId}]").value = ${JSON.stringify(text)};
    document.querySelector("[data-testid=settings-save]").click();
  })()`);
}
