/**
 * A stream whose bytes arrive cut inside characters (accents, CJK, emoji):
 * the page reads exactly what was sent, and the panel shows the text whole,
 * with no replacement character. Shared by the Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { messageStream } from '../helpers/synthetic.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import type { StreamOptions, StreamResult } from '../server/page/page.ts';
import type { PanelDocument } from './chromium-devtools.ts';

export async function expectSplitCharactersWhole(panel: PanelDocument, server: ReplayServer, stream: (options: StreamOptions) => Promise<StreamResult>): Promise<void> {
  const text = Array.from({ length: 40 }, (_, index) => `${index}: Grüße, 世界 😀 é€ `).join('');
  server.addRecording('split-characters', messageStream(text, 5));
  // Seven bytes a write, a millisecond apart: most reads end inside a character.
  const result = await stream({ route: 'split-characters/bytes/7/pace/1' });
  assert.equal(result.error, undefined);
  const request = await server.waitForRequest((candidate) => candidate.recording === 'split-characters');
  assert.deepEqual(Buffer.from(result.bodyBase64, 'base64'), Buffer.concat(request.sent));
  await panel.waitFor(`document.querySelector("[data-testid=message-text]")?.textContent === ${JSON.stringify(text)}`, 30_000);
  await panel.waitFor('document.querySelector("[data-testid=summary] [data-testid=status]")?.textContent.includes("completed")');
  assert.doesNotMatch(await panel.text(), /\uFFFD/);
}
