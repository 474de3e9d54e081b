/**
 * OpenAI-style Chat Completions streams: OpenAI's own and those of the servers that copy its wire format (Azure,
 * DeepSeek, Groq, Mistral, OpenRouter, xAI, llama.cpp…). Each SSE data frame is a `chat.completion.chunk`; a bare
 * `{"error": …}` frame (Groq's `event: error`) or a chunk carrying a top-level `error` (OpenRouter's) reports a failure.
 *
 * `result` is what openai-node's `ChatCompletionStream.finalChatCompletion()` returns for the same chunks: the chunks
 * are accumulated as its `#accumulateChatCompletion` does (quirks included: a delta's unknown fields overwrite rather
 * than append, a content array is concatenated as a string, only chunks with an id update the top-level fields), and
 * finished as its `finalizeChatCompletion` does. Where the SDK throws, the first error it would throw is kept; the
 * response then ends `failed` with that error, and `result` is what had been built when it threw.
 *
 * The Responses view: every choice becomes its items (its reasoning text, its message with the text and any refusal,
 * one item per tool call), the items of a choice after the first placed after the first's (a later choice's chunks
 * wait until the choices before it finish).
 */
import { copyJson } from './assembler.ts';
import { asObject } from './streamed-values.ts';
import { stringifyJson } from './json-text.ts';
import type { ClosingFields, ProtocolTranslator } from './protocols.ts';
import { isJsonObject, numberField, type JsonObject, type JsonValue, type ResponseError, type Usage } from './response-types.ts';


/** A finite number at `key` of an object that may be missing. */
function fieldNumber(object: JsonObject | undefined, key: string): number | undefined {
  return object ? numberField(object, key) : undefined;
}

/** The SDK's bounds on a choice's and a tool call's index: past them it throws. */
const MAX_STREAM_CHOICES = 128;
const MAX_STREAM_TOOL_CALLS = 128;

/** An error the SDK throws at this point of the stream. */
class SdkError extends Error {}

// ── JSON values, copied and set as the SDK's spreads and `Object.assign` do ──

/** Sets an own data property, `__proto__` included (an assignment would change the prototype instead). */
function setOwn(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}


/** `Object.assign(target, source)`, for a source of the translator's own (its values are not the input's). */
function assignOwn(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) setOwn(target, key, source[key]);
}

/** The object without the given keys (a copy of the rest), as a rest pattern gives it. */
function without(source: JsonObject, keys: readonly string[]): JsonObject {
  const rest: JsonObject = {};
  for (const key of Object.keys(source)) if (!keys.includes(key)) setOwn(rest, key, copyJson(source[key]));
  return rest;
}

/** A value as JavaScript's `+` with a string writes it (an array of objects as "[object Object]"…); throws as it would. */
function asConcatenated(value: JsonValue | undefined): string {
  try {
    return String(value);
  } catch (error) {
    throw new SdkError(error instanceof Error ? error.message : 'Cannot convert object to primitive value');
  }
}

/** A value in a template string, as the SDK's messages quote it; never throws. */
function quoted(value: JsonValue | undefined): string {
  try {
    return String(value);
  } catch {
    return '[object Object]';
  }
}

function isIndexBelow(value: JsonValue | undefined, bound: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < bound;
}


/** The properties JavaScript finds on a value: an array's too (the SDK writes a message's fields on whatever holds it). */
function propertiesOf(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null ? (value as JsonObject) : undefined;
}

/** Reads and writes the properties of any value as the SDK's strict-mode code does: a primitive has none and refuses a write. */
class Holder {
  constructor(private readonly value: JsonValue | undefined) {}

  get(key: string): JsonValue | undefined {
    if (this.value === null || this.value === undefined) throw new SdkError(`Cannot read properties of ${String(this.value)} (reading '${key}')`);
    return typeof this.value === 'object' ? (this.value as JsonObject)[key] : undefined;
  }

  set(key: string, next: JsonValue): void {
    if (this.value === null || this.value === undefined) throw new SdkError(`Cannot set properties of ${String(this.value)} (setting '${key}')`);
    if (typeof this.value !== 'object') throw new SdkError(`Cannot create property '${key}' on ${typeof this.value} '${quoted(this.value)}'`);
    setOwn(this.value as JsonObject, key, next);
  }
}

/** The items of what a spread or `for…of` goes through: an array, a string's characters; anything else throws as it would. */
function iterated(value: JsonValue, what: string): JsonValue[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  throw new SdkError(`${what} is not iterable`);
}

/** The tool call id the SDK makes up for a call the stream gave none (a random one there; one named by its place here). */
function generatedCallId(choiceIndex: JsonValue | undefined, toolIndex: number): string {
  return `call_${quoted(choiceIndex)}_${toolIndex}`;
}

function isCompleteAudio(audio: JsonValue | undefined): boolean {
  return isJsonObject(audio) && audio.id != null && audio.data != null && audio.transcript != null && audio.expires_at != null;
}

// ── the SDK's accumulation ──

interface ToolCallEventState {
  current: number | null;
  done: Set<number>;
}

/** openai-node's `ChatCompletionStream` snapshot of the chunks so far, and the first error it throws. */
class CompletionAccumulator {
  /** The snapshot's fields besides `choices`: the first chunk's, then every chunk with an id assigned over them. */
  top: JsonObject | undefined;
  /** By choice index; a choice index never sent is a hole, as in the SDK's array. */
  choices: Array<JsonObject | undefined> = [];
  /** The error the SDK threw mid-stream: it reads nothing after it. */
  failure: string | undefined;
  private audioDoneChoices = new Set<number>();
  /** The SDK's per-choice record of the tool call it streams, for its `tool_calls.function.arguments.done` event. */
  private toolCallStates = new Map<number, ToolCallEventState>();

