/**
 * Fuzz cases: the real recordings, mutated. Each case is a pure function of
 * (seed, case number), so any failure can be replayed alone.
 *
 * Mutations: dropped, duplicated, swapped and foreign frames; hostile indexes
 * (huge, negative, fractional, strings); `__proto__` / `constructor` /
 * `prototype` keys; values of the wrong type; deep nesting; NULs; invalid
 * UTF-8; byte flips and cuts; CR-only and mixed line endings; giant lines;
 * SSE field noise. Each case is given in one of the forms the core reads: an
 * SSE stream, JSON lines, a JSON array of events, a Response JSON body, or a
 * HAR (ours, or a browser's without our fields), itself mutated.
 */
import { buildTranscript, callsOfInput, readInput, stringifyJson } from '../../extension/core/index.ts';
import { deepJsonText } from '../helpers/hostile.ts';
import { fixtureNames, readFixture, seededRandom, splitFrames } from '../helpers/streams.ts';

export type CaseForm = 'sse' | 'json-lines' | 'json-array' | 'response-json' | 'har' | 'browser-har';

export interface FuzzCase {
  seed: number;
  index: number;
  quick: boolean;
  recording: string;
  form: CaseForm;
  /** The mutations applied, in order. */
  steps: string[];
  input: string | Uint8Array;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  float(): number {
    return this.next();
  }
  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** A whole number in [low, high]. */
  range(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }
}

/** The seed of one case: the run's seed and the case number, mixed. */
export function caseSeed(seed: number, index: number): number {
  let hash = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b) >>> 0;
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35) >>> 0;
  return (hash ^ (hash >>> 16)) >>> 0;
}

interface Recording {
  name: string;
  frames: string[];
}

let corpus: Recording[] | undefined;

/** The case being made is a quick one (set by makeCase for the mutations it calls). */
let quick = false;

function recordings(): Recording[] {
  corpus ??= fixtureNames().map((name) => ({ name, frames: splitFrames(readFixture(name)) }));
  return corpus;
}

// ── values ─────────────────────────────────────────────────────────────

/** Raw JSON text that stands in for a value: numbers JSON.parse turns into Infinity, precision loss, deep nesting. */
const RAW_MARK = '\u0000raw:';
const raw = (text: string) => RAW_MARK + text;

function hostileIndex(rng: Rng): unknown {
  return rng.pick<unknown>([
    -1, -0, 0.5, 1.0000001, 1e9, 2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, 1025, 1024, 5000, 999_999,
    '0', '1', '1e3', '', null, true, [], {}, [0], { valueOf: 1 },
    raw('1e400'), raw('-1e400'), raw('9007199254740993'), raw('-0.0'), raw('1E2'),
  ]);
}

function deepRaw(rng: Rng): string {
  const depth = quick ? rng.pick([64, 65, 1000, 5000]) : rng.pick([64, 65, 1000, 5000, 20_000, rng.chance(0.2) ? 200_000 : 2000]);
  switch (rng.int(3)) {
    case 0:
      return deepJsonText(depth, 'arrays');
    case 1:
      return deepJsonText(depth, 'objects');
    default:
      return '[{"a":'.repeat(depth) + 'null' + '}]'.repeat(depth);
  }
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Objects that break a careless String(): no usable toString or valueOf, or an array holding one. */
const UNPRINTABLE: readonly unknown[] = [
  { toString: 1, valueOf: 'x', toJSON: 'y', length: 1e9 },
  { toString: {}, valueOf: {} },
  [{ toString: null }],
  [[{ valueOf: 1, toString: 2 }]],
];

function hostileValue(rng: Rng): unknown {
  switch (rng.int(10)) {
    case 0:
      return hostileIndex(rng);
    case 1:
      return raw(deepRaw(rng));
    case 2:
      return raw(`{"${rng.pick(PROTO_KEYS)}":{"polluted":"yes","toString":"x"}}`);
    case 3:
    case 4:
      // A copy: later mutations may change the value in place, and cases must not share state.
      return structuredClone(rng.pick(UNPRINTABLE));
    case 5:
      return rng.pick(['', '\u0000', 'x'.repeat(rng.pick([1, 100, quick ? 2000 : 20_000])), '\ud800', '\u001b[31mred', 'response.completed', '[DONE]', '__proto__']);
    case 6:
      return rng.pick([null, true, false, 0, -1, 3.5]);
    case 7:
      return rng.pick([[], [null], [1, 'a', {}], [[[]]]]);
    case 8:
      return {};
    default:
      return raw(`{"type":${rng.pick(['"message"', '"unknown"', '"output_text"', '1', 'null', '{}'])},"id":${rng.pick(['"x"', '1', '[]', '{"toString":1}'])}}`);
  }
}

/** JSON text of a value that may hold raw stand-ins (strings "\u0000raw:…" become the text they carry). */
function toText(value: unknown): string {
  const text = stringifyJson(value);
  if (!text.includes('\\u0000raw:')) return text;
  return text.replace(/"\\u0000raw:((?:[^"\\]|\\.)*)"/g, (_match, body: string) => JSON.parse(`"${body}"`) as string);
}

