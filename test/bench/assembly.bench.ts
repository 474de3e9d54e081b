/**
 * How much the core costs per event, as ratios against peers measured in the
 * same run on the same bytes:
 *   bare     — the least any reader must do: UTF-8 decode, split frames, JSON.parse each event;
 *   openai   — the same, plus openai-node's own accumulator (accumulateResponse);
 *   core     — ResponsesStreamReader: incremental SSE decoding, assembly, checks, event log.
 * And seeking a replay of a long response (ResponseReplay) against a fresh reader given the
 * stream up to the same event.
 * Run: npm run bench
 */
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import { ResponseReplay, ResponsesStreamReader, type ResponseRecord } from '../../extension/core/index.ts';
import { readWithCore, report, timeMedian as medianOf } from './report.ts';
import { fixtureNames, readFixtureBytes, seededRandom } from '../helpers/streams.ts';
import { longMessageStream } from '../helpers/synthetic.ts';

type Runner = (chunks: Uint8Array[]) => unknown;

/** Decodes and splits OpenAI-framed SSE (LF, one data line a frame): the least any reader must do. */
function* dataLines(chunks: Uint8Array[]): Generator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.indexOf('data: ');
      if (data !== -1) yield frame.slice(data + 6);
      end = buffer.indexOf('\n\n');
    }
  }
}

function bare(chunks: Uint8Array[]): number {
  let parsed = 0;
  for (const data of dataLines(chunks)) {
    JSON.parse(data);
    parsed++;
  }
  return parsed;
}

function openaiAccumulator(chunks: Uint8Array[]): unknown {
  let snapshot: Parameters<typeof accumulateResponse>[1];
  for (const data of dataLines(chunks)) snapshot = accumulateResponse(JSON.parse(data), snapshot);
  return snapshot;
}

const core = readWithCore;

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

function longMessage(deltas: number): Uint8Array {
  return new TextEncoder().encode(longMessageStream(deltas));
}

function timeMedian(run: Runner, chunks: Uint8Array[], minimumMs = 400): number {
  return medianOf(() => run(chunks), minimumMs);
}

function eventCount(chunks: Uint8Array[]): number {
  return bare(chunks);
}

interface Case {
  name: string;
  chunks: Uint8Array[];
  withOpenai: boolean;
}

// openai-node's accumulator throws on events beyond its union (apply_patch), on streams that
// do not start with response.created, and on data-only frames it cannot route; it runs on the rest.
function openaiAccepts(chunks: Uint8Array[]): boolean {
  try {
    openaiAccumulator(chunks);
    return true;
  } catch {
    return false;
  }
}

const recordings = fixtureNames().map((name) => readFixtureBytes(name));
const accepted = recordings.filter((bytes) => openaiAccepts([bytes]));

const cases: Case[] = [];
for (const [index, bytes] of accepted.entries()) {
  // openai-node keeps one snapshot, so each recording is measured on its own; summed below.
  cases.push({ name: `recording ${index}`, chunks: chunked(bytes, 1024), withOpenai: true });
}
const small = longMessage(10_000);
const large = longMessage(100_000);

console.log(`Node ${process.version}; ${accepted.length} of ${recordings.length} recordings that openai-node's accumulator accepts, in 1 KiB chunks; medians.\n`);

const totals = { bare: 0, openai: 0, core: 0, events: 0 };
for (const benchCase of cases) {
  totals.bare += timeMedian(bare, benchCase.chunks, 150);
  totals.openai += timeMedian(openaiAccumulator, benchCase.chunks, 150);
  totals.core += timeMedian(core, benchCase.chunks, 150);
  totals.events += eventCount(benchCase.chunks);
}
const row = (label: string, events: number, t: { bare: number; openai: number; core: number }) => {
  const perEvent = (ms: number) => `${((ms * 1e6) / events).toFixed(0).padStart(6)} ns`;
  console.log(
    `${label.padEnd(34)} ${String(events).padStart(7)} events | bare ${perEvent(t.bare)} | openai ${perEvent(t.openai)} | core ${perEvent(t.core)}` +
      ` | core/bare ${(t.core / t.bare).toFixed(2)}x | openai/bare ${(t.openai / t.bare).toFixed(2)}x | core/openai ${(t.core / t.openai).toFixed(2)}x`,
  );
};
row('all accepted recordings', totals.events, totals);

