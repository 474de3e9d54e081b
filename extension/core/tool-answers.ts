/**
 * An agent's loop, call by call: the tool calls a response asks the app to
 * make (function, custom, shell, computer… calls, and MCP approval requests),
 * and the answers a later request sends back for them (`…_output` items with the
 * same `call_id`, `mcp_approval_response` for an approval request).
 */
import { isJsonObject, type JsonObject, type JsonValue } from './response-types.ts';

/** A tool call the app answers in a later request. */
export interface AppToolCall {
  /** `call_id`, or the id of an MCP approval request. */
  callId: string;
  itemType: string;
  /** The tool's name (an MCP approval request's), else the item type. */
  name: string;
  /** The call as one reads it: `add(2, 3)`. */
  label: string;
}

/** What a request sent back for a tool call, as a short text. */
export interface ToolAnswer {
  callId: string;
  itemType: string;
  /** At most `ANSWER_CHARS` characters. */
  text: string;
  /** The answer was longer than `text`. */
  cut?: true;
  /** An MCP approval request that was denied, or an output flagged as an error. */
  refused?: true;
}

const ANSWER_CHARS = 300;
const LABEL_CHARS = 80;
/** Answers kept of one request: a summary stays small. */
const MAX_ANSWERS = 64;

function isAppCall(item: JsonObject): boolean {
  const type = item.type;
  if (type === 'mcp_approval_request') return typeof item.id === 'string';
  // A tool the provider ran itself (Anthropic's tool search) is answered in the same response.
  if (item.execution === 'server') return false;
  return typeof type === 'string' && type.endsWith('_call') && typeof item.call_id === 'string' && item.call_id !== '';
}

function shortValue(value: JsonValue | undefined): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? '[…]' : '{…}';
}

/** `name(2, 3)` for flat arguments, else `name(…)` with as much of the arguments as fits. */
export function toolCallLabel(name: string, args: JsonValue | undefined): string {
  let parsed: JsonValue | undefined = args;
  if (typeof args === 'string') {
    try {
      parsed = JSON.parse(args) as JsonValue;
    } catch {
      parsed = args;
    }
  }
  let inner: string;
  if (parsed === undefined || parsed === '') inner = '';
  else if (isJsonObject(parsed)) inner = Object.values(parsed).map(shortValue).join(', ');
  else inner = typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
  if (inner.length > LABEL_CHARS) inner = `${inner.slice(0, LABEL_CHARS - 1)}…`;
  return `${name}(${inner})`;
}

function argumentsOf(item: JsonObject): JsonValue | undefined {
  if (item.arguments !== undefined) return item.arguments;
  if (item.input !== undefined) return item.input;
  if (isJsonObject(item.action)) return item.action;
  return undefined;
}

/** The tool calls of a response's output that the app answers, in order. */
export function appToolCallsOf(output: JsonValue | undefined): AppToolCall[] {
  if (!Array.isArray(output)) return [];
  const calls: AppToolCall[] = [];
  for (const item of output) {
    if (!isJsonObject(item) || !isAppCall(item)) continue;
    const itemType = item.type as string;
    const name = typeof item.name === 'string' && item.name !== '' ? item.name : itemType;
    const callId = (itemType === 'mcp_approval_request' ? item.id : item.call_id) as string;
    calls.push({ callId, itemType, name, label: toolCallLabel(name, argumentsOf(item)) });
  }
  return calls;
}

function textOf(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    // Content parts: their text, and a word for what is not text.
    return value.map((part) => (isJsonObject(part) ? (typeof part.text === 'string' ? part.text : `[${typeof part.type === 'string' ? part.type : 'part'}]`) : textOf(part))).join('\n');
  }
  return JSON.stringify(value);
}

function answer(callId: string, itemType: string, output: JsonValue | undefined, refused: boolean): ToolAnswer {
  const full = textOf(output);
  const answer: ToolAnswer = { callId, itemType, text: full.slice(0, ANSWER_CHARS) };
  if (full.length > ANSWER_CHARS) answer.cut = true;
  if (refused) answer.refused = true;
  return answer;
}

/**
 * The answers one input item carries: a Responses `…_output` item or `mcp_approval_response`, a Chat Completions
 * `tool` message, or the `tool_result` blocks of an Anthropic user message.
 */
function answersIn(item: JsonObject): ToolAnswer[] {
  const type = item.type;
  if (type === 'mcp_approval_response' && typeof item.approval_request_id === 'string') {
    return [answer(item.approval_request_id, type, item.approve === true ? 'approved' : 'denied', item.approve !== true)];
  }
  if (typeof type === 'string' && type.endsWith('_output') && typeof item.call_id === 'string') {
    return [answer(item.call_id, type, item.output, item.status === 'incomplete' || item.status === 'failed')];
  }
  if (item.role === 'tool' && typeof item.tool_call_id === 'string') return [answer(item.tool_call_id, 'tool', item.content, false)];
  if (item.role === 'user' && Array.isArray(item.content)) {
    return item.content.flatMap((block) =>
      isJsonObject(block) && block.type === 'tool_result' && typeof block.tool_use_id === 'string' ? [answer(block.tool_use_id, 'tool_result', block.content, block.is_error === true)] : [],
    );
  }
  return [];
}

/** The answers a request's input items send back, by call id (the last answer of a call wins, as the model reads it). */
export function toolAnswersOf(input: JsonValue | undefined): ToolAnswer[] {
  if (!Array.isArray(input)) return [];
  const answers = new Map<string, ToolAnswer>();
  for (const item of input) {
    if (!isJsonObject(item)) continue;
    for (const found of answersIn(item)) {
      answers.delete(found.callId);
      answers.set(found.callId, found);
    }
  }
  // An agent's request re-sends every earlier answer: the latest are the ones a next step needs.
  return [...answers.values()].slice(-MAX_ANSWERS);
}

/** The request's input items (the Responses API's `input`, the others' `messages`), or a string input; undefined when the body is not JSON. */
export function requestInputOf(requestBody: string | undefined): JsonValue | undefined {
  if (requestBody === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(requestBody);
  } catch {
    return undefined;
  }
  return isJsonObject(body) ? (body.input ?? body.messages) : undefined;
}
