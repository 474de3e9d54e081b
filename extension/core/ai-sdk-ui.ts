/**
 * The Vercel AI SDK's UI message stream: what an app's route returns for `useChat` (header
 * `x-vercel-ai-ui-message-stream: v1`), SSE frames of the chunks of `ai`'s `uiMessageChunkSchema`, ended by
 * `data: [DONE]`.
 *
 * `result` is the `UIMessage` that `readUIMessageStream` yields last for the same bytes: the chunks checked as the
 * SDK's schema checks them, applied as `processUIMessageStream` applies them (a chunk it refuses, or cannot apply,
 * stops its reading there, as it stops `useChat` with an error).
 *
 * The Responses view: each text part is a message item, each reasoning part a reasoning item, each tool call a
 * `function_call` (a `custom_tool_call` when its input is text) followed, once its result arrives, by the
 * `function_call_output` the Responses API would carry it in; sources are citations of the step's text; an image
 * file is shown as the image of an `image_generation_call`; parts the API has no item for (other files, data parts,
 * custom parts) are items of their own type, which the panel shows as they are.
 */
import { stringifyJson } from './json-text.ts';
import type { ClosingFields, ProtocolTranslator } from './protocols.ts';
import { isJsonObject, type JsonObject, type JsonValue } from './response-types.ts';

type Value = JsonValue | undefined;

/** Why the SDK stops reading the stream at a chunk: the name and message of the error it fails with. */
interface SdkFailure {
  name: string;
  message: string;
}

// ── the chunk schema ──────────────────────────────────────────────────────

type Rule = (value: Value) => boolean;

const isString: Rule = (value) => typeof value === 'string';
const isBoolean: Rule = (value) => typeof value === 'boolean';
/** A key the schema types as `unknown`: any value, but there (Zod 4, which the SDK is built with, requires it). */
const isPresent: Rule = (value) => value !== undefined;
const optional =
  (rule: Rule): Rule =>
  (value) =>
    value === undefined || rule(value);
const oneOf =
  (...values: string[]): Rule =>
  (value) =>
    typeof value === 'string' && values.includes(value);
const isProviderMetadata: Rule = (value) => isJsonObject(value) && Object.values(value).every((entry) => entry === undefined || isJsonObject(entry));
const isIndex: Rule = (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function fieldsMatch(object: JsonObject, rules: Record<string, Rule>): boolean {
  return Object.entries(rules).every(([key, rule]) => rule(object[key]));
}

const URL_SOURCE: Record<string, Rule> = { type: oneOf('source'), id: isString, url: isString, title: optional(isString), providerMetadata: optional(isProviderMetadata) };
const DOCUMENT_SOURCE: Record<string, Rule> = {
  type: oneOf('source'),
  id: isString,
  mediaType: isString,
  title: isString,
  filename: optional(isString),
  providerMetadata: optional(isProviderMetadata),
};
const CITATION: Record<string, Rule> = { startIndex: optional(isIndex), endIndex: optional(isIndex), citedText: optional(isString) };

function citationSource(value: Value): Record<string, Rule> | undefined {
  if (!isJsonObject(value)) return undefined;
  if (value.sourceType === 'url') return URL_SOURCE;
  return value.sourceType === 'document' ? DOCUMENT_SOURCE : undefined;
}

const isCitations: Rule = (value) =>
  Array.isArray(value) &&
  value.every((citation) => {
    if (!isJsonObject(citation)) return false;
    const source = citationSource(citation.source);
    return source !== undefined && fieldsMatch(citation.source as JsonObject, source) && fieldsMatch(citation, CITATION);
  });

/** Citations as the schema gives them: only the keys it knows (its citation objects are not loose). */
function strippedCitations(citations: JsonValue[]): JsonObject[] {
  const keep = (object: JsonObject, keys: string[]) => {
    const kept: JsonObject = {};
    for (const key of keys) if (object[key] !== undefined) kept[key] = object[key];
    return kept;
  };
  return citations.filter(isJsonObject).map((citation) => {
    const source = citation.source as JsonObject;
    const stripped = keep(citation, Object.keys(CITATION));
    return { source: keep(source, ['sourceType', ...Object.keys(citationSource(source) ?? {})]), ...stripped };
  });
}

const isSteeringParts: Rule = (value) =>
  Array.isArray(value) &&
  value.every(
    (part) =>
      isJsonObject(part) &&
      (part.type === 'text'
        ? fieldsMatch(part, { text: isString, providerMetadata: optional(isProviderMetadata) })
        : part.type === 'file' &&
          fieldsMatch(part, {
            mediaType: isString,
            url: isString,
            filename: optional(isString),
            providerReference: optional((reference) => isJsonObject(reference) && Object.values(reference).every(isString)),
            providerMetadata: optional(isProviderMetadata),
          })),
  );

const TOOL_CALL_FIELDS: Record<string, Rule> = {
  toolCallId: isString,
  toolName: isString,
  providerExecuted: optional(isBoolean),
  providerMetadata: optional(isProviderMetadata),
  toolMetadata: optional(isJsonObject),
  dynamic: optional(isBoolean),
  title: optional(isString),
};
const PROVIDER_METADATA = { providerMetadata: optional(isProviderMetadata) };
const TOOL_RESULT_FIELDS: Record<string, Rule> = {
  toolCallId: isString,
  providerExecuted: optional(isBoolean),
  ...PROVIDER_METADATA,
  toolMetadata: optional(isJsonObject),
  dynamic: optional(isBoolean),
};

/** `uiMessageChunkSchema`: each chunk type's fields (unlisted fields are kept, as its loose objects keep them). */
const CHUNK_SCHEMA: Record<string, Record<string, Rule>> = {
  'text-start': { id: isString, ...PROVIDER_METADATA },
  'text-delta': { id: isString, delta: isString, ...PROVIDER_METADATA },
  'text-end': { id: isString, citations: optional(isCitations), ...PROVIDER_METADATA },
  error: { errorText: isString },
  'tool-input-start': { ...TOOL_CALL_FIELDS, inputEncoding: optional(oneOf('json', 'text')) },
  'tool-input-delta': { toolCallId: isString, inputTextDelta: isString },
  'tool-input-available': { ...TOOL_CALL_FIELDS, input: isPresent },
  'tool-input-error': { ...TOOL_CALL_FIELDS, input: isPresent, errorText: isString },
  'tool-approval-request': { approvalId: isString, toolCallId: isString, reason: optional(isString), isAutomatic: optional(isBoolean), signature: optional(isString) },
  'tool-approval-response': { approvalId: isString, approved: isBoolean, reason: optional(isString), providerExecuted: optional(isBoolean), ...PROVIDER_METADATA },
  'tool-output-available': { ...TOOL_RESULT_FIELDS, output: isPresent, preliminary: optional(isBoolean) },
  'tool-output-error': { ...TOOL_RESULT_FIELDS, errorText: isString },
  'tool-output-denied': { toolCallId: isString },
  'reasoning-start': { id: isString, ...PROVIDER_METADATA },
  'reasoning-delta': { id: isString, delta: isString, ...PROVIDER_METADATA },
  'reasoning-end': { id: isString, ...PROVIDER_METADATA },
  custom: { kind: isString, ...PROVIDER_METADATA },
  'source-url': { sourceId: isString, url: isString, title: optional(isString), ...PROVIDER_METADATA },
  'source-document': { sourceId: isString, mediaType: isString, title: isString, filename: optional(isString), ...PROVIDER_METADATA },
  file: { url: isString, mediaType: isString, ...PROVIDER_METADATA },
  'reasoning-file': { url: isString, mediaType: isString, ...PROVIDER_METADATA },
  'steering-message': { id: isString, parts: isSteeringParts },
  'start-step': {},
  'finish-step': {},
  'reset-step': {},
  start: { messageId: optional(isString) },
  finish: { finishReason: optional(oneOf('stop', 'length', 'content-filter', 'tool-calls', 'error', 'interrupted', 'other')) },
  abort: { reason: optional(isString) },
  'message-metadata': { messageMetadata: isPresent },
};
const CHUNK_FIELDS = new Map(Object.entries(CHUNK_SCHEMA).map(([type, fields]) => [type, Object.entries(fields)]));
const DATA_FIELDS: Array<[string, Rule]> = Object.entries({ id: optional(isString), data: isPresent, transient: optional(isBoolean) });

/**
 * Whether JSON text holding this value is refused by the SDK's JSON reading, which rejects a `__proto__` key and a
 * `constructor` key holding a `prototype` anywhere in it.
 */
function hasForbiddenPrototypeKey(root: JsonValue): boolean {
  const pending: JsonValue[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      for (const entry of value) if (typeof entry === 'object' && entry !== null) pending.push(entry);
    } else if (isJsonObject(value)) {
      if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
      const constructor = Object.prototype.hasOwnProperty.call(value, 'constructor') ? value.constructor : undefined;
      if (isJsonObject(constructor) && Object.prototype.hasOwnProperty.call(constructor, 'prototype')) return true;
      for (const entry of Object.values(value)) if (typeof entry === 'object' && entry !== null) pending.push(entry);
    }
  }
  return false;
}

