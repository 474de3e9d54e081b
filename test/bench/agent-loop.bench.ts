/**
 * An agent loop that re-sends its history: 200 calls, each request holding every earlier tool call and its
 * output (item ids and call ids as the Agents SDK sends them), so the bodies grow with every step (about 60 MB in
 * all). What the core does to place each call in its thread and read the tool answers it sends (the item ids its
 * input repeats, found by a search of the text; the answers, from the parsed input) against the least a tool does
 * with the same bodies: `JSON.parse` each once. Run: npm run bench
 */
import { outputItemRefs, requestInputOf, requestThreadLinks, ThreadTracker, toolAnswersOf, type JsonValue } from '../../extension/core/index.ts';
import { report, timeMedian } from './report.ts';

const STEPS = 200;
const TOOL_OUTPUT = 'x'.repeat(1500);

function id(prefix: string, step: number): string {
  return `${prefix}_${step.toString(16).padStart(8, '0')}0a1b2c3d4e5f60718293a4b5c6d7e8f9`;
}

/** Each step's request body, and the output items of its response. */
function loop(): Array<{ body: string; output: JsonValue[] }> {
  const history: JsonValue[] = [{ role: 'user', content: 'Plan the trip, look up each city, and sum the costs.' }];
  const calls: Array<{ body: string; output: JsonValue[] }> = [];
  for (let step = 0; step < STEPS; step++) {
    const body = JSON.stringify({ model: 'gpt-4.1', instructions: 'You are a travel agent.', input: history, tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }] });
    const output: JsonValue[] = [{ id: id('fc', step), type: 'function_call', status: 'completed', arguments: `{"city":"city ${step}"}`, call_id: id('call', step), name: 'lookup' }];
    calls.push({ body, output });
    history.push(output[0] as JsonValue, { type: 'function_call_output', call_id: id('call', step), output: TOOL_OUTPUT });
  }
  return calls;
}

const calls = loop();
const bytes = calls.reduce((total, call) => total + call.body.length, 0);
console.log(`agent loop of ${STEPS} calls: ${(bytes / 1e6).toFixed(1)} MB of request bodies`);

const parseOnly = timeMedian(() => {
  let items = 0;
  for (const call of calls) items += (JSON.parse(call.body) as { input: unknown[] }).input.length;
  return items;
});
const placing = timeMedian(() => {
  const tracker = new ThreadTracker();
  let last;
  for (const [index, call] of calls.entries()) last = tracker.place(`resp_${index}`, { ...requestThreadLinks(call.body), outputRefs: outputItemRefs(call.output) });
  return last;
});
const answers = timeMedian(() => {
  let count = 0;
  for (const call of calls) count += toolAnswersOf(requestInputOf(call.body)).length;
  return count;
});
// Checked, not assumed: the last call is the loop's last turn.
const tracker = new ThreadTracker();
let place;
for (const [index, call] of calls.entries()) place = tracker.place(`resp_${index}`, { ...requestThreadLinks(call.body), outputRefs: outputItemRefs(call.output) });
if (place?.turn !== STEPS) throw new Error(`the loop's last call is turn ${String(place?.turn)}, not ${STEPS}`);

const placingRatio = placing / parseOnly;
const answersRatio = answers / parseOnly;
report({ what: `agent loop (${STEPS} calls re-sending their history): placing every call in its thread vs JSON.parse of the bodies`, figure: `${placingRatio.toFixed(2)}×`, goal: '≤ 0.5×', met: placingRatio <= 0.5 });
report({ what: 'agent loop: reading the tool answers of every request (parse included) vs JSON.parse of the bodies', figure: `${answersRatio.toFixed(2)}×`, goal: '≤ 1.2×', met: answersRatio <= 1.2 });
