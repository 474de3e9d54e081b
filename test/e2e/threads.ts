/**
 * Threads and rate limits in the panel, live and from an imported HAR: the
 * calls of `threadedCalls` (turns chained by previous_response_id, turns of a
 * conversation, an unrelated call, a turn whose previous one was never seen).
 * Shared by the Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { buildTranscript, formatUsd, inspectCalls, stringifyJson } from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';
import { compareRequests, requestValue } from '../../extension/compare/compare-calls.ts';
import { MISSING_RESPONSE_ID, recordingIds, threadedCalls, threadedTranscriptCalls } from '../helpers/threaded-calls.ts';
import type { StreamOptions, StreamResult } from '../server/page/page.ts';
import { rateLimitHeaders, type ReplayServer } from '../server/replay-server.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { ROW_COUNT, ROW_IDS, rowSelector, selectRow, setFilter } from './recordings.ts';
import { readFixture } from '../helpers/streams.ts';

/** Opens the list header's menu. Firefox's panel code sees the page's events through `content` (Xray). */
const OPEN_HEADER_MENU =
  'document.querySelector("[data-testid=capture-list] thead th").dispatchEvent(new (typeof content === "object" && content ? content.MouseEvent : MouseEvent)("contextmenu", { bubbles: true, clientX: 40, clientY: 10 }))';


const ROW_THREADS = '[...document.querySelectorAll("[data-testid=capture-row]")].map((row) => row.dataset.threadId)';



/** The thread every call belongs to, as inspect places them (checked against the command in the unit tests). */
function expectedThreads(): string[] {
  return [...inspectCalls(threadedTranscriptCalls(), priceTable)].map(({ summary }) => summary.thread?.id ?? '');
}

/** What the three chained turns cost together, reckoned here from the same table. */
function chainCostText(): string {
  const summaries = [...inspectCalls(threadedTranscriptCalls(), priceTable)].map(({ summary }) => summary);
  const total = [0, 2, 3].reduce((sum, index) => sum + (summaries[index]?.cost?.total ?? 0), 0);
  return formatUsd(total);
}

async function expectThreadView(panel: PanelDocument): Promise<void> {
  const ids = recordingIds();
  // The third turn: its thread holds the three chained calls, in turn order, each with its input and output.
  await selectRow(panel, 3);
  await panel.click('[data-testid=tab-thread]');
  await panel.waitFor('document.querySelectorAll("[data-testid=thread-turn]").length === 3 && document.querySelectorAll("[data-testid=thread-turn-output]").length === 3');
  assert.deepEqual(await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=thread-turn]")].map((turn) => turn.dataset.turn)'), ['1', '2', '3']);
  assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=thread-heading]").textContent'), new RegExp(`Thread ${ids.first}: 3 captured turns`));
  const inputs = await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=thread-turn-input]")].map((input) => input.innerText)');
  assert.match(inputs[0] ?? '', /Tell me about Paris\./);
  assert.match(inputs[1] ?? '', /Add 2 and 3, and 4 and 5\./);
  assert.match(inputs[2] ?? '', /Now as JSON\./);
  // The second turn's output is its two function calls.
  assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=thread-turn-output]")[1].querySelectorAll("[data-item-type=function_call]").length'), 2);
  const running = await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=thread-running-cost]")].map((cost) => cost.textContent)');
  assert.equal(running[2], chainCostText());
  assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=thread-missing]").length'), 0);
  // A turn opens its call.
  await panel.evaluate('document.querySelectorAll("[data-testid=thread-turn-open]")[0].click()');
  await panel.waitFor(`${rowSelector(0)}.getAttribute("aria-selected") === "true" && document.querySelector("[data-testid=thread-turn][aria-current=true]")?.dataset.turn === "1"`);
  // The call that continues a response never captured says so.
  await selectRow(panel, 6);
  await panel.waitFor(`document.querySelector("[data-testid=thread-missing]")?.textContent.includes(${JSON.stringify(MISSING_RESPONSE_ID)})`);
  assert.deepEqual(await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=thread-turn]")].map((turn) => turn.dataset.turn)'), ['2']);
}

/** A click with Ctrl held (marks a call to compare). */
function ctrlClick(index: number): string {
  return `${rowSelector(index)}.dispatchEvent(new (typeof content === "object" && content ? content.MouseEvent : MouseEvent)("click", { bubbles: true, cancelable: true, ctrlKey: true }))`;
}