/** Why the SDK refuses a chunk, or undefined when it takes it. */
function chunkProblem(chunk: JsonObject): SdkFailure | undefined {
  if (hasForbiddenPrototypeKey(chunk)) return { name: 'AI_JSONParseError', message: 'JSON parsing failed: Object contains forbidden prototype property' };
  const type = chunk.type;
  const fields = typeof type !== 'string' ? undefined : (CHUNK_FIELDS.get(type) ?? (type.startsWith('data-') ? DATA_FIELDS : undefined));
  if (fields === undefined) return { name: 'AI_TypeValidationError', message: `Type validation failed: ${typeof type === 'string' ? `"${type}" is not a UI message chunk type` : 'the chunk has no type'}.` };
  for (const [key, rule] of fields) {
    if (!rule(chunk[key])) return { name: 'AI_TypeValidationError', message: `Type validation failed: the "${type}" chunk's ${key} is not valid.` };
  }
  return undefined;
}

// ── partial JSON, as the SDK reads a tool's input while it streams ────────

function parseSecurely(text: string): JsonValue {
  const value = JSON.parse(text) as JsonValue;
  if (hasForbiddenPrototypeKey(value)) throw new SyntaxError('forbidden prototype property');
  return value;
}

/** `parsePartialJson(text).value`: the text as JSON, else as completed by `completePartialJson`, else undefined. */
function parsePartialJson(text: string): Value {
  try {
    return parseSecurely(text);
  } catch {
    try {
      return parseSecurely(completePartialJson(text));
    } catch {
      return undefined;
    }
  }
}

type JsonScan =
  | 'root'
  | 'finish'
  | 'string'
  | 'string-escape'
  | 'string-unicode'
  | 'literal'
  | 'number'
  | 'object-start'
  | 'object-key'
  | 'object-after-key'
  | 'object-before-value'
  | 'object-after-value'
  | 'object-after-comma'
  | 'array-start'
  | 'array-after-value'
  | 'array-after-comma';

/**
 * The SDK's repair of a JSON prefix (`fixJson`): the prefix cut after its last complete token, and the strings,
 * literals, objects and arrays still open closed. One pass; invalid JSON is left for the parser to refuse.
 */
function completePartialJson(input: string): string {
  const stack: JsonScan[] = ['root'];
  let lastValidIndex = -1;
  let literalStart = 0;
  let unicodeDigits = 0;
  const top = () => stack[stack.length - 1];
  /** The scan moves on within the same value. */
  const swap = (state: JsonScan) => {
    stack[stack.length - 1] = state;
  };
  /** A value begins: where the scan goes once it ends, and the value itself on top. */
  const replaceTop = (after: JsonScan, inner: JsonScan) => {
    swap(after);
    stack.push(inner);
  };
  const valueStart = (char: string, index: number, after: JsonScan) => {
    if (char === '"') {
      lastValidIndex = index;
      replaceTop(after, 'string');
    } else if (char === 'f' || char === 't' || char === 'n') {
      lastValidIndex = index;
      literalStart = index;
      replaceTop(after, 'literal');
    } else if (char === '-') {
      replaceTop(after, 'number');
    } else if (char >= '0' && char <= '9') {
      lastValidIndex = index;
      replaceTop(after, 'number');
    } else if (char === '{') {
      lastValidIndex = index;
      replaceTop(after, 'object-start');
    } else if (char === '[') {
      lastValidIndex = index;
      replaceTop(after, 'array-start');
    }
  };
  const afterObjectValue = (char: string, index: number) => {
    if (char === ',') {
      swap('object-after-comma');
    } else if (char === '}') {
      lastValidIndex = index;
      stack.pop();
    }
  };
  const afterArrayValue = (char: string, index: number) => {
    if (char === ',') {
      swap('array-after-comma');
    } else if (char === ']') {
      lastValidIndex = index;
      stack.pop();
    }
  };
  for (let index = 0; index < input.length; index++) {
    const char = input[index] as string;
    switch (top()) {
      case 'root':
        valueStart(char, index, 'finish');
        break;
      case 'object-start':
        if (char === '"') {
          swap('object-key');
        } else if (char === '}') {
          lastValidIndex = index;
          stack.pop();
        }
        break;
      case 'object-after-comma':
        if (char === '"') {
          swap('object-key');
        }
        break;
      case 'object-key':
        if (char === '"') {
          swap('object-after-key');
        }
        break;
      case 'object-after-key':
        if (char === ':') {
          swap('object-before-value');
        }
        break;
      case 'object-before-value':
        valueStart(char, index, 'object-after-value');
        break;
      case 'object-after-value':
        afterObjectValue(char, index);
        break;
      case 'string':
        if (char === '"') {
          stack.pop();
          lastValidIndex = index;
        } else if (char === '\\') {
          stack.push('string-escape');
        } else {
          lastValidIndex = index;
        }
        break;
      case 'array-start':
        if (char === ']') {
          lastValidIndex = index;
          stack.pop();
        } else {
          valueStart(char, index, 'array-after-value');
        }
        break;
      case 'array-after-value':
        if (char === ',') {
          swap('array-after-comma');
        } else if (char === ']') {
          lastValidIndex = index;
          stack.pop();
        } else {
          lastValidIndex = index;
        }
        break;
      case 'array-after-comma':
        valueStart(char, index, 'array-after-value');
        break;
      case 'string-escape':
        stack.pop();
        if (char === 'u') {
          unicodeDigits = 0;
          stack.push('string-unicode');
        } else {
          lastValidIndex = index;
        }
        break;
      case 'string-unicode':
        if (/[0-9A-Fa-f]/.test(char) && ++unicodeDigits === 4) {
          stack.pop();
          lastValidIndex = index;
        }
        break;
      case 'number':
        if (char >= '0' && char <= '9') {
          lastValidIndex = index;
        } else if (char === 'e' || char === 'E' || char === '-' || char === '.') {
          // Part of the number, not yet a complete one.
        } else {
          stack.pop();
          if (char === ',' || char === '}' || char === ']') {
            if (top() === 'array-after-value' && char !== '}') afterArrayValue(char, index);
            if (top() === 'object-after-value' && char !== ']') afterObjectValue(char, index);
          }
        }
        break;
      case 'literal': {
        const literal = input.substring(literalStart, index + 1);
        if (!'false'.startsWith(literal) && !'true'.startsWith(literal) && !'null'.startsWith(literal)) {
          stack.pop();
          if (top() === 'object-after-value') afterObjectValue(char, index);
          else if (top() === 'array-after-value') afterArrayValue(char, index);
        } else {
          lastValidIndex = index;
        }
        break;
      }
      default:
        break;
    }
  }
  let result = input.slice(0, lastValidIndex + 1);
  for (let level = stack.length - 1; level >= 0; level--) {
    const state = stack[level];
    if (state === 'string') result += '"';
    else if (state?.startsWith('object-')) result += '}';
    else if (state?.startsWith('array-')) result += ']';
    else if (state === 'literal') {
      const literal = input.substring(literalStart);
      const whole = ['true', 'false', 'null'].find((word) => word.startsWith(literal));
      if (whole !== undefined) result += whole.slice(literal.length);
    }
  }
  return result;
}