const measured: Array<{ deltas: number; core: number }> = [];
for (const [label, bytes, deltas] of [
  ['message of 10,000 deltas', small, 10_000],
  ['message of 100,000 deltas', large, 100_000],
] as const) {
  const chunks = chunked(bytes, 16 * 1024);
  const t = { bare: timeMedian(bare, chunks), openai: timeMedian(openaiAccumulator, chunks), core: timeMedian(core, chunks) };
  row(label, eventCount(chunks), t);
  measured.push({ deltas, core: t.core });
}
const [ten, hundred] = measured;
if (ten && hundred) {
  const growth = (hundred.core / hundred.deltas) / (ten.core / ten.deltas);
  console.log(`\nlinearity: core's cost per delta at 100,000 deltas / at 10,000 = ${growth.toFixed(2)} (1.00 is linear; quadratic would be about 10)`);
}

// A live page delivers about one event per network read: the worst case for per-chunk overhead.
const perEventChunks = new TextDecoder()
  .decode(large)
  .split('\n\n')
  .filter((frame) => frame !== '')
  .map((frame) => new TextEncoder().encode(frame + '\n\n'));
row('100,000 deltas, one chunk per event', perEventChunks.length, {
  bare: timeMedian(bare, perEventChunks),
  openai: timeMedian(openaiAccumulator, perEventChunks),
  core: timeMedian(core, perEventChunks),
});

// Replay: the response as it stood after any number of its events, from the nearest checkpoint,
// against the peer that replays from the start: a fresh reader given the stream cut after that event.
function measureReplay(label: string, text: string): void {
  const frameEnds: number[] = [];
  for (let at = text.indexOf('\n\n'); at !== -1; at = text.indexOf('\n\n', at + 2)) frameEnds.push(at + 2);
  const [record] = readWithCore([new TextEncoder().encode(text)]) as ResponseRecord[];
  const replay = new ResponseReplay(record as ResponseRecord);
  const freshReaderAt = (count: number) => {
    const reader = new ResponsesStreamReader();
    reader.push(text.slice(0, frameEnds[count - 1]));
    return reader.responses;
  };
  const elapsed = (run: () => unknown) => {
    const start = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

  const firstPass = elapsed(() => replay.at(replay.eventCount));
  const wholePeer = elapsed(() => freshReaderAt(replay.eventCount));
  const random = seededRandom(42);
  const points = Array.from({ length: 60 }, () => 1 + Math.floor(random() * (replay.eventCount - 1)));
  for (const point of points.slice(0, 5)) replay.at(point);
  const seeks = points.map((point) => elapsed(() => replay.at(point)));
  const peers = points.map((point) => elapsed(() => freshReaderAt(point)));
  const ratios = seeks.map((ms, index) => ms / (peers[index] as number));
  const worst = Math.max(...seeks);
  console.log(
    `\n${label}: ${replay.eventCount} events, ${replay.checkpointCount} checkpoints after the first pass` +
      `\n  first seek to the end (one pass, taking the checkpoints): ${firstPass.toFixed(1)} ms | a fresh reader to the end ${wholePeer.toFixed(1)} ms | ${(firstPass / wholePeer).toFixed(2)}x` +
      `\n  ${points.length} seeks to random counts: median ${median(seeks).toFixed(2)} ms, worst ${worst.toFixed(2)} ms | a fresh reader to the same count: median ${median(peers).toFixed(1)} ms | seek/fresh median ${median(ratios).toFixed(3)}x, worst ${Math.max(...ratios).toFixed(3)}x`,
  );
  report({
    what: `replay: first seek to the end of a ${label}, taking the checkpoints, vs a fresh reader to the end`,
    figure: `${(firstPass / wholePeer).toFixed(2)}× (${firstPass.toFixed(0)} ms)`,
    goal: '≤ 1.00×',
    met: firstPass <= wholePeer,
  });
  report({
    what: `replay: seek to a random count of a ${label}, checkpoints taken (vs a fresh reader to that count)`,
    figure: `median ${median(seeks).toFixed(2)} ms, worst ${worst.toFixed(2)} ms (${median(ratios).toFixed(3)}× the fresh reader's ${median(peers).toFixed(0)} ms)`,
    goal: '< 100 ms',
    met: worst < 100,
  });
}

measureReplay('message of 100,000 deltas', new TextDecoder().decode(large));
measureReplay('message of 100,000 deltas of 50 characters (5 MB of text)', longMessageStream(100_000, (index) => `${String(index).padStart(8, '0')} ${'x'.repeat(41)}`));