  /** One chunk, accumulated as the SDK does; after an error the SDK threw, nothing more. */
  add(chunk: JsonObject): void {
    if (this.failure !== undefined) return;
    try {
      this.accumulate(chunk);
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  /** The SDK stopped here, with this error (an error the server sent, which it throws as an `APIError`). */
  failWith(message: string): void {
    this.failure ??= message;
  }

  private accumulate(chunk: JsonObject): void {
    const rest = without(chunk, ['choices', 'obfuscation']);
    if (!this.top) this.top = rest;
    else if (chunk.id) assignOwn(this.top, rest);
    const chunkChoices = chunk.choices;
    if (chunkChoices === undefined || chunkChoices === null) throw new SdkError('chunk.choices is not iterable');
    // The SDK keys a map by each choice object: the characters of a string are refused there.
    if (typeof chunkChoices === 'string' && chunkChoices !== '') throw new SdkError('Invalid value used as weak map key');
    const captured: Array<[number, number[]]> = [];
    for (const chunkChoice of iterated(chunkChoices, 'chunk.choices')) {
      if (chunkChoice === null) throw new SdkError("Cannot read properties of null (reading 'finish_reason')");
      const source = asObject(chunkChoice) ?? {};
      const { delta, finish_reason: finishReason, index, logprobs = null } = source;
      const other = without(source, ['delta', 'finish_reason', 'index', 'logprobs']);
      if (!isIndexBelow(index, MAX_STREAM_CHOICES)) throw new SdkError(`Chat completion stream contains an invalid choice index: ${quoted(index)}`);
      let choice = this.choices[index];
      if (!choice) {
        choice = { finish_reason: copyJson(finishReason) ?? null, index, message: {}, logprobs: null };
        assignOwn(choice, other);
        this.choices[index] = choice;
      }
      if (logprobs) this.addLogprobs(choice, logprobs);
      if (finishReason) choice.finish_reason = copyJson(finishReason);
      assignOwn(choice, other);
      const toolIndexes: number[] = [];
      captured.push([index, toolIndexes]);
      if (!delta) continue;
      this.audioDoneChoices.delete(index);
      this.addDelta(choice, index, asObject(delta) ?? {}, toolIndexes);
    }
    for (const [index, toolIndexes] of captured) this.followToolCalls(index, toolIndexes);
  }

  private addLogprobs(choice: JsonObject, logprobs: JsonValue): void {
    const source = asObject(logprobs) ?? {};
    const { content, refusal } = source;
    const rest = without(source, ['content', 'refusal']);
    const existing = asObject(choice.logprobs);
    if (existing) {
      assignOwn(existing, rest);
      for (const [key, value] of [['content', content], ['refusal', refusal]] as const) {
        if (!value) continue;
        let list = existing[key];
        if (list === undefined || list === null) {
          list = [];
          existing[key] = list;
        }
        if (!Array.isArray(list)) throw new SdkError(`choice.logprobs.${key}.push is not a function`);
        for (const entry of iterated(value, `logprobs.${key}`)) list.push(copyJson(entry));
      }
      return;
    }
    const copy = copyJson(source);
    if (content) copy.content = iterated(content, 'logprobs.content').map((entry) => copyJson(entry));
    if (refusal) copy.refusal = iterated(refusal, 'logprobs.refusal').map((entry) => copyJson(entry));
    choice.logprobs = copy;
  }

  private addDelta(choice: JsonObject, index: number, delta: JsonObject, toolIndexes: number[]): void {
    const { audio, content, refusal, function_call: functionCall, role, tool_calls: toolCalls } = delta;
    const rest = without(delta, ['audio', 'content', 'refusal', 'function_call', 'role', 'tool_calls']);
    if (choice.message === null || choice.message === undefined) throw new SdkError('Cannot convert undefined or null to object');
    // A provider's own `message` beside the delta (Writer's) may have replaced the SDK's: it is written to as it is.
    const message = new Holder(choice.message);
    if (typeof choice.message === 'object') assignOwn(choice.message as JsonObject, rest);
    const audioObject = asObject(audio);
    if (
      audioObject?.expires_at != null &&
      audioObject.id == null &&
      audioObject.data == null &&
      audioObject.transcript == null &&
      content == null &&
      refusal == null &&
      functionCall == null &&
      role == null &&
      toolCalls == null &&
      Object.keys(rest).length === 0
    ) {
      this.audioDoneChoices.add(index);
    }
    if (refusal) message.set('refusal', asConcatenated(message.get('refusal') || '') + asConcatenated(refusal));
    if (role) message.set('role', copyJson(role));
    if (audio) {
      let snapshot = message.get('audio');
      if (snapshot === undefined || snapshot === null) {
        snapshot = {};
        message.set('audio', snapshot);
      }
      const holder = new Holder(snapshot);
      const part = audioObject ?? {};
      if (part.id != null) holder.set('id', copyJson(part.id));
      if (part.data != null) holder.set('data', asConcatenated(holder.get('data') ?? '') + asConcatenated(part.data));
      if (part.transcript != null) holder.set('transcript', asConcatenated(holder.get('transcript') ?? '') + asConcatenated(part.transcript));
      if (part.expires_at != null) holder.set('expires_at', copyJson(part.expires_at));
    }
    if (functionCall) {
      const existing = message.get('function_call');
      if (existing) {
        const holder = new Holder(existing);
        const part = asObject(functionCall) ?? {};
        if (part.name) holder.set('name', copyJson(part.name));
        if (part.arguments) holder.set('arguments', asConcatenated(holder.get('arguments') ?? '') + asConcatenated(part.arguments));
      } else {
        message.set('function_call', copyJson(functionCall));
      }
    }
    if (content != null) message.set('content', asConcatenated(message.get('content') || '') + asConcatenated(content));
    if (toolCalls) this.addToolCalls(message, toolCalls, toolIndexes);
  }

  private addToolCalls(message: Holder, toolCalls: JsonValue, toolIndexes: number[]): void {
    let snapshots = message.get('tool_calls');
    if (snapshots === undefined || snapshots === null) {
      snapshots = [];
      message.set('tool_calls', snapshots);
    }
    if (!Array.isArray(snapshots)) throw new SdkError('The message\'s tool_calls is not a list');
    for (const toolCallDelta of iterated(toolCalls, 'tool_calls')) {
      if (toolCallDelta === null) throw new SdkError("Cannot destructure 'toolCallDelta' as it is null.");
      const source = asObject(toolCallDelta) ?? {};
      const { index, id, type, function: fn, custom } = source;
      const rest = without(source, ['index', 'id', 'type', 'function', 'custom']);
      if (!isIndexBelow(index, MAX_STREAM_TOOL_CALLS)) throw new SdkError(`Chat completion stream contains an invalid tool call index: ${quoted(index)}`);
      let toolCall = snapshots[index];
      if (toolCall === undefined || toolCall === null) {
        toolCall = {};
        snapshots[index] = toolCall;
      }
      if (!isJsonObject(toolCall)) throw new SdkError(`Cannot create property 'id' on ${typeof toolCall} '${quoted(toolCall)}'`);
      assignOwn(toolCall, rest);
      if (id) toolCall.id = copyJson(id);
      if (type) toolCall.type = copyJson(type);
      if (custom) {
        const part = asObject(custom) ?? {};
        let snapshot = toolCall.custom;
        if (snapshot === undefined || snapshot === null) {
          snapshot = { name: copyJson(part.name) ?? '', input: '' };
          toolCall.custom = snapshot;
        }
        if (!isJsonObject(snapshot)) throw new SdkError("Cannot create property 'name' on a value that is not an object");
        if (part.name) snapshot.name = copyJson(part.name);
        if (part.input) snapshot.input = asConcatenated(snapshot.input) + asConcatenated(part.input);
      }
      if (fn) {
        const part = asObject(fn) ?? {};
        let snapshot = toolCall.function;
        if (snapshot === undefined || snapshot === null) {
          snapshot = { name: copyJson(part.name) ?? '', arguments: '' };
          toolCall.function = snapshot;
        }
        if (!isJsonObject(snapshot)) throw new SdkError("Cannot create property 'name' on a value that is not an object");
        if (part.name) snapshot.name = copyJson(part.name);
        if (part.arguments != null) snapshot.arguments = asConcatenated(snapshot.arguments) + asConcatenated(part.arguments);
      }
      toolIndexes.push(index);
    }
  }

  /**
   * The SDK's events after a chunk: when a choice moves on to another tool call, or finishes, it reports the tool
   * call it was streaming as done, and throws if that call never got a `type`.
   */
  private followToolCalls(index: number, toolIndexes: number[]): void {
    const choice = this.choices[index];
    if (!choice) return;
    if (choice.message === null || choice.message === undefined) throw new SdkError(`Cannot read properties of ${String(choice.message)} (reading 'refusal')`);
    let state = this.toolCallStates.get(index);
    if (!state) {
      state = { current: null, done: new Set() };
      this.toolCallStates.set(index, state);
    }
    if (choice.finish_reason && state.current !== null) this.toolCallDone(choice, state, state.current);
    for (const toolIndex of toolIndexes) {
      if (state.current !== toolIndex && state.current !== null) this.toolCallDone(choice, state, state.current);
      state.current = toolIndex;
    }
    // Its arguments event then reads `function.arguments` of each call the chunk named: a call typed `function` may have none.
    for (const toolIndex of toolIndexes) {
      const toolCall = asObject(this.toolCallAt(choice, toolIndex));
      if (toolCall?.type === 'function' && (toolCall.function === undefined || toolCall.function === null)) {
        throw new SdkError(`Cannot read properties of ${String(toolCall.function)} (reading 'arguments')`);
      }
    }
  }

  private toolCallAt(choice: JsonObject, toolIndex: number): JsonValue | undefined {
    const list = propertiesOf(choice.message)?.tool_calls;
    return Array.isArray(list) ? list[toolIndex] : undefined;
  }

  private toolCallDone(choice: JsonObject, state: ToolCallEventState, toolIndex: number): void {
    if (state.done.has(toolIndex)) return;
    const toolCall = this.toolCallAt(choice, toolIndex);
    if (!toolCall) throw new SdkError('no tool call snapshot');
    const call = asObject(toolCall);
    const type = call?.type;
    if (!type) throw new SdkError('tool call snapshot missing `type`');
    if (type !== 'function') return;
    if (call?.function === undefined || call.function === null) throw new SdkError(`Cannot read properties of ${String(call?.function)} (reading 'arguments')`);
    if (choice.finish_reason) state.done.add(toolIndex);
  }

  /**
   * The completion `finalizeChatCompletion` returns for the snapshot, and the first error the SDK throws on the way
   * to it (or threw before). Where it throws, the completion is made as far as it goes, without throwing.
   */
  finish(): { completion: JsonObject; failure: string | undefined } {
    let failure = this.failure;
    const fail = (message: string) => {
      failure ??= message;
    };
    const top = this.top;
    if (!top) return { completion: {}, failure: failure ?? 'request ended without sending any chunks' };
    this.validate(fail);
    const choices: JsonObject[] = [];
    for (const choice of this.choices) if (choice) choices.push(this.finishChoice(choice, fail));
    // The SDK then goes through every choice and tool call for their ids: a hole in either list is a TypeError there.
    for (const choice of this.choices) {
      if (!choice) {
        fail("Cannot read properties of undefined (reading 'message')");
        continue;
      }
      const message = propertiesOf(choice.message);
      const list = message?.tool_calls;
      if (!message?.function_call && Array.isArray(list) && Object.keys(list).length < list.length) fail("Cannot read properties of undefined (reading 'id')");
    }
    const { id, created, model, system_fingerprint: fingerprint } = top;
    const rest = without(top, ['id', 'choices', 'created', 'model', 'system_fingerprint']);
    const completion: JsonObject = { ...rest, id, choices, created, model, object: 'chat.completion', ...(fingerprint ? { system_fingerprint: fingerprint } : {}) };
    return { completion, failure };
  }

  /** The SDK's check of its snapshot before it finishes it. */
  private validate(fail: (message: string) => void): void {
    for (const choice of this.choices) {
      if (!choice) continue;
      const message = propertiesOf(choice.message);
      if (!message) {
        fail('Chat completion stream contains an unsafe structured JSON snapshot');
        continue;
      }
      for (const key of ['refusal', 'content']) {
        const value = message[key];
        if (value !== undefined && value !== null && typeof value !== 'string') fail('Chat completion stream contains an unsafe structured JSON snapshot');
      }
      if (!Object.prototype.hasOwnProperty.call(message, 'tool_calls')) continue;
      const toolCalls = message.tool_calls;
      if (!Array.isArray(toolCalls)) fail('Chat completion stream contains an unsafe snapshot tool-call collection');
      else if (toolCalls.length > MAX_STREAM_TOOL_CALLS) fail('Chat completion stream exceeded its snapshot tool-call limit');
    }
  }

  private finishChoice(choice: JsonObject, fail: (message: string) => void): JsonObject {
    const { message: source, finish_reason: finishReason, index, logprobs } = choice;
    const choiceRest = without(choice, ['message', 'finish_reason', 'index', 'logprobs']);
    const message = propertiesOf(source) ?? {};
    const { content = null, function_call: functionCall, tool_calls: toolCalls, audio, role } = message;
    const messageRest = without(message, ['content', 'function_call', 'tool_calls', 'audio']);
    const audioDone = typeof index === 'number' && this.audioDoneChoices.has(index) && isCompleteAudio(audio);
    const finish = finishReason || (audioDone ? 'stop' : null);
    if (!finish) fail(`missing finish_reason for choice ${quoted(index)}`);
    const audioField: JsonObject = audio ? { audio: copyJson(audio) } : {};
    if (!role) fail(`missing role for choice ${quoted(index)}`);
    const refusal = copyJson(message.refusal) ?? null;
    if (functionCall) {
      const call = asObject(functionCall) ?? {};
      const { arguments: args, name } = call;
      if (args == null) fail(`missing function_call.arguments for choice ${quoted(index)}`);
      if (!name) fail(`missing function_call.name for choice ${quoted(index)}`);
      return {
        ...choiceRest,
        message: { ...audioField, content: copyJson(content), function_call: { arguments: copyJson(args), name: copyJson(name) }, role: copyJson(role), refusal, parsed: null },
        finish_reason: finish,
        index,
        logprobs: copyJson(logprobs),
      };
    }
    if (toolCalls) {
      const list = Array.isArray(toolCalls) ? toolCalls : [];
      const calls: JsonObject[] = [];
      list.forEach((toolCall, position) => calls.push(this.finishToolCall(toolCall, index, position, fail)));
      return {
        ...choiceRest,
        index,
        finish_reason: finish,
        logprobs: copyJson(logprobs),
        message: { ...messageRest, ...audioField, role: copyJson(role), content: copyJson(content), refusal, tool_calls: calls, parsed: null },
      };
    }
    return {
      ...choiceRest,
      message: { ...messageRest, ...audioField, content: copyJson(content), role: copyJson(role), refusal, parsed: null },
      finish_reason: finish,
      index,
      logprobs: copyJson(logprobs),
    };
  }

  private finishToolCall(toolCall: JsonValue, choiceIndex: JsonValue | undefined, position: number, fail: (message: string) => void): JsonObject {
    const source = asObject(toolCall) ?? {};
    const where = `choices[${quoted(choiceIndex)}].tool_calls[${position}]`;
    const { type, id } = source;
    if (type == null) fail(`missing ${where}.type`);
    const callId = id || generatedCallId(choiceIndex, position);
    if (type === 'custom') {
      const toolRest = without(source, ['custom', 'type', 'id']);
      const custom = asObject(source.custom) ?? {};
      const { input = '', name } = custom;
      if (name == null) fail(`missing ${where}.custom.name`);
      return { ...toolRest, id: callId, type, custom: { ...without(custom, ['input', 'name']), name, input } };
    }
    const toolRest = without(source, ['function', 'type', 'id']);
    const fn = asObject(source.function) ?? {};
    const { arguments: args, name } = fn;
    if (name == null) fail(`missing ${where}.function.name`);
    if (args == null) fail(`missing ${where}.function.arguments`);
    return { ...toolRest, id: callId, type: copyJson(type), function: { ...without(fn, ['arguments', 'name']), name: copyJson(name), arguments: copyJson(args) } };
  }

  clone(): CompletionAccumulator {
    const copy = new CompletionAccumulator();
    copy.top = this.top && copyJson(this.top);
    copy.choices = new Array<JsonObject | undefined>(this.choices.length);
    this.choices.forEach((choice, index) => {
      copy.choices[index] = copyJson(choice);
    });
    copy.failure = this.failure;
    copy.audioDoneChoices = new Set(this.audioDoneChoices);
    for (const [index, state] of this.toolCallStates) copy.toolCallStates.set(index, { current: state.current, done: new Set(state.done) });
    return copy;
  }
}

// ── the Responses view ──

interface ReasoningView {
  kind: 'reasoning';
  id: string;
  outputIndex: number;
  text: string;
  encrypted: string | undefined;
}

interface PartView {
  type: 'output_text' | 'refusal';
  text: string;
  annotations: JsonObject[];
}

interface MessageView {
  kind: 'message';
  id: string;
  outputIndex: number;
  parts: PartView[];
  textPart: number | undefined;
  refusalPart: number | undefined;
}

interface ToolView {
  kind: 'function_call' | 'custom_tool_call';
  id: string;
  outputIndex: number;
  callId: string;
  name: string;
  value: string;
  /** Where the SDK would find the call: its tool call index, or -1 for the legacy `function_call`. */
  toolIndex: number;
}

type ItemView = ReasoningView | MessageView | ToolView;

/** What one choice has shown so far: its open items, in output order. */
interface ChoiceView {
  index: number;
  items: ItemView[];
  reasoning: ReasoningView | undefined;
  message: MessageView | undefined;
  tools: Map<number, ToolView>;
  logprobs: JsonValue[];
  finishReason: string | undefined;
}

function cloneItem(item: ItemView): ItemView {
  if (item.kind === 'message') return { ...item, parts: item.parts.map((part) => ({ ...part, annotations: part.annotations.slice() })) };
  return { ...item };
}

function cloneChoiceView(view: ChoiceView): ChoiceView {
  const items = view.items.map(cloneItem);
  const copyOf = <T extends ItemView>(item: T | undefined): T | undefined => (item === undefined ? undefined : (items[view.items.indexOf(item)] as T | undefined));
  const tools = new Map<number, ToolView>();
  for (const [key, tool] of view.tools) {
    const copy = copyOf(tool);
    if (copy) tools.set(key, copy);
  }
  return { ...view, items, reasoning: copyOf(view.reasoning), message: copyOf(view.message), tools, logprobs: view.logprobs.slice() };
}

/** A Chat Completions annotation (`{type, url_citation: {…}}`) in the Responses API's flat shape. */
function responsesAnnotation(annotation: JsonObject): JsonObject | undefined {
  if (typeof annotation.type !== 'string') return undefined;
  const nested = asObject(annotation[annotation.type]);
  if (annotation.type === 'url_citation' && nested) {
    const flat: JsonObject = { type: 'url_citation' };
    for (const key of ['url', 'title', 'start_index', 'end_index']) if (nested[key] !== undefined) flat[key] = copyJson(nested[key]);
    return flat;
  }
  return copyJson(annotation);
}

/** A value that should be text but is not (arguments sent as an object): its JSON. */
function asText(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return stringifyJson(value);
}

function nonEmptyString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}


/** A Chat Completions usage in the Responses API's shape; `total_tokens` stays the provider's own when it gives one. */
function responsesUsageOf(usage: JsonObject): Usage {
  const input = fieldNumber(usage, 'prompt_tokens') ?? 0;
  const output = fieldNumber(usage, 'completion_tokens') ?? 0;
  const promptDetails = asObject(usage.prompt_tokens_details);
  const completionDetails = asObject(usage.completion_tokens_details);
  const inputDetails: NonNullable<Usage['input_tokens_details']> = {
    // DeepSeek reports its cache hits beside the details.
    cached_tokens: fieldNumber(promptDetails, 'cached_tokens') ?? fieldNumber(usage, 'prompt_cache_hit_tokens') ?? 0,
  };
  const cacheWrite = fieldNumber(promptDetails, 'cache_write_tokens');
  if (cacheWrite !== undefined) inputDetails.cache_write_tokens = cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: inputDetails,
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: fieldNumber(completionDetails, 'reasoning_tokens') ?? 0 },
    total_tokens: fieldNumber(usage, 'total_tokens') ?? input + output,
  };
}

