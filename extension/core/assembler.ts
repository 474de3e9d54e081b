import {
  isJsonObject,
  looksLikeResponseObject,
  numberField,
  stringField,
  type ContentPart,
  type JsonObject,
  type JsonValue,
  type OutputItem,
  type ResponseObject,
} from './response-types.ts';
import { asObject, describeItem, disagreements, emptyPartLike, placeholderItem } from './streamed-values.ts';
import { describeDifference, excerptOf, type StreamWarning, type WarningCode } from './warnings.ts';
import { STATUS_EVENTS, TERMINAL_EVENT_TYPES, isKnownEventType } from './stream-events.ts';

/** What the assembler knows of an output item beyond the API's own fields. */
export interface ItemMeta {
  /**
   * The item's `output_index` as the stream gave it. It is the item's position
   * in `output`, unless the stream left a gap before it: missing items are not
   * padded, so an item past a gap sits at the end of the output (with a warning).
   */
  outputIndex: number;
  /** The assembler's revision when this item last changed (for cheap re-render checks). */
  revision: number;
  /** The item was never announced (resumed stream, or a broken one): it may lack its beginning. */
  partial: boolean;
  /** The last progress event seen for a built-in tool ("searching", "interpreting", …). */
  progress?: string;
  /** The latest `image_generation_call.partial_image`, so a viewer can show it before the final image. */
  partialImage?: { b64: string; index: number; outputFormat?: string };
}

/** How far past the end of a list an index may point before it is refused as implausible. */
const MAX_INDEX_GAP = 1024;

/** A list index from an event: a whole number not far past the end of a list of `length` entries, or undefined. */
function indexField(event: JsonObject, key: string, length: number): number | undefined {
  const value = numberField(event, key);
  return value !== undefined && Number.isInteger(value) && value >= 0 && value <= length + MAX_INDEX_GAP ? value : undefined;
}

/** The type given to output entries that are not items. */
const UNKNOWN_ITEM_TYPE = 'unknown';

/**
 * Where the entries of a list with a gap sit. An event may name an index past
 * the end of a list (the output, a message's parts, a shell call's commands…):
 * nothing is padded, the entry goes at the end of the list, and this records
 * which position each index the events named is at. Memory and time stay in
 * proportion to the events, whatever indexes they name.
 */
interface SparseList {
  /** Declared index → position in the list. */
  positions: Map<number, number>;
  /** One past the highest index named: the list's length had it been padded. */
  declaredLength: number;
}

type Location = { holder: JsonObject | JsonValue[]; key: string | number };

/**
 * Where the last delta went, and what named that place: the next delta naming it the
 * same way, with nothing applied in between, goes to the same string.
 */
interface LastAppend {
  type: string;
  /** The assembler's revision after it; the next event's is one more if nothing came in between. */
  revision: number;
  itemId: JsonValue | undefined;
  outputIndex: JsonValue | undefined;
  contentIndex: JsonValue | undefined;
  summaryIndex: JsonValue | undefined;
  holder: Record<string | number, JsonValue | undefined>;
  key: string | number;
  position: number;
}

interface AppendFamily {
  itemType: string;
  /** The field of the `.done` event that carries the whole value. */
  doneField: string;
  locate(this: void, assembler: ResponseAssembler, item: OutputItem, event: JsonObject, position: number): Location | undefined;
}

/**
 * Applies Responses stream events, one at a time, to a Response in the API's
 * own shape. The state is mutated in place, so reading it after every event
 * costs nothing; `revision` and each item's `meta.revision` tell a viewer
 * what changed. Nothing here throws on bad input: problems become warnings.
 */
export class ResponseAssembler {
  response: ResponseObject = { output: [] };
  itemMeta: ItemMeta[] = [];
  warnings: StreamWarning[] = [];
  revision = 0;
  /** A terminal event (`response.completed`, `.incomplete`, `.failed`) has been applied. */
  terminal = false;
  sawCreated = false;
  /** Events were applied before any `response.created`: a stream resumed by `starting_after`. */
  resumed = false;
  eventCount = 0;
  audioTranscript = '';
  audioDeltaCount = 0;
  /** The type of the event being applied, for warnings (an event's own `type` may be missing or not a string). */
  eventType = '';
  private lastSequence: number | undefined;
  private currentSequence: number | undefined;
  private currentEventIndex: number | undefined;
  private readonly unknownTypesSeen = new Set<string>();
  /** Item id → position, for the output array `idsOf` names; built when first needed, then kept up to date. */
  private readonly idPositions = new Map<string, number>();
  private idsOf: OutputItem[] | undefined;
  /** The lists a stream left gaps in; undefined until one does (no cost for a sound stream). */
  private sparseLists: WeakMap<readonly unknown[], SparseList> | undefined;
  private lastAppend: LastAppend | undefined;

