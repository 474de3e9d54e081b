import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject, ResponseObject } from '../../extension/core/index.ts';

/** A folder of recordings under test/fixtures: its path, its recordings' names in order, and their text or bytes. */
export function fixtureFolder(folder: string): { dir: string; names: () => string[]; read: (name: string) => string; bytes: (name: string) => Uint8Array } {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', folder);
  return {
    dir,
    names: () =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.sse'))
        .sort(),
    read: (name) => readFileSync(join(dir, name), 'utf8'),
    bytes: (name) => new Uint8Array(readFileSync(join(dir, name))),
  };
}

const responsesStreams = fixtureFolder('responses-streams');
export const FIXTURE_DIR = responsesStreams.dir;
export const fixtureNames = responsesStreams.names;
export const readFixture = responsesStreams.read;
export const readFixtureBytes = responsesStreams.bytes;

/** The raw frames of an LF-framed recording (blank-line separated), comments included. */
export function splitFrames(text: string): string[] {
  return text.split(/\n\n/).filter((frame) => frame.trim() !== '');
}

export function joinFrames(frames: string[]): string {
  return frames.map((frame) => frame + '\n\n').join('');
}

/** The JSON event of a frame, or undefined for comments, [DONE] and the like. */
export function frameEvent(frame: string): JsonObject | undefined {
  const data = frame
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.replace(/^data: ?/, ''))
    .join('\n');
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

export const TERMINAL_TYPES = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export function terminalSnapshot(text: string): ResponseObject | undefined {
  const events = splitFrames(text).map(frameEvent);
  const terminal = events.reverse().find((event) => event !== undefined && TERMINAL_TYPES.has(String(event.type)));
  return terminal?.response as ResponseObject | undefined;
}

/** The stream with every `*.done` event and the terminal event removed: only deltas and additions remain. */
export function deltasOnly(text: string): string {
  return joinFrames(
    splitFrames(text).filter((frame) => {
      const type = String(frameEvent(frame)?.type ?? '');
      return !type.endsWith('.done') && !TERMINAL_TYPES.has(type);
    }),
  );
}

export function withLineEndings(text: string, ending: '\r\n' | '\r'): string {
  return text.replace(/\n/g, ending);
}

/** Changes the text of one delta event in the middle of the stream; returns the new stream and what changed. */
export function alterOneDelta(text: string): { text: string; itemId: string; type: string } | undefined {
  const frames = splitFrames(text);
  const candidates = frames
    .map((frame, index) => ({ frame, index, event: frameEvent(frame) }))
    .filter(({ event }) => event !== undefined && typeof event.delta === 'string' && (event.delta as string).length > 0);
  const chosen = candidates[Math.floor(candidates.length / 2)];
  if (!chosen || !chosen.event) return undefined;
  const event = { ...chosen.event, delta: `${String(chosen.event.delta)}<ALTERED>` };
  const eventLine = chosen.frame.split('\n').find((line) => line.startsWith('event:'));
  frames[chosen.index] = `${eventLine ? eventLine + '\n' : ''}data: ${JSON.stringify(event)}`;
  return { text: joinFrames(frames), itemId: String(chosen.event.item_id ?? ''), type: String(chosen.event.type) };
}

/** A small deterministic PRNG (mulberry32), so random chunkings are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `bytes` into random chunks of 1..maxChunk bytes. */
export function randomChunks(bytes: Uint8Array, random: () => number, maxChunk: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const size = 1 + Math.floor(random() * maxChunk);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}