/** An error a provider sent (a bare error frame's, a chunk's `error`), as the response's `error`. */
function responseError(source: JsonValue | undefined): ResponseError {
  const error: ResponseError = isJsonObject(source) ? copyJson(source) : {};
  error.message = apiErrorMessage(source);
  const code = isJsonObject(source) ? source.code : undefined;
  error.code = typeof code === 'string' ? code : typeof code === 'number' ? String(code) : null;
  return error;
}

/** The message of the `APIError` openai-node throws for an error the stream carries. */
function apiErrorMessage(error: JsonValue | undefined): string {
  const message = isJsonObject(error) ? error.message : undefined;
  if (message) return typeof message === 'string' ? message : stringifyJson(message);
  if (error) return stringifyJson(error);
  return '(no status code or body)';
}

/** Finish reasons that leave the response incomplete, with the Responses API's reason for each. */
const INCOMPLETE_REASONS: ReadonlyMap<string, string> = new Map([
  ['length', 'max_output_tokens'],
  ['content_filter', 'content_filter'],
]);

class ChatCompletionsTranslator implements ProtocolTranslator {
  readonly protocol = 'chat.completions' as const;
  done = false;
  private accumulator = new CompletionAccumulator();
  private finished: { completion: JsonObject; failure: string | undefined } | undefined;
  private created = false;
  private nextOutputIndex = 0;
  /** The choice whose chunks are shown as they come; the others' wait in `waiting` until it finishes. */
  private liveChoice: number | undefined;
  private waiting = new Map<number, JsonObject[]>();
  private views = new Map<number, ChoiceView>();
  /** Finish reasons as the choices gave them, by choice index. */
  private finishReasons = new Map<number, string>();
  /** The error a provider sent, when the SDK had not thrown before it: what the call fails with. */
  private providerError: ResponseError | undefined;
  private lastUsage: JsonObject | undefined;
  /** Groq's usage, inside `x_groq`: used when no top-level one came. */
  private lastGroqUsage: JsonObject | undefined;
  private ended = false;