  /** Applies one parsed event. `eventIndex` is its position in the caller's event log. */
  apply(event: JsonObject, eventIndex?: number, type: string = typeof event.type === 'string' ? event.type : 'error'): void {
    this.currentSequence = numberField(event, 'sequence_number');
    this.currentEventIndex = eventIndex;
    this.eventType = type;
    if (this.eventCount === 0 && type !== 'response.created') this.resumed = true;
    this.eventCount++;
    this.revision++;
    this.checkSequence();
    const handler = HANDLERS[type];
    if (handler) {
      try {
        if (!this.appendAgain(event, type)) handler(this, event);
      } catch (error) {
        // Bad input is a warning, never an exception: the rest of the stream still assembles.
        this.warn('malformed_event', `${type} could not be applied: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (!isKnownEventType(type) && !this.unknownTypesSeen.has(type)) {
      this.unknownTypesSeen.add(type);
      this.warn('unknown_event', `Unknown event type "${type}": kept in the log, not applied.`);
    }
  }

  /**
   * Ends a response read from another protocol (see `protocols.ts`): its closing fields (status, usage, error…) go
   * on the response; the output its translated events built stays.
   */
  closeWith(fields: Record<string, JsonValue | undefined>): void {
    for (const [key, value] of Object.entries(fields)) if (key !== 'output' && value !== undefined) this.response[key] = value;
    this.terminal = true;
    this.revision++;
  }

  /** The stream has ended (cleanly or not). */
  finish(): void {
    if (!this.terminal && this.eventCount > 0) {
      this.currentSequence = undefined;
      this.currentEventIndex = undefined;
      this.warn(
        'no_terminal_event',
        `The stream ended without a terminal event; status stays "${excerptOf(this.response.status ?? 'unknown')}".`,
      );
    }
  }

  /**
   * An independent copy: events applied to either leave the other as it was.
   * Strings are immutable and shared, so a copy costs the state's objects and
   * arrays, not its characters; warnings, never changed once made, are shared
   * too. The state is a tree (JSON.parse shares nothing, and no value is put in
   * two places), copied without recursion: values may nest arbitrarily deep.
   */
  clone(): ResponseAssembler {
    const copy = new ResponseAssembler();
    const sparseLists = this.sparseLists;
    // Only the last event's append is ever repeated by `appendAgain`: an older one is dropped, as it would go unused.
    const lastAppend = this.lastAppend?.revision === this.revision ? this.lastAppend : undefined;
    let holderCopy: JsonObject | JsonValue[] | undefined;
    copy.response = copyTree(this.response, (original, duplicate) => {
      if (original === lastAppend?.holder) holderCopy = duplicate as JsonObject;
      const sparse = Array.isArray(original) ? sparseLists?.get(original) : undefined;
      if (sparse) (copy.sparseLists ??= new WeakMap()).set(duplicate as unknown[], { positions: new Map(sparse.positions), declaredLength: sparse.declaredLength });
    });
    copy.itemMeta = this.itemMeta.map((meta) => ({ ...meta }));
    copy.warnings = this.warnings.slice();
    copy.revision = this.revision;
    copy.terminal = this.terminal;
    copy.sawCreated = this.sawCreated;
    copy.resumed = this.resumed;
    copy.eventCount = this.eventCount;
    copy.audioTranscript = this.audioTranscript;
    copy.audioDeltaCount = this.audioDeltaCount;
    copy.eventType = this.eventType;
    copy.lastSequence = this.lastSequence;
    copy.currentSequence = this.currentSequence;
    copy.currentEventIndex = this.currentEventIndex;
    for (const type of this.unknownTypesSeen) copy.unknownTypesSeen.add(type);
    // Positions by id kept for an earlier output are rebuilt when next needed, as they would be here.
    if (this.idsOf !== undefined && this.idsOf === this.response.output) {
      copy.idsOf = copy.response.output;
      for (const [id, position] of this.idPositions) copy.idPositions.set(id, position);
    }
    if (lastAppend && holderCopy) copy.lastAppend = { ...lastAppend, holder: holderCopy as LastAppend['holder'] };
    return copy;
  }

  /** Output entries that are not items become unknown items, so no reader trips over them. */
  private sanitizeOutput(response: ResponseObject, source: string): void {
    if (response.output.every((item) => isJsonObject(item) && typeof item.type === 'string')) return;
    this.warn('malformed_event', `${source} has output entries that are not items; they are shown as unknown items.`);
    response.output = response.output.map((item) => (isJsonObject(item) && typeof item.type === 'string' ? item : placeholderItem(UNKNOWN_ITEM_TYPE, undefined)));
  }

  /** Takes a whole Response object (a non-streaming body) as final. */
  adoptFinalResponse(response: ResponseObject): void {
    this.sanitizeOutput(response, 'The response');
    this.response = response;
    this.itemMeta = response.output.map((_item, index) => ({ outputIndex: index, revision: this.revision, partial: false }));
    this.terminal = true;
    this.revision++;
  }

  /** Records a warning about the event being applied. */
  warn(code: WarningCode, message: string): void {
    const warning: StreamWarning = { code, message };
    if (this.currentSequence !== undefined) warning.sequence_number = this.currentSequence;
    if (this.currentEventIndex !== undefined) warning.eventIndex = this.currentEventIndex;
    this.warnings.push(warning);
  }

  /** Records a warning about a frame that never became an event (not JSON, no type…). */
  warnAboutFrame(code: WarningCode, message: string, eventIndex: number): void {
    this.warnings.push({ code, message, eventIndex });
  }

  // ── list indexes ───────────────────────────────────────────────────────

  /** The position in `list` of the entry at `index`, if there is one. */
  positionIn(list: readonly unknown[], index: number): number | undefined {
    const sparse = this.sparseLists?.get(list);
    if (sparse) return sparse.positions.get(index);
    return index < list.length ? index : undefined;
  }

  /** One past the highest index of `list`: its length, had the gaps the events left been padded. */
  declaredLength(list: readonly unknown[]): number {
    return this.sparseLists?.get(list)?.declaredLength ?? list.length;
  }

  /** Puts `entry` at `index` of `list`: in its place, or at the end past a gap. Returns its position. */
  private putAt<T>(list: T[], index: number, entry: T): number {
    const at = this.positionIn(list, index);
    if (at !== undefined) {
      list[at] = entry;
      return at;
    }
    let sparse = this.sparseLists?.get(list);
    if (!sparse) {
      if (index === list.length) return list.push(entry) - 1;
      sparse = { positions: new Map(), declaredLength: list.length };
      for (let position = 0; position < list.length; position++) sparse.positions.set(position, position);
      (this.sparseLists ??= new WeakMap()).set(list, sparse);
    }
    sparse.positions.set(index, list.length);
    if (index >= sparse.declaredLength) sparse.declaredLength = index + 1;
    return list.push(entry) - 1;
  }

  private checkSequence(): void {
    const sequence = this.currentSequence;
    if (sequence === undefined) return;
    const last = this.lastSequence;
    if (last !== undefined) {
      if (sequence === last) this.warn('sequence_duplicate', `sequence_number ${sequence} repeated.`);
      else if (sequence < last) this.warn('sequence_backwards', `sequence_number went back from ${last} to ${sequence}.`);
      else if (sequence > last + 1) this.warn('sequence_gap', `sequence_number jumped from ${last} to ${sequence}: ${sequence - last - 1} event(s) missing.`);
    }
    this.lastSequence = last === undefined ? sequence : Math.max(last, sequence);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────

  applyLifecycle(event: JsonObject, type: string): void {
    const snapshot = event.response;
    const isTerminal = TERMINAL_EVENT_TYPES.has(type);
    if (type === 'response.created') this.sawCreated = true;
    if (looksLikeResponseObject(snapshot)) this.sanitizeOutput(snapshot, type);
    if (!looksLikeResponseObject(snapshot)) {
      this.warn('malformed_event', `${type} carries no response object.`);
      if (isTerminal) {
        this.terminal = true;
        this.response.status = type.slice('response.'.length);
      }
      return;
    }
    if (!isTerminal) {
      if (snapshot.output.length < this.response.output.length) snapshot.output = this.response.output;
      else this.resetMeta(snapshot.output.length);
      this.response = snapshot;
      return;
    }
    if (this.terminal) this.warn('events_after_end', `${type} after the response had already ended.`);
    if (type !== 'response.failed') this.compareWithFinal(snapshot);
    if (snapshot.output.length === 0 && this.response.output.length > 0) {
      this.warn('snapshot_mismatch', `${type} has no output; keeping the ${this.response.output.length} item(s) built from the stream.`);
      snapshot.output = this.response.output;
    } else {
      this.resetMeta(snapshot.output.length);
    }
    this.response = snapshot;
    this.terminal = true;
  }

  /** Meta for a snapshot's `length` items, each keeping what was known of the built item at its index. */
  private resetMeta(length: number): void {
    const previous = this.itemMeta;
    const built = this.response.output;
    this.itemMeta = [];
    for (let index = 0; index < length; index++) {
      const position = this.positionIn(built, index);
      const kept = position === undefined ? undefined : previous[position];
      this.itemMeta.push(kept ? { ...kept, outputIndex: index, partial: false, revision: this.revision } : { outputIndex: index, revision: this.revision, partial: false });
    }
  }

  private compareWithFinal(final: ResponseObject): void {
    const built = this.response.output;
    let announced = 0;
    built.forEach((item, position) => {
      const meta = this.itemMeta[position];
      const index = meta?.outputIndex ?? position;
      if (index < final.output.length) announced++;
      if (meta?.partial) return;
      const finalItem = final.output[index];
      if (!finalItem) {
        if (final.output.length > 0) this.warn('snapshot_mismatch', `The final response lacks ${describeItem(item, index)}, which the stream built.`);
        return;
      }
      if (finalItem.type !== item.type) {
        this.warn('snapshot_mismatch', `${describeItem(item, index)} is a ${excerptOf(finalItem.type)} in the final response.`);
        return;
      }
      for (const difference of disagreements(item, finalItem)) {
        this.warn(
          'snapshot_mismatch',
          `The final response disagrees with the deltas at ${describeItem(item, index)}.${difference.path}: ${describeDifference(difference.built, difference.final)}.`,
        );
      }
    });
    if (this.sawCreated && final.output.length > announced && built.length > 0) {
      this.warn('snapshot_mismatch', `The final response has ${final.output.length - announced} output item(s) the stream never announced.`);
    }
  }

  // ── items ──────────────────────────────────────────────────────────────

  applyOutputItem(event: JsonObject, done: boolean): void {
    const item = event.item;
    const output = this.response.output;
    const length = this.declaredLength(output);
    const outputIndex = indexField(event, 'output_index', length);
    if (!isJsonObject(item) || typeof item.type !== 'string' || outputIndex === undefined) {
      this.warn('malformed_event', `${this.eventType} lacks an item or output_index.`);
      return;
    }
    const newItem = item as OutputItem;
    const position = this.positionIn(output, outputIndex);
    if (!done) {
      if (this.resumed) {
        // A resumed stream starts after earlier items: their indexes are simply unknown.
      } else if (position !== undefined) {
        this.warn('unknown_index', `output_item.added at output_index ${outputIndex}, which already holds ${describeItem(output[position] as OutputItem, outputIndex)}.`);
      } else if (outputIndex > length) {
        this.warn('unknown_index', `output_item.added at output_index ${outputIndex}, but the output has ${length} item(s).`);
      } else if (outputIndex < length) {
        this.warn('unknown_index', `output_item.added at output_index ${outputIndex}, after items at later indexes.`);
      }
      this.placeItem(outputIndex, newItem, false);
      return;
    }
    const existing = position === undefined ? undefined : output[position];
    const meta = position === undefined ? undefined : this.itemMeta[position];
    if (position === undefined || !existing) {
      if (!this.resumed) this.warn('unknown_item', `output_item.done for output_index ${outputIndex}, which was never added.`);
      this.placeItem(outputIndex, newItem, false);
      return;
    }
    if (meta?.partial) {
      // An item whose beginning this stream never showed: the server's item is all there is to know.
    } else if (existing.type !== newItem.type || (existing.id !== undefined && newItem.id !== undefined && existing.id !== newItem.id)) {
      this.warn('item_type_mismatch', `output_item.done replaces ${describeItem(existing, outputIndex)} with ${describeItem(newItem, outputIndex)}.`);
    } else {
      for (const difference of disagreements(existing, newItem)) {
        this.warn('done_mismatch', `output_item.done disagrees with the deltas at ${describeItem(existing, outputIndex)}.${difference.path}: ${describeDifference(difference.built, difference.final)}.`);
      }
    }
    output[position] = newItem;
    this.noteId(newItem, position);
    if (meta) {
      meta.partial = false;
      meta.revision = this.revision;
    }
  }

  /** Puts an item at `outputIndex` (at the end of the output past a gap); returns its position. */
  private placeItem(outputIndex: number, item: OutputItem, partial: boolean): number {
    const position = this.putAt(this.response.output, outputIndex, item);
    this.itemMeta[position] = { outputIndex, revision: this.revision, partial };
    this.noteId(item, position);
    return position;
  }

  /**
   * The position of the item with this id (the one placed last, if a broken
   * stream gave several the same id). A map, not a scan: a stream of events
   * naming unknown ids must not cost the output's length each.
   */
  private positionOfId(id: string): number | undefined {
    const output = this.response.output;
    if (this.idsOf !== output) {
      this.idsOf = output;
      this.idPositions.clear();
      output.forEach((item, position) => this.noteId(item, position));
    }
    const position = this.idPositions.get(id);
    return position !== undefined && output[position]?.id === id ? position : undefined;
  }

  private noteId(item: OutputItem, position: number): void {
    if (this.idsOf === this.response.output && typeof item.id === 'string') this.idPositions.set(item.id, position);
  }

  /** `output[position]` for a warning, named by the index the stream gave it. */
  describeAt(position: number): string {
    return describeItem(this.response.output[position] as OutputItem, this.itemMeta[position]?.outputIndex ?? position);
  }

  /**
   * The item an item-scoped event is about, and its position in the output.
   * Events name it by `output_index` and `item_id`; an item missing from the
   * state is created so that nothing streamed is lost (a resumed stream
   * starts mid-item), with a warning unless the stream was resumed.
   */
  itemFor(event: JsonObject, itemType: string): { item: OutputItem; position: number } | undefined {
    const output = this.response.output;
    const itemId = stringField(event, 'item_id');
    let outputIndex = indexField(event, 'output_index', this.declaredLength(output));
    let position = outputIndex === undefined ? undefined : this.positionIn(output, outputIndex);
    let item = position === undefined ? undefined : output[position];
    if (itemId !== undefined && (item === undefined || (item.id !== undefined && item.id !== itemId))) {
      const byId = this.positionOfId(itemId);
      if (byId !== undefined) {
        if (item !== undefined) this.warn('unknown_item', `${this.eventType} names item ${itemId} at output_index ${outputIndex}, where ${describeItem(item, outputIndex as number)} is; applied to ${this.describeAt(byId)}.`);
        position = byId;
        item = output[byId];
      } else if (item !== undefined) {
        this.warn('unknown_item', `${this.eventType} names item ${itemId}, which does not exist (output_index ${outputIndex} holds ${describeItem(item, outputIndex as number)}).`);
        return undefined;
      }
    }
    if (item === undefined || position === undefined) {
      outputIndex ??= this.declaredLength(output);
      if (!this.resumed) {
        this.warn('unknown_item', `${this.eventType} for ${itemId ?? `output_index ${outputIndex}`}, which was never added.`);
      }
      const placeholder = placeholderItem(itemType, itemId);
      return { item: placeholder, position: this.placeItem(outputIndex, placeholder, true) };
    }
    if (item.type !== itemType) {
      this.warn('item_type_mismatch', `${this.eventType} targets ${this.describeAt(position)}, expected a ${itemType}.`);
      return undefined;
    }
    this.touch(position);
    return { item, position };
  }

  touch(position: number): void {
    const meta = this.itemMeta[position];
    if (meta) meta.revision = this.revision;
  }

  isPartial(position: number): boolean {
    return this.itemMeta[position]?.partial ?? true;
  }

  /** `item[listKey][index]`, created if missing (with a warning when the item is not partial). */
  partAt(item: OutputItem, position: number, listKey: 'content' | 'summary', index: number | undefined, partType: string, eventType: string): ContentPart | undefined {
    const current = item[listKey];
    if (index === undefined || !Number.isInteger(index) || index < 0 || index > (Array.isArray(current) ? this.declaredLength(current) : 0) + MAX_INDEX_GAP) {
      this.warn('malformed_event', `${eventType} lacks a usable ${listKey === 'summary' ? 'summary_index' : 'content_index'}.`);
      return undefined;
    }
    let list = item[listKey];
    if (!Array.isArray(list)) {
      list = [];
      item[listKey] = list;
    }
    const parts = list as ContentPart[];
    const at = this.positionIn(parts, index);
    const existing = at === undefined ? undefined : parts[at];
    if (isJsonObject(existing)) return existing as ContentPart;
    if (!this.isPartial(position)) {
      this.warn('unknown_index', `${eventType} for ${listKey}[${index}] of ${this.describeAt(position)}, which has ${this.declaredLength(parts)} part(s).`);
    }
    const part = emptyPartLike(partType);
    this.putAt(parts, index, part);
    return part;
  }

  applyPartAdded(event: JsonObject, done: boolean, summary: boolean): void {
    const part = event.part;
    const eventType = this.eventType;
    if (!isJsonObject(part) || typeof part.type !== 'string') {
      this.warn('malformed_event', `${eventType} lacks its part.`);
      return;
    }
    const isReasoning = summary || part.type === 'reasoning_text';
    const target = this.itemFor(event, isReasoning ? 'reasoning' : 'message');
    if (!target) return;
    const listKey = summary ? 'summary' : 'content';
    const existingList = target.item[summary ? 'summary' : 'content'];
    const index = indexField(event, summary ? 'summary_index' : 'content_index', Array.isArray(existingList) ? this.declaredLength(existingList) : 0);
    if (index === undefined) {
      this.warn('malformed_event', `${eventType} lacks its ${summary ? 'summary_index' : 'content_index'}.`);
      return;
    }
    let list = target.item[listKey];
    if (!Array.isArray(list)) {
      list = [];
      target.item[listKey] = list;
    }
    const parts = list as ContentPart[];
    const newPart = part as ContentPart;
    const at = this.positionIn(parts, index);
    if (done) {
      const existing = at === undefined ? undefined : parts[at];
      if (!isJsonObject(existing)) {
        if (!this.isPartial(target.position)) this.warn('unknown_index', `${eventType} for ${listKey}[${index}] of ${this.describeAt(target.position)}, which was never added.`);
      } else if (!this.isPartial(target.position)) {
        for (const field of ['text', 'refusal'] as const) {
          const built = existing[field];
          const final = newPart[field];
          if (typeof built === 'string' && built !== '' && built !== final) {
            this.warn('done_mismatch', `${eventType} disagrees with the deltas at ${this.describeAt(target.position)}.${listKey}[${index}].${field}: ${describeDifference(built, typeof final === 'string' ? final : '')}.`);
          }
        }
      }
    } else if (index !== this.declaredLength(parts) && !this.isPartial(target.position)) {
      this.warn('unknown_index', `${eventType} at ${listKey}[${index}] of ${this.describeAt(target.position)}, which has ${this.declaredLength(parts)} part(s).`);
    }
    this.putAt(parts, index, newPart);
  }

  applyAppend(event: JsonObject, family: AppendFamily): void {
    const warnings = this.warnings.length;
    const items = this.response.output.length;
    const target = this.itemFor(event, family.itemType);
    if (!target) return;
    const location = family.locate(this, target.item, event, target.position);
    if (!location) return;
    const delta = event.delta;
    if (typeof delta !== 'string') {
      this.warn('malformed_event', `${this.eventType} has no string delta.`);
      return;
    }
    const holder = location.holder as Record<string | number, JsonValue | undefined>;
    const current = holder[location.key];
    holder[location.key] = typeof current === 'string' ? current + delta : delta;
    // An item made for this delta (a resumed stream's) may not be found again by what named it: the next one makes its own.
    if (this.warnings.length !== warnings || this.response.output.length !== items) return;
    this.lastAppend = {
      type: this.eventType,
      revision: this.revision,
      itemId: event.item_id,
      outputIndex: event.output_index,
      contentIndex: event.content_index,
      summaryIndex: event.summary_index,
      holder,
      key: location.key,
      position: target.position,
    };
  }

  /**
   * A delta to where the previous event, a delta too, went: appended without
   * finding the item and part again (most events are such deltas). The same
   * type, ids and indexes, and no other event since, lead `applyAppend` to
   * the same string; anything else is left to it.
   */
  private appendAgain(event: JsonObject, type: string): boolean {
    const last = this.lastAppend;
    if (last === undefined || last.revision + 1 !== this.revision || last.type !== type) return false;
    const delta = event.delta;
    if (
      typeof delta !== 'string' ||
      event.item_id !== last.itemId ||
      event.output_index !== last.outputIndex ||
      event.content_index !== last.contentIndex ||
      event.summary_index !== last.summaryIndex
    ) {
      return false;
    }
    const current = last.holder[last.key];
    if (typeof current !== 'string') return false;
    last.holder[last.key] = current + delta;
    this.touch(last.position);
    last.revision = this.revision;
    return true;
  }

  applyDone(event: JsonObject, family: AppendFamily): void {
    const target = this.itemFor(event, family.itemType);
    if (!target) return;
    const location = family.locate(this, target.item, event, target.position);
    if (!location) return;
    const final = event[family.doneField];
    if (typeof final !== 'string') {
      this.warn('malformed_event', `${this.eventType} has no ${family.doneField}.`);
      return;
    }
    const holder = location.holder as Record<string | number, JsonValue | undefined>;
    const built = holder[location.key];
    if (typeof built === 'string' && built !== '' && built !== final && !this.isPartial(target.position)) {
      this.warn('done_mismatch', `${this.eventType} disagrees with the deltas at ${this.describeAt(target.position)}: ${describeDifference(built, final)}.`);
    }
    holder[location.key] = final;
    if (event.type === 'response.output_text.done' && Array.isArray(event.logprobs) && !Array.isArray(holder.logprobs)) {
      holder.logprobs = event.logprobs;
    }
  }

  applyAnnotation(event: JsonObject): void {
    const target = this.itemFor(event, 'message');
    if (!target) return;
    const part = this.partAt(target.item, target.position, 'content', numberField(event, 'content_index'), 'output_text', this.eventType);
    const annotation = event.annotation;
    const index = indexField(event, 'annotation_index', Array.isArray(part?.annotations) ? this.declaredLength(part.annotations) : 0);
    if (!part || !isJsonObject(annotation)) {
      if (part) this.warn('malformed_event', `${this.eventType} has no annotation.`);
      return;
    }
    let annotations = part.annotations;
    if (!Array.isArray(annotations)) {
      annotations = [];
      part.annotations = annotations;
    }
    const length = this.declaredLength(annotations);
    const at = index ?? length;
    if (at > length && !this.isPartial(target.position)) {
      this.warn('unknown_index', `annotation_index ${at} skips past the ${length} annotation(s) of ${this.describeAt(target.position)}.`);
    }
    this.putAt(annotations, at, annotation as never);
  }

  applyStatus(event: JsonObject, itemType: string, status: string): void {
    const target = this.itemFor(event, itemType);
    if (!target) return;
    const meta = this.itemMeta[target.position];
    if (meta) meta.progress = status;
    // mcp_list_tools items carry no status field in the API.
    if (itemType !== 'mcp_list_tools') target.item.status = status;
  }

  applyPartialImage(event: JsonObject): void {
    const target = this.itemFor(event, 'image_generation_call');
    if (!target) return;
    const meta = this.itemMeta[target.position];
    const b64 = stringField(event, 'partial_image_b64');
    if (!meta || b64 === undefined) return;
    const image: ItemMeta['partialImage'] = { b64, index: numberField(event, 'partial_image_index') ?? 0 };
    const format = stringField(event, 'output_format');
    if (format !== undefined) image.outputFormat = format;
    meta.partialImage = image;
    meta.progress = 'partial_image';
  }

  applyShellCommand(event: JsonObject, kind: 'added' | 'delta' | 'done'): void {
    // Shell command events carry no item_id: the output_index alone names the item.
    const target = this.itemFor(event, 'shell_call');
    if (!target) return;
    let action = asObject(target.item.action);
    const known = action && Array.isArray(action.commands) ? this.declaredLength(action.commands) : 0;
    const commandIndex = indexField(event, 'command_index', known);
    if (commandIndex === undefined) {
      this.warn('malformed_event', `${this.eventType} lacks a usable command_index.`);
      return;
    }
    if (!action) {
      action = {};
      target.item.action = action;
    }
    let commands = action.commands;
    if (!Array.isArray(commands)) {
      commands = [];
      action.commands = commands;
    }
    const at = this.positionIn(commands, commandIndex);
    const current = at === undefined ? undefined : commands[at];
    if (kind !== 'added' && typeof current !== 'string' && !this.isPartial(target.position)) {
      this.warn('unknown_index', `${this.eventType} for command ${commandIndex} of ${this.describeAt(target.position)}, which was never added.`);
    }
    if (kind === 'delta') {
      const delta = stringField(event, 'delta') ?? '';
      this.putAt(commands, commandIndex, (typeof current === 'string' ? current : '') + delta);
      return;
    }
    const command = stringField(event, 'command') ?? '';
    if (kind === 'done' && typeof current === 'string' && current !== '' && current !== command && !this.isPartial(target.position)) {
      this.warn('done_mismatch', `${this.eventType} disagrees with the deltas at ${this.describeAt(target.position)}.action.commands[${commandIndex}]: ${describeDifference(current, command)}.`);
    }
    this.putAt(commands, commandIndex, command);
  }

  applyShellOutput(event: JsonObject, done: boolean): void {
    const target = this.itemFor(event, 'shell_call_output');
    if (!target) return;
    const commandIndex = indexField(event, 'command_index', Array.isArray(target.item.output) ? this.declaredLength(target.item.output) : 0);
    if (commandIndex === undefined) {
      this.warn('malformed_event', `${this.eventType} lacks a usable command_index.`);
      return;
    }
    let entries = target.item.output;
    if (!Array.isArray(entries)) {
      entries = [];
      target.item.output = entries;
    }
    const at = this.positionIn(entries, commandIndex);
    const entry = at === undefined ? { stdout: '', stderr: '' } : (asObject(entries[at]) ?? {});
    this.putAt(entries, commandIndex, entry);
    if (!done) {
      const delta = asObject(event.delta);
      if (!delta) return;
      const stdout = stringField(delta, 'stdout');
      const stderr = stringField(delta, 'stderr');
      if (stdout) entry.stdout = (stringField(entry, 'stdout') ?? '') + stdout;
      if (stderr) entry.stderr = (stringField(entry, 'stderr') ?? '') + stderr;
      return;
    }
    const finalList = event.output;
    const final = Array.isArray(finalList) ? asObject(finalList[0]) : undefined;
    if (!final) {
      this.warn('malformed_event', `${this.eventType} has no output.`);
      return;
    }
    if (!this.isPartial(target.position)) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const built = stringField(entry, stream) ?? '';
        const finalValue = stringField(final, stream) ?? '';
        if (built !== '' && built !== finalValue) {
          this.warn('done_mismatch', `${this.eventType} disagrees with the deltas at ${this.describeAt(target.position)}.output[${commandIndex}].${stream}: ${describeDifference(built, finalValue)}.`);
        }
      }
    }
    this.putAt(entries, commandIndex, final);
  }

  applyError(event: JsonObject): void {
    const nested = asObject(event.error);
    const source = nested ?? event;
    const code = stringField(source, 'code');
    const message = stringField(source, 'message') ?? 'no message';
    this.warn('error_event', `Server error${code ? ` ${code}` : ''}: ${message}`);
    if (!this.terminal) {
      this.response.status = 'failed';
      const error: JsonObject = { message };
      if (code !== undefined) error.code = code;
      const errorType = stringField(source, 'type');
      if (errorType !== undefined && errorType !== 'error') error.type = errorType;
      this.response.error = error;
    }
  }
}

/**
 * A deep copy of a JSON value, made with a stack rather than recursion;
 * `copied` sees each object and array with its copy. Own keys are copied as
 * data properties (`__proto__` included) in their order.
 */
function copyTree<T>(root: T, copied: (original: object, copy: object) => void): T {
  if (typeof root !== 'object' || root === null) return root;
  const originals: object[] = [root];
  const copies: object[] = [shallowCopy(root)];
  const rootCopy = copies[0] as T;
  while (originals.length > 0) {
    const original = originals.pop() as Record<string, unknown>;
    const copy = copies.pop() as Record<string, unknown>;
    copied(original, copy);
    if (Array.isArray(original)) {
      for (let index = 0; index < original.length; index++) {
        const value: unknown = original[index];
        if (typeof value === 'object' && value !== null) {
          const child = shallowCopy(value);
          (copy as unknown as unknown[])[index] = child;
          originals.push(value);
          copies.push(child);
        }
      }
    } else {
      for (const key of Object.keys(original)) {
        const value = original[key];
        if (typeof value === 'object' && value !== null) {
          // The copy has this key as an own data property already, so even `__proto__` is set as data here.
          const child = shallowCopy(value);
          copy[key] = child;
          originals.push(value);
          copies.push(child);
        }
      }
    }
  }
  return rootCopy;
}

/** An array's slice, an object's spread: own keys as data properties, a `__proto__` key among them. */
/**
 * A deep copy of a JSON value, without recursion (values may nest arbitrarily deep); a list's holes stay holes and
 * an own `__proto__` key stays a key, as with slice and spread.
 */
export function copyJson<T>(root: T): T {
  return copyTree(root, () => undefined);
}

function shallowCopy(value: object): object {
  return Array.isArray(value) ? value.slice() : { ...value };
}

function partLocator(listKey: 'content' | 'summary', indexField: string, partType: string, key: 'text' | 'refusal'): AppendFamily['locate'] {
  return (assembler, item, event, position) => {
    const part = assembler.partAt(item, position, listKey, numberField(event, indexField), partType, assembler.eventType);
    return part ? { holder: part, key } : undefined;
  };
}

const fieldLocator = (key: string): AppendFamily['locate'] => (_assembler, item) => ({ holder: item, key });

const APPEND_FAMILIES: Record<string, AppendFamily> = {
  'response.output_text': { itemType: 'message', doneField: 'text', locate: partLocator('content', 'content_index', 'output_text', 'text') },
  'response.refusal': { itemType: 'message', doneField: 'refusal', locate: partLocator('content', 'content_index', 'refusal', 'refusal') },
  'response.reasoning_summary_text': { itemType: 'reasoning', doneField: 'text', locate: partLocator('summary', 'summary_index', 'summary_text', 'text') },
  'response.reasoning_text': { itemType: 'reasoning', doneField: 'text', locate: partLocator('content', 'content_index', 'reasoning_text', 'text') },
  'response.function_call_arguments': { itemType: 'function_call', doneField: 'arguments', locate: fieldLocator('arguments') },
  'response.custom_tool_call_input': { itemType: 'custom_tool_call', doneField: 'input', locate: fieldLocator('input') },
  'response.mcp_call_arguments': { itemType: 'mcp_call', doneField: 'arguments', locate: fieldLocator('arguments') },
  'response.code_interpreter_call_code': { itemType: 'code_interpreter_call', doneField: 'code', locate: fieldLocator('code') },
  'response.apply_patch_call_operation_diff': {
    itemType: 'apply_patch_call',
    doneField: 'diff',
    locate: (_assembler, item) => {
      let operation = asObject(item.operation);
      if (!operation) {
        operation = {};
        item.operation = operation;
      }
      return { holder: operation, key: 'diff' };
    },
  },
};

type Handler = (assembler: ResponseAssembler, event: JsonObject) => void;

const HANDLERS: Record<string, Handler> = Object.create(null) as Record<string, Handler>;
for (const type of ['response.created', 'response.queued', 'response.in_progress', ...TERMINAL_EVENT_TYPES]) {
  HANDLERS[type] = (assembler, event) => assembler.applyLifecycle(event, type);
}
for (const [prefix, family] of Object.entries(APPEND_FAMILIES)) {
  HANDLERS[`${prefix}.delta`] = (assembler, event) => assembler.applyAppend(event, family);
  HANDLERS[`${prefix}.done`] = (assembler, event) => assembler.applyDone(event, family);
}
for (const [type, [itemType, status]] of Object.entries(STATUS_EVENTS)) {
  HANDLERS[type] = (assembler, event) => assembler.applyStatus(event, itemType, status);
}
Object.assign(HANDLERS, {
  'response.output_item.added': (assembler, event) => assembler.applyOutputItem(event, false),
  'response.output_item.done': (assembler, event) => assembler.applyOutputItem(event, true),
  'response.content_part.added': (assembler, event) => assembler.applyPartAdded(event, false, false),
  'response.content_part.done': (assembler, event) => assembler.applyPartAdded(event, true, false),
  'response.reasoning_summary_part.added': (assembler, event) => assembler.applyPartAdded(event, false, true),
  'response.reasoning_summary_part.done': (assembler, event) => assembler.applyPartAdded(event, true, true),
  'response.output_text.annotation.added': (assembler, event) => assembler.applyAnnotation(event),
  'response.image_generation_call.partial_image': (assembler, event) => assembler.applyPartialImage(event),
  'response.shell_call_command.added': (assembler, event) => assembler.applyShellCommand(event, 'added'),
  'response.shell_call_command.delta': (assembler, event) => assembler.applyShellCommand(event, 'delta'),
  'response.shell_call_command.done': (assembler, event) => assembler.applyShellCommand(event, 'done'),
  'response.shell_call_output_content.delta': (assembler, event) => assembler.applyShellOutput(event, false),
  'response.shell_call_output_content.done': (assembler, event) => assembler.applyShellOutput(event, true),
  'response.audio.delta': (assembler) => {
    assembler.audioDeltaCount++;
  },
  'response.audio.transcript.delta': (assembler, event) => {
    assembler.audioTranscript += stringField(event, 'delta') ?? '';
  },
  'response.audio.transcript.done': (assembler, event) => {
    const transcript = stringField(event, 'transcript');
    if (transcript !== undefined) assembler.audioTranscript = transcript;
  },
  error: (assembler, event) => assembler.applyError(event),
} satisfies Record<string, Handler>);
