import { stringifyJson } from './json-text.ts';
import { isJsonObject, looksLikeResponseObject } from './response-types.ts';
import { ResponseRecord, ResponsesStreamReader } from './stream-reader.ts';
import type { ProtocolName } from './protocols.ts';

export type BodyKind = 'sse' | 'json' | 'json-lines';

export interface ReadBody {
  kind: BodyKind;
  responses: ResponseRecord[];
}

/** The input holds nothing the core can read as Responses API traffic. The message is one line, whatever the input holds. */
export class UnreadableBodyError extends Error {
  override name = 'UnreadableBodyError';
  constructor(message: string) {
    super(oneLine(message));
  }
}

/** Text on one line, with no control characters (they are escaped): messages quote input, which may hold anything. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface BodyOptions {
  /** The body is a WebSocket call's received frames, framed as SSE: see `StreamReaderOptions.webSocket`. */
  webSocket?: boolean;
  /** The protocol the call's path or headers name (see `protocolOfCall`); otherwise the first telling event decides. */
  protocol?: ProtocolName;
}

/**
 * Reads a whole body: a Responses SSE stream (several concatenated are fine),
 * a Response object (a non-streaming call) or an array of them, or JSON lines
 * of stream events. Broken streams come back with warnings; only an input with
 * no Responses content at all is an error.
 */
export function readResponsesBody(input: Uint8Array | string, options: BodyOptions = {}): ReadBody {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start === '') throw new UnreadableBodyError(options.webSocket ? 'no frame was received' : 'the input is empty');
  if (!options.webSocket && (start.startsWith('{') || start.startsWith('['))) return readJson(start);
  const reader = new ResponsesStreamReader({ ...(options.webSocket ? { webSocket: true } : {}), ...(options.protocol ? { protocol: options.protocol } : {}) });
  reader.push(text);
  reader.end();
  if (reader.responses.length === 0) {
    throw new UnreadableBodyError('not a Server-Sent Events stream (no "data:" lines) and not JSON');
  }
  const anyEvent = reader.responses.some((record) => record.assembler.eventCount > 0);
  if (!anyEvent) {
    throw new UnreadableBodyError(`no LLM stream event in ${reader.frameCount} SSE frame(s): none is a Responses, Chat Completions, Anthropic Messages or AI SDK UI event`);
  }
  return { kind: 'sse', responses: reader.responses };
}

function readJson(text: string): ReadBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const lines = readJsonLines(text);
    if (lines) return lines;
    throw new UnreadableBodyError(`not valid JSON (${(error as Error).message})`);
  }
  const values = Array.isArray(parsed) ? parsed : [parsed];
  if (values.length > 0 && values.every(looksLikeResponseObject)) {
    return { kind: 'json', responses: values.map((response) => ResponseRecord.fromResponseObject(response)) };
  }
  if (values.length > 0 && values.every((value) => isJsonObject(value) && typeof value.type === 'string')) {
    const reader = new ResponsesStreamReader();
    for (const value of values) reader.pushEvent(value as never, stringifyJson(value));
    reader.end();
    return { kind: 'json-lines', responses: reader.responses };
  }
  throw new UnreadableBodyError('JSON, but neither a Response object nor Responses stream events');
}

/** One stream event per line, as some tools record streams. */
function readJsonLines(text: string): ReadBody | undefined {
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  const first = lines[0];
  if (first === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(first);
    if (!isJsonObject(value) || typeof value.type !== 'string') return undefined;
  } catch {
    return undefined;
  }
  // Each line becomes an SSE frame, so a broken line gets the same warning a broken frame gets.
  const reader = new ResponsesStreamReader();
  reader.push(lines.map((line) => `data: ${line}\n\n`).join(''));
  reader.end();
  return { kind: 'json-lines', responses: reader.responses };
}
