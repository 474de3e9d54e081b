/**
 * Core ingest: every real recording, in random 200–4,000-byte chunks (seeded),
 * read by the core's ResponsesStreamReader and by its peers on the same bytes:
 *   floor   — the least any reader does: UTF-8 decode, split frames, JSON.parse every data line;
 *   esp     — eventsource-parser and a plain assembler (what an app writes by hand: items, text and
 *             argument deltas appended, the terminal snapshot taken);
 *   openai  — the official client end to end: responses.stream(…).finalResponse() over a fetch that
 *             returns the same chunks.
 * Each figure is the peer's time over the core's: above 1, the core is faster.
 */
import OpenAI from 'openai';
import { createParser } from 'eventsource-parser';
import { fixtureNames, readFixtureBytes, seededRandom } from '../helpers/streams.ts';
import { readWithCore, report, timeMedian, timeMedianAsync } from './report.ts';

function randomlyChunked(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const size = 200 + Math.floor(random() * 3800);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

function floor(chunks: Uint8Array[]): number {
  const decoder = new TextDecoder();
  let buffer = '';
  let parsed = 0;
  for (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of frame.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(line[5] === ' ' ? 6 : 5);
        if (data === '[DONE]') continue;
        JSON.parse(data);
        parsed++;
      }
      end = buffer.indexOf('\n\n');
    }
  }
  return parsed;
}

type Plain = { output: Array<Record<string, unknown> & { content?: Array<{ text?: string }>; arguments?: string; summary?: Array<{ text?: string }> }>; response?: unknown };

/** A plain assembler: no checks, no event log, no warnings. */
function plainApply(state: Plain, event: Record<string, unknown>): void {
  const index = event.output_index as number;
  switch (event.type) {
    case 'response.output_item.added':
      state.output[index] = { ...(event.item as Record<string, unknown>) };
      break;
    case 'response.content_part.added': {
      const item = state.output[index];
      if (item) (item.content ??= [])[event.content_index as number] = { ...(event.part as { text?: string }) };
      break;
    }
    case 'response.output_text.delta': {
      const part = state.output[index]?.content?.[event.content_index as number];
      if (part) part.text = (part.text ?? '') + (event.delta as string);
      break;
    }
    case 'response.function_call_arguments.delta': {
      const item = state.output[index];
      if (item) item.arguments = (item.arguments ?? '') + (event.delta as string);
      break;
    }
    case 'response.reasoning_summary_text.delta': {
      const item = state.output[index];
      if (item) {
        const summary = (item.summary ??= []);
        const part = (summary[event.summary_index as number] ??= { text: '' });
        part.text += event.delta as string;
      }
      break;
    }
    case 'response.output_item.done':
      state.output[index] = event.item as Plain['output'][number];
      break;
    case 'response.completed':
    case 'response.incomplete':
    case 'response.failed':
      state.response = event.response;
      break;
  }
}

function esp(chunks: Uint8Array[]): unknown {
  const decoder = new TextDecoder();
  const state: Plain = { output: [] };
  const parser = createParser({
    onEvent: (event) => {
      if (event.data !== '[DONE]') plainApply(state, JSON.parse(event.data) as Record<string, unknown>);
    },
  });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  return state;
}

const core = readWithCore;

function clientFor(chunks: Uint8Array[]): OpenAI {
  return new OpenAI({
    apiKey: 'sk-bench',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
  });
}

async function openaiClient(chunks: Uint8Array[]): Promise<unknown> {
  return clientFor(chunks).responses.stream({ model: 'gpt-4.1-nano', input: 'Say hello' }).finalResponse();
}

const random = seededRandom(45);
const all = fixtureNames().map((name) => randomlyChunked(readFixtureBytes(name), random));

// The peers refuse some real streams (events beyond their types, streams that do not start with response.created):
// each comparison runs on the recordings its peer reads.
const accepts = (run: () => unknown) => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};
const acceptsAsync = async (run: () => Promise<unknown>) => run().then(() => true, () => false);
const espCases = all.filter((chunks) => accepts(() => esp(chunks)));
const clientCases: Uint8Array[][] = [];
for (const chunks of all) if (await acceptsAsync(() => openaiClient(chunks))) clientCases.push(chunks);

const sum = (cases: Uint8Array[][], run: (chunks: Uint8Array[]) => unknown) => cases.reduce((total, chunks) => total + timeMedian(() => run(chunks), 100), 0);
const sumAsync = async (cases: Uint8Array[][], run: (chunks: Uint8Array[]) => Promise<unknown>) => {
  let total = 0;
  for (const chunks of cases) total += await timeMedianAsync(() => run(chunks), 100);
  return total;
};

/** The peer's time over the core's, measured in alternating rounds (a busy spell slows both): the median round. */
async function pairedRatio(peer: () => number | Promise<number>, ours: () => number, rounds = 3): Promise<number> {
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const peerMs = await peer();
    ratios.push(peerMs / ours());
  }
  ratios.sort((a, b) => a - b);
  return ratios[Math.floor(rounds / 2)] as number;
}

console.log(`Node ${process.version}; ${all.length} recordings in random 200–4,000-byte chunks; medians, rounds alternating with the core.`);
const floorRatio = await pairedRatio(() => sum(all, floor), () => sum(all, core));
report({ what: `core ingest vs the floor (decode, split, JSON.parse), ${all.length} recordings`, figure: `${floorRatio.toFixed(2)}×`, goal: '≥ 1.00×', met: floorRatio >= 1 });
const espRatio = await pairedRatio(() => sum(espCases, esp), () => sum(espCases, core));
report({ what: `core ingest vs eventsource-parser + a plain assembler, ${espCases.length} recordings`, figure: `${espRatio.toFixed(2)}×`, goal: '≥ 1.00×', met: espRatio >= 1 });
const clientRatio = await pairedRatio(() => sumAsync(clientCases, openaiClient), () => sum(clientCases, core));
report({ what: `core ingest vs openai responses.stream().finalResponse(), ${clientCases.length} recordings`, figure: `${clientRatio.toFixed(2)}×`, goal: '≥ 25×', met: clientRatio >= 25 });