// ── the UIMessage, as readUIMessageStream builds it ───────────────────────

/** A part of the message; keys the SDK sets to undefined are kept so, as in its own objects. */
type Part = Record<string, Value>;

interface UiMessage {
  id: string;
  metadata: Value;
  role: 'assistant';
  parts: Part[];
}

interface PartialToolCall {
  text: string;
  inputEncoding: Value;
  toolName: string;
  dynamic: Value;
  title: Value;
  toolMetadata: Value;
}

/** What a tool part is updated with (`updateToolPart` / `updateDynamicToolPart`'s options; a missing one is undefined). */
interface ToolUpdate {
  toolCallId: string;
  toolName: string;
  state: 'input-streaming' | 'input-available' | 'output-available' | 'output-error';
  input: Value;
  output?: Value;
  rawInput?: Value;
  errorText?: Value;
  inputEncoding?: Value;
  providerExecuted?: Value;
  preliminary?: Value;
  providerMetadata?: Value;
  title?: Value;
  toolMetadata?: Value;
}

class SdkStop extends Error {
  constructor(
    readonly failure: SdkFailure,
  ) {
    super(failure.message);
  }
}

function streamError(message: string): SdkStop {
  return new SdkStop({ name: 'AI_UIMessageStreamError', message });
}

/** `mergeObjects` of the SDK, by which message metadata accumulates (a primitive base cannot take keys: it throws). */
function mergeObjects(base: JsonValue, overrides: JsonValue): JsonValue {
  const result: JsonObject = typeof base === 'string' || (typeof base === 'object' && base !== null) ? { ...(base as JsonObject) } : {};
  const keys: string[] = typeof overrides === 'string' || (typeof overrides === 'object' && overrides !== null) ? Object.keys(overrides) : [];
  for (const key of keys) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const value = (overrides as Record<string, Value>)[key];
    if (value === undefined) continue;
    if (typeof base !== 'object' || base === null) throw new TypeError(`Cannot use 'in' operator to search for '${key}' in ${String(base)}`);
    const baseValue = (base as Record<string, Value>)[key];
    result[key] = isJsonObject(value) && isJsonObject(baseValue) ? mergeObjects(baseValue, value) : value;
  }
  return result;
}

function isToolPart(part: Part): boolean {
  return typeof part.type === 'string' && (part.type.startsWith('tool-') || part.type === 'dynamic-tool');
}

function isStaticToolPart(part: Part): boolean {
  return typeof part.type === 'string' && part.type.startsWith('tool-');
}

function staticToolName(part: Part): string {
  return String(part.type).split('-').slice(1).join('-');
}

function emptyMessage(id: string): UiMessage {
  return { id, metadata: undefined, role: 'assistant', parts: [] };
}

/**
 * The message `processUIMessageStream` builds, and what `readUIMessageStream` has yielded of it: a snapshot is taken
 * only when the SDK writes, so a step start with nothing after it is not yet shown, and a stream that never writes
 * yields no message at all (`result` is then the empty message the SDK starts from).
 */
class UiMessageBuilder {
  message = emptyMessage('');
  /** Open text and reasoning parts by their chunk id: their positions in `parts`. */
  activeText = new Map<string, number>();
  activeReasoning = new Map<string, number>();
  partialToolCalls = new Map<string, PartialToolCall>();
  written = false;
  /** Step starts pushed since the last write: the last snapshot lacks them. */
  unwrittenStepStarts = 0;
  /** The SDK stopped reading at a chunk: nothing after it changes the message. */
  stopped = false;
  /**
   * Tool parts whose input is their streamed text read as partial JSON. The SDK reads the whole text again at every
   * delta; here it is read when the input is looked at, which gives the same value without a cost quadratic in the
   * input's length.
   */
  private unreadInputs = new Map<Part, string>();

  private readInputs(): void {
    for (const [part, text] of this.unreadInputs) part.input = parsePartialJson(text);
    this.unreadInputs.clear();
  }

  get snapshot(): JsonObject {
    this.readInputs();
    if (!this.written) return emptyMessage('') as unknown as JsonObject;
    if (this.unwrittenStepStarts === 0) return this.message as unknown as JsonObject;
    return { ...this.message, parts: this.message.parts.slice(0, this.message.parts.length - this.unwrittenStepStarts) } as unknown as JsonObject;
  }

  clone(): UiMessageBuilder {
    this.readInputs();
    const copy = new UiMessageBuilder();
    copy.message = { ...this.message, parts: this.message.parts.map((part) => ({ ...part })) };
    copy.activeText = new Map(this.activeText);
    copy.activeReasoning = new Map(this.activeReasoning);
    for (const [id, call] of this.partialToolCalls) copy.partialToolCalls.set(id, { ...call });
    copy.written = this.written;
    copy.unwrittenStepStarts = this.unwrittenStepStarts;
    copy.stopped = this.stopped;
    return copy;
  }

  private write(): void {
    this.written = true;
    this.unwrittenStepStarts = 0;
  }

  private currentStepStart(): number {
    const parts = this.message.parts;
    let index = parts.length - 1;
    while (index >= 0 && parts[index]?.type !== 'step-start') index--;
    return index + 1;
  }

