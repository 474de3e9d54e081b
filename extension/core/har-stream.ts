/**
 * A HAR read in pieces: each entry of `log.entries` is decoded and parsed on
 * its own and handed on, so that reading a transcript takes memory in
 * proportion to its largest entry, not to the whole file and its parse.
 *
 * The reader gives the entries `readInput` would read from the same input, and
 * checks the rest of the text as `JSON.parse` of the whole would: every value
 * outside the entries is parsed too (and dropped: `readHar` looks at nothing
 * but `log.entries`). Any input it does not take — not a JSON object, invalid
 * or cut JSON, no `log` object with an `entries` array, either of them given
 * twice (JSON.parse would keep the last) — makes it throw `NotStreamableError`,
 * possibly after entries it has already given: the caller then reads the input
 * whole with `readInput`, which reads it or says what is wrong with it.
 *
 * It works on the bytes: UTF-8 never puts an ASCII byte inside a multi-byte
 * character, so the JSON structure is found byte by byte, and each entry's
 * bytes decode alone to the text the whole document would have there. Decoded
 * alone, an entry of ASCII text stays a one-byte string, whatever the others hold.
 */
import { readHarEntryCalls, type HarCall, type HarReading } from './har.ts';

/**
 * Reads the input's next bytes into `into` from `offset`, at most `length` of
 * them: how many it read, 0 at the end of the input.
 */
export type ReadBytes = (into: Uint8Array, offset: number, length: number) => number;

/** The input is not a HAR this reader takes: read it whole instead. */
export class NotStreamableError extends Error {
  override name = 'NotStreamableError';
}

/** The bytes read at first: enough for a small file. */
const FIRST_BYTES = 1 << 16;
/** The bytes held once the input proves longer; more when one value is longer still. */
const WINDOW_BYTES = 1 << 20;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Where a scan stands when the bytes read end inside a value. */
interface ScanState {
  depth: number;
  inString: boolean;
  /** The bytes ended on a backslash in a string: the next byte is escaped. */
  escaped: boolean;
}

/**
 * Scans a string, object or array from `from` on: the index just past its end,
 * or -1 when the bytes end first (the state carries on). Only strings and
 * brackets are followed: the value is checked by parsing it.
 */
function scanContainer(state: ScanState, bytes: Uint8Array, from: number, to: number): number {
  let depth = state.depth;
  let inString = state.inString;
  let index = from;
  if (state.escaped) {
    state.escaped = false;
    index++;
  }
  while (index < to) {
    const byte = bytes[index++] as number;
    if (inString) {
      if (byte === QUOTE) {
        inString = false;
        if (depth === 0) return index;
      } else if (byte === BACKSLASH) {
        if (index === to) state.escaped = true;
        index++;
      }
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth <= 0) return index;
    }
  }
  state.depth = depth;
  state.inString = inString;
  return -1;
}

/** The end of a number or literal starting at `from`: the first byte that cannot be in one; -1 if the bytes end first. */
function scanPrimitive(bytes: Uint8Array, from: number, to: number): number {
  for (let index = from; index < to; index++) {
    const byte = bytes[index];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === SPACE || byte === LF || byte === CR || byte === TAB || byte === QUOTE || byte === COLON || byte === OPEN_BRACE || byte === OPEN_BRACKET) return index;
  }
  return -1;
}

/** A byte string to search for, with its Horspool shifts. */
interface Needle {
  bytes: Uint8Array;
  shifts: Uint32Array;
}

function needle(bytes: Uint8Array): Needle {
  const shifts = new Uint32Array(256).fill(bytes.length);
  for (let index = 0; index < bytes.length - 1; index++) shifts[bytes[index] as number] = bytes.length - 1 - index;
  return { bytes, shifts };
}

/** The first index of `needle` in `bytes[from, to)`, or -1. */
function search(bytes: Uint8Array, from: number, to: number, { bytes: wanted, shifts }: Needle): number {
  const last = wanted.length - 1;
  const lastByte = wanted[last];
  for (let index = from + last; index < to; index += shifts[bytes[index] as number] as number) {
    if (bytes[index] !== lastByte) continue;
    let offset = 1;
    while (offset <= last && bytes[index - offset] === wanted[last - offset]) offset++;
    if (offset > last) return index - last;
  }
  return -1;
}

/** The input's bytes, read into one buffer as they are needed, with a reading position. */
class ByteReader {
  bytes = new Uint8Array(FIRST_BYTES);
  /** The bytes read: `bytes[0, end)`. */
  end = 0;
  pos = 0;
  /** How many times the bytes were moved down (indexes held across a read are then stale). */
  moves = 0;
  private ended = false;
  // A byte order mark inside the document is no whitespace: decoded, it must stay to be refused.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(private readonly read: ReadBytes) {}