// ── frames ─────────────────────────────────────────────────────────────

interface Frame {
  /** The `event:` name line, if any. */
  name?: string;
  /** The data: parsed when it is JSON, raw text otherwise. */
  event?: Record<string, unknown>;
  data: string;
  /** Other lines (comments, id:, retry:). */
  extra: string[];
}

function parseFrame(text: string): Frame {
  const frame: Frame = { data: '', extra: [] };
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('data:')) data.push(line.replace(/^data: ?/, ''));
    else if (line.startsWith('event:')) frame.name = line.replace(/^event: ?/, '');
    else frame.extra.push(line);
  }
  frame.data = data.join('\n');
  try {
    const value: unknown = JSON.parse(frame.data);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) frame.event = value as Record<string, unknown>;
  } catch {
    // not JSON: kept as text
  }
  return frame;
}

function dataOf(frame: Frame): string {
  return frame.event ? toText(frame.event) : frame.data;
}

function frameText(frame: Frame): string {
  const lines = [...frame.extra];
  if (frame.name !== undefined) lines.push(`event: ${frame.name}`);
  for (const line of dataOf(frame).split('\n')) lines.push(`data: ${line}`);
  return lines.join('\n');
}

/** The objects inside an event a mutation may touch: the event, its snapshot, items, parts, usage. */
function objectsIn(event: Record<string, unknown>): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const pending: Array<[unknown, number]> = [[event, 0]];
  while (pending.length > 0 && found.length < 200) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null || depth > 5) continue;
    if (!Array.isArray(value)) found.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return found;
}

const INDEX_FIELDS = ['output_index', 'content_index', 'summary_index', 'annotation_index', 'command_index', 'sequence_number', 'partial_image_index'];
const TYPED_FIELDS = ['type', 'item', 'part', 'response', 'output', 'delta', 'text', 'id', 'item_id', 'status', 'content', 'summary', 'arguments', 'annotation', 'usage', 'error', 'action', 'commands', 'logprobs', 'input_tokens', 'created_at', 'completed_at', 'role', 'name', 'model'];
const EVENT_TYPES = [
  'response.created', 'response.in_progress', 'response.completed', 'response.failed', 'response.incomplete', 'response.queued',
  'response.output_item.added', 'response.output_item.done', 'response.content_part.added', 'response.content_part.done',
  'response.output_text.delta', 'response.output_text.done', 'response.output_text.annotation.added', 'response.refusal.delta',
  'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta', 'response.function_call_arguments.delta',
  'response.shell_call_command.added', 'response.shell_call_command.delta', 'response.shell_call_command.done',
  'response.shell_call_output_content.delta', 'response.shell_call_output_content.done', 'response.image_generation_call.partial_image',
  'response.web_search_call.searching', 'response.audio.transcript.delta', 'error', 'keepalive', 'response.future_event', '',
];

