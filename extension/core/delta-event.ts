/**
 * A quick reading of delta events, the frames most of a stream is made of.
 *
 * `JSON.parse` of every delta frame is most of what reading a stream costs,
 * yet a delta is a flat object of a few known keys, and a run of deltas
 * differs from frame to frame only in a few values (the text, the sequence
 * number, the obfuscation padding). `DeltaEventReader` reads such objects as
 * servers write them (no whitespace, `type` first) and gives up on anything
 * else, leaving it to `JSON.parse`. What it returns is what `JSON.parse`
 * returns for the same text: the same keys in the same order, the same values.
 *
 * Two ways of reading, both exact:
 * - a scan of the object, for a delta whose layout is new;
 * - a match against the layout of the last delta scanned: its text between
 *   the values that vary is compared as a whole, and only those values are
 *   read. The text compared is the same, so the rest of the object is too.
 *
 * A match returns the same object as the read before it, with the varying
 * values changed: a new object per delta would cost as much as the rest of
 * the match. The event is for applying at once, not for keeping.
 */
import type { JsonObject, JsonValue } from './response-types.ts';
import { DELTA_FAMILIES } from './stream-events.ts';

const PREFIX = '{"type":"response.';
/** Where the type's text starts: after `{"type":"`. */
const TYPE_START = 9;

/**
 * The delta types read here, each mapped to a copy of its name that the engine
 * has interned (object keys are), so that later lookups by type need not hash it.
 */
const DELTA_TYPES = new Map<string, string>(
  Object.keys(Object.fromEntries(DELTA_FAMILIES.map((family) => [`${family}.delta`, true]))).map((type) => [type, type]),
);

const QUOTE = 34;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;

/** Up to this many digits a number's value is exact when read digit by digit. */
const MAX_DIGITS = 15;

/**
 * The keys a delta may have besides `type`, each with its own bit: a key seen
 * twice means JSON.parse's "the last one wins", which is left to JSON.parse.
 */
const KEYS = new Map<string, { key: string; bit: number }>(
  ['sequence_number', 'item_id', 'output_index', 'content_index', 'summary_index', 'delta', 'logprobs', 'obfuscation'].map((key, index) => [key, { key, bit: 1 << index }]),
);

/** The keys whose values change from one delta to the next of the same item. */
const VARYING_KEYS: ReadonlySet<string> = new Set(['sequence_number', 'delta', 'obfuscation']);

const enum Kind {
  String,
  Number,
  EmptyArray,
}

/** One member of a scanned delta; its value's text is `data.slice(start, end)` (quotes included for a string). */
interface Member {
  key: string;
  kind: Kind;
  start: number;
  end: number;
}

/** The layout of a delta: what a delta of the same layout must match. */
interface Layout {
  /** The text around the varying values: before the first, between each, after the last. */
  literals: string[];
  /** The key of each varying value, and whether it is a string (else a whole number). */
  holeKeys: string[];
  holeIsString: boolean[];
  /** The event last read with this layout: a match changes its varying values and returns it again. */
  event: JsonObject;
}

export class DeltaEventReader {
  private layout: Layout | undefined;

  /**
   * The event in `data` when it is a delta event of the plain shape servers
   * write: `{"type":"response.….delta",…}` with known keys, each once, whose
   * values are strings, whole numbers of up to 15 digits or `[]`, and no
   * whitespace between tokens. Anything else gives undefined, never an error.
   * The object returned may be the one an earlier read returned, and may
   * change at the next: read it, do not keep it.
   */
  read(data: string): JsonObject | undefined {
    const layout = this.layout;
    if (layout !== undefined) {
      const event = matchLayout(data, layout);
      if (event !== undefined) return event;
    }
    const members: Member[] = [];
    const event = scanDelta(data, members);
    if (event !== undefined) this.layout = layoutOf(data, event, members);
    return event;
  }
}

function matchLayout(data: string, layout: Layout): JsonObject | undefined {
  const { literals, holeKeys, holeIsString } = layout;
  let literal = literals[0] as string;
  let at = literal.length;
  if (data.slice(0, at) !== literal) return undefined;
  const event = layout.event;
  // The first backslash at or after `at`: a string that ends before it has no escapes.
  let backslash = -1;
  for (let hole = 0; hole < holeKeys.length; hole++) {
    let value: JsonValue;
    if (holeIsString[hole]) {
      // The literal before ended with the opening quote.
      let end = data.indexOf('"', at);
      if (end === -1) return undefined;
      if (backslash < at) {
        backslash = data.indexOf('\\', at);
        if (backslash === -1) backslash = data.length;
      }
      if (backslash < end) {
        end = stringEnd(data, at);
        const decoded = end === -1 ? undefined : decodeString(data, at - 1, end);
        if (decoded === undefined) return undefined;
        value = decoded;
      } else {
        if (hasControlCharacter(data, at, end)) return undefined;
        value = data.slice(at, end);
      }
      at = end;
    } else {
      // A number the literal after does not follow (a fraction, an exponent, a digit after a leading zero) fails there.
      const end = wholeNumberEnd(data, at);
      if (end === -1) return undefined;
      value = digitsValue(data, at, end);
      at = end;
    }
    event[holeKeys[hole] as string] = value;
    literal = literals[hole + 1] as string;
    const next = at + literal.length;
    if (data.slice(at, next) !== literal) return undefined;
    at = next;
  }
  return at === data.length ? event : undefined;
}

