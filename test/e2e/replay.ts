/**
 * The Assembly view's timeline: seeking to an event shows the message as it stood then (the same state the core's
 * replay gives in Node), the Events view marks that event, and playing goes through to the end. Live, and from an
 * imported HAR with receive times. Shared by the Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { buildTranscript, readResponsesBody, ResponseReplay, stringifyJson } from '../../extension/core/index.ts';
import { timedCall } from '../helpers/timed-call.ts';
import { readFixture } from '../helpers/streams.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { expectFinal, ROW_COUNT } from './recordings.ts';

const NAME = 'seed__hello-gpt-4.1-nano';

/** The text of the message after the first `count` events, as the core's replay gives it. */
function textAfter(count: number): string {
  const record = readResponsesBody(readFixture(`${NAME}.sse`)).responses[0];
  assert.ok(record);
  const output = new ResponseReplay(record).at(count).response.output;
  return output.flatMap((item) => (Array.isArray(item.content) ? item.content : [])).map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join('');
}

const EVENT = '(typeof content === "object" && content ? content.Event : Event)';

async function seek(panel: PanelDocument, count: number): Promise<void> {
  await panel.evaluate(`(() => {
    const slider = document.querySelector("[data-testid=timeline-slider]");
    slider.value = "${count}";
    slider.dispatchEvent(new ${EVENT}("input", { bubbles: true }));
  })()`);
}

async function expectSeeking(panel: PanelDocument, total: number): Promise<void> {
  await panel.waitFor(`document.querySelector("[data-testid=timeline-position]")?.textContent.startsWith("event ${total} of ${total}")`);
  assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=replayed]").length'), 0);
  for (const count of [10, 4, 0]) {
    await seek(panel, count);
    await panel.waitFor(`document.querySelector("[data-testid=replayed]")?.dataset.count === "${count}"`);
    const shown = await panel.evaluate<string>('document.querySelector("[data-testid=replayed]").innerText');
    const expected = textAfter(count);
    if (expected !== '') assert.ok(shown.includes(expected), `after ${count}: ${shown}`);
  }
  await seek(panel, 10);
  await panel.waitFor('document.querySelector("[data-testid=replayed]")?.dataset.status === "in_progress"');
  assert.doesNotMatch(await panel.evaluate<string>('document.querySelector("[data-testid=replayed]").innerText'), /assist you today/);
  // The Events view marks the event the timeline stands at.
  await panel.click('[data-testid=tab-events]');
  await panel.waitFor('document.querySelector("[data-testid=event-row][aria-current=step]")?.dataset.index === "9"');
  await panel.click('[data-testid=tab-assembly]');
  await panel.waitFor('document.querySelector("[data-testid=timeline-play-max]") !== null');
  // Played as fast as possible, it goes on to the end and shows the response whole again.
  await panel.click('[data-testid=timeline-play-max]');
  await panel.waitFor(`document.querySelector("[data-testid=replayed]") === null && document.querySelector("[data-testid=timeline-position]").textContent.startsWith("event ${total} of ${total}")`);
}

/** The recording as a HAR whose events came 150 ms apart. */
function timedHar(): string {
  return stringifyJson(buildTranscript([timedCall(`${NAME}.sse`, 100, 150)]), 2);
}

export async function expectReplay(
  panel: PanelDocument,
  streamRecording: (name: string) => Promise<void>,
  importFile: (name: string, text: string) => Promise<void>,
  clear: () => Promise<void>,
): Promise<void> {
  const total = readResponsesBody(readFixture(`${NAME}.sse`)).responses[0]?.events.length ?? 0;
  await streamRecording(NAME);
  await expectFinal(panel, NAME);
  await expectSeeking(panel, total);
  // A live capture has receive times: it plays at the pace its events came, 4× faster.
  assert.equal(await panel.evaluate<boolean>('document.querySelector("[data-testid=timeline-play-4]").disabled'), false);
  await clear();
  await importFile('timed.har', timedHar());
  await panel.waitFor(`${ROW_COUNT} === 1`);
  await expectFinal(panel, NAME);
  await expectSeeking(panel, total);
  // 17 events 150 ms apart: at 1× the play takes about 2.5 s, showing the message grow on its way.
  await panel.waitFor('document.querySelector("[data-testid=timeline-play-1]")?.disabled === false');
  await panel.evaluate(`(() => {
    window.replaySeen = [];
    const observer = new MutationObserver(() => {
      const count = document.querySelector("[data-testid=replayed]")?.dataset.count;
      if (count !== undefined && window.replaySeen[window.replaySeen.length - 1] !== count) window.replaySeen.push(count);
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    window.stopWatchingReplay = () => observer.disconnect();
    document.querySelector("[data-testid=timeline-play-1]").click();
  })()`);
  await panel.waitFor(`document.querySelector("[data-testid=replayed]") === null && document.querySelector("[data-testid=timeline-play-1]").getAttribute("aria-pressed") === "false" && window.replaySeen.length > 0`);
  const seen = (await panel.evaluate<string[]>('(() => { window.stopWatchingReplay(); return window.replaySeen; })()')).map(Number);
  assert.ok(seen.some((count) => count > 0 && count < total), `states seen: ${seen.join(', ')}`);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'it only goes forward');
  // A bare recording has no times: it plays only as fast as possible.
  await clear();
  await importFile(`${NAME}.sse`, readFixture(`${NAME}.sse`));
  await panel.waitFor(`${ROW_COUNT} === 1 && document.querySelector("[data-testid=timeline-play-1]")?.disabled === true && document.querySelector("[data-testid=timeline-play-max]")?.disabled === false`);
}
