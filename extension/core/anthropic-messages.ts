/**
 * Anthropic Messages API streams (`POST /v1/messages` with `stream: true`, and the same stream through Vertex AI or
 * Bedrock). `result` is what `@anthropic-ai/sdk`'s `MessageStream.finalMessage()` returns for the same events; the
 * Responses view shows each content block as the Responses item it stands for:
 *
 * - consecutive `text` blocks → one `message` item with one `output_text` part (Anthropic cuts a cited answer into
 *   many blocks; one part keeps it one text), each block's citations → annotations spanning that block's text;
 * - `thinking` → a `reasoning` item with a `reasoning_text` part, its signature as `encrypted_content`;
 *   `redacted_thinking` → a `reasoning` item with only `encrypted_content`;
 * - `tool_use` → a `function_call` item (call_id = the tool_use id, arguments = the streamed JSON text);
 * - `server_tool_use` web_search + its `web_search_tool_result` → one `web_search_call` item (query, sources);
 *   web_fetch → a `web_fetch_call` item (not a web search: no per-search fee); the code execution tools →
 *   `code_interpreter_call`; tool search → `tool_search_call` and `tool_search_output`; `mcp_tool_use` + its
 *   result → `mcp_call`; any other block → an item of the block's own type, with its fields.
 */
import { copyJson } from './assembler.ts';
import { isJsonObject, numberField, stringField, type JsonObject, type JsonValue } from './response-types.ts';
import { isKnownEventType } from './stream-events.ts';
import { quotedExcerpt } from './warnings.ts';
import type { ClosingFields, ProtocolTranslator } from './protocols.ts';

/** How a Responses item is built from what its blocks streamed. */
type ItemKind = 'message' | 'reasoning' | 'function_call' | 'mcp_call' | 'plain';

/** One Responses item the stream's blocks are shown as. */
interface ItemState {
  kind: ItemKind;
  outputIndex: number;
  id: string;
  /** The item's fields besides those `kind` builds (type, name, action…). */
  fields: JsonObject;
  /** A message's text, a reasoning item's text, a call's arguments. */
  text: string;
  annotations: JsonObject[];
  finished: boolean;
}

/** What the view keeps of one content block, by its `index`. */
interface BlockState {
  blockType: string;
  /** Position in `items` of the item the block is shown in; undefined when the block could not be shown. */
  item: number | undefined;
  stopped: boolean;
  /** Where a text block's text starts in its message's text. */
  textStart: number;
  citations: JsonObject[];
  /** A tool block's streamed input JSON. */
  json: string;
  /** A tool block's `input` as `content_block_start` gave it, as JSON text (empty for `{}`, which deltas then fill). */
  startJson: string;
  /** The server tool a `server_tool_use` block calls. */
  serverTool: ServerTool | undefined;
  /** What a compaction block's `compaction_delta` carried. */
  compaction: JsonValue | undefined;
}

type ServerTool = 'web_search' | 'web_fetch' | 'code_execution' | 'tool_search' | 'other';

/** A failure that makes the SDK's `finalMessage()` reject: the response closes as failed with it. */
interface Failure {
  code: string;
  message: string;
  type?: string;
}

const TOOL_INPUT_BLOCKS: ReadonlySet<string> = new Set(['tool_use', 'server_tool_use']);

/** Stop reasons that end a response early, with the Responses API's `incomplete_details.reason` for each. */
const INCOMPLETE_REASONS: Readonly<Record<string, string>> = {
  max_tokens: 'max_output_tokens',
  model_context_window_exceeded: 'model_context_window_exceeded',
  refusal: 'content_filter',
};

export function createAnthropicMessagesTranslator(): ProtocolTranslator {
  return new AnthropicMessagesTranslator();
}

class AnthropicMessagesTranslator implements ProtocolTranslator {
  readonly protocol = 'anthropic.messages' as const;
  done = false;

  /** The SDK's message snapshot: from `message_start` on, mutated as the SDK mutates its own. */
  private snapshot: JsonObject | undefined;
  /** Content positions of tool blocks whose `input` is their streamed JSON, and that JSON. */
  private toolInputs = new Map<number, string>();
  /** Tool blocks whose JSON grew since their `input` was last parsed. */
  private staleInputs = new Set<number>();
  private stopped = false;
  private ended = false;
  private errorEvent: Failure | undefined;
  private failure: Failure | undefined;

  private items: ItemState[] = [];
  private blocks = new Map<number, BlockState>();
  /** The message item consecutive text blocks go into, while no other block has come between them. */
  private openMessage: number | undefined;
  /** Server tool calls waiting for their result block, by tool_use id. */
  private awaitingResults = new Map<string, number>();
  private messageId: string | undefined;
  /** Usage iterations (compaction) as the last `message_delta` gave them: the top-level usage counts only the last. */
  private iterations: JsonObject[] | undefined;

  get result(): JsonObject {
    const snapshot = this.snapshot;
    if (!snapshot) return {};
    if (this.staleInputs.size > 0) {
      for (const position of this.staleInputs) this.parseInput(position, false);
      this.staleInputs.clear();
    }
    return snapshot;
  }

  translate(event: JsonObject, type: string): JsonObject[] {
    try {
      return this.translateEvent(event, type);
    } catch (error) {
      // Nothing here should throw; if it does, the event is lost, not the stream.
      this.failure ??= { code: 'translation_error', message: `${type} could not be read: ${error instanceof Error ? error.message : String(error)}` };
      return [];
    }
  }

