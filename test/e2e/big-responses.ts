/**
 * Responses no panel should choke on: a megabyte without a space, 100,000
 * lines, megabytes of JSON arguments. Shared by the Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { functionCallStream, messageStream } from '../helpers/synthetic.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import type { PanelDocument } from './chromium-devtools.ts';

/** The most characters one text node of the panel holds (the Assembly view cuts text into blocks of 4,096). */
const LONGEST_TEXT_NODE = `(() => {
  const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
  let longest = 0;
  while (walker.nextNode()) longest = Math.max(longest, walker.currentNode.data.length);
  return longest;
})()`;

export async function expectBigResponsesShown(panel: PanelDocument, server: ReplayServer, stream: (route: string) => Promise<{ error?: string }>): Promise<void> {
  const lines = Array.from({ length: 100_000 }, (_, index) => `line ${index}`).join('\n');
  const args = JSON.stringify({ items: Array.from({ length: 30_000 }, (_, index) => ({ id: index, name: `item ${index}`, note: 'y'.repeat(60) })) });
  const cases = [
    { name: 'one-run-1mb', stream: messageStream('x'.repeat(1 << 20), 16_384), testId: 'message-text', shown: 'x'.repeat(1 << 20) },
    { name: 'lines-100k', stream: messageStream(lines, 16_384), testId: 'message-text', shown: lines },
    { name: 'arguments-3mb', stream: functionCallStream(args, 16_384), testId: 'arguments', shown: JSON.stringify(JSON.parse(args), null, 2) },
  ];
  for (const big of cases) {
    server.addRecording(big.name, big.stream);
    assert.equal((await stream(big.name)).error, undefined);
    // The panel follows the newest response: its text, then its status and usage.
    await panel.waitFor(`document.querySelector("[data-testid=${big.testId}]")?.dataset.chars === "${big.shown.length}"`, 30_000);
    await panel.waitFor('document.querySelector("[data-testid=summary] [data-testid=status]")?.textContent.includes("completed")');
    const longest = await panel.evaluate<number>(LONGEST_TEXT_NODE);
    assert.ok(longest <= 4096, `${big.name}: a text node of ${longest} characters`);
    await panel.click('[data-testid=show-all]');
    await panel.waitFor('document.querySelector("[data-testid=show-all]") === null');
    assert.equal(await panel.evaluate<number>(`document.querySelector("[data-testid=${big.testId}]").textContent.length`), big.shown.length);
    assert.equal(await panel.evaluate<string>(`document.querySelector("[data-testid=${big.testId}]").textContent`), big.shown);
  }
}