  get result(): JsonObject {
    this.finished ??= this.accumulator.finish();
    return this.finished.completion;
  }

  translate(event: JsonObject, type: string): JsonObject[] {
    const out: JsonObject[] = [];
    if (this.ended) return out;
    this.finished = undefined;
    try {
      if (type === 'error' || (!Array.isArray(event.choices) && event.object !== 'chat.completion.chunk' && event.error)) this.readErrorFrame(event, out);
      else if (Array.isArray(event.choices) || event.object === 'chat.completion.chunk') this.readChunk(event, out);
    } catch {
      // Every input is read without throwing; this only keeps a fault here from stopping the stream's reading.
    }
    return out;
  }

  end(): { events: JsonObject[]; closing: ClosingFields } {
    const out: JsonObject[] = [];
    this.finished = undefined;
    if (this.ended) return { events: out, closing: this.closing() };
    this.ended = true;
    try {
      this.startResponse(undefined, out);
      const live = this.liveChoice === undefined ? undefined : this.views.get(this.liveChoice);
      if (live) this.closeChoice(live, out);
      this.liveChoice = undefined;
      for (const index of [...this.waiting.keys()].sort((a, b) => a - b)) {
        const queued = this.waiting.get(index) ?? [];
        this.waiting.delete(index);
        for (const choice of queued) this.showChoice(choice, out);
        const view = this.views.get(index);
        if (view) this.closeChoice(view, out);
      }
    } catch {
      // As in `translate`.
    }
    return { events: out, closing: this.closing() };
  }

