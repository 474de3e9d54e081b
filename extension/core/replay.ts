/**
 * A response as it stood after any number of its events, its status and
 * warnings then included: the record's event log applied again from the
 * nearest of a few copies of the state taken along the way (checkpoints).
 *
 * Checkpoints are taken as the replay first goes through the log (a seek past
 * the furthest point reached so far applies the events up to it once), each
 * after at least `minimumSpacing` events and at least as many characters of
 * event data as the size of the checkpoint before. A copy shares the state's
 * strings (they are immutable), so it costs the state's objects and arrays,
 * not its text; its size is nonetheless counted with every character, so that
 * the checkpoints together hold no more than about the characters of the log
 * they were made from, plus one state, even should each of their strings come
 * to be kept flat (V8 flattens a rope in place when it is read). A seek copies
 * the nearest checkpoint before its count and applies at most one spacing of
 * events: a few thousand of a hundred thousand, for a message whose text grows
 * by a few characters an event.
 */
import type { ItemMeta, ResponseAssembler } from './assembler.ts';
import type { JsonObject } from './response-types.ts';
import { DeltaEventReader } from './delta-event.ts';
import type { ResponseObject } from './response-types.ts';
import { AssemblyState, FRAME_WARNING_CODES, readFrame, type LoggedEvent, type ResponseRecord } from './stream-reader.ts';
import type { StreamWarning } from './warnings.ts';

export interface ReplayOptions {
  /** The fewest events between two checkpoints (default 256): replaying fewer costs less than keeping another copy. */
  minimumSpacing?: number;
}

/** A response as it stood after its first `count` events: the caller's own, never changed by the replay. */
export interface ReplayedResponse {
  /** How many of the record's events it holds. */
  readonly count: number;
  readonly response: ResponseObject;
  readonly status: string | undefined;
  /** A terminal event had been applied. */
  readonly terminal: boolean;
  readonly warnings: readonly StreamWarning[];
  readonly itemMeta: readonly ItemMeta[];
  /** What the provider's SDK would have built by then, in its shape (the Response itself for the Responses API). */
  readonly result: JsonObject;
  /** The assembler that holds all this (revision, audio transcript…). */
  readonly assembler: ResponseAssembler;
}

const DEFAULT_MINIMUM_SPACING = 256;

/** What one value of a copied object or array is counted as, in characters (a pointer's worth). */
const SLOT_CHARS = 8;
/** The values of one item's meta. */
const ITEM_META_SLOTS = 6;

interface Checkpoint {
  count: number;
  state: AssemblyState;
}

/**
 * The record's response after any number of its first events (0 …
 * `eventCount`, every logged frame counted, `[DONE]` and frames that are not
 * events included), each event applied as the reader applied it. The replay
 * covers the events logged when it was made; the state after all of them is
 * the record's own as it was then (finished, if the record was).
 */
export class ResponseReplay {
  readonly eventCount: number;
  /**
   * The moment `countAt` and `msAt` count from (epoch ms): the request's start,
   * else its first byte (the start the command's timings count from, see
   * `computeTiming`), else the first event's receive time; undefined when none is known.
   */
  readonly startedAt: number | undefined;
  private readonly events: readonly LoggedEvent[];
  private readonly finished: boolean;
  private readonly minimumSpacing: number;
  /** By index, the warnings the reader gave the frames it did not apply: all the log keeps of why (a frame the end cut, a JSON line with no type). */
  private readonly frameWarnings = new Map<number, StreamWarning[]>();
  private readonly deltas = new DeltaEventReader();
  /** By count, the first at 0. */
  private readonly checkpoints: Checkpoint[];
  /** The state furthest into the log built so far: checkpoints are copied from it. */
  private readonly cursor: AssemblyState;
  private cursorCount = 0;
  private eventsSinceCheckpoint = 0;
  private charsSinceCheckpoint = 0;
  private lastCheckpointSize = 0;
  /** Each event's receive time less `startedAt`, made to never decrease; null when no event has one. */
  private offsets: Float64Array | null | undefined;

  constructor(record: ResponseRecord, options: ReplayOptions = {}) {
    this.events = record.events;
    this.eventCount = record.events.length;
    this.finished = record.isFinished;
    this.minimumSpacing = Math.max(1, options.minimumSpacing ?? DEFAULT_MINIMUM_SPACING);
    for (const warning of record.warnings) {
      const index = warning.eventIndex;
      if (index === undefined || index >= this.eventCount || !FRAME_WARNING_CODES.has(warning.code)) continue;
      const list = this.frameWarnings.get(index);
      if (list) list.push(warning);
      else this.frameWarnings.set(index, [warning]);
    }
    // A record with no events holds a whole Response (a non-streaming call), or nothing yet: that is its only state.
    const start = this.eventCount === 0 ? record.state.clone() : AssemblyState.start(record.protocol);
    this.checkpoints = [{ count: 0, state: start }];
    this.cursor = start.clone();
    this.startedAt = record.timing.startedAt ?? record.events.find((event) => event.receivedAt !== undefined)?.receivedAt;
  }