type FrameMutation = (frames: Frame[], rng: Rng) => string;

const frameMutations: Record<string, FrameMutation> = {
  drop(frames, rng) {
    const count = rng.range(1, 5);
    for (let n = 0; n < count && frames.length > 0; n++) frames.splice(rng.int(frames.length), 1);
    return `drop ${count}`;
  },
  duplicate(frames, rng) {
    const count = rng.range(1, 5);
    for (let n = 0; n < count && frames.length > 0; n++) {
      const source = frames[rng.int(frames.length)] as Frame;
      frames.splice(rng.int(frames.length + 1), 0, { ...source, extra: [...source.extra] });
    }
    return `duplicate ${count}`;
  },
  swap(frames, rng) {
    if (frames.length < 2) return 'swap (none)';
    const a = rng.int(frames.length);
    const b = rng.chance(0.5) ? Math.min(frames.length - 1, a + 1) : rng.int(frames.length);
    [frames[a], frames[b]] = [frames[b] as Frame, frames[a] as Frame];
    return `swap ${a} ${b}`;
  },
  foreign(frames, rng) {
    const other = rng.pick(recordings());
    const count = rng.range(1, 8);
    for (let n = 0; n < count; n++) frames.splice(rng.int(frames.length + 1), 0, parseFrame(rng.pick(other.frames)));
    return `foreign ${count} from ${other.name}`;
  },
  concat(frames, rng) {
    const other = rng.pick(recordings());
    const length = quick ? 20 : 60;
    const start = other.frames.length > length ? rng.int(other.frames.length - length) : 0;
    frames.push(...other.frames.slice(start, start + length).map(parseFrame));
    return `concat ${other.name} from frame ${start}`;
  },
  resume(frames, rng) {
    const cut = rng.int(frames.length);
    frames.splice(0, cut);
    return `resume after ${cut}`;
  },
  index(frames, rng) {
    const candidates = frames.filter((frame) => frame.event && INDEX_FIELDS.some((field) => field in (frame.event as object)));
    if (candidates.length === 0) return 'index (none)';
    const count = rng.range(1, 4);
    for (let n = 0; n < count; n++) {
      const event = rng.pick(candidates).event as Record<string, unknown>;
      const field = rng.pick(INDEX_FIELDS.filter((name) => name in event).concat(rng.pick(INDEX_FIELDS)));
      event[field] = hostileIndex(rng);
    }
    return `index ×${count}`;
  },
  gaps(frames, rng) {
    // Every item-scoped index jumps past the end, as a broken or hostile server might.
    const jump = rng.pick([2, 100, 1000, 1024, 1025]);
    let shift = 0;
    for (const frame of frames) {
      const event = frame.event;
      if (!event) continue;
      if (event.type === 'response.output_item.added') shift += jump;
      for (const field of ['output_index', 'content_index', 'command_index', 'summary_index']) {
        if (typeof event[field] === 'number') event[field] = (event[field] as number) + shift;
      }
    }
    return `gaps of ${jump}`;
  },
  proto(frames, rng) {
    const events = frames.filter((frame) => frame.event);
    if (events.length === 0) return 'proto (none)';
    const count = rng.range(1, 4);
    for (let n = 0; n < count; n++) {
      const target = rng.pick(objectsIn(rng.pick(events).event as Record<string, unknown>));
      const key = rng.pick(PROTO_KEYS);
      // Defined as an own key, as JSON.parse makes it (an assignment would set the prototype).
      Object.defineProperty(target, key, { value: hostileValue(rng), enumerable: true, writable: true, configurable: true });
    }
    return `proto ×${count}`;
  },
  retype(frames, rng) {
    const events = frames.filter((frame) => frame.event);
    if (events.length === 0) return 'retype (none)';
    const count = rng.range(1, 4);
    for (let n = 0; n < count; n++) {
      const objects = objectsIn(rng.pick(events).event as Record<string, unknown>);
      const target = rng.pick(objects);
      const present = Object.keys(target).filter((key) => TYPED_FIELDS.includes(key));
      const field = present.length > 0 && rng.chance(0.8) ? rng.pick(present) : rng.pick(TYPED_FIELDS);
      if (rng.chance(0.15)) delete target[field];
      else target[field] = hostileValue(rng);
    }
    return `retype ×${count}`;
  },
  retypeEverywhere(frames, rng) {
    const field = rng.pick(TYPED_FIELDS);
    // Not a deep value: copied into every event, it would make an input of many megabytes (\`deep\` covers depth).
    let value = hostileValue(rng);
    while (typeof value === 'string' && value.startsWith(RAW_MARK) && value.length > 10_000) value = hostileValue(rng);
    let count = 0;
    for (const frame of frames) {
      if (!frame.event) continue;
      for (const target of objectsIn(frame.event)) {
        if (field in target && target !== frame.event.response) {
          target[field] = value;
          count++;
        }
      }
    }
    return `every ${field} (${count}) replaced`;
  },
  deep(frames, rng) {
    const events = frames.filter((frame) => frame.event);
    if (events.length === 0) return 'deep (none)';
    const target = rng.pick(objectsIn(rng.pick(events).event as Record<string, unknown>));
    const field = rng.pick(['metadata', 'arguments', 'delta', 'part', 'annotation', 'output', 'usage', 'content', 'error', 'item', 'action', 'text', 'x']);
    const value = deepRaw(rng);
    target[field] = raw(value);
    return `deep ${field} (${value.length} chars)`;
  },
  nul(frames, rng) {
    const frame = rng.pick(frames);
    if (!frame) return 'nul (none)';
    const data = dataOf(frame);
    const at = rng.int(data.length + 1);
    frame.event = undefined;
    frame.data = data.slice(0, at) + (rng.chance(0.5) ? '\u0000' : '\\u0000') + data.slice(at);
    return `nul at ${at}`;
  },
  giant(frames, rng) {
    const size = quick ? rng.pick([4096, 65_536]) : rng.pick([65_536, 65_536, 300_000, rng.chance(0.1) ? 3_000_000 : 1_000_000]);
    const where = rng.int(frames.length + 1);
    switch (rng.int(4)) {
      case 0:
        frames.splice(where, 0, { data: toText({ type: 'response.output_text.delta', output_index: 0, item_id: 'x', content_index: 0, delta: 'y'.repeat(size) }), extra: [] });
        return `giant delta ${size}`;
      case 1:
        frames.splice(where, 0, { data: '', extra: [':' + 'c'.repeat(size)] });
        return `giant comment ${size}`;
      case 2:
        frames.splice(where, 0, { data: 'z'.repeat(size), extra: [] });
        return `giant non-JSON line ${size}`;
      default:
        frames.splice(where, 0, { data: `{"type":"response.output_text.delta","delta":"${'w'.repeat(size)}`, extra: [] });
        return `giant unterminated JSON ${size}`;
    }
  },
  noise(frames, rng) {
    const count = rng.range(1, 6);
    for (let n = 0; n < count; n++) {
      const where = rng.int(frames.length + 1);
      switch (rng.int(6)) {
        case 0:
          frames.splice(where, 0, { data: '[DONE]', extra: [] });
          break;
        case 1:
          frames.splice(where, 0, { data: toText({ type: rng.pick(EVENT_TYPES), sequence_number: rng.int(100), output_index: rng.int(4), item_id: 'x', delta: 'd', response: { output: [] } }), extra: [] });
          break;
        case 2:
          frames.splice(where, 0, { name: rng.pick(EVENT_TYPES), data: toText({ error: { message: 'e', code: hostileValue(rng) } }), extra: [] });
          break;
        case 3: {
          const frame = frames[rng.int(frames.length)];
          if (frame) frame.extra.push(rng.pick(['id: 7', 'retry: abc', 'retry: 99999999999999999999', ': comment', 'unknown: field', 'data', 'event', 'id: a\u0000b']));
          break;
        }
        case 4: {
          const frame = frames[rng.int(frames.length)];
          if (frame) frame.name = rng.pick(EVENT_TYPES);
          break;
        }
        default:
          frames.splice(where, 0, { data: toText(hostileValue(rng)), extra: [] });
      }
    }
    return `noise ×${count}`;
  },
};

