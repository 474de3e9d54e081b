/**
 * What a person remembers of a call, as one lower-case text to search: the
 * request's input (its end: the latest message) and the response's output
 * (message text, refusals, tool names and arguments, search queries), and the
 * names and ids of every tool call and item on either side (an agent's steps are
 * found by a tool's name or a call id). Bounded, so that a list of thousands of
 * calls searches a few megabytes at most.
 */
import { isJsonObject, type JsonValue } from './response-types.ts';
import { requestInputOf } from './tool-answers.ts';

const INPUT_CHARS = 1_500;
const OUTPUT_CHARS = 2_500;
/** Tool names, call ids and item ids kept of one call. */
const MAX_IDENTIFIERS = 200;

/** The names and ids of a list of items (tool calls, their outputs, messages). */
function identifiers(items: JsonValue | undefined, into: Set<string>): void {
  if (!Array.isArray(items)) return;
  for (const item of items) {
    if (into.size >= MAX_IDENTIFIERS) return;
    if (!isJsonObject(item)) continue;
    for (const key of ['name', 'call_id', 'id']) {
      const value = item[key];
      if (typeof value === 'string' && value !== '') into.add(value);
    }
  }
}

function texts(value: JsonValue | undefined, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) texts(item, into);
  else if (isJsonObject(value)) {
    for (const key of ['text', 'refusal', 'content', 'input', 'output', 'arguments', 'name', 'query', 'code', 'queries', 'action', 'summary']) texts(value[key], into);
  }
}

export function searchTextOf(requestBody: string | undefined, output: JsonValue | undefined): string {
  return searchTextOfInput(requestInputOf(requestBody), output);
}

/** `searchTextOf` for a request already parsed: its input items (`requestInputOf`). */
export function searchTextOfInput(input: JsonValue | undefined, output: JsonValue | undefined): string {
  const asked: string[] = [];
  texts(input, asked);
  const parts: string[] = [];
  texts(output, parts);
  const said = parts.join('\n');
  const ids = new Set<string>();
  identifiers(output, ids);
  identifiers(input, ids);
  const named = ids.size > 0 ? `\n${[...ids].join(' ')}` : '';
  return `${asked.join('\n').slice(-INPUT_CHARS)}\n${said.slice(0, OUTPUT_CHARS)}${named}`.toLowerCase();
}