  /** How many copies of the state the replay holds. */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /**
   * The response after its first `count` events. A count below 0 or above
   * `eventCount` is taken as 0 or `eventCount` (the result's `count` says
   * which); one that is not a whole number is a RangeError.
   */
  at(count: number): ReplayedResponse {
    const target = this.clampCount(count);
    let state: AssemblyState;
    if (target >= this.cursorCount) {
      this.advanceCursor(target);
      state = this.cursor.clone();
    } else {
      const checkpoint = this.checkpointAtOrBefore(target);
      state = checkpoint.state.clone();
      for (let index = checkpoint.count; index < target; index++) this.applyLogged(state, index);
    }
    if (target === this.eventCount && this.finished) {
      state.finish(target - 1);
    }
    const { assembler } = state;
    return {
      count: target,
      response: assembler.response,
      // Built when asked for: another protocol's result is a copy of its SDK's object.
      get result() {
        return state.result;
      },
      status: assembler.response.status,
      terminal: assembler.terminal,
      warnings: assembler.warnings,
      itemMeta: assembler.itemMeta,
      assembler,
    };
  }

  /**
   * How many events had come `ms` milliseconds after `startedAt`; undefined
   * when no event has a receive time. An event logged without one counts as
   * come with the event before it.
   */
  countAt(ms: number): number | undefined {
    if (Number.isNaN(ms)) throw new RangeError('A replay is seeked to a number of milliseconds, not NaN.');
    const offsets = this.receiveOffsets();
    if (offsets === null) return undefined;
    // The offsets never decrease: the count is where `ms` would go after its equals.
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((offsets[middle] as number) <= ms) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** How many milliseconds after `startedAt` the first `count` events had all come (0 for none); undefined when no event has a receive time. */
  msAt(count: number): number | undefined {
    const target = this.clampCount(count);
    const offsets = this.receiveOffsets();
    if (offsets === null) return undefined;
    return target === 0 ? 0 : Math.max(0, offsets[target - 1] as number);
  }

  private clampCount(count: number): number {
    if (!Number.isInteger(count)) throw new RangeError(`A replay is seeked to a whole number of events, not ${count}.`);
    return Math.min(Math.max(count, 0), this.eventCount);
  }

  private advanceCursor(target: number): void {
    while (this.cursorCount < target) {
      const index = this.cursorCount++;
      this.applyLogged(this.cursor, index);
      this.eventsSinceCheckpoint++;
      this.charsSinceCheckpoint += (this.events[index] as LoggedEvent).data.length;
      if (this.eventsSinceCheckpoint >= this.minimumSpacing && this.charsSinceCheckpoint >= this.lastCheckpointSize) {
        const copy = this.cursor.clone();
        this.checkpoints.push({ count: this.cursorCount, state: copy });
        this.lastCheckpointSize = sizeOf(copy.assembler);
        this.eventsSinceCheckpoint = 0;
        this.charsSinceCheckpoint = 0;
      }
    }
  }

  private checkpointAtOrBefore(count: number): Checkpoint {
    let low = 0;
    let high = this.checkpoints.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.checkpoints[middle] as Checkpoint).count <= count) low = middle;
      else high = middle - 1;
    }
    return this.checkpoints[low] as Checkpoint;
  }

  /** Applies the logged frame at `index` as the reader did: an event read again under its logged type, or the reader's own warnings about a frame it did not apply. */
  private applyLogged(state: AssemblyState, index: number): void {
    const { assembler } = state;
    const logged = this.events[index] as LoggedEvent;
    // A frame the reader only logged (a WebSocket's frames of other kinds) was never applied.
    if (logged.logOnly) return;
    const warnings = this.frameWarnings.get(index);
    if (warnings) {
      for (const warning of warnings) assembler.warnAboutFrame(warning.code, warning.message, index);
      return;
    }
    const reading = readFrame(logged.data, logged.type, false, this.deltas);
    if (reading.kind === 'event') state.apply(reading.event, reading.type, index);
    // A translated stream closes at its end marker, as the reader closed it.
    else if (reading.kind === 'done') state.endTranslation(index);
    // Only an engine whose parser gave out this time and not the first gets here.
    else if (reading.kind === 'no-event') assembler.warnAboutFrame(reading.code, reading.message, index);
  }

  private receiveOffsets(): Float64Array | null {
    if (this.offsets !== undefined) return this.offsets;
    const origin = this.startedAt;
    if (origin === undefined || !this.events.some((event, index) => index < this.eventCount && event.receivedAt !== undefined)) {
      this.offsets = null;
      return null;
    }
    const offsets = new Float64Array(this.eventCount);
    let latest = -Infinity;
    for (let index = 0; index < this.eventCount; index++) {
      const receivedAt = (this.events[index] as LoggedEvent).receivedAt;
      if (receivedAt !== undefined && receivedAt - origin > latest) latest = receivedAt - origin;
      offsets[index] = latest;
    }
    this.offsets = offsets;
    return offsets;
  }
}

/** What a copy of the assembler holds, in characters: every string's, and a pointer's worth for each value besides. */
function sizeOf(assembler: ResponseAssembler): number {
  let size = (assembler.warnings.length + assembler.itemMeta.length * ITEM_META_SLOTS) * SLOT_CHARS + assembler.audioTranscript.length;
  for (const meta of assembler.itemMeta) size += meta?.partialImage?.b64.length ?? 0;
  const pending: object[] = [assembler.response];
  while (pending.length > 0) {
    const value = pending.pop() as object;
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    size += (children.length + 1) * SLOT_CHARS;
    for (const child of children) {
      if (typeof child === 'string') size += child.length;
      else if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return size;
}
