/**
 * JSON text of any value the core holds, however deeply nested.
 *
 * `JSON.parse` reads values millions of levels deep (V8's parser does not
 * recurse), but `JSON.stringify` recurses and overflows the stack some
 * thousands of levels down: a stream the core reads without trouble could not
 * be written back. This writer keeps its own stack instead, so depth costs
 * memory in proportion to the value, never the call stack.
 *
 * The text is `JSON.stringify`'s, with one difference: indentation stops at
 * `MAX_INDENT_DEPTH` levels, and anything deeper is written on one line.
 * Indented output of a value n levels deep would otherwise grow as n² (each
 * line indented by its depth); the data written is the same either way.
 */

/** Levels of nesting that get their own indented lines; deeper values are written compactly. */
export const MAX_INDENT_DEPTH = 64;

/** Text is handed to the writer in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/**
 * One level in this many is checked for a cycle: its container against the
 * open ones of such levels. A cycle makes the descent endless and, from some
 * depth on, periodic (a container opened again is written again the same way),
 * so a checked level's container comes back at a checked level: a cycle is
 * still caught, and a value millions deep costs a set of thousands, not millions.
 */
const CYCLE_CHECK_EVERY = 64;

/**
 * The value `JSON.stringify` would write for `value` under `key` (a member's
 * name, or an index turned into one only if a `toJSON` wants it): after
 * `toJSON`, primitive wrappers unwrapped.
 */
function prepare(value: unknown, key: string | number): unknown {
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, String(key));
    else if (Array.isArray(value)) return value;
  } else if (typeof value === 'bigint') {
    const toJSON = (Object(value) as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, String(key));
  }
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Number) return Number(value);
  if (value instanceof String) return String(value);
  if (value instanceof Boolean) return value.valueOf();
  return value;
}

/**
 * An array whose items are written as they come: `writeJson` pulls them one at
 * a time, so that a list longer than memory holds (a transcript's entries, read
 * from a file as they are written) is never held whole. The text is that of an
 * array of the same items.
 */
export class JsonItems {
  constructor(readonly items: Iterable<unknown>) {}
}

/**
 * The text `writeJson` would write for `item`, an item of a `JsonItems` sitting
 * `level` containers deep, made by `JSON.stringify` (native, several times
 * faster) when that gives the same text; undefined when it may not: a `toJSON`
 * on the item itself (JSON.stringify would call it again), a value too deep for
 * its recursion or too long for one string, a cycle, or members deeper than
 * `MAX_INDENT_DEPTH` (indented by JSON.stringify, not by `writeJson`).
 * The item is wrapped in `level` arrays so that JSON.stringify indents its
 * lines as deep as they sit, and the wrappers are cut off again.
 */