  clone(): ChatCompletionsTranslator {
    const copy = new ChatCompletionsTranslator();
    copy.done = this.done;
    copy.accumulator = this.accumulator.clone();
    copy.created = this.created;
    copy.nextOutputIndex = this.nextOutputIndex;
    copy.liveChoice = this.liveChoice;
    for (const [index, queued] of this.waiting) copy.waiting.set(index, queued.slice());
    for (const [index, view] of this.views) copy.views.set(index, cloneChoiceView(view));
    copy.finishReasons = new Map(this.finishReasons);
    copy.providerError = this.providerError && copyJson(this.providerError);
    copy.lastUsage = this.lastUsage;
    copy.lastGroqUsage = this.lastGroqUsage;
    copy.ended = this.ended;
    return copy;
  }

  // ── reading ──

  /** A bare error frame: the SDK throws it as an `APIError`; the stream ends there. */
  private readErrorFrame(event: JsonObject, out: JsonObject[]): void {
    const error = isJsonObject(event.error) ? event.error : event;
    this.reportError(error, out);
    this.done = true;
  }

  private reportError(source: JsonValue, out: JsonObject[]): void {
    const error = responseError(source);
    if (this.accumulator.failure === undefined) this.providerError = error;
    this.accumulator.failWith(apiErrorMessage(source));
    this.startResponse(undefined, out);
    out.push({ type: 'error', error: copyJson(error) });
  }