  end(): { events: JsonObject[]; closing: ClosingFields } {
    const events: JsonObject[] = [];
    if (!this.ended) {
      this.ended = true;
      const clean = this.stopped && !this.errorEvent && !this.failure;
      this.finishAll(events, clean ? this.itemStatusAtStop() : 'incomplete', 'incomplete');
    }
    return { events, closing: this.closing() };
  }

  clone(): ProtocolTranslator {
    const copy = new AnthropicMessagesTranslator();
    copy.done = this.done;
    copy.snapshot = this.snapshot === undefined ? undefined : copyJson(this.snapshot);
    copy.toolInputs = new Map(this.toolInputs);
    copy.staleInputs = new Set(this.staleInputs);
    copy.stopped = this.stopped;
    copy.ended = this.ended;
    copy.errorEvent = this.errorEvent === undefined ? undefined : { ...this.errorEvent };
    copy.failure = this.failure === undefined ? undefined : { ...this.failure };
    copy.items = this.items.map((item) => ({ ...item, fields: copyJson(item.fields), annotations: item.annotations.map((annotation) => copyJson(annotation)) }));
    for (const [index, block] of this.blocks) {
      copy.blocks.set(index, { ...block, citations: block.citations.map((citation) => copyJson(citation)), compaction: block.compaction === undefined ? undefined : copyJson(block.compaction) });
    }
    copy.openMessage = this.openMessage;
    copy.awaitingResults = new Map(this.awaitingResults);
    copy.messageId = this.messageId;
    copy.iterations = this.iterations?.map((iteration) => copyJson(iteration));
    return copy;
  }

  private translateEvent(event: JsonObject, type: string): JsonObject[] {
    switch (type) {
      case 'message_start':
        return this.messageStart(event);
      case 'content_block_start':
        return this.blockStart(event);
      case 'content_block_delta':
        return this.blockDelta(event);
      case 'content_block_stop':
        return this.blockStop(event);
      case 'message_delta':
        return this.messageDelta(event);
      case 'message_stop':
        return this.messageStop();
      case 'ping':
        return [];
      case 'error':
        return this.error(event);
      default:
        // An event type the SDK does not know either: the assembler says so, unless the name is one of its own.
        return isKnownEventType(type) || type.startsWith('response.') ? [] : [{ type }];
    }
  }

  // ── the SDK's message ──────────────────────────────────────────────────

  private messageStart(event: JsonObject): JsonObject[] {
    const message = isJsonObject(event.message) ? event.message : {};
    if (this.snapshot) {
      this.failure ??= { code: 'unexpected_event_order', message: `A second message_start arrived before message_stop ended ${this.messageId ?? 'the first message'}.` };
      return [];
    }
    const snapshot: JsonObject = { ...message, content: Array.isArray(message.content) ? message.content.slice() : [] };
    if (isJsonObject(message.usage)) snapshot.usage = { ...message.usage };
    this.snapshot = snapshot;
    this.messageId = stringField(message, 'id');
    const response: JsonObject = { object: 'response', status: 'in_progress', output: [], usage: null };
    if (this.messageId !== undefined) response.id = this.messageId;
    const model = stringField(message, 'model');
    if (model !== undefined) response.model = model;
    return [{ type: 'response.created', response }];
  }

  private get content(): JsonValue[] | undefined {
    const content = this.snapshot?.content;
    return Array.isArray(content) ? content : undefined;
  }

  /** The snapshot's block at `index`, as the SDK finds it (`content.at(index)`), for a usable index. */
  private contentAt(index: number | undefined): JsonObject | undefined {
    const content = this.content;
    if (!content || index === undefined || !Number.isInteger(index) || index < 0) return undefined;
    const block = content[index];
    return isJsonObject(block) ? block : undefined;
  }

  /** A tool block's `input` from its streamed JSON, as the SDK's partial-JSON parse gives it. */
  private parseInput(position: number, final: boolean): void {
    const block = this.contentAt(position);
    const json = this.toolInputs.get(position);
    if (!block || json === undefined) return;
    try {
      block.input = json === '' ? {} : (partialParse(json) as JsonValue);
    } catch (error) {
      if (!final) return;
      block.input = {};
      const id = stringField(block, 'id') ?? `at index ${position}`;
      this.failure ??= {
        code: 'invalid_tool_input',
        message: `The input of ${String(block.type)} ${id} is not JSON (${error instanceof Error ? error.message : String(error)}): ${quotedExcerpt(json)}`,
      };
    }
  }

  private accumulateDelta(index: number | undefined, delta: JsonObject): void {
    const block = this.contentAt(index);
    const content = this.content;
    if (!block || !content || index === undefined) return;
    switch (delta.type) {
      case 'text_delta':
        if (block.type === 'text' && typeof delta.text === 'string') content[index] = { ...block, text: (typeof block.text === 'string' ? block.text : '') + delta.text };
        break;
      case 'citations_delta':
        if (block.type === 'text' && delta.citation !== undefined) content[index] = { ...block, citations: [...(Array.isArray(block.citations) ? block.citations : []), delta.citation] };
        break;
      case 'input_json_delta':
        if (typeof block.type === 'string' && TOOL_INPUT_BLOCKS.has(block.type)) {
          const json = (this.toolInputs.get(index) ?? '') + (typeof delta.partial_json === 'string' ? delta.partial_json : '');
          // The SDK's block gets a fresh `input`, after its other keys.
          const { input: _input, ...rest } = block;
          content[index] = { ...rest, input: {} };
          this.toolInputs.set(index, json);
          this.staleInputs.add(index);
        }
        break;
      case 'thinking_delta':
        if (block.type === 'thinking' && typeof delta.thinking === 'string') content[index] = { ...block, thinking: String(block.thinking ?? '') + delta.thinking };
        break;
      case 'signature_delta':
        if (block.type === 'thinking') content[index] = { ...block, signature: delta.signature };
        break;
      default:
        // `compaction_delta` and deltas newer than the SDK: MessageStream leaves the block as it was.
        break;
    }
  }