  /**
   * Reads on, keeping the bytes from `pos` (moved to the start: `pos` becomes
   * 0, and indexes held must move as much). False at the end of the input.
   */
  more(): boolean {
    if (this.ended) return false;
    if (this.pos > 0) {
      this.bytes.copyWithin(0, this.pos, this.end);
      this.end -= this.pos;
      this.pos = 0;
      this.moves++;
    }
    if (this.end === this.bytes.length || (this.bytes.length < WINDOW_BYTES && this.end > 0)) {
      const bigger = new Uint8Array(this.bytes.length * 2);
      bigger.set(this.bytes);
      this.bytes = bigger;
    }
    const count = this.read(this.bytes, this.end, this.bytes.length - this.end);
    if (count === 0) {
      this.ended = true;
      return false;
    }
    this.end += count;
    return true;
  }

  /** Reads on until `count` bytes from `pos` are read; false if the input ends first. */
  holds(count: number): boolean {
    while (this.end - this.pos < count) if (!this.more()) return false;
    return true;
  }

  /** The byte at `pos`, reading on as needed; -1 at the end of the input. */
  peek(): number {
    while (this.pos >= this.end) if (!this.more()) return -1;
    return this.bytes[this.pos] as number;
  }

  /** Skips JSON whitespace; the byte after it, or -1 at the end of the input. */
  skipSpace(): number {
    for (;;) {
      const byte = this.peek();
      if (byte !== SPACE && byte !== LF && byte !== CR && byte !== TAB) return byte;
      this.pos++;
    }
  }

  /** Skips whitespace, then `byte`. */
  expect(byte: number, what: string): void {
    if (this.skipSpace() !== byte) throw new NotStreamableError(`no ${what} where one was due`);
    this.pos++;
  }

  /** The index just past the value at `pos`, found by its strings and brackets; read whole (`pos` stays at its start). */
  valueEnd(): number {
    const first = this.peek();
    const container = first === OPEN_BRACE || first === OPEN_BRACKET || first === QUOTE;
    const state: ScanState = { depth: 0, inString: false, escaped: false };
    let from = this.pos;
    for (;;) {
      const end = container ? scanContainer(state, this.bytes, from, this.end) : scanPrimitive(this.bytes, from, this.end);
      if (end !== -1) return end;
      const scanned = this.end - this.pos;
      // Every value of the document sits in its object: the input cannot end right after one.
      if (!this.more()) throw new NotStreamableError('the input ends inside its JSON');
      from = this.pos + scanned;
    }
  }

  /**
   * Where the value at `pos` ends if it ends where `separator` starts (plus
   * `closing` bytes), searched through at most `limit` bytes; -1 if not found
   * there. The value is read whole (`pos` stays at its start).
   */
  endBefore(separator: Needle, closing: number, limit: number): number {
    let from = this.pos;
    for (;;) {
      const at = search(this.bytes, from, this.end, separator);
      if (at !== -1) return at + closing;
      const searched = Math.max(0, this.end - this.pos - separator.bytes.length + 1);
      if (this.end - this.pos >= limit || !this.more()) return -1;
      from = this.pos + searched;
    }
  }

  /** The value in `bytes[pos, end)`, parsed; `pos` moves past it. */
  parse(end: number): unknown {
    const text = this.decoder.decode(this.bytes.subarray(this.pos, end));
    this.pos = end;
    try {
      return JSON.parse(text);
    } catch {
      throw new NotStreamableError('not valid JSON');
    }
  }
}

/**
 * The last line of an entry written one member a line — a newline, the
 * indentation, its closing brace — and what follows up to the next entry's
 * brace: where one entry ends and the next starts, in a HAR indented
 * throughout. Raw newlines in JSON are never inside a string, so the bytes are
 * found by a search instead of a scan of every byte; each entry they cut is
 * checked by parsing (bytes that parse as one value starting at the entry's
 * brace are the entry: a value ends where its text says).
 */
function separatorAfter(bytes: Uint8Array, end: number, nextStart: number): { separator: Needle; closing: number } | undefined {
  let newline = end - 2;
  while (newline >= 0 && (bytes[newline] === SPACE || bytes[newline] === TAB)) newline--;
  if (newline < 0 || bytes[newline] !== LF || bytes[end - 1] !== CLOSE_BRACE || nextStart - newline > 256) return undefined;
  return { separator: needle(bytes.slice(newline, nextStart + 1)), closing: end - newline };
}