  private currentStepParts(): Part[] {
    return this.message.parts.slice(this.currentStepStart());
  }

  private toolInvocation(toolCallId: string): Part {
    const found = this.currentStepParts().find((part) => isToolPart(part) && part.toolCallId === toolCallId);
    if (found) return found;
    const parts = this.message.parts;
    for (let index = parts.length - 1; index >= 0; index--) {
      const part = parts[index] as Part;
      if (isToolPart(part) && part.toolCallId === toolCallId) return part;
    }
    throw streamError(`No tool invocation found for tool call ID "${toolCallId}".`);
  }

  private mergeMetadata(metadata: Value): Value {
    if (metadata === undefined || metadata === null) return this.message.metadata;
    const current = this.message.metadata;
    return current !== undefined && current !== null ? mergeObjects(current, metadata) : metadata;
  }

  /** The part updated or added. */
  private updateTool(dynamic: boolean, options: ToolUpdate, existing?: Part): Part {
    const part =
      existing ??
      this.currentStepParts().find((candidate) => (dynamic ? candidate.type === 'dynamic-tool' : isStaticToolPart(candidate)) && candidate.toolCallId === options.toolCallId);
    const isResult = options.state === 'output-available' || options.state === 'output-error';
    const metadata = options.providerMetadata;
    if (part) {
      this.unreadInputs.delete(part);
      part.state = options.state;
      if (dynamic) part.toolName = options.toolName;
      else part.type = `tool-${options.toolName}`;
      part.input = options.input;
      part.output = options.output;
      part.errorText = options.errorText;
      part.rawInput = options.rawInput;
      if (options.inputEncoding !== undefined && options.inputEncoding !== null) part.inputEncoding = options.inputEncoding;
      else delete part.inputEncoding;
      part.preliminary = options.preliminary;
      if (options.title !== undefined) part.title = options.title;
      if (options.toolMetadata !== undefined) part.toolMetadata = options.toolMetadata;
      part.providerExecuted = options.providerExecuted ?? part.providerExecuted;
      if (metadata !== undefined && metadata !== null) part[isResult ? 'resultProviderMetadata' : 'callProviderMetadata'] = metadata;
      return part;
    }
    const created: Part = dynamic
      ? { type: 'dynamic-tool', toolName: options.toolName, toolCallId: options.toolCallId, state: options.state, input: options.input }
      : { type: `tool-${options.toolName}`, toolCallId: options.toolCallId, state: options.state, title: options.title };
    if (!dynamic && options.toolMetadata !== undefined) created.toolMetadata = options.toolMetadata;
    if (!dynamic) created.input = options.input;
    if (options.inputEncoding !== undefined && options.inputEncoding !== null) created.inputEncoding = options.inputEncoding;
    created.output = options.output;
    if (!dynamic) created.rawInput = options.rawInput;
    created.errorText = options.errorText;
    created.providerExecuted = options.providerExecuted;
    created.preliminary = options.preliminary;
    if (dynamic) {
      created.title = options.title;
      if (options.toolMetadata !== undefined) created.toolMetadata = options.toolMetadata;
    }
    if (metadata !== undefined && metadata !== null) created[isResult ? 'resultProviderMetadata' : 'callProviderMetadata'] = metadata;
    this.message.parts.push(created);
    return created;
  }