// ── text and bytes ───────────────────────────────────────────────────

function sseText(frames: Frame[], rng: Rng, steps: string[]): string {
  let text = frames.map((frame) => frameText(frame) + '\n\n').join('');
  if (rng.chance(0.25)) {
    const choice = rng.int(5);
    if (choice === 0) text = text.replace(/\n/g, '\r');
    else if (choice === 1) text = text.replace(/\n/g, '\r\n');
    else if (choice === 2) text = text.replace(/\n/g, () => rng.pick(['\n', '\r', '\r\n']));
    else if (choice === 3) text = text.replace(/\n\n/g, '\n');
    else text = '\uFEFF' + text;
    steps.push(`line endings ${['CR', 'CRLF', 'mixed', 'no blank lines', 'BOM'][choice]}`);
  }
  return text;
}

const INVALID_UTF8: readonly number[][] = [[0xff], [0xfe], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x00], [0x80]];

function mutateBytes(input: string, rng: Rng, steps: string[]): string | Uint8Array {
  if (!rng.chance(0.3)) return input;
  let bytes: Uint8Array = new TextEncoder().encode(input);
  const count = rng.range(1, 3);
  for (let n = 0; n < count; n++) {
    const at = rng.int(bytes.length + 1);
    switch (rng.int(5)) {
      case 0: {
        const flips = rng.range(1, 16);
        for (let flip = 0; flip < flips && bytes.length > 0; flip++) {
          const where = rng.int(bytes.length);
          bytes[where] = rng.chance(0.5) ? (bytes[where] as number) ^ (1 << rng.int(8)) : rng.int(256);
        }
        steps.push(`flip ${flips} bytes`);
        break;
      }
      case 1:
        bytes = bytes.slice(0, at);
        steps.push(`cut at byte ${at}`);
        break;
      case 2: {
        const insert = rng.pick(INVALID_UTF8);
        bytes = concat(bytes.subarray(0, at), Uint8Array.from(insert), bytes.subarray(at));
        steps.push(`invalid UTF-8 ${insert.map((byte) => byte.toString(16)).join(' ')} at ${at}`);
        break;
      }
      case 3: {
        const end = Math.min(bytes.length, at + rng.range(1, 400));
        bytes = concat(bytes.subarray(0, at), bytes.subarray(end));
        steps.push(`remove bytes ${at}..${end}`);
        break;
      }
      default: {
        const junk = Uint8Array.from({ length: rng.range(1, 64) }, () => rng.int(256));
        bytes = concat(bytes.subarray(0, at), junk, bytes.subarray(at));
        steps.push(`insert ${junk.length} random bytes at ${at}`);
      }
    }
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ── HARs ───────────────────────────────────────────────────────────────

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths to the values of a HAR a mutation may replace (bounded: bodies and events are long lists). */
function harPaths(har: unknown): Array<{ holder: Record<string, unknown> | unknown[]; key: string | number }> {
  const paths: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const pending: Array<[unknown, number]> = [[har, 0]];
  while (pending.length > 0 && paths.length < 400) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null || depth > 7) continue;
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.slice(0, 6).map((child, index) => [index, child]) : Object.entries(value);
    for (const [key, child] of entries) {
      paths.push({ holder: value as Record<string, unknown>, key });
      pending.push([child, depth + 1]);
    }
  }
  return paths;
}