const SHOWN_DIFFERENCES = '[...document.querySelectorAll("[data-testid=compare-difference]")].map((row) => `${row.dataset.change} ${row.dataset.path}`)';

function expectedDifferences(a: string | undefined, b: string | undefined): string[] {
  return compareRequests(requestValue(a), requestValue(b)).map((difference) => `${difference.change} ${difference.path}`);
}

/**
 * Compare, from the Thread view (a turn with the one before) and from two calls marked with Ctrl-click: the request
 * differences are those the command's comparison finds in the same bodies, with the usage, cost and timing rows.
 */
async function expectCompare(panel: PanelDocument, requestBodies: ReadonlyArray<string | undefined>): Promise<void> {
  await selectRow(panel, 3);
  await panel.click('[data-testid=tab-thread]');
  await panel.waitFor('document.querySelectorAll("[data-testid=thread-compare-previous]").length === 2');
  await panel.evaluate('document.querySelectorAll("[data-testid=thread-compare-previous]")[1].click()');
  const turns = expectedDifferences(requestBodies[2], requestBodies[3]);
  assert.ok(turns.includes('changed previous_response_id') && turns.includes('changed input[0].content'), turns.join(', '));
  await panel.waitFor(`JSON.stringify(${SHOWN_DIFFERENCES}) === ${JSON.stringify(JSON.stringify(turns))}`);
  assert.deepEqual(
    await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=compare-figure]")].map((row) => row.dataset.figure)'),
    ['Input tokens', 'cached', 'Output tokens', 'reasoning', 'Total tokens', 'Cost', 'Time to first byte', 'Time to first token', 'Duration'],
  );
  assert.equal(await panel.evaluate<number>('document.querySelector("[data-testid=compare-side-a]").querySelectorAll("[data-item-type=function_call]").length'), 2);
  await panel.click('[data-testid=compare-close]');
  await panel.waitFor('document.querySelector("[data-testid=compare-view]") === null && document.querySelector("[data-testid=detail]") !== null');
  // Two calls marked with Ctrl-click: the first and the unrelated one.
  await selectRow(panel, 0);
  await panel.evaluate(ctrlClick(1));
  await panel.waitFor('document.querySelectorAll("[data-testid=capture-row][data-marked=true]").length === 2 && document.querySelector("[data-testid=compare-button]") !== null');
  await panel.click('[data-testid=compare-button]');
  const unrelated = expectedDifferences(requestBodies[0], requestBodies[1]);
  assert.ok(unrelated.includes('changed model'), unrelated.join(', '));
  await panel.waitFor(`JSON.stringify(${SHOWN_DIFFERENCES}) === ${JSON.stringify(JSON.stringify(unrelated))}`);
  // Escape closes it.
  await panel.evaluate('document.body.dispatchEvent(new (typeof content === "object" && content ? content.KeyboardEvent : KeyboardEvent)("keydown", { key: "Escape", bubbles: true, cancelable: true }))');
  await panel.waitFor('document.querySelector("[data-testid=compare-view]") === null');
}

/** The Request view names the response a call continues once, and its link opens that response's output. */
async function expectPreviousResponseLink(panel: PanelDocument): Promise<void> {
  await selectRow(panel, 2);
  await panel.click('[data-testid=tab-request]');
  await panel.waitFor('document.querySelector("[data-testid=previous-response]") !== null');
  assert.equal(await panel.evaluate<number>('document.querySelector("[data-testid=request-view]").innerText.split("previous_response_id").length - 1'), 1);
  await panel.click('[data-testid=previous-response]');
  await panel.waitFor(`${rowSelector(0)}.getAttribute("aria-selected") === "true" && document.querySelector("[data-testid=tab-assembly]").getAttribute("aria-selected") === "true"`);
}

/** The filter finds the call that made a tool call by the call's id. */
async function expectFoundByCallId(panel: PanelDocument): Promise<void> {
  const callId = (/"call_id":"([^"]+)"/.exec(readFixture('fantasy__parallel-function-calls-gpt-4o.sse')) ?? [])[1];
  assert.ok(callId);
  const arrival = await panel.evaluate<string[]>(ROW_IDS);
  await setFilter(panel, callId);
  await panel.waitFor(`JSON.stringify(${ROW_IDS}) === ${JSON.stringify(JSON.stringify([arrival[2]]))}`);
  await setFilter(panel, '');
  await panel.waitFor(`${ROW_COUNT} === 7`);
}