  private readChunk(chunk: JsonObject, out: JsonObject[]): void {
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    if (nonEmptyString(chunk.id) !== undefined || choices.length > 0) this.startResponse(chunk, out);
    // OpenRouter reports a failure mid-stream as a chunk with a top-level `error`: the SDK throws it before reading the chunk.
    if (chunk.error) this.reportError(chunk.error, out);
    else this.accumulator.add(chunk);
    if (isJsonObject(chunk.usage)) this.lastUsage = chunk.usage;
    const groqUsage = asObject(asObject(chunk.x_groq)?.usage);
    if (groqUsage) this.lastGroqUsage = groqUsage;
    for (const choice of choices) if (isJsonObject(choice)) this.routeChoice(choice, out);
  }

  /** `response.created`, once: with the id and model of the first chunk that has them (Azure's first has empty ones). */
  private startResponse(chunk: JsonObject | undefined, out: JsonObject[]): void {
    if (this.created) return;
    this.created = true;
    const response: JsonObject = { object: 'response', status: 'in_progress', output: [], usage: null };
    const id = nonEmptyString(chunk?.id);
    const model = nonEmptyString(chunk?.model);
    if (id !== undefined) response.id = id;
    if (model !== undefined) response.model = model;
    const created = chunk?.created;
    if (typeof created === 'number' && created > 0) response.created_at = created;
    out.push({ type: 'response.created', response });
  }

  private routeChoice(choice: JsonObject, out: JsonObject[]): void {
    const index = choice.index;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return;
    this.liveChoice ??= index;
    if (index !== this.liveChoice) {
      const queued = this.waiting.get(index);
      if (queued) queued.push(choice);
      else this.waiting.set(index, [choice]);
      return;
    }
    this.showChoice(choice, out);
    if (choice.finish_reason) this.nextChoice(out);
  }

  /** The live choice finished: the next waiting one (the lowest index) is shown, its chunks so far at once. */
  private nextChoice(out: JsonObject[]): void {
    for (;;) {
      const waiting = [...this.waiting.keys()];
      if (waiting.length === 0) {
        this.liveChoice = undefined;
        return;
      }
      const next = Math.min(...waiting);
      const queued = this.waiting.get(next) ?? [];
      this.waiting.delete(next);
      this.liveChoice = next;
      for (const choice of queued) this.showChoice(choice, out);
      if (!queued.some((choice) => choice.finish_reason)) return;
    }
  }

  private viewOf(index: number): ChoiceView {
    let view = this.views.get(index);
    if (!view) {
      view = { index, items: [], reasoning: undefined, message: undefined, tools: new Map(), logprobs: [], finishReason: undefined };
      this.views.set(index, view);
    }
    return view;
  }

  /** One chunk choice, in Responses events. */
  private showChoice(choice: JsonObject, out: JsonObject[]): void {
    const view = this.viewOf(choice.index as number);
    const delta = asObject(choice.delta);
    if (delta) this.showDelta(view, delta, out);
    const logprobs = asObject(choice.logprobs)?.content;
    if (Array.isArray(logprobs)) for (const entry of logprobs) view.logprobs.push(copyJson(entry));
    const finishReason = choice.finish_reason;
    if (finishReason) {
      const reason = typeof finishReason === 'string' ? finishReason : quoted(finishReason);
      view.finishReason = reason;
      this.finishReasons.set(view.index, reason);
      this.closeChoice(view, out);
    }
  }

