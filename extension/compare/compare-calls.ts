/**
 * Two Responses calls side by side: what changed in the request (a structured
 * diff), the two outputs, and the usage, cost and timing deltas.
 *
 * Lists are aligned with `jsondiffpatch`'s longest common subsequence, so an
 * input item inserted at the start reads as one item added, not as every later
 * item changed. The library only aligns: it is given each item's key (its JSON
 * text, or what it is) rather than the item, and the walk here compares the
 * items it pairs, to a bounded depth (request bodies may nest arbitrarily deep).
 */
import { create } from 'jsondiffpatch';
import {
  isJsonObject,
  responseCost,
  stringifyJson,
  type CostSummary,
  type JsonObject,
  type JsonValue,
  type OutputItem,
  type PriceLookup,
  type ResponseTiming,
  type TranscriptCall,
  type UsageSummary,
} from '../core/index.ts';

export interface RequestDifference {
  /**
   * JS-style: `model`, `input[2].content`, `tools[0].parameters.properties.city`, `metadata["weird key"]`;
   * empty for the whole body. An index is B's, but A's for a removed item.
   */
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** A's value; absent for an added one. */
  a?: JsonValue;
  /** B's value; absent for a removed one. */
  b?: JsonValue;
}

/** What a comparison needs of a call: its request body (as sent) and the responses read from its body. */
export type ComparedCall = Pick<TranscriptCall, 'requestBody' | 'records'>;

/** B minus A, field by field. */
export type UsageDelta = UsageSummary;

/** B minus A for each offset and rate; null where either call lacks it. */
export type TimingDelta = { [Key in Exclude<keyof ResponseTiming, 'startedAt'>]: number | null };

export interface CallComparison {
  request: RequestDifference[];
  /** Each call's last response's `output`, in the API's own shape; null for a call with no response. */
  output: { a: OutputItem[] | null; b: OutputItem[] | null };
  usage: { a: UsageSummary | null; b: UsageSummary | null; delta: UsageDelta | null };
  /** `delta` is B's total minus A's, in US dollars. */
  cost: { a: CostSummary | null; b: CostSummary | null; delta: number | null };
  timing: { a: ResponseTiming; b: ResponseTiming; delta: TimingDelta };
}

/** Past this depth, two values are compared whole, by their JSON text: the walk must not overflow the stack. */
const MAX_WALK_DEPTH = 64;

/** Above this many cells, the longest common subsequence table of two lists costs too much memory. */
const MAX_ALIGNMENT_CELLS = 4_000_000;

/** The fields that tell one list item from another of the same kind: items alike in these are compared field by field. */
const IDENTITY_FIELDS = ['type', 'role', 'call_id', 'name', 'server_label'] as const;

/**
 * A request body as a value to compare: its JSON, or its text when it is not
 * JSON; undefined when there is none (a recording has no request).
 */
