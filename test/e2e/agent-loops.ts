/**
 * Agent loops run by the OpenAI Agents SDK in the page (two function tools, the recorded loop of
 * `test/helpers/agent-loop.ts` replayed call by call): streamed and not, with the history re-sent and with
 * `previousResponseId`. The run reads as one thread of steps, each tool call shows what the app sent back, and any
 * call is found by a tool's name or an id. Shared by the Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentRunOptions, AgentRunResult } from '../server/page/agent-run.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { TOOL_CALLS_RECORDING, TOOL_RESULTS_RECORDING } from '../helpers/agent-loop.ts';
import { readFixture, terminalSnapshot } from '../helpers/streams.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { ROW_COUNT, ROW_IDS, rowSelector, selectRow, setFilter } from './recordings.ts';

const LOOP = `${TOOL_CALLS_RECORDING},${TOOL_RESULTS_RECORDING}`;
const ADD_CALL_ID = 'call_NnEvpiwdL8XrZ6F3T9VJyVw7';
const MULTIPLY_CALL_ID = 'call_TQ8336oa6YnuT2leYzRDBBLz';
export const FINAL_ANSWER = 'The sum of 2 and 3 is 5, and their product is 6.';

let runs = 0;
/** A route for one run: the loop's recordings, answered in turn to this run alone. */
export function loopRoute(label: string, recordings = LOOP): string {
  return `${recordings}/run/${label}-${++runs}`;
}

const NO_LIVE_ROW = '!document.querySelector("[data-testid=capture-row] .live-dot")';



function assertRanTheLoop(result: AgentRunResult, how: string): void {
  assert.equal(result.error, undefined, how);
  assert.equal(result.finalOutput, FINAL_ANSWER, how);
  assert.deepEqual(result.toolRuns, ['add({"a":2,"b":3}) = 5', 'multiply({"a":2,"b":3}) = 6'], how);
}

/** The answer lines of the selected call's tool calls: `[call id, answered, text]`. */
const ANSWER_LINES =
  '[...document.querySelectorAll("[data-testid=assembly] [data-testid=tool-answer]")].map((line) => [line.dataset.callId, line.dataset.answered, line.querySelector("[data-testid=tool-answer-text]").textContent])';

/** The Thread view's steps: `[kind, text of the answer or of the call]`. */
const STEP_ROWS =
  '[...document.querySelectorAll("[data-testid=thread-step]")].map((row) => [row.dataset.kind, row.dataset.kind === "tool" ? row.querySelector("[data-testid=thread-step-answer]").textContent : row.querySelector("[data-testid=thread-step-tokens]").textContent])';

function tokensOf(recording: string): string {
  const usage = terminalSnapshot(readFixture(`${recording}.sse`))?.usage as { input_tokens: number; output_tokens: number };
  return `${usage.input_tokens} in / ${usage.output_tokens} out`;
}

/** The loop's calls are `turns` rows from `firstRow`, in one thread: checks its steps, tool answers and links. */
async function expectLoopShown(panel: PanelDocument, firstRow: number, turns: number, how: string): Promise<void> {
  const lastRow = firstRow + turns - 1;
  // The model's tool calls, answered in the call after them.
  const callsRow = lastRow - 1;
  await selectRow(panel, callsRow);
  await panel.click('[data-testid=tab-assembly]');
  await panel.waitFor(`document.querySelectorAll("[data-testid=assembly] [data-testid=tool-answer]").length === 2`);
  assert.deepEqual(
    await panel.evaluate<string[][]>(ANSWER_LINES),
    [
      [ADD_CALL_ID, 'true', '5'],
      [MULTIPLY_CALL_ID, 'true', '6'],
    ],
    how,
  );
  assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=assembly] [data-testid=tool-answer]").innerText'), /add\(2, 3\) → 5\s+sent in turn \d/, how);
  // The link opens the call that sent the answer, on its request.
  await panel.click('[data-testid=assembly] [data-testid=tool-answer-open]');
  await panel.waitFor(`${rowSelector(lastRow)}.getAttribute("aria-selected") === "true" && document.querySelector("[data-testid=tab-request]").getAttribute("aria-selected") === "true"`);
  // The Thread view: every turn, and the run as steps.
  await panel.click('[data-testid=tab-thread]');
  await panel.waitFor(`document.querySelectorAll("[data-testid=thread-turn]").length === ${turns} && document.querySelectorAll("[data-testid=thread-step][data-kind=tool]").length === 2`);
  const steps = await panel.evaluate<string[][]>(STEP_ROWS);
  const expected = [
    ...(turns === 3 ? [['model', tokensOf('fantasy__text-gpt-4o')]] : []),
    ['model', tokensOf(TOOL_CALLS_RECORDING)],
    ['tool', '5'],
    ['tool', '6'],
    ['model', tokensOf(TOOL_RESULTS_RECORDING)],
  ];
  assert.deepEqual(steps, expected, how);
  assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=thread-step][data-kind=model] [data-testid=thread-step-bar]").length'), turns, how);
  const totals = await panel.evaluate<string>('document.querySelector("[data-testid=thread-total-tokens]").textContent');
  const sum = (key: 'input_tokens' | 'output_tokens') =>
    [...(turns === 3 ? ['fantasy__text-gpt-4o'] : []), TOOL_CALLS_RECORDING, TOOL_RESULTS_RECORDING].reduce(
      (total, name) => total + ((terminalSnapshot(readFixture(`${name}.sse`))?.usage as Record<string, number>)[key] ?? 0),
      0,
    );
  assert.equal(totals, `${sum('input_tokens')} in / ${sum('output_tokens')} out`, how);
  assert.deepEqual(await panel.evaluate<string[]>('[...document.querySelectorAll("[data-testid=thread-turn]")].map((turn) => turn.dataset.turn)'), Array.from({ length: turns }, (_, index) => String(index + 1)), how);
}