  /** Applies one chunk the schema took; throws `SdkStop` where the SDK throws. */
  apply(chunk: JsonObject): void {
    const type = chunk.type as string;
    const parts = this.message.parts;
    switch (type) {
      case 'text-start':
      case 'reasoning-start': {
        const reasoning = type === 'reasoning-start';
        const part: Part = reasoning
          ? { type: 'reasoning', id: chunk.id, text: '', providerMetadata: chunk.providerMetadata, state: 'streaming' }
          : { type: 'text', text: '', providerMetadata: chunk.providerMetadata, state: 'streaming' };
        (reasoning ? this.activeReasoning : this.activeText).set(chunk.id as string, parts.push(part) - 1);
        this.write();
        return;
      }
      case 'text-delta':
      case 'text-end':
      case 'reasoning-delta':
      case 'reasoning-end': {
        const reasoning = type.startsWith('reasoning');
        const active = reasoning ? this.activeReasoning : this.activeText;
        const at = active.get(chunk.id as string);
        const part = at === undefined ? undefined : parts[at];
        if (!part) {
          const kind = reasoning ? 'reasoning' : 'text';
          throw streamError(`Received ${type} for missing ${kind} part with ID "${String(chunk.id)}". Ensure a "${kind}-start" chunk is sent before any "${type}" chunks.`);
        }
        if (type.endsWith('-delta')) {
          part.text = String(part.text) + String(chunk.delta);
        } else {
          part.state = 'done';
          if (!reasoning && Array.isArray(chunk.citations)) part.citations = strippedCitations(chunk.citations);
          active.delete(chunk.id as string);
        }
        part.providerMetadata = chunk.providerMetadata ?? part.providerMetadata;
        this.write();
        return;
      }
      case 'custom':
        parts.push({ type: 'custom', kind: chunk.kind, providerMetadata: chunk.providerMetadata });
        this.write();
        return;
      case 'file':
      case 'reasoning-file': {
        const part: Part = { type, mediaType: chunk.mediaType, url: chunk.url };
        if (chunk.providerMetadata !== undefined && chunk.providerMetadata !== null) part.providerMetadata = chunk.providerMetadata;
        parts.push(part);
        this.write();
        return;
      }
      case 'source-url':
        parts.push({ type, sourceId: chunk.sourceId, url: chunk.url, title: chunk.title, providerMetadata: chunk.providerMetadata });
        this.write();
        return;
      case 'source-document':
        parts.push({ type, sourceId: chunk.sourceId, mediaType: chunk.mediaType, title: chunk.title, filename: chunk.filename, providerMetadata: chunk.providerMetadata });
        this.write();
        return;
      case 'tool-input-start': {
        const toolCallId = chunk.toolCallId as string;
        const toolName = chunk.toolName as string;
        this.partialToolCalls.set(toolCallId, { text: '', inputEncoding: chunk.inputEncoding, toolName, dynamic: chunk.dynamic, title: chunk.title, toolMetadata: chunk.toolMetadata });
        this.updateTool(chunk.dynamic === true, {
          toolCallId,
          toolName,
          state: 'input-streaming',
          inputEncoding: chunk.inputEncoding,
          input: undefined,
          providerExecuted: chunk.providerExecuted,
          title: chunk.title,
          toolMetadata: chunk.toolMetadata,
          providerMetadata: chunk.providerMetadata,
        });
        this.write();
        return;
      }
      case 'tool-input-delta': {
        const toolCallId = chunk.toolCallId as string;
        const call = this.partialToolCalls.get(toolCallId);
        if (!call) {
          throw streamError(`Received tool-input-delta for missing tool call with ID "${toolCallId}". Ensure a "tool-input-start" chunk is sent before any "tool-input-delta" chunks.`);
        }
        call.text += chunk.inputTextDelta as string;
        const text = call.inputEncoding === 'text';
        const part = this.updateTool(call.dynamic === true, {
          toolCallId,
          toolName: call.toolName,
          state: 'input-streaming',
          inputEncoding: call.inputEncoding,
          input: text ? call.text : undefined,
          rawInput: call.text,
          title: call.title,
          toolMetadata: call.toolMetadata,
        });
        if (!text) this.unreadInputs.set(part, call.text);
        this.write();
        return;
      }
      case 'tool-input-available':
        this.updateTool(chunk.dynamic === true, {
          toolCallId: chunk.toolCallId as string,
          toolName: chunk.toolName as string,
          state: 'input-available',
          input: chunk.input,
          providerExecuted: chunk.providerExecuted,
          providerMetadata: chunk.providerMetadata,
          title: chunk.title,
          toolMetadata: chunk.toolMetadata,
        });
        this.write();
        return;
      case 'tool-input-error': {
        const existing = this.currentStepParts().find((part) => isToolPart(part) && part.toolCallId === chunk.toolCallId);
        this.updateTool(existing ? existing.type === 'dynamic-tool' : chunk.dynamic === true, {
          toolCallId: chunk.toolCallId as string,
          toolName: chunk.toolName as string,
          state: 'output-error',
          input: chunk.input,
          errorText: chunk.errorText,
          providerExecuted: chunk.providerExecuted,
          providerMetadata: chunk.providerMetadata,
          toolMetadata: chunk.toolMetadata,
        });
        this.write();
        return;
      }
      case 'tool-approval-request': {
        const invocation = this.toolInvocation(chunk.toolCallId as string);
        const approval: JsonObject = { id: chunk.approvalId };
        if (chunk.approvalDescriptor !== undefined && chunk.approvalDescriptor !== null) approval.descriptor = chunk.approvalDescriptor;
        if (Object.prototype.hasOwnProperty.call(chunk, 'inputSchemaInput')) approval.inputSchemaInput = chunk.inputSchemaInput;
        if (chunk.reason !== undefined) approval.requestReason = chunk.reason;
        if (chunk.isAutomatic === true) approval.isAutomatic = true;
        if (chunk.signature !== undefined) approval.signature = chunk.signature;
        invocation.state = 'approval-requested';
        invocation.approval = approval;
        this.write();
        return;
      }
      case 'tool-approval-response': {
        const invocation = parts.filter(isToolPart).find((part) => isJsonObject(part.approval) && part.approval.id === chunk.approvalId);
        if (!invocation) throw new SdkStop({ name: 'AI_UIMessageStreamError', message: `No tool invocation found for approval ID "${String(chunk.approvalId)}".` });
        const approval = isJsonObject(invocation.approval) ? invocation.approval : { id: chunk.approvalId };
        invocation.state = 'approval-responded';
        invocation.approval = { ...approval, id: chunk.approvalId, approved: chunk.approved, ...(chunk.reason !== undefined ? { reason: chunk.reason } : {}) };
        if (chunk.providerExecuted !== undefined) invocation.providerExecuted = chunk.providerExecuted;
        if (chunk.providerMetadata !== undefined) invocation.callProviderMetadata = chunk.providerMetadata;
        this.write();
        return;
      }
      case 'tool-output-denied':
        this.toolInvocation(chunk.toolCallId as string).state = 'output-denied';
        this.write();
        return;
      case 'tool-output-available':
      case 'tool-output-error': {
        this.readInputs();
        const invocation = this.toolInvocation(chunk.toolCallId as string);
        const dynamic = invocation.type === 'dynamic-tool';
        const update: ToolUpdate = {
          toolCallId: chunk.toolCallId as string,
          toolName: dynamic ? String(invocation.toolName) : staticToolName(invocation),
          state: type === 'tool-output-available' ? 'output-available' : 'output-error',
          input: invocation.input,
          providerExecuted: chunk.providerExecuted,
          providerMetadata: chunk.providerMetadata,
          title: invocation.title,
          toolMetadata: chunk.toolMetadata ?? invocation.toolMetadata,
        };
        if (type === 'tool-output-available') {
          update.output = chunk.output;
          update.preliminary = chunk.preliminary;
        } else {
          update.errorText = chunk.errorText;
          if (!dynamic) update.rawInput = invocation.rawInput;
        }
        this.updateTool(dynamic, update, invocation);
        this.write();
        return;
      }
      case 'steering-message':
        parts.push({ type, id: chunk.id, parts: chunk.parts });
        this.write();
        return;
      case 'start-step':
        parts.push({ type: 'step-start' });
        this.unwrittenStepStarts++;
        return;
      case 'reset-step': {
        const start = this.currentStepStart();
        this.activeText = new Map();
        this.activeReasoning = new Map();
        this.partialToolCalls = new Map();
        if (start < parts.length) {
          for (const removed of parts.splice(start)) this.unreadInputs.delete(removed);
          this.write();
        }
        return;
      }
      case 'start': {
        const messageId = chunk.messageId;
        const reset = typeof messageId === 'string' && messageId !== this.message.id;
        // Merged before anything changes: where the merge throws, the SDK has written nothing of this chunk.
        const metadata = this.mergeMetadata(reset ? undefined : chunk.messageMetadata);
        if (reset) {
          this.unreadInputs.clear();
          this.message = emptyMessage(messageId);
          this.message.metadata = chunk.messageMetadata ?? undefined;
          this.activeText = new Map();
          this.activeReasoning = new Map();
          this.partialToolCalls = new Map();
          this.unwrittenStepStarts = 0;
        } else {
          this.message.metadata = metadata;
        }
        if (reset || messageId !== undefined || (chunk.messageMetadata !== undefined && chunk.messageMetadata !== null)) this.write();
        return;
      }
      case 'finish':
      case 'message-metadata': {
        this.message.metadata = this.mergeMetadata(chunk.messageMetadata);
        if (chunk.messageMetadata !== undefined && chunk.messageMetadata !== null) this.write();
        return;
      }
      default:
        if (type.startsWith('data-') && chunk.transient !== true) {
          const existing = chunk.id === undefined ? undefined : parts.find((part) => part.type === type && part.id === chunk.id);
          if (existing) existing.data = chunk.data;
          else parts.push({ ...chunk, data: chunk.data });
          this.write();
        }
    }
  }
}

// ── the Responses view ────────────────────────────────────────────────────

interface TextView {
  index: number;
  itemId: string;
  text: string;
  annotations: JsonObject[];
  open: boolean;
}

interface ReasoningView {
  index: number;
  itemId: string;
  text: string;
}

interface ToolOutputView {
  index: number;
  itemId: string;
  output: string;
  done: boolean;
}

interface ToolView {
  callId: string;
  index: number;
  itemId: string;
  /** A tool whose input streams as text (`inputEncoding: 'text'`) is a custom tool call. */
  custom: boolean;
  name: string;
  /** The input text as it streamed; the call's arguments when it streamed any. */
  streamed: string;
  arguments: string;
  done: boolean;
  output?: ToolOutputView;
  denialReason?: string;
}

const FINISH_REASONS_INCOMPLETE: Readonly<Record<string, string>> = {
  length: 'max_output_tokens',
  'content-filter': 'content_filter',
  interrupted: 'interrupted',
};

