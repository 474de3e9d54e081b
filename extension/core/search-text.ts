/**
 * What a person remembers of a call, as one lower-case text to search: the
 * request's input (its end: the latest message) and the response's output
 * (message text, refusals, tool names and arguments, search queries). Bounded,
 * so that a list of thousands of calls searches a few megabytes at most.
 */
import { isJsonObject, type JsonValue } from './response-types.ts';

const INPUT_CHARS = 1_500;
const OUTPUT_CHARS = 2_500;

function texts(value: JsonValue | undefined, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) texts(item, into);
  else if (isJsonObject(value)) {
    for (const key of ['text', 'refusal', 'content', 'input', 'output', 'arguments', 'name', 'query', 'code', 'queries', 'action', 'summary']) texts(value[key], into);
  }
}

/** The input's text: a string input, or the text of its items (messages, tool outputs). */
function inputText(requestBody: string | undefined): string {
  if (requestBody === undefined) return '';
  let body: unknown;
  try {
    body = JSON.parse(requestBody);
  } catch {
    return '';
  }
  if (!isJsonObject(body)) return '';
  const parts: string[] = [];
  texts(body.input, parts);
  return parts.join('\n');
}

export function searchTextOf(requestBody: string | undefined, output: JsonValue | undefined): string {
  const input = inputText(requestBody);
  const parts: string[] = [];
  texts(output, parts);
  const said = parts.join('\n');
  return `${input.slice(-INPUT_CHARS)}\n${said.slice(0, OUTPUT_CHARS)}`.toLowerCase();
}