  private accumulateMessageDelta(event: JsonObject): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const delta = isJsonObject(event.delta) ? event.delta : {};
    const usage = isJsonObject(event.usage) ? event.usage : {};
    snapshot.stop_reason = delta.stop_reason;
    snapshot.stop_sequence = delta.stop_sequence;
    snapshot.stop_details = delta.stop_details;
    if (!isJsonObject(snapshot.usage)) snapshot.usage = {};
    const merged = snapshot.usage as JsonObject;
    merged.output_tokens = usage.output_tokens;
    if (delta.container !== undefined && delta.container !== null) snapshot.container = delta.container;
    // The other counters are whole-message totals, sent only when they apply: they replace, never add.
    for (const key of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'server_tool_use', 'output_tokens_details']) {
      const value = usage[key];
      if (value !== undefined && value !== null) merged[key] = value;
    }
  }

  // ── events ─────────────────────────────────────────────────────────────

  private blockStart(event: JsonObject): JsonObject[] {
    const block = isJsonObject(event.content_block) ? event.content_block : undefined;
    this.content?.push({ ...(block ?? {}) });
    const index = wholeNumber(event.index);
    const events: JsonObject[] = [];
    if (index === undefined || !block || typeof block.type !== 'string') {
      // The assembler warns about an item it cannot place.
      events.push({ type: 'response.output_item.added', item: block ?? null });
      return events;
    }
    const previous = this.blocks.get(index);
    if (previous && !previous.stopped) this.finishBlock(previous, events, 'incomplete');
    const state = newBlockState(block.type);
    this.blocks.set(index, state);
    if (block.type !== 'text') this.closeMessage(events, 'completed');
    const id = stringField(block, 'id') ?? this.itemIdFor(index);
    switch (block.type) {
      case 'text': {
        if (this.openMessage === undefined) {
          this.openMessage = this.addItem(events, 'message', id, { type: 'message', role: 'assistant' });
          const message = this.items[this.openMessage] as ItemState;
          events.push({ type: 'response.content_part.added', item_id: message.id, output_index: message.outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
        }
        state.item = this.openMessage;
        const message = this.items[this.openMessage] as ItemState;
        state.textStart = message.text.length;
        if (Array.isArray(block.citations)) state.citations = block.citations.filter(isJsonObject);
        if (typeof block.text === 'string' && block.text !== '') this.appendText(message, block.text, events);
        break;
      }
      case 'thinking': {
        state.item = this.addItem(events, 'reasoning', id, { type: 'reasoning' });
        const item = this.items[state.item] as ItemState;
        events.push({ type: 'response.content_part.added', item_id: item.id, output_index: item.outputIndex, content_index: 0, part: { type: 'reasoning_text', text: '' } });
        if (typeof block.thinking === 'string' && block.thinking !== '') this.appendReasoning(item, block.thinking, events);
        if (typeof block.signature === 'string' && block.signature !== '') item.fields.encrypted_content = block.signature;
        break;
      }
      case 'redacted_thinking': {
        const fields: JsonObject = { type: 'reasoning', summary: [] };
        if (typeof block.data === 'string') fields.encrypted_content = block.data;
        state.item = this.addItem(events, 'plain', id, fields);
        break;
      }
      case 'tool_use':
        state.item = this.addItem(events, 'function_call', id, { type: 'function_call', call_id: id, name: stringField(block, 'name') ?? '' });
        state.startJson = initialJson(block.input);
        break;
      case 'mcp_tool_use': {
        const fields: JsonObject = { type: 'mcp_call', server_label: stringField(block, 'server_name') ?? '', name: stringField(block, 'name') ?? '', output: null, error: null };
        state.item = this.addItem(events, 'mcp_call', id, fields);
        state.startJson = initialJson(block.input);
        break;
      }
      case 'server_tool_use':
        this.serverToolStart(block, id, state, events);
        break;
      default:
        if (typeof block.tool_use_id === 'string' && this.completeServerCall(block, events)) break;
        if (block.type === 'tool_search_tool_result') {
          state.item = this.addItem(events, 'plain', id, toolSearchOutput(block));
          break;
        }
        state.item = this.addItem(events, 'plain', id, { ...block });
        break;
    }
    return events;
  }

  private serverToolStart(block: JsonObject, id: string, state: BlockState, events: JsonObject[]): void {
    const name = stringField(block, 'name') ?? '';
    state.startJson = initialJson(block.input);
    if (name === 'web_search') {
      state.serverTool = 'web_search';
      state.item = this.addItem(events, 'plain', id, { type: 'web_search_call' });
      events.push({ type: 'response.web_search_call.in_progress', item_id: id, output_index: (this.items[state.item] as ItemState).outputIndex });
    } else if (name === 'web_fetch') {
      state.serverTool = 'web_fetch';
      state.item = this.addItem(events, 'plain', id, { type: 'web_fetch_call', name });
    } else if (name === 'code_execution' || name === 'bash_code_execution' || name === 'text_editor_code_execution') {
      state.serverTool = 'code_execution';
      state.item = this.addItem(events, 'plain', id, { type: 'code_interpreter_call', name, code: '', outputs: null });
      events.push({ type: 'response.code_interpreter_call.in_progress', item_id: id, output_index: (this.items[state.item] as ItemState).outputIndex });
    } else if (name.startsWith('tool_search_tool')) {
      state.serverTool = 'tool_search';
      state.item = this.addItem(events, 'plain', id, { type: 'tool_search_call', call_id: id, name, execution: 'server', arguments: '' });
    } else {
      state.serverTool = 'other';
      state.item = this.addItem(events, 'plain', id, { type: 'server_tool_use', name, arguments: '' });
    }
  }

  private blockDelta(event: JsonObject): JsonObject[] {
    const index = wholeNumber(event.index);
    const delta = isJsonObject(event.delta) ? event.delta : undefined;
    if (!delta || index === undefined) return [];
    this.accumulateDelta(index, delta);
    const events: JsonObject[] = [];
    const block = this.blocks.get(index) ?? this.orphanBlock(index, delta, events);
    const item = block.item === undefined ? undefined : this.items[block.item];
    // A block shown in no item of its own (a server tool's result) has nothing a delta could change.
    if (!item) return events;
    // A delta of another kind than its block's goes to the block's item all the same: the assembler warns about it.
    const at = { item_id: item.id, output_index: item.outputIndex };
    switch (delta.type) {
      case 'text_delta': {
        const text = typeof delta.text === 'string' ? delta.text : '';
        if (item.kind === 'message' && block.blockType === 'text') this.appendText(item, text, events);
        else events.push({ type: 'response.output_text.delta', ...at, content_index: 0, delta: text });
        break;
      }
      case 'thinking_delta': {
        const text = typeof delta.thinking === 'string' ? delta.thinking : '';
        if (item.kind === 'reasoning') this.appendReasoning(item, text, events);
        else events.push({ type: 'response.reasoning_text.delta', ...at, content_index: 0, delta: text });
        break;
      }
      case 'signature_delta':
        if (item.kind === 'reasoning' && typeof delta.signature === 'string') item.fields.encrypted_content = delta.signature;
        break;
      case 'citations_delta':
        if (isJsonObject(delta.citation)) block.citations.push(delta.citation);
        break;
      case 'input_json_delta': {
        const json = typeof delta.partial_json === 'string' ? delta.partial_json : '';
        block.json += json;
        if (item.kind === 'function_call' || item.kind === 'mcp_call') {
          item.text += json;
          if (json !== '') events.push({ type: item.kind === 'function_call' ? 'response.function_call_arguments.delta' : 'response.mcp_call_arguments.delta', ...at, delta: json });
        } else if (block.serverTool === undefined) {
          events.push({ type: 'response.function_call_arguments.delta', ...at, delta: json });
        }
        break;
      }
      case 'compaction_delta':
        block.compaction = delta.content;
        break;
      default:
        break;
    }
    return events;
  }

  /**
   * A delta for a block that never started: shown in an item of its own, which the assembler warns about. The SDK
   * fails on it (it reads the type of the last block, which is not there).
   */
  private orphanBlock(index: number, delta: JsonObject, events: JsonObject[]): BlockState {
    if (this.snapshot) this.failure ??= { code: 'unexpected_event_order', message: `content_block_delta for block ${index}, which no content_block_start started.` };
    const kind: ItemKind = delta.type === 'thinking_delta' ? 'reasoning' : delta.type === 'input_json_delta' ? 'function_call' : 'message';
    const item: ItemState = { kind, outputIndex: this.items.length, id: this.itemIdFor(index), fields: { type: kind }, text: '', annotations: [], finished: false };
    if (kind === 'function_call') item.fields.call_id = item.id;
    this.items.push(item);
    const blockType = kind === 'message' ? 'text' : kind === 'reasoning' ? 'thinking' : 'tool_use';
    const state = newBlockState(blockType);
    state.item = this.items.length - 1;
    this.blocks.set(index, state);
    if (kind === 'message') this.openMessage = this.items.length - 1;
    // An empty delta: the assembler makes the item it names, in its place, and warns that it was never added.
    const family = kind === 'message' ? 'response.output_text.delta' : kind === 'reasoning' ? 'response.reasoning_text.delta' : 'response.function_call_arguments.delta';
    const at = kind === 'function_call' ? {} : { content_index: 0 };
    events.push({ type: family, item_id: item.id, output_index: item.outputIndex, ...at, delta: '' });
    return state;
  }

  private blockStop(event: JsonObject): JsonObject[] {
    const index = wholeNumber(event.index);
    if (index === undefined) return [];
    const content = this.contentAt(index);
    if (content && typeof content.type === 'string' && TOOL_INPUT_BLOCKS.has(content.type) && this.toolInputs.has(index)) {
      this.parseInput(index, true);
      this.staleInputs.delete(index);
    }
    const block = this.blocks.get(index);
    const events: JsonObject[] = [];
    if (block && !block.stopped) this.finishBlock(block, events, 'completed');
    return events;
  }

  /** A block's end: its item is done, unless more blocks (text) or a result (server tools) still go into it. */
  private finishBlock(block: BlockState, events: JsonObject[], status: string): void {
    block.stopped = true;
    const item = block.item === undefined ? undefined : this.items[block.item];
    if (!item || item.finished) return;
    switch (block.blockType) {
      case 'text':
        this.addAnnotations(item, block, events);
        return;
      case 'tool_use':
      case 'mcp_tool_use':
        // No delta streamed the input: the arguments are the input the block started with.
        if (block.json === '') item.text = block.startJson === '' ? '{}' : block.startJson;
        if (item.kind === 'mcp_call') {
          const id = item.id;
          this.awaitingResults.set(id, block.item as number);
          events.push({ type: 'response.mcp_call_arguments.done', item_id: id, output_index: item.outputIndex, arguments: item.text });
          return;
        }
        this.finishItem(item, events, status);
        return;
      case 'server_tool_use':
        this.stopServerTool(block, item, events, status);
        return;
      case 'compaction':
        if (block.compaction !== undefined) item.fields.content = block.compaction;
        this.finishItem(item, events, status);
        return;
      default:
        this.finishItem(item, events, status);
    }
  }

  private stopServerTool(block: BlockState, item: ItemState, events: JsonObject[], status: string): void {
    const json = block.json === '' ? block.startJson : block.json;
    const input = parseWhole(json);
    const at = { item_id: item.id, output_index: item.outputIndex };
    switch (block.serverTool) {
      case 'web_search': {
        item.fields.action = { type: 'search', query: isJsonObject(input) ? (stringField(input, 'query') ?? '') : '' };
        this.awaitingResults.set(item.id, block.item as number);
        events.push({ type: 'response.web_search_call.searching', ...at });
        return;
      }
      case 'web_fetch':
        item.fields.url = isJsonObject(input) ? (stringField(input, 'url') ?? '') : '';
        this.awaitingResults.set(item.id, block.item as number);
        return;
      case 'code_execution': {
        const code = isJsonObject(input) ? (stringField(input, 'code') ?? stringField(input, 'command') ?? json) : json;
        item.fields.code = code;
        this.awaitingResults.set(item.id, block.item as number);
        events.push({ type: 'response.code_interpreter_call_code.done', ...at, code });
        events.push({ type: 'response.code_interpreter_call.interpreting', ...at });
        return;
      }
      default:
        item.fields.arguments = json;
        if (block.serverTool === 'other') this.awaitingResults.set(item.id, block.item as number);
        else this.finishItem(item, events, status);
    }
  }

  /** A result block for a server tool call: its call's item is done, with what the result holds. */
  private completeServerCall(result: JsonObject, events: JsonObject[]): boolean {
    const callId = result.tool_use_id as string;
    const position = this.awaitingResults.get(callId);
    const item = position === undefined ? undefined : this.items[position];
    if (!item || item.finished || position === undefined) return false;
    const content = result.content;
    const fields = item.fields;
    let status = 'completed';
    const failed = (code: JsonValue | undefined) => {
      status = 'failed';
      fields.error = code ?? null;
    };
    switch (fields.type) {
      case 'web_search_call': {
        const action = isJsonObject(fields.action) ? fields.action : { type: 'search' };
        if (Array.isArray(content)) {
          action.sources = content.filter(isJsonObject).map((source) => {
            const entry: JsonObject = { type: 'url', url: source.url ?? null };
            if (typeof source.title === 'string') entry.title = source.title;
            return entry;
          });
        } else if (isJsonObject(content)) {
          failed(content.error_code);
        }
        fields.action = action;
        break;
      }
      case 'web_fetch_call':
        if (isJsonObject(content) && content.type === 'web_fetch_result') {
          if (typeof content.url === 'string') fields.url = content.url;
          const page = isJsonObject(content.content) ? content.content : undefined;
          if (page && typeof page.title === 'string') fields.title = page.title;
          if (content.retrieved_at !== undefined) fields.retrieved_at = content.retrieved_at;
        } else if (isJsonObject(content)) {
          failed(content.error_code);
        }
        break;
      case 'code_interpreter_call':
        if (isJsonObject(content) && typeof content.error_code === 'string') {
          failed(content.error_code);
          fields.outputs = [{ type: 'logs', logs: content.error_code }];
        } else {
          fields.outputs = [{ type: 'logs', logs: logsOf(content) }];
          if (isJsonObject(content) && typeof content.return_code === 'number') fields.return_code = content.return_code;
        }
        break;
      case 'mcp_call':
        fields.output = textOf(content);
        if (result.is_error === true) failed(fields.output);
        break;
      default:
        fields.result = copyJson(result);
        break;
    }
    this.awaitingResults.delete(callId);
    this.finishItem(item, events, status);
    return true;
  }

  private messageDelta(event: JsonObject): JsonObject[] {
    this.accumulateMessageDelta(event);
    const usage = isJsonObject(event.usage) ? event.usage : undefined;
    if (usage && Array.isArray(usage.iterations)) this.iterations = usage.iterations.filter(isJsonObject);
    const events: JsonObject[] = [];
    // Nothing follows the blocks but the message's end: every open item is done.
    this.finishAll(events, this.itemStatusAtStop(), 'incomplete');
    return events;
  }

  private messageStop(): JsonObject[] {
    this.done = true;
    if (!this.snapshot) {
      this.failure ??= { code: 'no_message_start', message: 'The stream has no message_start: there is no message.' };
      return [];
    }
    this.stopped = true;
    this.toolInputsFinal();
    this.snapshot.parsed_output = null;
    const events: JsonObject[] = [];
    this.finishAll(events, this.itemStatusAtStop(), 'incomplete');
    return events;
  }

  private toolInputsFinal(): void {
    for (const position of this.staleInputs) this.parseInput(position, false);
    this.staleInputs.clear();
  }

  private error(event: JsonObject): JsonObject[] {
    const nested = isJsonObject(event.error) ? event.error : event;
    const errorType = stringField(nested, 'type');
    const message = stringField(nested, 'message') ?? 'no message';
    const code = stringField(nested, 'code') ?? (errorType !== 'error' ? errorType : undefined) ?? 'error';
    this.errorEvent ??= errorType !== undefined && errorType !== 'error' ? { code, message, type: errorType } : { code, message };
    this.done = true;
    const error: JsonObject = { message, code };
    if (errorType !== undefined && errorType !== 'error') error.type = errorType;
    return [{ type: 'error', error }];
  }

  // ── items ──────────────────────────────────────────────────────────────

  private itemIdFor(index: number): string {
    return `${this.messageId ?? 'msg'}_${index}`;
  }

  private addItem(events: JsonObject[], kind: ItemKind, id: string, fields: JsonObject): number {
    const item: ItemState = { kind, outputIndex: this.items.length, id, fields, text: '', annotations: [], finished: false };
    this.items.push(item);
    events.push({ type: 'response.output_item.added', output_index: item.outputIndex, item: buildItem(item, 'in_progress') });
    return this.items.length - 1;
  }

  private appendText(message: ItemState, text: string, events: JsonObject[]): void {
    message.text += text;
    if (text !== '') events.push({ type: 'response.output_text.delta', item_id: message.id, output_index: message.outputIndex, content_index: 0, delta: text });
  }

  private appendReasoning(item: ItemState, text: string, events: JsonObject[]): void {
    item.text += text;
    if (text !== '') events.push({ type: 'response.reasoning_text.delta', item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: text });
  }

  /** A text block's citations, as annotations over the block's span of the message's text. */
  private addAnnotations(message: ItemState, block: BlockState, events: JsonObject[]): void {
    const end = message.text.length;
    for (const citation of block.citations) {
      const annotation = annotationOf(citation, block.textStart, end);
      events.push({
        type: 'response.output_text.annotation.added',
        item_id: message.id,
        output_index: message.outputIndex,
        content_index: 0,
        annotation_index: message.annotations.length,
        annotation: copyJson(annotation),
      });
      message.annotations.push(annotation);
    }
    block.citations = [];
  }

  private closeMessage(events: JsonObject[], status: string): void {
    const position = this.openMessage;
    if (position === undefined) return;
    this.openMessage = undefined;
    const message = this.items[position];
    if (!message || message.finished) return;
    for (const block of this.blocks.values()) if (block.item === position && block.blockType === 'text' && block.citations.length > 0) this.addAnnotations(message, block, events);
    this.finishItem(message, events, status);
  }

  private finishItem(item: ItemState, events: JsonObject[], status: string): void {
    if (item.finished) return;
    item.finished = true;
    const at = { item_id: item.id, output_index: item.outputIndex };
    switch (item.kind) {
      case 'message':
        events.push({ type: 'response.output_text.done', ...at, content_index: 0, text: item.text });
        events.push({ type: 'response.content_part.done', ...at, content_index: 0, part: messagePart(item) });
        break;
      case 'reasoning':
        events.push({ type: 'response.reasoning_text.done', ...at, content_index: 0, text: item.text });
        events.push({ type: 'response.content_part.done', ...at, content_index: 0, part: { type: 'reasoning_text', text: item.text } });
        break;
      case 'function_call':
        events.push({ type: 'response.function_call_arguments.done', ...at, arguments: item.text });
        break;
      default:
        break;
    }
    events.push({ type: 'response.output_item.done', output_index: item.outputIndex, item: buildItem(item, status) });
  }

  /** Every item still open is done: the text, reasoning and calls with `status`, server calls left without a result with `awaitingStatus`. */
  private finishAll(events: JsonObject[], status: string, awaitingStatus: string): void {
    for (const block of this.blocks.values()) if (!block.stopped) this.finishBlock(block, events, status);
    this.closeMessage(events, status);
    for (const position of this.awaitingResults.values()) {
      const item = this.items[position];
      if (item) this.finishItem(item, events, awaitingStatus);
    }
    this.awaitingResults.clear();
    for (const item of this.items) if (!item.finished) this.finishItem(item, events, status);
  }

  private itemStatusAtStop(): string {
    const reason = this.snapshot?.stop_reason;
    return typeof reason === 'string' && INCOMPLETE_REASONS[reason] !== undefined ? 'incomplete' : 'completed';
  }

  // ── the end ────────────────────────────────────────────────────────────

  private closing(): ClosingFields {
    const snapshot = this.snapshot ?? {};
    const closing: ClosingFields = { status: 'completed' };
    const id = stringField(snapshot, 'id');
    if (id !== undefined) closing.id = id;
    const model = stringField(snapshot, 'model');
    if (model !== undefined) closing.model = model;
    if (isJsonObject(snapshot.usage)) closing.usage = responsesUsage(snapshot.usage, this.iterations);
    const failure = this.errorEvent ?? this.failure ?? this.unfinished();
    if (failure) {
      closing.status = 'failed';
      const error: JsonObject = { code: failure.code, message: failure.message };
      if (failure.type !== undefined) error.type = failure.type;
      closing.error = error;
      return closing;
    }
    closing.error = null;
    const reason = stringField(snapshot, 'stop_reason');
    const incomplete = reason === undefined ? undefined : INCOMPLETE_REASONS[reason];
    if (incomplete !== undefined) {
      closing.status = 'incomplete';
      closing.incomplete_details = { reason: incomplete };
    } else {
      closing.incomplete_details = null;
    }
    return closing;
  }

  /** Why a stream that ended without `message_stop` has no final message. */
  private unfinished(): Failure | undefined {
    if (this.stopped) return undefined;
    if (!this.snapshot) return { code: 'no_message_start', message: 'The stream has no message_start: there is no message.' };
    return { code: 'stream_ended_early', message: `The stream ended before message_stop${this.snapshot.stop_reason ? '' : ' (no stop_reason was sent)'}: the message is incomplete.` };
  }
}

function newBlockState(blockType: string): BlockState {
  return { blockType, item: undefined, stopped: false, textStart: 0, citations: [], json: '', startJson: '', serverTool: undefined, compaction: undefined };
}

// ── Responses shapes ─────────────────────────────────────────────────────

function buildItem(item: ItemState, status: string): JsonObject {
  const open = status === 'in_progress';
  const built: JsonObject = { ...copyJson(item.fields), id: item.id };
  switch (item.kind) {
    case 'message':
      built.content = open ? [] : [messagePart(item)];
      break;
    case 'reasoning':
      built.summary = [];
      built.content = open ? [] : [{ type: 'reasoning_text', text: item.text }];
      break;
    case 'function_call':
    case 'mcp_call':
      built.arguments = open ? '' : item.text;
      break;
    default:
      break;
  }
  built.status = status;
  return built;
}

function messagePart(item: ItemState): JsonObject {
  return { type: 'output_text', text: item.text, annotations: item.annotations.map((annotation) => copyJson(annotation)) };
}

function toolSearchOutput(block: JsonObject): JsonObject {
  const content = isJsonObject(block.content) ? block.content : {};
  const fields: JsonObject = { type: 'tool_search_output', call_id: block.tool_use_id ?? null, execution: 'server' };
  if (Array.isArray(content.tool_references)) fields.tools = content.tool_references;
  else if (content.error_code !== undefined) fields.error = content.error_code;
  return fields;
}

/** A citation as a Responses annotation over `start`..`end` of the text. */
function annotationOf(citation: JsonObject, start: number, end: number): JsonObject {
  const url = stringField(citation, 'url') ?? (citation.type === 'search_result_location' && isWebUrl(citation.source) ? (citation.source as string) : undefined);
  const title = stringField(citation, 'title') ?? stringField(citation, 'document_title');
  const annotation: JsonObject =
    url !== undefined
      ? { type: 'url_citation', url, title: title ?? url, start_index: start, end_index: end }
      : {
          type: 'file_citation',
          file_id: stringField(citation, 'file_id') ?? null,
          filename: title ?? stringField(citation, 'source') ?? `document ${numberField(citation, 'document_index') ?? numberField(citation, 'search_result_index') ?? ''}`.trim(),
          index: end,
          start_index: start,
          end_index: end,
        };
  if (typeof citation.cited_text === 'string') annotation.cited_text = citation.cited_text;
  return annotation;
}

function isWebUrl(value: unknown): boolean {
  return typeof value === 'string' && /^https?:\/\//i.test(value);
}

/** Usage in the Responses API's shape. Anthropic's `input_tokens` leaves out the cache reads and writes. */
function responsesUsage(usage: JsonObject, iterations: JsonObject[] | undefined): JsonObject {
  // With compaction, the top-level counts are only the last iteration's; every iteration is billed.
  const counted = iterations && iterations.length > 0 ? iterations : [usage];
  let uncached = 0;
  let cacheRead: number | undefined;
  let cacheWrite: number | undefined;
  let output = 0;
  for (const entry of counted) {
    uncached += numberField(entry, 'input_tokens') ?? 0;
    const read = numberField(entry, 'cache_read_input_tokens');
    if (read !== undefined) cacheRead = (cacheRead ?? 0) + read;
    const written = numberField(entry, 'cache_creation_input_tokens');
    if (written !== undefined) cacheWrite = (cacheWrite ?? 0) + written;
    output += numberField(entry, 'output_tokens') ?? 0;
  }
  const input = uncached + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const inputDetails: JsonObject = { cached_tokens: cacheRead ?? 0 };
  if (cacheWrite !== undefined) inputDetails.cache_write_tokens = cacheWrite;
  const details = isJsonObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    input_tokens: input,
    input_tokens_details: inputDetails,
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: numberField(details, 'thinking_tokens') ?? 0 },
    total_tokens: input + output,
  };
}