  private showDelta(view: ChoiceView, delta: JsonObject, out: JsonObject[]): void {
    // Reasoning text comes as `reasoning_content` (DeepSeek, llama.cpp), `reasoning` (OpenRouter, Groq), or in `reasoning_details`.
    const reasoning = nonEmptyString(delta.reasoning_content) ?? nonEmptyString(delta.reasoning);
    if (reasoning !== undefined) this.appendReasoning(view, reasoning, out);
    if (Array.isArray(delta.reasoning_details)) {
      for (const detail of delta.reasoning_details) {
        if (!isJsonObject(detail)) continue;
        const encrypted = detail.type === 'reasoning.encrypted' ? nonEmptyString(detail.data) : undefined;
        if (encrypted !== undefined) this.reasoningItem(view, out).encrypted = encrypted;
        if (reasoning !== undefined) continue;
        const text = detail.type === 'reasoning.text' ? nonEmptyString(detail.text) : detail.type === 'reasoning.summary' ? nonEmptyString(detail.summary) : undefined;
        if (text !== undefined) this.appendReasoning(view, text, out);
      }
    }
    const content = delta.content;
    if (typeof content === 'string') {
      if (content !== '') this.appendPart(view, 'output_text', content, out);
    } else if (Array.isArray(content)) {
      this.showContentParts(view, content, out);
    }
    const refusal = nonEmptyString(delta.refusal);
    if (refusal !== undefined) this.appendPart(view, 'refusal', refusal, out);
    if (Array.isArray(delta.annotations)) {
      for (const annotation of delta.annotations) {
        const converted = isJsonObject(annotation) ? responsesAnnotation(annotation) : undefined;
        if (converted) this.addAnnotation(view, converted, out);
      }
    }
    const audio = asObject(delta.audio);
    if (audio) {
      const transcript = nonEmptyString(audio.transcript);
      if (transcript !== undefined) out.push({ type: 'response.audio.transcript.delta', delta: transcript });
      const data = nonEmptyString(audio.data);
      if (data !== undefined) out.push({ type: 'response.audio.delta', delta: data });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const toolCall of delta.tool_calls) {
        if (isJsonObject(toolCall) && typeof toolCall.index === 'number' && Number.isSafeInteger(toolCall.index) && toolCall.index >= 0) this.showToolCall(view, toolCall.index, toolCall, out);
      }
    }
    const functionCall = asObject(delta.function_call);
    if (functionCall) this.showToolCall(view, -1, { type: 'function', function: functionCall }, out);
  }

  /** Mistral's content parts: `thinking` (its text in `thinking`, a string or text parts) and `text`. */
  private showContentParts(view: ChoiceView, parts: JsonValue[], out: JsonObject[]): void {
    for (const part of parts) {
      if (typeof part === 'string') {
        if (part !== '') this.appendPart(view, 'output_text', part, out);
        continue;
      }
      if (!isJsonObject(part)) continue;
      if (part.type === 'text') {
        const text = nonEmptyString(part.text);
        if (text !== undefined) this.appendPart(view, 'output_text', text, out);
      } else if (part.type === 'thinking') {
        const thinking = part.thinking;
        const pieces = typeof thinking === 'string' ? [thinking] : Array.isArray(thinking) ? thinking.map((piece) => (isJsonObject(piece) ? piece.text : piece)) : [];
        for (const piece of pieces) {
          const text = nonEmptyString(piece);
          if (text !== undefined) this.appendReasoning(view, text, out);
        }
      }
    }
  }

  // ── items ──

  private addItem(item: JsonObject, out: JsonObject[]): number {
    this.startResponse(undefined, out);
    const outputIndex = this.nextOutputIndex++;
    out.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    return outputIndex;
  }

  private reasoningItem(view: ChoiceView, out: JsonObject[]): ReasoningView {
    if (view.reasoning) return view.reasoning;
    const id = `rs_${this.nextOutputIndex}`;
    const outputIndex = this.addItem({ id, type: 'reasoning', status: 'in_progress', summary: [], content: [] }, out);
    const reasoning: ReasoningView = { kind: 'reasoning', id, outputIndex, text: '', encrypted: undefined };
    view.reasoning = reasoning;
    view.items.push(reasoning);
    return reasoning;
  }

  private appendReasoning(view: ChoiceView, text: string, out: JsonObject[]): void {
    const reasoning = this.reasoningItem(view, out);
    const place = { item_id: reasoning.id, output_index: reasoning.outputIndex, content_index: 0 };
    if (reasoning.text === '') out.push({ type: 'response.content_part.added', ...place, part: { type: 'reasoning_text', text: '' } });
    reasoning.text += text;
    out.push({ type: 'response.reasoning_text.delta', ...place, delta: text });
  }

  private messageItem(view: ChoiceView, out: JsonObject[]): MessageView {
    if (view.message) return view.message;
    const id = `msg_${this.nextOutputIndex}`;
    const outputIndex = this.addItem({ id, type: 'message', role: 'assistant', status: 'in_progress', content: [] }, out);
    const message: MessageView = { kind: 'message', id, outputIndex, parts: [], textPart: undefined, refusalPart: undefined };
    view.message = message;
    view.items.push(message);
    return message;
  }

  /** The message's text (or refusal) part, added when first needed. */
  private partOf(view: ChoiceView, type: PartView['type'], out: JsonObject[]): { message: MessageView; part: PartView; contentIndex: number } {
    const message = this.messageItem(view, out);
    const key = type === 'refusal' ? 'refusalPart' : 'textPart';
    let contentIndex = message[key];
    if (contentIndex === undefined) {
      contentIndex = message.parts.length;
      message[key] = contentIndex;
      message.parts.push({ type, text: '', annotations: [] });
      const part: JsonObject = type === 'refusal' ? { type, refusal: '' } : { type, text: '', annotations: [] };
      out.push({ type: 'response.content_part.added', item_id: message.id, output_index: message.outputIndex, content_index: contentIndex, part });
    }
    return { message, part: message.parts[contentIndex] as PartView, contentIndex };
  }

  private appendPart(view: ChoiceView, type: PartView['type'], text: string, out: JsonObject[]): void {
    const { message, part, contentIndex } = this.partOf(view, type, out);
    part.text += text;
    const eventType = type === 'refusal' ? 'response.refusal.delta' : 'response.output_text.delta';
    out.push({ type: eventType, item_id: message.id, output_index: message.outputIndex, content_index: contentIndex, delta: text });
  }

  private addAnnotation(view: ChoiceView, annotation: JsonObject, out: JsonObject[]): void {
    const { message, part, contentIndex } = this.partOf(view, 'output_text', out);
    out.push({
      type: 'response.output_text.annotation.added',
      item_id: message.id,
      output_index: message.outputIndex,
      content_index: contentIndex,
      annotation_index: part.annotations.length,
      annotation: copyJson(annotation),
    });
    part.annotations.push(annotation);
  }

  private showToolCall(view: ChoiceView, toolIndex: number, toolCall: JsonObject, out: JsonObject[]): void {
    const fn = asObject(toolCall.function);
    const custom = asObject(toolCall.custom);
    const name = nonEmptyString(fn?.name) ?? nonEmptyString(custom?.name);
    const callId = nonEmptyString(toolCall.id);
    let tool = view.tools.get(toolIndex);
    if (!tool) {
      const kind = toolCall.type === 'custom' || (custom && !fn) ? 'custom_tool_call' : 'function_call';
      const id = `${kind === 'custom_tool_call' ? 'ctc' : 'fc'}_${this.nextOutputIndex}`;
      const item: JsonObject = { id, type: kind, status: 'in_progress', call_id: callId ?? '', name: name ?? '' };
      item[kind === 'custom_tool_call' ? 'input' : 'arguments'] = '';
      const outputIndex = this.addItem(item, out);
      tool = { kind, id, outputIndex, callId: callId ?? '', name: name ?? '', value: '', toolIndex };
      view.tools.set(toolIndex, tool);
      view.items.push(tool);
    } else {
      // As the SDK: a later id or name replaces the one before.
      if (callId !== undefined) tool.callId = callId;
      if (name !== undefined) tool.name = name;
    }
    const delta = tool.kind === 'custom_tool_call' ? asText(custom?.input) : asText(fn?.arguments);
    if (delta === '') return;
    tool.value += delta;
    const eventType = tool.kind === 'custom_tool_call' ? 'response.custom_tool_call_input.delta' : 'response.function_call_arguments.delta';
    out.push({ type: eventType, item_id: tool.id, output_index: tool.outputIndex, delta });
  }

  /** The `.done` events of a choice's open items, in output order; the choice may open new ones after. */
  private closeChoice(view: ChoiceView, out: JsonObject[]): void {
    const reason = view.finishReason;
    const status = reason === undefined || INCOMPLETE_REASONS.has(reason) || reason === 'error' ? 'incomplete' : 'completed';
    for (const item of view.items) out.push(...this.itemDone(view, item, status));
    view.items = [];
    view.reasoning = undefined;
    view.message = undefined;
    view.tools = new Map();
    view.logprobs = [];
  }

  private itemDone(view: ChoiceView, item: ItemView, status: string): JsonObject[] {
    const events: JsonObject[] = [];
    if (item.kind === 'reasoning') {
      const place = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
      const content = item.text === '' ? [] : [{ type: 'reasoning_text', text: item.text }];
      if (item.text !== '') {
        events.push({ type: 'response.reasoning_text.done', ...place, text: item.text });
        events.push({ type: 'response.content_part.done', ...place, part: { type: 'reasoning_text', text: item.text } });
      }
      const done: JsonObject = { id: item.id, type: 'reasoning', status, summary: [], content };
      if (item.encrypted !== undefined) done.encrypted_content = item.encrypted;
      events.push({ type: 'response.output_item.done', output_index: item.outputIndex, item: done });
      return events;
    }
    if (item.kind === 'message') {
      const parts: JsonObject[] = [];
      item.parts.forEach((part, contentIndex) => {
        const place = { item_id: item.id, output_index: item.outputIndex, content_index: contentIndex };
        if (part.type === 'refusal') {
          events.push({ type: 'response.refusal.done', ...place, refusal: part.text });
          parts.push({ type: 'refusal', refusal: part.text });
        } else {
          const finalPart: JsonObject = { type: 'output_text', text: part.text, annotations: part.annotations.map((annotation) => copyJson(annotation)) };
          const textDone: JsonObject = { type: 'response.output_text.done', ...place, text: part.text };
          if (contentIndex === item.textPart && view.logprobs.length > 0) {
            finalPart.logprobs = view.logprobs.map((entry) => copyJson(entry));
            textDone.logprobs = view.logprobs.map((entry) => copyJson(entry));
          }
          events.push(textDone);
          parts.push(finalPart);
        }
        events.push({ type: 'response.content_part.done', ...place, part: copyJson(parts[parts.length - 1] as JsonObject) });
      });
      events.push({ type: 'response.output_item.done', output_index: item.outputIndex, item: { id: item.id, type: 'message', role: 'assistant', status, content: parts } });
      return events;
    }
    const callId = item.callId || generatedCallId(view.index, item.toolIndex);
    const valueKey = item.kind === 'custom_tool_call' ? 'input' : 'arguments';
    if (item.kind === 'custom_tool_call') events.push({ type: 'response.custom_tool_call_input.done', item_id: item.id, output_index: item.outputIndex, input: item.value });
    else events.push({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: item.outputIndex, arguments: item.value, name: item.name });
    events.push({
      type: 'response.output_item.done',
      output_index: item.outputIndex,
      item: { id: item.id, type: item.kind, status, call_id: callId, name: item.name, [valueKey]: item.value },
    });
    return events;
  }

  // ── the end ──

  private closing(): ClosingFields {
    this.finished ??= this.accumulator.finish();
    const { completion, failure } = this.finished;
    const closing: ClosingFields = { status: 'completed' };
    const id = nonEmptyString(completion.id);
    const model = nonEmptyString(completion.model);
    if (id !== undefined) closing.id = id;
    if (model !== undefined) closing.model = model;
    const usage = this.lastUsage ?? this.lastGroqUsage;
    if (usage) closing.usage = responsesUsageOf(usage);
    const reasons = [...this.finishReasons.values()];
    if (this.providerError) {
      closing.status = 'failed';
      closing.error = copyJson(this.providerError);
    } else if (failure !== undefined) {
      // openai-node throws on this stream: what a caller of the SDK gets is that error.
      closing.status = 'failed';
      closing.error = { code: 'invalid_stream', message: failure };
    } else if (reasons.includes('error')) {
      closing.status = 'failed';
      closing.error = { code: null, message: 'The provider ended a choice with finish_reason "error".' };
    } else {
      const incomplete = reasons.map((reason) => INCOMPLETE_REASONS.get(reason)).find((reason) => reason !== undefined);
      if (incomplete !== undefined) {
        closing.status = 'incomplete';
        closing.incomplete_details = { reason: incomplete };
      }
    }
    return closing;
  }
}

export function createChatCompletionsTranslator(): ProtocolTranslator {
  return new ChatCompletionsTranslator();
}