const IMAGE_DATA_URL = /^data:image\/([\w.+-]+)(?:;[^,;]*)*;base64,(.*)$/s;

/** A value as the text an item carries it in: a string as it is, anything else as JSON. */
function asText(value: Value): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '' : stringifyJson(value);
}

function copyAnnotations(annotations: JsonObject[]): JsonObject[] {
  return annotations.map((annotation) => ({ ...annotation }));
}

function urlCitation(url: Value, title: Value, start?: Value, end?: Value): JsonObject {
  const annotation: JsonObject = { type: 'url_citation', url };
  if (title !== undefined) annotation.title = title;
  if (start !== undefined) annotation.start_index = start;
  if (end !== undefined) annotation.end_index = end;
  return annotation;
}

function fileCitation(id: Value, filename: Value, title: Value, index?: Value): JsonObject {
  const annotation: JsonObject = { type: 'file_citation', file_id: id, filename: filename ?? title };
  if (index !== undefined) annotation.index = index;
  return annotation;
}

function citationAnnotation(citation: JsonObject): JsonObject {
  const source = citation.source as JsonObject;
  if (source.sourceType === 'url') return urlCitation(source.url, source.title, citation.startIndex, citation.endIndex);
  return fileCitation(source.id, source.filename, source.title, citation.endIndex);
}

function bareErrorFailure(error: JsonObject): SdkFailure {
  const code = [error.code, error.type].find((value) => typeof value === 'string' && value !== '');
  return { name: typeof code === 'string' ? code : 'error', message: typeof error.message === 'string' ? error.message : stringifyJson(error) };
}

/** The Responses events a UI message stream stands for, and the `UIMessage` the SDK builds from it. */
class AiSdkUiTranslator implements ProtocolTranslator {
  readonly protocol = 'ai-sdk.ui' as const;
  private builder = new UiMessageBuilder();
  private created = false;
  private messageId: string | undefined;
  private nextIndex = 0;
  private texts = new Map<string, TextView>();
  private reasonings = new Map<string, ReasoningView>();
  private tools = new Map<string, ToolView>();
  private dataItems = new Map<string, { index: number; itemId: string }>();
  /** The call each approval asked for, by approval id. */
  private approvals = new Map<string, ToolView>();
  /** The step's text the step's sources cite (the last one begun), and the sources that came before any. */
  private stepText: TextView | undefined;
  private pendingSources: JsonObject[] = [];
  private failure: SdkFailure | undefined;
  private finishReason: string | undefined;
  private aborted: { reason?: string } | undefined;
  private finished = false;

  get result(): JsonObject {
    return this.builder.snapshot;
  }

  get done(): boolean {
    return this.finished;
  }

  clone(): AiSdkUiTranslator {
    const copy = new AiSdkUiTranslator();
    copy.builder = this.builder.clone();
    copy.created = this.created;
    copy.messageId = this.messageId;
    copy.nextIndex = this.nextIndex;
    const texts = new Map<TextView, TextView>();
    const copyText = (view: TextView) => {
      let duplicate = texts.get(view);
      if (!duplicate) {
        duplicate = { ...view, annotations: view.annotations.slice() };
        texts.set(view, duplicate);
      }
      return duplicate;
    };
    for (const [id, view] of this.texts) copy.texts.set(id, copyText(view));
    copy.stepText = this.stepText && copyText(this.stepText);
    for (const [id, view] of this.reasonings) copy.reasonings.set(id, { ...view });
    const tools = new Map<ToolView, ToolView>();
    for (const [id, view] of this.tools) {
      const duplicate = { ...view, ...(view.output ? { output: { ...view.output } } : {}) };
      tools.set(view, duplicate);
      copy.tools.set(id, duplicate);
    }
    for (const [id, view] of this.approvals) copy.approvals.set(id, tools.get(view) ?? { ...view });
    for (const [key, view] of this.dataItems) copy.dataItems.set(key, { ...view });
    copy.pendingSources = this.pendingSources.slice();
    copy.failure = this.failure;
    copy.finishReason = this.finishReason;
    copy.aborted = this.aborted;
    copy.finished = this.finished;
    return copy;
  }

  translate(event: JsonObject, type: string): JsonObject[] {
    const out: JsonObject[] = [];
    try {
      this.translateInto(event, type, out);
    } catch (error) {
      // Nothing above throws on any input; should it, the response says so rather than the reader failing.
      this.fail(out, { name: 'translation_error', message: error instanceof Error ? error.message : String(error) });
    }
    return out;
  }

  private translateInto(event: JsonObject, type: string, out: JsonObject[]): void {
    if (!this.created) {
      this.created = true;
      if (event.type === 'start' && typeof event.messageId === 'string') this.messageId = event.messageId;
      const response: JsonObject = { object: 'response', status: 'in_progress', output: [] };
      if (this.messageId !== undefined) response.id = this.messageId;
      out.push({ type: 'response.created', response });
    }
    // A bare `{"error": {…}}` frame is no chunk of the SDK's: it stops there, as at any chunk its schema refuses.
    const bareError = event.type === undefined && type === 'error' && isJsonObject(event.error) ? event.error : undefined;
    const problem = bareError ? bareErrorFailure(bareError) : chunkProblem(event);
    if (problem) {
      this.builder.stopped = true;
      this.fail(out, problem);
      return;
    }
    if (!this.builder.stopped) {
      try {
        this.builder.apply(event);
      } catch (error) {
        this.builder.stopped = true;
        this.fail(out, error instanceof SdkStop ? error.failure : { name: 'AI_UIMessageStreamError', message: error instanceof Error ? error.message : String(error) });
      }
    }
    this.view(event, out);
  }

  private fail(out: JsonObject[], failure: SdkFailure): void {
    this.failure ??= failure;
    out.push({ type: 'error', code: failure.name, message: failure.message });
  }

  private addItem(out: JsonObject[], prefix: string, item: (itemId: string) => JsonObject, done: boolean): { index: number; itemId: string } {
    const index = this.nextIndex++;
    const itemId = `${prefix}_${index}`;
    out.push({ type: 'response.output_item.added', output_index: index, item: item(itemId) });
    if (done) out.push({ type: 'response.output_item.done', output_index: index, item: item(itemId) });
    return { index, itemId };
  }