/** The items of the array at `pos`, parsed one by one. */
function* arrayItems(reader: ByteReader): Generator<unknown, void, undefined> {
  reader.expect(OPEN_BRACKET, '[');
  if (reader.skipSpace() === CLOSE_BRACKET) {
    reader.pos++;
    return;
  }
  let cut: { separator: Needle; closing: number } | undefined;
  let guessing = true;
  let longest = 0;
  for (;;) {
    let item: unknown;
    let read = false;
    if (cut !== undefined && reader.peek() === OPEN_BRACE) {
      // A separator not found within a few entries' length is not there (the last entry ends otherwise).
      const end = reader.endBefore(cut.separator, cut.closing, Math.max(WINDOW_BYTES, 4 * longest));
      if (end !== -1) {
        const start = reader.pos;
        try {
          item = reader.parse(end);
          read = true;
          longest = Math.max(longest, end - start);
        } catch {
          // Not where the entries so far ended (or not valid JSON, which the scan finds again): scan from now on.
          reader.pos = start;
          cut = undefined;
          guessing = false;
        }
      }
    }
    let end = -1;
    if (!read) {
      end = reader.valueEnd();
      longest = Math.max(longest, end - reader.pos);
      item = reader.parse(end);
    }
    const moves = reader.moves;
    yield item;
    const byte = reader.skipSpace();
    reader.pos++;
    if (byte === CLOSE_BRACKET) return;
    if (byte !== COMMA) throw new NotStreamableError('no , or ] after an item of log.entries');
    const next = reader.skipSpace();
    if (guessing && cut === undefined && end !== -1 && next === OPEN_BRACE && reader.moves === moves) cut = separatorAfter(reader.bytes, end, reader.pos);
  }
}

/** The key of an object's next member, read up to its value; undefined at the object's end. */
function nextKey(reader: ByteReader, first: boolean): string | undefined {
  let byte = reader.skipSpace();
  if (byte === CLOSE_BRACE) {
    reader.pos++;
    return undefined;
  }
  if (!first) {
    if (byte !== COMMA) throw new NotStreamableError('no , or } after a member');
    reader.pos++;
    byte = reader.skipSpace();
  }
  if (byte !== QUOTE) throw new NotStreamableError('no member name where one was due');
  const key = reader.parse(reader.valueEnd()) as string;
  reader.expect(COLON, ':');
  reader.skipSpace();
  return key;
}

/**
 * The entries of the HAR in the input, in order, each parsed on its own; then
 * the rest of the input is checked. Throws `NotStreamableError` (see above)
 * for an input `readInput` would not read as this HAR.
 */
export function* harEntries(read: ReadBytes): Generator<unknown, void, undefined> {
  const reader = new ByteReader(read);
  // readInput looks for '{' after byte order marks and whitespace; other leading characters are left to it.
  for (let byte = reader.peek(); ; byte = reader.peek()) {
    if (byte === SPACE || (byte >= TAB && byte <= CR)) reader.pos++;
    else if (byte === 0xef && reader.holds(3) && reader.bytes[reader.pos + 1] === 0xbb && reader.bytes[reader.pos + 2] === 0xbf) reader.pos += 3;
    else break;
  }
  if (reader.peek() !== OPEN_BRACE) throw new NotStreamableError('not a JSON object');
  reader.pos++;
  let log = false;
  let entries = false;
  for (let key = nextKey(reader, true); key !== undefined; key = nextKey(reader, false)) {
    if (key !== 'log') {
      reader.parse(reader.valueEnd());
      continue;
    }
    if (log || reader.peek() !== OPEN_BRACE) throw new NotStreamableError('no single log object');
    log = true;
    reader.pos++;
    for (let logKey = nextKey(reader, true); logKey !== undefined; logKey = nextKey(reader, false)) {
      if (logKey !== 'entries') {
        reader.parse(reader.valueEnd());
        continue;
      }
      if (entries || reader.peek() !== OPEN_BRACKET) throw new NotStreamableError('no single log.entries array');
      entries = true;
      yield* arrayItems(reader);
    }
  }
  if (reader.skipSpace() !== -1) throw new NotStreamableError('more text after the JSON object');
  if (!entries) throw new NotStreamableError('no log.entries array');
}

/**
 * The Responses calls of a HAR read in pieces, one at a time, as `readHar`
 * reads them: entries skipped and problems are counted in `reading` (whose
 * `calls` stay empty: each call is the caller's to keep or drop).
 */
export function* harCalls(read: ReadBytes, reading: HarReading): Generator<HarCall, void, undefined> {
  let entryIndex = 0;
  for (const entry of harEntries(read)) yield* readHarEntryCalls(entry, entryIndex++, reading);
}