function nativeText(item: object, width: number, level: number): string | undefined {
  if (typeof (item as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (width === 0) {
    try {
      return JSON.stringify(item);
    } catch {
      return undefined;
    }
  }
  if (level >= MAX_INDENT_DEPTH) return undefined;
  let wrapped: unknown = item;
  let before = 0;
  let after = 0;
  for (let depth = 0; depth < level; depth++) {
    wrapped = [wrapped];
    before += 2 + width * (depth + 1); // '[', a newline, the indentation of the level below
    after += 2 + width * depth; // a newline, the indentation, ']'
  }
  let text: string;
  try {
    text = JSON.stringify(wrapped, null, width);
  } catch {
    return undefined;
  }
  // Newlines in JSON.stringify's text are all indentation (strings escape theirs): a line indented past the
  // deepest level `writeJson` indents is a member it would have written on one line.
  if (text.includes('\n' + ' '.repeat(width * (MAX_INDENT_DEPTH + 1)))) return undefined;
  return text.slice(before, text.length - after);
}

/** True for what `JSON.stringify` leaves out of an object (and writes as null in an array). */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * Writes `value` as JSON text, in pieces, to `write`: the same text as
 * `JSON.stringify(value, null, indent)` (see the note above on depth), with no
 * limit on nesting. A value with nothing to write (undefined, a function)
 * writes `null`. Throws a TypeError on a cycle or a BigInt, as `JSON.stringify` does.
 * (A `toJSON` is honoured as `JSON.stringify` does; one that returns a new value
 * holding its owner, at every call, has no end: JSON data has no `toJSON`.)
 */
export function writeJson(value: unknown, write: (chunk: string) => void, indent = 0): void {
  const width = Math.max(0, Math.min(10, Math.floor(indent)));
  const newlines: string[] = [];
  for (let depth = 0; depth <= MAX_INDENT_DEPTH; depth++) newlines.push('\n' + ' '.repeat(width * depth));
  const keySeparator = width > 0 ? ': ' : ':';
  // The open containers, one slot per level in parallel stacks (no object per level: values may be millions deep).
  const containers: object[] = [];
  /** An object's keys, in `JSON.stringify`'s order; undefined for an array. */
  const keyLists: Array<string[] | undefined> = [];
  /** A `JsonItems`' iterator; undefined for any other container. */
  const iterators: Array<Iterator<unknown> | undefined> = [];
  /** The next member to write. */
  const nexts: number[] = [];
  /** Something was written inside the container. */
  const wrote: boolean[] = [];
  const checked = new Set<object>();
  // Pieces, joined when there are enough: most are constants ('[', ',', an indentation), and a list of them
  // makes no garbage where a string grown piece by piece would make a node per piece.
  const pieces: string[] = [];
  let size = 0;
  const put = (piece: string): void => {
    pieces.push(piece);
    size += piece.length;
  };

  /** Writes a prepared value: a primitive at once, a container by opening it. */
  const emit = (item: unknown): void => {
    switch (typeof item) {
      case 'string':
        put(JSON.stringify(item));
        return;
      case 'number':
        put(Number.isFinite(item) ? String(item) : 'null');
        return;
      case 'boolean':
        put(item ? 'true' : 'false');
        return;
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'object': {
        if (item === null) {
          put('null');
          return;
        }
        if (containers.length % CYCLE_CHECK_EVERY === 0) {
          if (checked.has(item)) throw new TypeError('Converting circular structure to JSON');
          checked.add(item);
        }
        const isArray = Array.isArray(item) || item instanceof JsonItems;
        put(isArray ? '[' : '{');
        containers.push(item);
        keyLists.push(isArray ? undefined : Object.keys(item));
        iterators.push(item instanceof JsonItems ? item.items[Symbol.iterator]() : undefined);
        nexts.push(0);
        wrote.push(false);
        return;
      }
      default:
        put('null');
    }
  };

  emit(prepare(value, ''));
  while (containers.length > 0) {
    const level = containers.length - 1;
    const container = containers[level] as object;
    const keys = keyLists[level];
    // Members of the first MAX_INDENT_DEPTH levels go on indented lines; deeper ones on one line.
    const indented = width > 0 && level < MAX_INDENT_DEPTH;
    const next = nexts[level] as number;
    let key: string | undefined;
    let item: unknown;
    let more = false;
    const iterator = iterators[level];
    if (iterator !== undefined) {
      const step = iterator.next();
      if (step.done !== true) {
        more = true;
        nexts[level] = next + 1;
        item = prepare(step.value, next);
        if (isSkipped(item)) item = null;
      }
    } else if (keys === undefined) {
      const list = container as unknown[];
      if (next < list.length) {
        more = true;
        nexts[level] = next + 1;
        item = prepare(list[next], next);
        if (isSkipped(item)) item = null;
      }
    } else {
      const object = container as Record<string, unknown>;
      let index = next;
      while (index < keys.length) {
        const candidate = keys[index++] as string;
        const prepared = prepare(object[candidate], candidate);
        if (isSkipped(prepared)) continue;
        key = candidate;
        item = prepared;
        more = true;
        break;
      }
      nexts[level] = index;
    }
    if (more) {
      if (wrote[level]) put(',');
      wrote[level] = true;
      if (indented) put(newlines[level + 1] as string);
      if (key !== undefined) {
        put(JSON.stringify(key));
        put(indented ? keySeparator : ':');
      }
      const text = iterator !== undefined && typeof item === 'object' && item !== null ? nativeText(item, indented ? width : 0, level + 1) : undefined;
      if (text === undefined) emit(item);
      else put(text);
    } else {
      containers.pop();
      keyLists.pop();
      iterators.pop();
      nexts.pop();
      if (level % CYCLE_CHECK_EVERY === 0) checked.delete(container);
      if (wrote.pop() === true && indented) put(newlines[level] as string);
      put(keys === undefined ? ']' : '}');
    }
    if (size >= CHUNK_CHARS) {
      write(pieces.join(''));
      pieces.length = 0;
      size = 0;
    }
  }
  if (size > 0) write(pieces.join(''));
}

/** `JSON.stringify(value, null, indent)` with no limit on nesting (see `writeJson`). */
export function stringifyJson(value: unknown, indent = 0): string {
  const width = Math.max(0, Math.min(10, Math.floor(indent)));
  // JSON.stringify itself when it gives the same text (see nativeText); the writer below for the rest.
  try {
    const native: string | undefined = JSON.stringify(value, null, width);
    if (native !== undefined && !(width > 0 && native.includes('\n' + ' '.repeat(width * (MAX_INDENT_DEPTH + 1))))) return native;
  } catch {
    // Too deep or too long for it, or no JSON at all: the writer says which.
  }
  let text = '';
  writeJson(value, (chunk) => {
    text += chunk;
  }, indent);
  return text;
}