  private view(chunk: JsonObject, out: JsonObject[]): void {
    const type = chunk.type as string;
    switch (type) {
      case 'start':
        if (typeof chunk.messageId === 'string') this.messageId = chunk.messageId;
        return;
      case 'start-step':
      case 'finish-step':
        this.flushSources(out);
        this.stepText = undefined;
        return;
      case 'text-start': {
        // A second start of an open id leaves the first part streaming for ever in the SDK: here it ends, unfinished.
        const replaced = this.texts.get(chunk.id as string);
        if (replaced) this.closeText(out, replaced, 'incomplete');
        this.texts.set(chunk.id as string, this.openText(out));
        return;
      }
      case 'text-delta': {
        const view = this.texts.get(chunk.id as string);
        const delta = chunk.delta as string;
        if (!view?.open || delta === '') return;
        view.text += delta;
        out.push({ type: 'response.output_text.delta', item_id: view.itemId, output_index: view.index, content_index: 0, delta });
        return;
      }
      case 'text-end': {
        const view = this.texts.get(chunk.id as string);
        if (!view?.open) return;
        if (Array.isArray(chunk.citations)) for (const citation of strippedCitations(chunk.citations)) this.annotate(out, view, citationAnnotation(citation));
        this.closeText(out, view, 'completed');
        this.texts.delete(chunk.id as string);
        return;
      }
      case 'reasoning-start': {
        const replaced = this.reasonings.get(chunk.id as string);
        if (replaced) this.closeReasoning(out, replaced, 'incomplete');
        const { index, itemId } = this.addItem(out, 'rs', (id) => ({ type: 'reasoning', id, summary: [], content: [], status: 'in_progress' }), false);
        this.reasonings.set(chunk.id as string, { index, itemId, text: '' });
        return;
      }
      case 'reasoning-delta': {
        const view = this.reasonings.get(chunk.id as string);
        const delta = chunk.delta as string;
        if (!view || delta === '') return;
        if (view.text === '') {
          out.push({ type: 'response.content_part.added', item_id: view.itemId, output_index: view.index, content_index: 0, part: { type: 'reasoning_text', text: '' } });
        }
        view.text += delta;
        out.push({ type: 'response.reasoning_text.delta', item_id: view.itemId, output_index: view.index, content_index: 0, delta });
        return;
      }
      case 'reasoning-end': {
        const view = this.reasonings.get(chunk.id as string);
        if (!view) return;
        this.closeReasoning(out, view, 'completed');
        this.reasonings.delete(chunk.id as string);
        return;
      }
      case 'tool-input-start':
        if (!this.tools.has(chunk.toolCallId as string)) this.openTool(out, chunk, chunk.inputEncoding === 'text', '', false);
        return;
      case 'tool-input-delta': {
        const view = this.tools.get(chunk.toolCallId as string);
        const delta = chunk.inputTextDelta as string;
        if (!view || view.done || delta === '') return;
        view.streamed += delta;
        out.push({ type: view.custom ? 'response.custom_tool_call_input.delta' : 'response.function_call_arguments.delta', item_id: view.itemId, output_index: view.index, delta });
        return;
      }
      case 'tool-input-available':
      case 'tool-input-error': {
        const failed = type === 'tool-input-error';
        const known = this.tools.get(chunk.toolCallId as string);
        // Arguments as the model streamed them, when it did: the SDK's input may be that text validated (defaults added).
        const text = known?.streamed || (failed && typeof chunk.input === 'string' ? chunk.input : asText(chunk.input));
        const view = known ?? this.openTool(out, chunk, false, text, true);
        if (!view.done) this.closeTool(out, view, text, failed ? 'incomplete' : 'completed');
        if (failed) this.toolOutput(out, view, asText(chunk.errorText), 'incomplete', true);
        return;
      }
      case 'tool-output-available': {
        const view = this.tools.get(chunk.toolCallId as string);
        if (view) this.toolOutput(out, view, asText(chunk.output), chunk.preliminary === true ? 'in_progress' : 'completed', chunk.preliminary !== true);
        return;
      }
      case 'tool-output-error': {
        const view = this.tools.get(chunk.toolCallId as string);
        if (view) this.toolOutput(out, view, chunk.errorText as string, 'incomplete', true);
        return;
      }
      case 'tool-output-denied': {
        const view = this.tools.get(chunk.toolCallId as string);
        // What the SDK tells the model of a denied call.
        if (view) this.toolOutput(out, view, view.denialReason ?? 'Tool call execution denied.', 'incomplete', true);
        return;
      }
      case 'tool-approval-request': {
        const view = this.tools.get(chunk.toolCallId as string);
        if (!view) return;
        const approvalId = chunk.approvalId as string;
        this.approvals.set(approvalId, view);
        const item = (): JsonObject => ({ type: 'mcp_approval_request', id: approvalId, name: view.name, arguments: view.arguments, call_id: chunk.toolCallId });
        const index = this.nextIndex++;
        out.push({ type: 'response.output_item.added', output_index: index, item: item() });
        out.push({ type: 'response.output_item.done', output_index: index, item: item() });
        return;
      }
      case 'tool-approval-response': {
        const view = this.approvals.get(chunk.approvalId as string);
        if (view && chunk.approved === false && typeof chunk.reason === 'string') view.denialReason = chunk.reason;
        this.addItem(
          out,
          'mcpr',
          (id) => ({ type: 'mcp_approval_response', id, approval_request_id: chunk.approvalId, approve: chunk.approved, ...(chunk.reason !== undefined ? { reason: chunk.reason } : {}) }),
          true,
        );
        return;
      }
      case 'source-url':
        this.addSource(out, urlCitation(chunk.url, chunk.title));
        return;
      case 'source-document':
        this.addSource(out, fileCitation(chunk.sourceId, chunk.filename, chunk.title));
        return;
      case 'file':
      case 'reasoning-file': {
        const image = IMAGE_DATA_URL.exec(chunk.url as string);
        if (image) {
          this.addItem(out, 'ig', (id) => ({ type: 'image_generation_call', id, status: 'completed', output_format: image[1] as string, result: image[2] as string }), true);
        } else {
          this.addItem(out, 'file', (id) => ({ type, id, mediaType: chunk.mediaType, url: chunk.url }), true);
        }
        return;
      }
      case 'custom':
        this.addItem(out, 'custom', (id) => ({ type: 'custom', id, kind: chunk.kind }), true);
        return;
      case 'steering-message': {
        const content = (chunk.parts as JsonObject[]).map((part): JsonObject =>
          part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_file', file_url: part.url, ...(part.filename !== undefined ? { filename: part.filename } : {}) },
        );
        this.addItem(out, 'msg', (id) => ({ type: 'message', id, role: 'user', status: 'completed', content: content.map((part) => ({ ...part })) }), true);
        return;
      }
      case 'error':
        this.failure ??= { name: 'error', message: chunk.errorText as string };
        out.push({ type: 'error', message: chunk.errorText });
        return;
      case 'abort':
        this.aborted = typeof chunk.reason === 'string' ? { reason: chunk.reason } : {};
        return;
      case 'finish':
        if (typeof chunk.finishReason === 'string') this.finishReason = chunk.finishReason;
        this.finished = true;
        return;
      default:
        if (type.startsWith('data-') && chunk.transient !== true) this.dataPart(out, chunk, type);
    }
  }