export function requestValue(body: string | undefined): JsonValue | undefined {
  if (body === undefined || body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}

/** The differences from request A to request B, in the order of B's keys merged into A's (`model` first), lists by position. */
export function compareRequests(a: JsonValue | undefined, b: JsonValue | undefined): RequestDifference[] {
  const differences: RequestDifference[] = [];
  if (a === undefined && b === undefined) return differences;
  if (a === undefined) return [{ path: '', change: 'added', b: b as JsonValue }];
  if (b === undefined) return [{ path: '', change: 'removed', a }];
  walk(a, b, '', 0, differences, true);
  return differences;
}

export function compareCalls(a: ComparedCall, b: ComparedCall, prices: PriceLookup): CallComparison {
  return { request: compareRequests(requestValue(a.requestBody), requestValue(b.requestBody)), ...compareResponses(a, b, prices) };
}

/** All of `compareCalls` but the request: cheap, where the request's diff aligns whole lists (a viewer keeps that apart). */
export function compareResponses(a: Pick<ComparedCall, 'records'>, b: Pick<ComparedCall, 'records'>, prices: PriceLookup): Omit<CallComparison, 'request'> {
  const sideA = lastResponse(a, prices);
  const sideB = lastResponse(b, prices);
  return {
    output: { a: sideA.output, b: sideB.output },
    usage: { a: sideA.usage, b: sideB.usage, delta: sideA.usage && sideB.usage ? usageDelta(sideA.usage, sideB.usage) : null },
    cost: { a: sideA.cost, b: sideB.cost, delta: sideA.cost && sideB.cost ? roundUsd(sideB.cost.total - sideA.cost.total) : null },
    timing: { a: sideA.timing, b: sideB.timing, delta: timingDelta(sideA.timing, sideB.timing) },
  };
}

interface Side {
  output: OutputItem[] | null;
  usage: UsageSummary | null;
  cost: CostSummary | null;
  timing: ResponseTiming;
}

const NO_TIMING: ResponseTiming = {
  startedAt: null,
  firstByteMs: null,
  firstTokenMs: null,
  lastEventMs: null,
  durationMs: null,
  outputTokensPerSecond: null,
  serverDurationMs: null,
};

function lastResponse(call: Pick<ComparedCall, 'records'>, prices: PriceLookup): Side {
  const record = call.records[call.records.length - 1];
  if (!record) return { output: null, usage: null, cost: null, timing: { ...NO_TIMING } };
  const { response, usage } = record;
  return { output: response.output, usage, cost: responseCost(response, usage, prices).cost, timing: record.timing };
}

function usageDelta(a: UsageSummary, b: UsageSummary): UsageDelta {
  const delta: UsageDelta = {
    input: b.input - a.input,
    cached: b.cached - a.cached,
    output: b.output - a.output,
    reasoning: b.reasoning - a.reasoning,
    total: b.total - a.total,
  };
  if (a.cacheWrite !== undefined || b.cacheWrite !== undefined) delta.cacheWrite = (b.cacheWrite ?? 0) - (a.cacheWrite ?? 0);
  return delta;
}

function timingDelta(a: ResponseTiming, b: ResponseTiming): TimingDelta {
  const minus = (key: keyof TimingDelta): number | null => {
    const before = a[key];
    const after = b[key];
    // To the microsecond: the offsets are fractions of a millisecond, and their difference would carry float noise.
    return before === null || after === null ? null : Math.round((after - before) * 1000) / 1000;
  };
  return {
    firstByteMs: minus('firstByteMs'),
    firstTokenMs: minus('firstTokenMs'),
    lastEventMs: minus('lastEventMs'),
    durationMs: minus('durationMs'),
    outputTokensPerSecond: minus('outputTokensPerSecond'),
    serverDurationMs: minus('serverDurationMs'),
  };
}

/** A difference of two costs without the float noise of the subtraction (0.0000029000000000000002): prices go down to 1e-9 a token. */
function roundUsd(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}

// ── the request walk ─────────────────────────────────────────────────────

function walk(a: JsonValue, b: JsonValue, path: string, depth: number, out: RequestDifference[], top = false): void {
  if (a === b) return;
  if (depth >= MAX_WALK_DEPTH && typeof a === 'object' && typeof b === 'object') {
    if (stringifyJson(a) !== stringifyJson(b)) out.push({ path, change: 'changed', a, b });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (const step of alignItems(a, b)) {
      if (step.kind === 'removed') out.push({ path: indexPath(path, step.a), change: 'removed', a: a[step.a] as JsonValue });
      else if (step.kind === 'added') out.push({ path: indexPath(path, step.b), change: 'added', b: b[step.b] as JsonValue });
      else walk(a[step.a] as JsonValue, b[step.b] as JsonValue, indexPath(path, step.b), depth + 1, out);
    }
    return;
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    for (const key of unionKeys(a, b, top)) {
      const inA = has(a, key);
      const inB = has(b, key);
      const keyed = keyPath(path, key);
      if (!inB) out.push({ path: keyed, change: 'removed', a: a[key] as JsonValue });
      else if (!inA) out.push({ path: keyed, change: 'added', b: b[key] as JsonValue });
      else walk(a[key] as JsonValue, b[key] as JsonValue, keyed, depth + 1, out);
    }
    return;
  }
  out.push({ path, change: 'changed', a, b });
}

function has(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;
}

/** A's keys, with each key only B has placed after the key it follows in B; at the top, `model` first. */
function unionKeys(a: JsonObject, b: JsonObject, top: boolean): string[] {
  const keys = Object.keys(a).filter((key) => has(a, key));
  const seen = new Set(keys);
  let after = -1;
  for (const key of Object.keys(b)) {
    if (!has(b, key)) continue;
    if (seen.has(key)) {
      after = keys.indexOf(key);
      continue;
    }
    keys.splice(++after, 0, key);
    seen.add(key);
  }
  if (top && seen.has('model')) return ['model', ...keys.filter((key) => key !== 'model')];
  return keys;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function keyPath(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

// ── list alignment ───────────────────────────────────────────────────────

/** One step through two lists: an item of A removed, an item of B added, or a pair of items (equal, or alike) to compare. */
type AlignmentStep = { kind: 'removed'; a: number } | { kind: 'added'; b: number } | { kind: 'pair'; a: number; b: number };

/**
 * Equal items are matched first (so an item inserted or removed leaves the
 * others matched); between two matches, the items left over are matched again
 * by what they are (`IDENTITY_FIELDS`), so an item changed in place
 * reads as that item's fields changed. Items matched neither way are removed
 * from A or added in B.
 */
function alignItems(a: readonly JsonValue[], b: readonly JsonValue[]): AlignmentStep[] {
  if (a.length === 1 && b.length === 1) {
    // The same answer without writing the items out as text at every level (a content list of one part, a deep nest).
    if (a[0] === b[0]) return [];
    if (identity(a[0] as JsonValue, 'a', 0) === identity(b[0] as JsonValue, 'b', 0)) return [{ kind: 'pair', a: 0, b: 0 }];
    return [{ kind: 'removed', a: 0 }, { kind: 'added', b: 0 }];
  }
  const steps: AlignmentStep[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = (): void => {
    if (removed.length === 0 && added.length === 0) return;
    const identitiesA = removed.map((index) => identity(a[index] as JsonValue, 'a', index));
    const identitiesB = added.map((index) => identity(b[index] as JsonValue, 'b', index));
    for (const step of align(identitiesA, identitiesB)) {
      if (step.kind === 'removed') steps.push({ kind: 'removed', a: removed[step.a] as number });
      else if (step.kind === 'added') steps.push({ kind: 'added', b: added[step.b] as number });
      else steps.push({ kind: 'pair', a: removed[step.a] as number, b: added[step.b] as number });
    }
    removed = [];
    added = [];
  };
  for (const step of align(a.map(itemText), b.map(itemText))) {
    if (step.kind === 'removed') removed.push(step.a);
    else if (step.kind === 'added') added.push(step.b);
    else flush(); // Equal items: nothing to report.
  }
  flush();
  return steps;
}

function itemText(value: JsonValue): string {
  return stringifyJson(value);
}

/** What an item is: objects alike in their identity fields, or any two lists, are compared inside; a scalar is only ever equal. */
function identity(value: JsonValue, side: 'a' | 'b', index: number): string {
  if (Array.isArray(value)) return 'list';
  if (isJsonObject(value)) return stringifyJson(IDENTITY_FIELDS.map((field) => value[field] ?? null));
  return `${side}${index}`;
}

const differ = create({ arrays: { detectMove: false } });

/** The longest common subsequence of two lists of keys, as steps through both: the matched pairs, and the rest removed or added. */
function align(a: readonly string[], b: readonly string[]): AlignmentStep[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middleA = a.slice(head, a.length - tail);
  const middleB = b.slice(head, b.length - tail);
  const removed = new Set<number>();
  const added = new Set<number>();
  if (middleA.length === 0 || middleB.length === 0 || middleA.length * middleB.length > MAX_ALIGNMENT_CELLS) {
    // Nothing to match in between, or too much to align: position by position.
    for (let offset = 0; offset < Math.max(middleA.length, middleB.length); offset++) {
      if (offset < middleA.length && offset < middleB.length && middleA[offset] === middleB[offset]) continue;
      if (offset < middleA.length) removed.add(head + offset);
      if (offset < middleB.length) added.add(head + offset);
    }
  } else {
    const delta = differ.diff(middleA, middleB);
    if (delta !== undefined && typeof delta === 'object' && !Array.isArray(delta)) {
      for (const key of Object.keys(delta)) {
        if (key === '_t') continue;
        if (key.startsWith('_')) removed.add(head + Number(key.slice(1)));
        else added.add(head + Number(key));
      }
    }
  }
  const steps: AlignmentStep[] = [];
  let indexA = 0;
  let indexB = 0;
  while (indexA < a.length || indexB < b.length) {
    if (indexA < a.length && (removed.has(indexA) || indexB >= b.length)) steps.push({ kind: 'removed', a: indexA++ });
    else if (indexB < b.length && (added.has(indexB) || indexA >= a.length)) steps.push({ kind: 'added', b: indexB++ });
    else steps.push({ kind: 'pair', a: indexA++, b: indexB++ });
  }
  return steps;
}