async function expectGroupedByThread(panel: PanelDocument): Promise<void> {
  const threads = expectedThreads();
  const arrival = await panel.evaluate<string[]>(ROW_IDS);
  await panel.evaluate(OPEN_HEADER_MENU);
  await panel.click('[data-testid=group-by-thread]');
  const grouped = [0, 2, 3, 1, 4, 5, 6].map((index) => threads[index]);
  await panel.waitFor(`JSON.stringify(${ROW_THREADS}) === ${JSON.stringify(JSON.stringify(grouped))}`);
  // A line between the four threads.
  assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=capture-row].thread-start").length'), 3);
  // Back to the order of arrival, for the tests after this one.
  await panel.evaluate(OPEN_HEADER_MENU);
  await panel.click('[data-testid=group-by-thread]');
  await panel.waitFor(`JSON.stringify(${ROW_IDS}) === ${JSON.stringify(JSON.stringify(arrival))} && document.querySelector("[data-testid=capture-row][data-thread-id]") === null`);
}

/** The Usage view of a row: the limits its call reported, the newest limits of the tab, and the calls counted. */
async function expectRateLimits(panel: PanelDocument, rowIndex: number, left: { requests: string; tokens: string }, latestRequests: string): Promise<void> {
  await selectRow(panel, rowIndex);
  await panel.click('[data-testid=tab-usage]');
  await panel.waitFor(`document.querySelector("[data-testid=rate-limits-requests-left]")?.textContent === ${JSON.stringify(left.requests)}`);
  assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=rate-limits-tokens-left]").textContent'), left.tokens);
  assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=rate-limits]").innerText'), /resets in 120ms[^]*resets in 6m0s/);
  assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=rate-limit-latest-requests-left]").textContent'), latestRequests);
  assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=call-totals]").innerText'), /Calls\s+7\s+errors\s+0/);
}

/**
 * Streams the calls live, as an app would make them, and checks the Thread view, grouping by thread and the rate
 * limits the server reported; then the same from a HAR of the same calls, imported.
 */
export async function expectThreadsAndRateLimits(
  panel: PanelDocument,
  server: ReplayServer,
  stream: (options: StreamOptions) => Promise<StreamResult>,
  importHar: (name: string, text: string) => Promise<void>,
  clear: () => Promise<void>,
): Promise<void> {
  const firstRequest = server.requests.length;
  for (const call of threadedCalls()) {
    const { model, input, ...links } = call.request;
    const result = await stream({ route: call.recording.replace(/\.sse$/, ''), extraBody: { model, input, ...links } });
    assert.equal(result.error, undefined, call.name);
  }
  await panel.waitFor(`${ROW_COUNT} === 7 && !document.querySelector("[data-testid=capture-row] .live-dot")`);
  const requests = server.requests.slice(firstRequest);
  assert.deepEqual(
    requests.map((request) => (JSON.parse(request.body) as { previous_response_id?: string }).previous_response_id),
    threadedCalls().map((call) => call.request.previous_response_id),
  );
  await expectThreadView(panel);
  await expectCompare(panel, requests.map((request) => request.body));
  await expectGroupedByThread(panel);
  await expectFoundByCallId(panel);
  await expectPreviousResponseLink(panel);
  const left = (index: number) => {
    const headers = rateLimitHeaders(requests[index]?.id ?? 0);
    return { requests: `${headers['x-ratelimit-remaining-requests']} of 500 left`, tokens: `${headers['x-ratelimit-remaining-tokens']} of 200000 left` };
  };
  // Every call the server answered reported its limits: the newest is the last call's.
  await expectRateLimits(panel, 2, left(2), left(6).requests);

  // The same calls from a HAR: threads from the requests written in it, rate limits from its response headers.
  await clear();
  await importHar('threaded.har', stringifyJson(buildTranscript(threadedTranscriptCalls()), 2));
  await panel.waitFor(`${ROW_COUNT} === 7`);
  await expectThreadView(panel);
  await expectCompare(panel, threadedTranscriptCalls().map((call) => call.requestBody));
  // Only the chained turns' responses carry limits in this file: the newest is the third turn's.
  await expectRateLimits(panel, 3, { requests: '497 of 500 left', tokens: '26000 of 30000 left' }, '497 of 500 left');
  await panel.click('[data-testid=tab-assembly]');
}