  private openText(out: JsonObject[]): TextView {
    const { index, itemId } = this.addItem(out, 'msg', (id) => ({ type: 'message', id, role: 'assistant', status: 'in_progress', content: [] }), false);
    out.push({ type: 'response.content_part.added', item_id: itemId, output_index: index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    const view: TextView = { index, itemId, text: '', annotations: [], open: true };
    this.stepText = view;
    for (const source of this.pendingSources) this.annotate(out, view, source);
    this.pendingSources = [];
    return view;
  }

  private closeText(out: JsonObject[], view: TextView, status: string): void {
    const part = (): JsonObject => ({ type: 'output_text', text: view.text, annotations: copyAnnotations(view.annotations) });
    out.push({ type: 'response.output_text.done', item_id: view.itemId, output_index: view.index, content_index: 0, text: view.text });
    out.push({ type: 'response.content_part.done', item_id: view.itemId, output_index: view.index, content_index: 0, part: part() });
    out.push({ type: 'response.output_item.done', output_index: view.index, item: { type: 'message', id: view.itemId, role: 'assistant', status, content: [part()] } });
    view.open = false;
    // Sources after this only need where the text is.
    view.text = '';
  }

  private annotate(out: JsonObject[], view: TextView, annotation: JsonObject): void {
    out.push({
      type: 'response.output_text.annotation.added',
      item_id: view.itemId,
      output_index: view.index,
      content_index: 0,
      annotation_index: view.annotations.length,
      annotation: { ...annotation },
    });
    view.annotations.push(annotation);
  }

  private addSource(out: JsonObject[], annotation: JsonObject): void {
    if (this.stepText) this.annotate(out, this.stepText, annotation);
    else this.pendingSources.push(annotation);
  }

  /** Sources of a step with no text: cited by an empty text of their own, so that they are shown. */
  private flushSources(out: JsonObject[]): void {
    if (this.pendingSources.length === 0) return;
    this.closeText(out, this.openText(out), 'completed');
  }

  private closeReasoning(out: JsonObject[], view: ReasoningView, status: string): void {
    const content = (): JsonObject[] => (view.text === '' ? [] : [{ type: 'reasoning_text', text: view.text }]);
    if (view.text !== '') {
      out.push({ type: 'response.reasoning_text.done', item_id: view.itemId, output_index: view.index, content_index: 0, text: view.text });
      out.push({ type: 'response.content_part.done', item_id: view.itemId, output_index: view.index, content_index: 0, part: { type: 'reasoning_text', text: view.text } });
    }
    out.push({ type: 'response.output_item.done', output_index: view.index, item: { type: 'reasoning', id: view.itemId, summary: [], content: content(), status } });
  }

  private toolItem(view: ToolView, itemId: string, status: string): JsonObject {
    return view.custom
      ? { type: 'custom_tool_call', id: itemId, call_id: view.callId, name: view.name, input: view.arguments, status }
      : { type: 'function_call', id: itemId, call_id: view.callId, name: view.name, arguments: view.arguments, status };
  }

  private openTool(out: JsonObject[], chunk: JsonObject, custom: boolean, text: string, done: boolean): ToolView {
    const callId = chunk.toolCallId as string;
    const view: ToolView = { callId, index: this.nextIndex, itemId: '', custom, name: chunk.toolName as string, streamed: '', arguments: text, done: false };
    this.tools.set(callId, view);
    const { itemId } = this.addItem(out, custom ? 'ctc' : 'fc', (id) => this.toolItem(view, id, done ? 'completed' : 'in_progress'), false);
    view.itemId = itemId;
    return view;
  }

  private closeTool(out: JsonObject[], view: ToolView, text: string, status: string): void {
    if (view.streamed !== '' || view.arguments !== text) {
      out.push(
        view.custom
          ? { type: 'response.custom_tool_call_input.done', item_id: view.itemId, output_index: view.index, input: text }
          : { type: 'response.function_call_arguments.done', item_id: view.itemId, output_index: view.index, arguments: text },
      );
    }
    view.arguments = text;
    view.streamed = '';
    view.done = true;
    out.push({ type: 'response.output_item.done', output_index: view.index, item: this.toolItem(view, view.itemId, status) });
  }

  /** The call's result, as the item the Responses API carries a call's output in. */
  private toolOutput(out: JsonObject[], view: ToolView, output: string, status: string, done: boolean): void {
    const item = (itemId: string): JsonObject => ({ type: view.custom ? 'custom_tool_call_output' : 'function_call_output', id: itemId, call_id: view.callId, output, status });
    if (!view.output) {
      const { index, itemId } = this.addItem(out, view.custom ? 'ctco' : 'fco', item, done);
      view.output = { index, itemId, output, done };
      return;
    }
    out.push({ type: 'response.output_item.done', output_index: view.output.index, item: item(view.output.itemId) });
    view.output.output = output;
    view.output.done = done;
  }

  private dataPart(out: JsonObject[], chunk: JsonObject, type: string): void {
    const key = typeof chunk.id === 'string' ? `${type}\u0000${chunk.id}` : undefined;
    const item = (itemId: string): JsonObject => ({ type, id: itemId, ...(typeof chunk.id === 'string' ? { partId: chunk.id } : {}), data: chunk.data ?? null });
    const known = key === undefined ? undefined : this.dataItems.get(key);
    if (known) {
      out.push({ type: 'response.output_item.done', output_index: known.index, item: item(known.itemId) });
      return;
    }
    const placed = this.addItem(out, 'data', item, true);
    if (key !== undefined) this.dataItems.set(key, placed);
  }

  end(): { events: JsonObject[]; closing: ClosingFields } {
    const events: JsonObject[] = [];
    let leftOpen = false;
    try {
      for (const view of this.texts.values()) {
        if (!view.open) continue;
        leftOpen = true;
        this.closeText(events, view, 'incomplete');
      }
      for (const view of this.reasonings.values()) {
        leftOpen = true;
        this.closeReasoning(events, view, 'incomplete');
      }
      for (const view of this.tools.values()) {
        if (!view.done) {
          leftOpen = true;
          this.closeTool(events, view, view.streamed || view.arguments, 'incomplete');
        }
        if (view.output && !view.output.done) {
          leftOpen = true;
          this.toolOutput(events, view, view.output.output, 'incomplete', true);
        }
      }
      this.flushSources(events);
    } catch {
      // Closing what is open cannot fail on any input; should it, the response still closes below.
    }
    this.texts.clear();
    this.reasonings.clear();
    return { events, closing: this.closing(leftOpen) };
  }

  private closing(leftOpen: boolean): ClosingFields {
    const closing: ClosingFields = { status: 'completed' };
    if (this.messageId !== undefined) closing.id = this.messageId;
    const metadata = (this.builder.snapshot as { metadata?: Value }).metadata;
    if (metadata !== undefined && metadata !== null) closing.metadata = metadata;
    const incomplete = (reason: string) => {
      closing.status = 'incomplete';
      closing.incomplete_details = { reason };
    };
    if (this.failure) {
      closing.status = 'failed';
      closing.error = this.failure.name === 'error' ? { message: this.failure.message } : { code: this.failure.name, message: this.failure.message };
    } else if (this.finishReason === 'error') {
      closing.status = 'failed';
      closing.error = { message: 'The stream finished for an error it did not describe.' };
    } else if (this.aborted) {
      incomplete('aborted');
      if (this.aborted.reason !== undefined) closing.incomplete_details = { reason: 'aborted', message: this.aborted.reason };
    } else if (this.finishReason !== undefined && FINISH_REASONS_INCOMPLETE[this.finishReason] !== undefined) {
      incomplete(FINISH_REASONS_INCOMPLETE[this.finishReason] as string);
    } else if (leftOpen && !this.finished) {
      incomplete('interrupted');
    }
    return closing;
  }
}

export function createAiSdkUiTranslator(): ProtocolTranslator {
  return new AiSdkUiTranslator();
}
