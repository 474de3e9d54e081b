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

interface Frame {
  container: object;
  /** The keys of an object, in `JSON.stringify`'s order; undefined for an array. */
  keys: string[] | undefined;
  next: number;
  /** Something was written inside this container. */
  wrote: boolean;
  /** Members go on indented lines (indentation on, and not too deep). */
  indented: boolean;
}

/** The value `JSON.stringify` would write for `value` under `key`: after `toJSON`, primitive wrappers unwrapped. */
function prepare(value: unknown, key: string): unknown {
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
  } else if (typeof value === 'bigint') {
    const toJSON = (Object(value) as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = (toJSON as (key: string) => unknown).call(value, key);
  }
  if (value instanceof Number) return Number(value);
  if (value instanceof String) return String(value);
  if (value instanceof Boolean) return value.valueOf();
  return value;
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
 */
export function writeJson(value: unknown, write: (chunk: string) => void, indent = 0): void {
  const width = Math.max(0, Math.min(10, Math.floor(indent)));
  const newlines: string[] = [];
  for (let depth = 0; depth <= MAX_INDENT_DEPTH; depth++) newlines.push('\n' + ' '.repeat(width * depth));
  const keySeparator = width > 0 ? ': ' : ':';
  const stack: Frame[] = [];
  const open = new Set<object>();
  let out = '';

  /** Writes a prepared value: a primitive at once, a container by opening it. */
  const emit = (item: unknown): void => {
    switch (typeof item) {
      case 'string':
        out += JSON.stringify(item);
        return;
      case 'number':
        out += Number.isFinite(item) ? String(item) : 'null';
        return;
      case 'boolean':
        out += item ? 'true' : 'false';
        return;
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
      case 'object': {
        if (item === null) {
          out += 'null';
          return;
        }
        if (open.has(item)) throw new TypeError('Converting circular structure to JSON');
        open.add(item);
        const isArray = Array.isArray(item);
        out += isArray ? '[' : '{';
        stack.push({ container: item, keys: isArray ? undefined : Object.keys(item), next: 0, wrote: false, indented: width > 0 && stack.length < MAX_INDENT_DEPTH });
        return;
      }
      default:
        out += 'null';
    }
  };

  emit(prepare(value, ''));
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const depth = stack.length;
    const keys = frame.keys;
    if (keys === undefined) {
      const list = frame.container as unknown[];
      if (frame.next < list.length) {
        const index = frame.next++;
        if (frame.wrote) out += ',';
        frame.wrote = true;
        if (frame.indented) out += newlines[depth] as string;
        const item = prepare(list[index], String(index));
        if (isSkipped(item)) out += 'null';
        else emit(item);
      } else {
        close(frame, ']');
      }
    } else {
      const object = frame.container as Record<string, unknown>;
      let item: unknown;
      let key: string | undefined;
      while (frame.next < keys.length) {
        const candidate = keys[frame.next++] as string;
        const prepared = prepare(object[candidate], candidate);
        if (isSkipped(prepared)) continue;
        key = candidate;
        item = prepared;
        break;
      }
      if (key === undefined) {
        close(frame, '}');
      } else {
        if (frame.wrote) out += ',';
        frame.wrote = true;
        if (frame.indented) out += (newlines[depth] as string) + JSON.stringify(key) + keySeparator;
        else out += JSON.stringify(key) + ':';
        emit(item);
      }
    }
    if (out.length >= CHUNK_CHARS) {
      write(out);
      out = '';
    }
  }
  if (out !== '') write(out);

  function close(frame: Frame, bracket: string): void {
    stack.pop();
    open.delete(frame.container);
    if (frame.wrote && frame.indented) out += newlines[stack.length] as string;
    out += bracket;
  }
}

/** `JSON.stringify(value, null, indent)` with no limit on nesting (see `writeJson`). */
export function stringifyJson(value: unknown, indent = 0): string {
  let text = '';
  writeJson(value, (chunk) => {
    text += chunk;
  }, indent);
  return text;
}
