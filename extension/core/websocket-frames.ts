/**
 * The Responses API's WebSocket mode: a client opens `wss://…/responses`, sends
 * `{"type":"response.create", …request fields…}` text frames and receives each
 * `response.*` event as one bare JSON text frame (no SSE framing, no `[DONE]`),
 * the responses of one socket one after another.
 *
 * A capture of one response holds the frames received for it framed as SSE
 * (`sseOfFrame`), so the core reads it as it reads any stream; a HAR keeps the
 * frames themselves, as Chrome does (`_webSocketMessages`). The frames of a
 * whole socket (a browser's HAR entry of it, a trace) are split into one call
 * per `response.create` sent (`turnsOfSocket`).
 *
 * The page hook frames what a socket receives with this module, so it imports
 * nothing but the two plain modules below.
 */
import { isJsonObject } from './response-types.ts';
import { SseDecoder } from './sse-decoder.ts';

/** A `ws:` or `wss:` URL. */
export function isWebSocketUrl(url: string): boolean {
  return /^wss?:/i.test(url.trimStart());
}

/**
 * A received frame as SSE: each of its lines after `data: `, then a blank
 * line. The SSE decoder gives back the frame's text, newlines included; the
 * one thing the format cannot carry is a CR, which comes back as a LF (in JSON
 * a raw CR can only be whitespace between tokens, so the value is the same).
 * An empty frame gives an SSE frame the decoder drops, as it carries nothing.
 */
export function sseOfFrame(data: string): string {
  if (!/[\r\n]/.test(data)) return `data: ${data}\n\n`;
  return `${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

/** The frames' texts of an SSE body, in order: `sseOfFrame`'s inverse for a body made of its frames. */
export function framesOfSse(body: string): string[] {
  const decoder = new SseDecoder();
  return [...decoder.push(body), ...decoder.end()].map((frame) => frame.data);
}

/** A sent frame that asks for a response: `{"type":"response.create", …}`. */
export function isResponseCreateFrame(data: string): boolean {
  // Only a frame that names the type is parsed: most frames of another socket do not.
  if (!data.includes('"response.create"')) return false;
  try {
    const value: unknown = JSON.parse(data);
    return isJsonObject(value) && value.type === 'response.create';
  } catch {
    return false;
  }
}

/** One text message of a WebSocket, as Chrome's HAR keeps it (`_webSocketMessages`). */
export interface WebSocketMessage {
  type: 'send' | 'receive';
  data: string;
  /** When it was sent or received, epoch ms; undefined when unknown. */
  at?: number;
}

/** A frame the page sent on the socket besides a call's `response.create` (a `response.steer`…), kept with that call. */
export interface SentFrame {
  data: string;
  /** Epoch ms; undefined when unknown. */
  at?: number;
  /** How many of the call's received frames came before it. */
  after: number;
}

/** One call of a socket: a `response.create` frame, the frames received until the next one, the other frames sent. */
export interface WebSocketTurn {
  create: { data: string; at?: number };
  received: Array<{ data: string; at?: number }>;
  sent: SentFrame[];
}

/**
 * A socket's calls, one per `response.create` sent, in order. A frame
 * received after a response ended and before the next `response.create`
 * belongs to the call before; frames before the first `response.create` are
 * kept with the first call. An empty received frame (SSE cannot frame one)
 * is left out. No `response.create`, no call.
 */
export function turnsOfSocket(messages: Iterable<WebSocketMessage>): WebSocketTurn[] {
  const turns: WebSocketTurn[] = [];
  const before: WebSocketTurn = { create: { data: '' }, received: [], sent: [] };
  let current = before;
  for (const message of messages) {
    const at = message.at === undefined ? {} : { at: message.at };
    if (message.type === 'send') {
      if (isResponseCreateFrame(message.data)) {
        current = { create: { data: message.data, ...at }, received: turns.length === 0 ? before.received : [], sent: turns.length === 0 ? before.sent : [] };
        turns.push(current);
      } else current.sent.push({ data: message.data, ...at, after: current.received.length });
    } else if (message.data !== '') current.received.push({ data: message.data, ...at });
  }
  return turns;
}

/** The received frames of a call as the body a capture of it holds. */
export function bodyOfFrames(frames: ReadonlyArray<{ data: string }>): string {
  let body = '';
  for (const frame of frames) body += sseOfFrame(frame.data);
  return body;
}