function logsOf(content: JsonValue | undefined): string {
  if (isJsonObject(content)) {
    const stdout = stringField(content, 'stdout');
    const stderr = stringField(content, 'stderr');
    if (stdout !== undefined || stderr !== undefined) return [stdout, stderr].filter((text) => text !== undefined && text !== '').join('\n');
    if (typeof content.content === 'string') return content.content;
  }
  return content === undefined ? '' : JSON.stringify(content) ?? '';
}

/** The text of an MCP tool result: its text blocks, or the string it is. */
function textOf(content: JsonValue | undefined): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter(isJsonObject)
      .map((block) => (typeof block.text === 'string' ? block.text : ''))
      .join('');
  }
  return '';
}

/** The JSON text an `input` already given in `content_block_start` stands for, when no delta will stream it. */
function initialJson(input: JsonValue | undefined): string {
  return isJsonObject(input) && Object.keys(input).length > 0 ? JSON.stringify(input) : '';
}

function parseWhole(json: string): JsonValue | undefined {
  if (json === '') return undefined;
  try {
    return JSON.parse(json) as JsonValue;
  } catch {
    return undefined;
  }
}

function wholeNumber(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}



// ── partial JSON ─────────────────────────────────────────────────────────

/*
 * The SDK's parse of streamed tool input (its vendored partial-json-parser): truncated JSON is completed (a partial
 * trailing token dropped, open brackets closed) before JSON.parse; anything else goes to JSON.parse as it is, and
 * throws. Kept to the letter, so that `input` is the SDK's at every point of the stream.
 */

