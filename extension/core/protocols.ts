/**
 * The LLM streams besides the Responses API's own: OpenAI-style Chat Completions, Anthropic Messages, and the
 * Vercel AI SDK's UI message stream. Each is read by a `ProtocolTranslator`, which builds what the provider's own SDK
 * returns at the end (`result`, in its shape) and tells the Responses assembler what each event means in Responses
 * events: the event log, warnings, usage, timing, cost, replay and the panel's views are then the same for all.
 */
import { isJsonObject, type JsonObject, type ResponseObject } from './response-types.ts';
import { AI_SDK_UI_STREAM_HEADER, ANTHROPIC_MESSAGES_PATH, CHAT_COMPLETIONS_PATH, RESPONSES_PATH } from './request-match.ts';

export type ProtocolName = 'responses' | 'chat.completions' | 'anthropic.messages' | 'ai-sdk.ui';

export type ForeignProtocol = Exclude<ProtocolName, 'responses'>;

/**
 * What closes a translated response: the fields of the Response it ends as (status, usage in the Responses API's
 * shape, error, incomplete_details, ids…); the output the translated events built stays.
 */
export type ClosingFields = Partial<Omit<ResponseObject, 'output'>> & { status: string };

export interface ProtocolTranslator {
  readonly protocol: ForeignProtocol;
  /**
   * The Responses events one event of the protocol stands for, in order (none for an event that changes nothing
   * shown, such as a ping). `type` is the event's type as the log names it.
   */
  translate(event: JsonObject, type: string): JsonObject[];
  /**
   * The stream ended (its end-of-stream marker, or the body's end): the Responses events that finish the open items,
   * and the fields the response closes with. Called once.
   */
  end(): { events: JsonObject[]; closing: ClosingFields };
  /** The SDK's own final object, as far as the events so far built it (a fresh value each time is not required). */
  readonly result: JsonObject;
  /** The protocol's end of one response was read: a further event starts another. */
  readonly done: boolean;
  /** A copy that goes on independently (for replay checkpoints). */
  clone(): ProtocolTranslator;
}

const ANTHROPIC_EVENT_TYPES = new Set(['message_start', 'message_delta', 'message_stop', 'content_block_start', 'content_block_delta', 'content_block_stop', 'ping']);

/** AI SDK UI message stream parts (`ai`'s `uiMessageChunkSchema`), by their `type`; `data-*` parts are the app's own. */
const AI_SDK_UI_TYPES = new Set([
  'start',
  'finish',
  'abort',
  'start-step',
  'finish-step',
  'text-start',
  'text-delta',
  'text-end',
  'reasoning-start',
  'reasoning-delta',
  'reasoning-end',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-available',
  'tool-input-error',
  'tool-output-available',
  'tool-output-error',
  'tool-output-denied',
  'tool-approval-request',
  'tool-approval-response',
  'source-url',
  'source-document',
  'file',
  'reasoning-file',
  'message-metadata',
  'custom',
  'steering-message',
  'reset-step',
]);

/**
 * The protocol an event belongs to, from the first event of a stream; undefined when it does not tell (a bare
 * `{"error": …}`, which every protocol may send).
 */
export function protocolOfEvent(event: JsonObject): ProtocolName | undefined {
  const type = typeof event.type === 'string' ? event.type : undefined;
  if (type === undefined) {
    if (event.object === 'chat.completion.chunk' || Array.isArray(event.choices)) return 'chat.completions';
    return undefined;
  }
  if (type.startsWith('response.')) return 'responses';
  if (ANTHROPIC_EVENT_TYPES.has(type)) return 'anthropic.messages';
  if (AI_SDK_UI_TYPES.has(type) || type.startsWith('data-')) return 'ai-sdk.ui';
  return undefined;
}

/** The protocol a request's URL and response headers name, when they name one. */
export function protocolOfCall(url: string, responseHeaders: ReadonlyArray<{ name: string; value: string }> = []): ProtocolName | undefined {
  if (responseHeaders.some((header) => header.name.toLowerCase() === AI_SDK_UI_STREAM_HEADER)) return 'ai-sdk.ui';
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  if (CHAT_COMPLETIONS_PATH.test(path)) return 'chat.completions';
  if (ANTHROPIC_MESSAGES_PATH.test(path)) return 'anthropic.messages';
  if (RESPONSES_PATH.test(path)) return 'responses';
  return undefined;
}

/** A Chat Completions chunk has no `type`: the log names it by its `object`, as the API does. */
export function foreignEventType(event: JsonObject): string | undefined {
  // Azure's first chunk has an empty `object`, and choices.
  if (event.object === 'chat.completion.chunk' || Array.isArray(event.choices)) return 'chat.completion.chunk';
  return isJsonObject(event.error) ? 'error' : undefined;
}