/** The filter finds calls by a tool's name, a call id and a response id. */
async function expectFound(panel: PanelDocument, responseId: string): Promise<void> {
  const all = await panel.evaluate<string[]>(ROW_IDS);
  const allShown = `JSON.stringify(${ROW_IDS}) === ${JSON.stringify(JSON.stringify(all))}`;
  // Both calls of a loop name the tool and its call id: the first made the call, the second answered it. Each search
  // starts from an empty list, so that the rows seen are the search's.
  for (const text of ['multiply', MULTIPLY_CALL_ID]) {
    await setFilter(panel, 'no call says this');
    await panel.waitFor(`${ROW_COUNT} === 0`);
    await setFilter(panel, text);
    await panel.waitFor(allShown);
  }
  await setFilter(panel, responseId);
  await panel.waitFor(`JSON.stringify(${ROW_IDS}) === ${JSON.stringify(JSON.stringify([all[all.length - 1]]))}`);
  await setFilter(panel, '');
  await panel.waitFor(`${ROW_COUNT} === ${all.length}`);
}

function inspectThreads(har: string): Array<{ id: string; turn: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'responses-devtools-agent-'));
  const path = join(dir, 'agent.har');
  writeFileSync(path, har);
  const result = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(result.stdout) as { responses: Array<{ thread: { id: string; turn: number } }> }).responses.map((response) => response.thread);
}

export async function expectAgentLoops(
  panel: PanelDocument,
  server: ReplayServer,
  runAgent: (options: AgentRunOptions) => Promise<AgentRunResult>,
  clear: () => Promise<void>,
  exportHar?: () => Promise<string>,
): Promise<void> {
  const responseId = (recording: string) => terminalSnapshot(readFixture(`${recording}.sse`))?.id as string;

  // Streamed, the history re-sent (the SDK's default): two calls, one thread, found by name and ids.
  await clear();
  const first = server.requests.length;
  assertRanTheLoop(await runAgent({ route: loopRoute('streamed'), stream: true }), 'streamed');
  await panel.waitFor(`${ROW_COUNT} === 2 && ${NO_LIVE_ROW}`);
  const resent = JSON.parse(server.requests[first + 1]?.body ?? '{}') as { previous_response_id?: string; input: Array<{ call_id?: string }> };
  assert.equal(resent.previous_response_id, undefined, 'the SDK re-sends the history');
  assert.ok(resent.input.some((item) => item.call_id === ADD_CALL_ID));
  await expectLoopShown(panel, 0, 2, 'streamed');
  await expectFound(panel, responseId(TOOL_RESULTS_RECORDING));
  if (exportHar) {
    const threads = inspectThreads(await exportHar());
    assert.deepEqual(threads, [
      { id: responseId(TOOL_CALLS_RECORDING), turn: 1 },
      { id: responseId(TOOL_CALLS_RECORDING), turn: 2 },
    ]);
  }

  // Not streamed: the same loop from JSON bodies, each call tagged as such.
  await clear();
  assertRanTheLoop(await runAgent({ route: loopRoute('json'), stream: false }), 'not streamed');
  await panel.waitFor(`${ROW_COUNT} === 2 && ${NO_LIVE_ROW} && document.querySelectorAll("[data-testid=capture-row] [data-testid=json-tag]").length === 2`);
  await expectLoopShown(panel, 0, 2, 'not streamed');

  // With previousResponseId: each call names the one before and sends only what is new.
  await clear();
  const opening = await runAgent({ route: loopRoute('opening', 'fantasy__text-gpt-4o'), stream: true, input: 'Hello' });
  assert.equal(opening.error, undefined);
  const chainedFrom = server.requests.length;
  assertRanTheLoop(await runAgent({ route: loopRoute('chained'), stream: true, previousResponseId: opening.lastResponseId }), 'previousResponseId');
  const chained = server.requests.slice(chainedFrom).map((request) => JSON.parse(request.body) as { previous_response_id?: string });
  assert.deepEqual(
    chained.map((body) => body.previous_response_id),
    [responseId('fantasy__text-gpt-4o'), responseId(TOOL_CALLS_RECORDING)],
  );
  await panel.waitFor(`${ROW_COUNT} === 3 && ${NO_LIVE_ROW}`);
  await expectLoopShown(panel, 0, 3, 'previousResponseId');

  // A call nobody answered: the run stops after the model's first call.
  await clear();
  assert.equal((await runAgent({ route: loopRoute('unanswered', TOOL_CALLS_RECORDING), stream: true, input: 'x', maxTurns: 1 })).error?.startsWith('MaxTurnsExceededError'), true);
  await panel.waitFor(`${ROW_COUNT} === 1 && ${NO_LIVE_ROW}`);
  await selectRow(panel, 0);
  await panel.click('[data-testid=tab-assembly]');
  await panel.waitFor(`document.querySelectorAll("[data-testid=assembly] [data-testid=tool-answer][data-answered=false]").length === 2`);
  assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=assembly] [data-testid=tool-answer]").innerText'), /add\(2, 3\) → not answered — no later call of this thread sent its output/);
}