interface Token {
  type: 'brace' | 'paren' | 'separator' | 'delimiter' | 'string' | 'number' | 'name';
  value: string;
  unterminated?: boolean;
}

const LITERALS = ['true', 'false', 'null'];
const DIGIT = /[0-9]/;
const LETTER = /[a-z]/i;
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;

const isWhitespace = (char: string | undefined): boolean => char === ' ' || char === '\t' || char === '\n' || char === '\r';

function isTruncatedLiteral(word: string, rest: string): boolean {
  return LITERALS.some((literal) => literal !== word && literal.startsWith(word)) && [...rest].every(isWhitespace);
}

const PUNCTUATION: Readonly<Record<string, Token['type']>> = { '{': 'brace', '}': 'brace', '[': 'paren', ']': 'paren', ':': 'separator', ',': 'delimiter' };

/** The tokens of `input`, or null when it holds anything but JSON tokens and whitespace outside its strings. */
function tokenize(input: string): Token[] | null {
  let current = 0;
  const tokens: Token[] = [];
  while (current < input.length) {
    let char = input[current] as string | undefined;
    const punctuation = char === undefined ? undefined : PUNCTUATION[char];
    if (punctuation !== undefined && char !== undefined) {
      tokens.push({ type: punctuation, value: char });
      current++;
      continue;
    }
    if (char === '"') {
      // A `"` closes the string only after an even number of backslashes; escapes stay as they are.
      const start = current + 1;
      let end = start;
      let dangling = false;
      for (;;) {
        end = input.indexOf('"', end);
        if (end === -1) {
          dangling = true;
          break;
        }
        let backslashes = 0;
        let at = end - 1;
        while (at >= start && input[at] === '\\') {
          backslashes++;
          at--;
        }
        if (backslashes % 2 === 0) break;
        end++;
      }
      if (dangling) {
        current = input.length;
      } else {
        tokens.push({ type: 'string', value: input.slice(start, end) });
        current = end + 1;
      }
      continue;
    }
    if (isWhitespace(char)) {
      current++;
      continue;
    }
    if ((char !== undefined && DIGIT.test(char)) || char === '-' || char === '.') {
      let value = '';
      if (char === '-') {
        value += char;
        char = input[++current];
      }
      while (
        char !== undefined &&
        char !== '' &&
        (DIGIT.test(char) || char === '.' || char === 'e' || char === 'E' || ((char === '-' || char === '+') && (value[value.length - 1] === 'e' || value[value.length - 1] === 'E')))
      ) {
        value += char;
        char = input[++current];
      }
      tokens.push({ type: 'number', value, unterminated: current === input.length });
      continue;
    }
    if (char !== undefined && LETTER.test(char)) {
      let value = '';
      while (char !== undefined && LETTER.test(char)) {
        if (current === input.length) break;
        value += char;
        char = input[++current];
      }
      if (LITERALS.includes(value)) tokens.push({ type: 'name', value });
      else if (!isTruncatedLiteral(value, input.slice(current))) return null;
      continue;
    }
    return null;
  }
  return tokens;
}