function mutateHar(har: { log: { entries: Array<Record<string, unknown>> } }, rng: Rng, steps: string[]): void {
  const count = rng.range(0, 4);
  for (let n = 0; n < count; n++) {
    // Earlier mutations may have broken the HAR's shape: only objects are touched.
    const log = isObject(har) && isObject(har.log) ? (har.log as Record<string, unknown>) : undefined;
    const entries = log && Array.isArray(log.entries) ? (log.entries as unknown[]) : [];
    const picked = entries.length > 0 ? rng.pick(entries) : undefined;
    const entry = isObject(picked) ? (picked as Record<string, any>) : undefined;
    switch (rng.int(8)) {
      case 0: {
        const paths = harPaths(har);
        if (paths.length === 0) break;
        const { holder, key } = rng.pick(paths);
        (holder as Record<string | number, unknown>)[key] = hostileValue(rng);
        steps.push(`har: ${String(key)} replaced`);
        break;
      }
      case 1: {
        const paths = harPaths(har).filter(({ holder }) => !Array.isArray(holder));
        if (paths.length === 0) break;
        const { holder, key } = rng.pick(paths);
        delete (holder as Record<string, unknown>)[key as string];
        steps.push(`har: ${String(key)} deleted`);
        break;
      }
      case 2:
        if (isObject(entry?.response) && isObject(entry.response.content)) {
          const text = String(entry.response.content.text ?? '');
          entry.response.content.encoding = 'base64';
          entry.response.content.text = rng.chance(0.5) ? Buffer.from(text).toString('base64') : rng.pick(['%%%not base64', text, 'AAAA====', '/w==']);
          steps.push('har: base64 content');
        }
        break;
      case 3:
        if (entry && Array.isArray(entry._responsesEvents)) {
          for (const event of entry._responsesEvents.slice(0, 20)) if (event && typeof event === 'object') (event as Record<string, unknown>).time = rng.pick<unknown>([1e308, -1, 'x', null, 8.64e12, NaN, 1e15]);
          if (rng.chance(0.5)) entry._responsesEvents.splice(rng.int(entry._responsesEvents.length + 1), rng.range(0, 5));
          steps.push('har: event times');
        }
        break;
      case 4:
        if (entry) {
          entry.startedDateTime = rng.pick<unknown>(['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '1970-01-01T00:00:00.000Z', 'yesterday', 0, null, '9999-12-31T23:59:59.999Z']);
          entry.time = rng.pick<unknown>([1e308, -5, 'x', 8.64e15, 0]);
          steps.push('har: dates');
        }
        break;
      case 5: {
        const responses = isObject(entry?._responsesAssembly) ? entry._responsesAssembly.responses : undefined;
        const timing = Array.isArray(responses) && isObject(responses[0]) ? responses[0].timing : undefined;
        if (isObject(timing)) {
          timing.startedAt = rng.pick<unknown>([1e308, -1e308, 'x', 8.64e15, null, {}]);
          timing.firstByteMs = rng.pick<unknown>([1e308, 'x', null, -1]);
          timing.durationMs = rng.pick<unknown>([1e308, 'x', null, -1]);
          steps.push('har: written timing');
        }
        break;
      }
      case 6:
        entries.push(...(rng.pick<unknown[]>([[null], [1], ['x'], [{}], [{ request: {}, response: {} }], [{ request: { method: 'POST', url: 'https://api.openai.com/v1/responses' }, response: { content: { text: 'data: x\n\n' } } }]]) as Array<Record<string, unknown>>));
        steps.push('har: odd entries');
        break;
      default:
        if (entry) {
          entry.request = { ...(isObject(entry.request) ? entry.request : {}), method: rng.pick(['POST', 'GET', 'post']), url: rng.pick(['https://api.openai.com/v1/responses', 'not a url', 'https://x.invalid/v1/responses?key=1', '']) };
          steps.push('har: request');
        }
    }
  }
}

// ── cases ──────────────────────────────────────────────────────────────

const FORMS: ReadonlyArray<[CaseForm, number]> = [
  ['sse', 60],
  ['json-lines', 7],
  ['json-array', 6],
  ['response-json', 6],
  ['har', 14],
  ['browser-har', 7],
];

function pickForm(rng: Rng): CaseForm {
  let roll = rng.int(100);
  for (const [form, weight] of FORMS) {
    if (roll < weight) return form;
    roll -= weight;
  }
  return 'sse';
}

/**
 * Case `index` of `seed`. A quick case is smaller (a window of the recording,
 * shorter giant lines, shallower nesting), for the unit suite's short run.
 */
export function makeCase(seed: number, index: number, options: { quick?: boolean } = {}): FuzzCase {
  quick = options.quick === true;
  const rng = new Rng(caseSeed(seed, index));
  const recording = rng.pick(recordings());
  const form = pickForm(rng);
  const steps: string[] = [];
  let frames = recording.frames.map(parseFrame);
  // Most cases take a window of the recording: the mutations, not the length, find the bugs.
  const longest = quick ? 30 : 60;
  if (frames.length > longest && (quick || rng.chance(0.8))) {
    const length = rng.range(10, longest);
    const start = rng.chance(0.5) ? 0 : rng.int(frames.length - length);
    frames = frames.slice(start, start + length).concat(rng.chance(0.5) ? frames.slice(-2) : []);
    steps.push(`window ${start}+${length}`);
  }
  const names = Object.keys(frameMutations);
  const count = rng.range(form === 'sse' ? 1 : 0, 3);
  for (let n = 0; n < count; n++) steps.push((frameMutations[rng.pick(names)] as FrameMutation)(frames, rng));

  let input: string | Uint8Array;
  switch (form) {
    case 'sse':
      input = sseText(frames, rng, steps);
      break;
    case 'json-lines':
      input = frames.map((frame) => dataOf(frame).replace(/\n/g, ' ')).join(rng.pick(['\n', '\r\n', '\r']));
      break;
    case 'json-array':
      input = `[${frames.map((frame) => (frame.event ? dataOf(frame) : JSON.stringify(frame.data))).join(',')}]`;
      break;
    case 'response-json': {
      const terminal = [...frames].reverse().find((frame) => frame.event && typeof frame.event.response === 'object');
      const snapshot = (terminal?.event?.response ?? { id: 'r', output: [] }) as Record<string, unknown>;
      if (rng.chance(0.5)) frameMutations.retype?.([{ event: snapshot, data: '', extra: [] }], rng);
      input = toText(rng.chance(0.2) ? [snapshot, snapshot] : snapshot);
      break;
    }
    default: {
      const body = sseText(frames, rng, steps);
      let har: { log: { entries: Array<Record<string, unknown>> } };
      try {
        har = buildTranscript(callsOfInput(recording.name, body, readInput(body)), { keepSecrets: true }) as never;
      } catch {
        har = { log: { entries: [{ startedDateTime: '1970-01-01T00:00:00.000Z', request: { method: 'POST', url: 'https://api.openai.com/v1/responses' }, response: { status: 200, content: { mimeType: 'text/event-stream', text: body } } }] } } as never;
      }
      if (form === 'browser-har') {
        for (const entry of har.log.entries) {
          delete entry._responsesEvents;
          delete entry._responsesAssembly;
        }
      }
      mutateHar(har, rng, steps);
      input = toText(har);
    }
  }
  if (typeof input === 'string') input = mutateBytes(input, rng, steps);
  return { seed, index, quick, recording: recording.name, form, steps, input };
}

/** A one-line description of a case, to print with a failure. */
export function describeCase(fuzzCase: FuzzCase): string {
  const size = typeof fuzzCase.input === 'string' ? fuzzCase.input.length : fuzzCase.input.byteLength;
  return `${fuzzCase.quick ? 'quick ' : ''}case ${fuzzCase.index} (seed ${fuzzCase.seed}): ${fuzzCase.form} from ${fuzzCase.recording}, ${size} bytes; ${fuzzCase.steps.join(', ') || 'unmutated'}`;
}