/** The full reading of a delta, member by member; `members` receives where each value is. */
function scanDelta(data: string, members: Member[]): JsonObject | undefined {
  if (data.charCodeAt(1) !== QUOTE || data.slice(0, PREFIX.length) !== PREFIX) return undefined;
  const typeEnd = data.indexOf('"', PREFIX.length);
  if (typeEnd === -1) return undefined;
  const type = DELTA_TYPES.get(data.slice(TYPE_START, typeEnd));
  if (type === undefined) return undefined;
  const event: JsonObject = { type };
  const length = data.length;
  let seen = 0;
  let at = typeEnd + 1;
  for (;;) {
    const separator = data.charCodeAt(at);
    if (separator === CLOSE_BRACE) return at + 1 === length ? event : undefined;
    if (separator !== COMMA || data.charCodeAt(at + 1) !== QUOTE) return undefined;
    const keyStart = at + 2;
    const keyEnd = data.indexOf('"', keyStart);
    if (keyEnd === -1 || data.charCodeAt(keyEnd + 1) !== COLON) return undefined;
    // A key with an escape in it is none of these, even if it means one of them: JSON.parse reads it.
    const known = KEYS.get(data.slice(keyStart, keyEnd));
    if (known === undefined || (seen & known.bit) !== 0) return undefined;
    seen |= known.bit;
    at = keyEnd + 2;
    const start = at;
    const first = data.charCodeAt(at);
    let value: JsonValue;
    let kind: Kind;
    if (first === QUOTE) {
      const end = stringEnd(data, at + 1);
      if (end === -1) return undefined;
      const decoded = decodeString(data, at, end);
      if (decoded === undefined) return undefined;
      value = decoded;
      kind = Kind.String;
      at = end + 1;
    } else if (isDigit(first)) {
      // A fraction, an exponent or a digit after a leading zero is left for the next separator to refuse.
      const end = wholeNumberEnd(data, at);
      if (end === -1) return undefined;
      value = digitsValue(data, at, end);
      kind = Kind.Number;
      at = end;
    } else if (first === OPEN_BRACKET && data.charCodeAt(at + 1) === CLOSE_BRACKET) {
      value = [];
      kind = Kind.EmptyArray;
      at += 2;
    } else {
      return undefined;
    }
    event[known.key] = value;
    members.push({ key: known.key, kind, start, end: at });
  }
}

function layoutOf(data: string, event: JsonObject, members: readonly Member[]): Layout {
  const literals: string[] = [];
  const holeKeys: string[] = [];
  const holeIsString: boolean[] = [];
  let cursor = 0;
  for (const member of members) {
    if (member.kind !== Kind.EmptyArray && VARYING_KEYS.has(member.key)) {
      const isString = member.kind === Kind.String;
      // A string's quotes stay in the literals around it.
      literals.push(data.slice(cursor, isString ? member.start + 1 : member.start));
      holeKeys.push(member.key);
      holeIsString.push(isString);
      cursor = isString ? member.end - 1 : member.end;
    }
  }
  literals.push(data.slice(cursor));
  return { literals, holeKeys, holeIsString, event };
}

/**
 * Where the whole number at `at` ends: its digits, without sign, fraction or
 * exponent, and only one if it starts with 0. -1 if there is none, or it has
 * more than 15 digits.
 */
function wholeNumberEnd(data: string, at: number): number {
  const first = data.charCodeAt(at);
  if (!isDigit(first)) return -1;
  let end = at + 1;
  if (first !== ZERO) while (isDigit(data.charCodeAt(end))) end++;
  return end - at > MAX_DIGITS ? -1 : end;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** The value of the digits from `start` to `end`, exact for up to 15 of them. */
function digitsValue(data: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index++) value = value * 10 + (data.charCodeAt(index) - ZERO);
  return value;
}

/** The index of the quote that ends a string whose text starts at `start`, escapes and all; -1 if it does not end. */
function stringEnd(data: string, start: number): number {
  const length = data.length;
  for (let index = start; index < length; index++) {
    const code = data.charCodeAt(index);
    if (code === QUOTE) return index;
    if (code === BACKSLASH) index++;
  }
  return -1;
}

/**
 * The string whose quotes are at `open` and `close`, as JSON.parse reads it (escapes decoded, control
 * characters refused: undefined). JSON.parse gives a string of its own rather than a view into the
 * frame, which later compares quickly with the same text elsewhere (an item's id).
 */
function decodeString(data: string, open: number, close: number): string | undefined {
  try {
    return JSON.parse(data.slice(open, close + 1)) as string;
  } catch {
    return undefined;
  }
}

/** JSON strings hold no raw control characters: JSON.parse refuses them, so must this. */
function hasControlCharacter(data: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (data.charCodeAt(index) < 32) return true;
  return false;
}