function strip(tokens: Token[]): Token[] {
  const open: string[] = [];
  for (const token of tokens) {
    if (token.type === 'brace' || token.type === 'paren') {
      if (token.value === '{' || token.value === '[') open.push(token.value);
      else open.pop();
    }
  }
  const innermostOpenBracket = open[open.length - 1];
  let length = tokens.length;
  while (length > 0) {
    const last = tokens[length - 1] as Token;
    if (last.type === 'separator') {
      length--;
      continue;
    }
    if (last.type === 'number') {
      // A number running to the end may go on; one cut short (`1.`, `1e-`) never will be a number.
      if (last.unterminated || !JSON_NUMBER.test(last.value)) {
        length--;
        continue;
      }
    } else if (last.type === 'string') {
      // In an object, a string after `{` or `,` is a key still waiting for its value.
      const before = tokens[length - 2];
      if (innermostOpenBracket === '{' && (before?.type === 'delimiter' || (before?.type === 'brace' && before.value === '{'))) {
        length--;
        continue;
      }
    } else if (last.type === 'delimiter') {
      length--;
    }
    break;
  }
  return tokens.slice(0, length);
}

/** The tokens with their open brackets closed, or null when a closer does not match its opener. */
function unstrip(tokens: Token[]): Token[] | null {
  const tail: string[] = [];
  for (const token of tokens) {
    if (token.type !== 'brace' && token.type !== 'paren') continue;
    if (token.value === '{') tail.push('}');
    else if (token.value === '[') tail.push(']');
    else if (tail.pop() !== token.value) return null;
  }
  for (const closer of tail.reverse()) tokens.push({ type: closer === '}' ? 'brace' : 'paren', value: closer });
  return tokens;
}

const isScalar = (token: Token | undefined): boolean => token?.type === 'string' || token?.type === 'number' || token?.type === 'name';

function generate(tokens: Token[]): string {
  let output = '';
  tokens.forEach((token, index) => {
    // Adjacent scalars stay apart, so that malformed input such as `12 3` still fails.
    if (isScalar(tokens[index - 1]) && isScalar(token)) output += ' ';
    output += token.type === 'string' ? `"${token.value}"` : token.value;
  });
  return output;
}

/** Streamed tool input, read as the SDK reads it; throws where the SDK's parse throws. */
export function partialParse(input: string): unknown {
  const tokens = tokenize(input);
  const completed = tokens && unstrip(strip(tokens));
  return JSON.parse(completed ? generate(completed) : input);
}
