/**
 * The page the end-to-end tests and the demo load. It calls the replay server
 * through the official `openai` client (and, for some tests, a bare XHR), and
 * records every byte it reads, so a test can check the page got exactly what
 * the server sent.
 */
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { runAgent } from './agent-run.ts';

export interface StreamResult {
  /** The body as the page read it, base64. */
  bodyBase64: string;
  eventTypes: string[];
  outputText: string;
  cancelled: boolean;
  error?: string;
  responseId?: string;
}

export interface StreamOptions {
  /** The recording to replay and the route options, e.g. "seed__hello-gpt-4.1-nano/hold/6". */
  route: string;
  /** API path under the route: "v1" (OpenAI), "openai" (Azure style) … */
  apiPrefix?: string;
  defaultQuery?: Record<string, string>;
  stream?: boolean;
  /** Abort after this many events. */
  cancelAfterEvents?: number;
  previousResponseId?: string;
  /** Extra request headers and body fields (tests plant secrets in them). */
  extraHeaders?: Record<string, string>;
  extraBody?: Record<string, unknown>;
}

function toBase64(chunks: Uint8Array[]): string {
  let binary = '';
  for (const chunk of chunks) for (let index = 0; index < chunk.length; index++) binary += String.fromCharCode(chunk[index] as number);
  return btoa(binary);
}

/** A fetch that goes through the page's (hooked) fetch and keeps a copy of the body as the page reads it. */
function recordingFetch(received: Uint8Array[]): typeof fetch {
  return async (input, init) => {
    const response = await window.fetch(input, init);
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received.push(chunk.slice());
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export async function streamWithOpenAI(options: StreamOptions): Promise<StreamResult> {
  const received: Uint8Array[] = [];
  const client = new OpenAI({
    apiKey: 'sk-test-secret-key-1234567890',
    baseURL: `${location.origin}/r/${options.route}/${options.apiPrefix ?? 'v1'}`,
    dangerouslyAllowBrowser: true,
    fetch: recordingFetch(received),
    defaultQuery: options.defaultQuery,
    defaultHeaders: options.extraHeaders,
    maxRetries: 0,
  });
  const result: StreamResult = { bodyBase64: '', eventTypes: [], outputText: '', cancelled: false };
  const params = { model: 'gpt-4.1-nano', input: 'Say hello', previous_response_id: options.previousResponseId, ...options.extraBody };
  try {
    if (options.stream === false) {
      const response = await client.responses.create({ ...params, stream: false });
      result.outputText = response.output_text;
      result.responseId = response.id;
    } else {
      const stream = await client.responses.create({ ...params, stream: true });
      for await (const event of stream) {
        result.eventTypes.push(event.type);
        if (event.type === 'response.output_text.delta') result.outputText += event.delta;
        if (event.type === 'response.created') result.responseId = event.response.id;
        if (options.cancelAfterEvents !== undefined && result.eventTypes.length >= options.cancelAfterEvents) {
          stream.controller.abort();
          result.cancelled = true;
          break;
        }
      }
    }
  } catch (error) {
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  result.bodyBase64 = toBase64(received);
  return result;
}

/** A streaming XMLHttpRequest client, as older code and some libraries use. */
export function streamWithXhr(route: string): Promise<{ text: string; progressEvents: number; status: number }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let progressEvents = 0;
    xhr.open('POST', `${location.origin}/r/${route}/v1/responses`);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('authorization', 'Bearer sk-test-secret-key-1234567890');
    xhr.onprogress = () => progressEvents++;
    xhr.onload = () => resolve({ text: xhr.responseText, progressEvents, status: xhr.status });
    xhr.onerror = () => reject(new Error('xhr failed'));
    xhr.send(JSON.stringify({ model: 'gpt-4.1-nano', input: 'Say hello', stream: true }));
  });
}

/** A request made from a Web Worker. */
export function streamInWorker(route: string): Promise<{ text?: string; error?: string }> {
  return new Promise((resolve) => {
    const worker = new Worker('/worker.js');
    worker.onmessage = (event: MessageEvent<{ text?: string; error?: string }>) => {
      resolve(event.data);
      worker.terminate();
    };
    worker.postMessage({ route });
  });
}

/**
 * Streams a Responses call with a plain fetch, reads a few chunks, then
 * cancels the body: through the reader, or on the body stream itself.
 */
export async function readThenCancel(route: string, how: 'reader' | 'body', chunks: number): Promise<{ chunksRead: number; cancelled: boolean }> {
  const response = await fetch(`${location.origin}/r/${route}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4.1-nano', input: 'Say hello', stream: true }),
  });
  const body = response.body;
  if (!body) return { chunksRead: 0, cancelled: false };
  const reader = body.getReader();
  let chunksRead = 0;
  while (chunksRead < chunks) {
    const { done } = await reader.read();
    if (done) return { chunksRead, cancelled: false };
    chunksRead++;
  }
  if (how === 'reader') {
    await reader.cancel();
  } else {
    reader.releaseLock();
    await body.cancel();
  }
  return { chunksRead, cancelled: true };
}

/** A plain fetch of an event stream on any path (for user URL patterns). */
export async function fetchText(path: string, body: unknown): Promise<string> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.text();
}

/** What a page using another LLM API got: the text it read, and the SDK's own final object. */
export interface OtherStreamResult {
  bodyBase64: string;
  outputText: string;
  final?: unknown;
  error?: string;
}

/** Reads through a client given our recording `fetch`: what it got, and the bytes the page read. */
async function readThroughClient(read: (fetch: typeof window.fetch, result: OtherStreamResult) => Promise<void>): Promise<OtherStreamResult> {
  const received: Uint8Array[] = [];
  const result: OtherStreamResult = { bodyBase64: '', outputText: '' };
  try {
    await read(recordingFetch(received), result);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  result.bodyBase64 = toBase64(received);
  return result;
}

/** openai-node's Chat Completions stream, as a page using an OpenAI-compatible endpoint reads it. */
export function streamChatWithOpenAI(route: string): Promise<OtherStreamResult> {
  return readThroughClient(async (fetch, result) => {
    const client = new OpenAI({ apiKey: 'sk-test-secret-key-1234567890', baseURL: `${location.origin}/r/${route}/v1`, dangerouslyAllowBrowser: true, fetch, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello' }], stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) result.outputText += chunk.choices[0]?.delta?.content ?? '';
  });
}

/** `@anthropic-ai/sdk`'s Messages stream, in the browser (`dangerouslyAllowBrowser`). */
export function streamWithAnthropic(route: string): Promise<OtherStreamResult> {
  return readThroughClient(async (fetch, result) => {
    const client = new Anthropic({ apiKey: 'sk-ant-test-secret-key-123456', baseURL: `${location.origin}/r/${route}`, dangerouslyAllowBrowser: true, fetch, maxRetries: 0 });
    const stream = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Say hello' }], stream: true });
    for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') result.outputText += event.delta.text;
  });
}

/** An app's route that relays an AI SDK UI message stream, read as `useChat` reads it: its transport, then `readUIMessageStream`. */
export function readAiSdkUiStream(route: string): Promise<OtherStreamResult> {
  return readThroughClient(async (fetch, result) => {
    const transport = new DefaultChatTransport<UIMessage>({ api: `${location.origin}/r/${route}/api/chat`, fetch });
    const chunks = await transport.sendMessages({
      trigger: 'submit-message',
      chatId: 'chat-1',
      messageId: undefined,
      messages: [{ id: 'user-1', role: 'user', parts: [{ type: 'text', text: 'Say hello' }] }],
      abortSignal: undefined,
    });
    let last: UIMessage | undefined;
    for await (const message of readUIMessageStream({ stream: chunks, onError: (error) => (result.error = error instanceof Error ? error.message : String(error)) })) last = message;
    result.final = last;
    result.outputText = (last?.parts ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
  });
}

/** What a WebSocket-mode session got: each response's id, status and text, and every frame's text in order. */
export interface SocketSessionResult {
  responses: Array<{ id?: string; status?: string; text: string }>;
  received: string[];
  error?: string;
}

/**
 * A session of the Responses API's WebSocket mode, as a page holds one: a warm-up (`generate: false`), then one
 * `response.create` a recording, each continuing the one before (`previous_response_id`), on one socket.
 */
export async function webSocketSession(recordings: string[]): Promise<SocketSessionResult> {
  const result: SocketSessionResult = { responses: [], received: [] };
  const socket = new WebSocket(`ws://${location.host}/ws/v1/responses?recordings=${recordings.map(encodeURIComponent).join(',')}`);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('the socket did not open')), { once: true });
    });
    let previous: string | undefined;
    for (const [index] of [undefined, ...recordings].entries()) {
      const turn = new Promise<{ id?: string; status?: string; text: string }>((resolve) => {
        let text = '';
        const onMessage = (event: MessageEvent) => {
          const data = String(event.data);
          result.received.push(data);
          const frame = JSON.parse(data) as { type: string; delta?: string; response?: { id?: string; status?: string } };
          if (frame.type === 'response.output_text.delta') text += frame.delta ?? '';
          if (['response.completed', 'response.failed', 'response.incomplete', 'error'].includes(frame.type)) {
            socket.removeEventListener('message', onMessage);
            resolve({ id: frame.response?.id, status: frame.response?.status ?? frame.type, text });
          }
        };
        socket.addEventListener('message', onMessage);
      });
      const request: Record<string, unknown> = { type: 'response.create', model: 'gpt-4.1', input: index === 0 ? [] : `Turn ${index}`, store: true };
      if (index === 0) request.generate = false;
      if (previous) request.previous_response_id = previous;
      socket.send(JSON.stringify(request));
      const response = await turn;
      result.responses.push(response);
      previous = response.id;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    socket.close();
  }
  return result;
}

// ── the demo: one button per recording ───────────────────────────────────

/** A demo button: while `run` works the output says `busy`, then shows what it returned. */
function demoButton(into: HTMLElement | null, output: HTMLElement, label: string, title: string, busy: string, run: () => Promise<string>): void {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.title = title;
  button.addEventListener('click', async () => {
    output.textContent = busy;
    output.textContent = await run();
  });
  into?.append(button);
}

/** What a stream read by a client shows: its text, or its error and what came before it. */
function shownText(result: { error?: string; outputText: string }): string {
  return result.error ? `${result.error}\n\n${result.outputText}` : result.outputText || '(no text output: see the panel)';
}

async function setUpDemo(): Promise<void> {
  const list = document.getElementById('recordings');
  const output = document.getElementById('output');
  if (!list || !output) return;
  const recordings = (await (await fetch('/recordings.json')).json()) as Array<{ name: string; label: string; request: Record<string, unknown> }>;
  for (const recording of recordings) {
    demoButton(list, output, recording.label, recording.name, `Streaming ${recording.name}…`, async () =>
      shownText(await streamWithOpenAI({ route: `${recording.name}/pace/25`, extraBody: recording.request })),
    );
  }
  const others = document.getElementById('other-apis');
  const readers: Array<{ label: string; route: string; read: (route: string) => Promise<OtherStreamResult> }> = [
    { label: 'Chat Completions (openai)', route: 'pydantic-ai__parallel-tool-calls-include-usage-gpt-4o', read: streamChatWithOpenAI },
    { label: 'Chat Completions, reasoning (DeepSeek)', route: 'pydantic-ai__compat-deepseek-reasoning-content-deepseek-reasoner', read: streamChatWithOpenAI },
    { label: 'Anthropic Messages, thinking (@anthropic-ai/sdk)', route: 'openinference__extended-thinking-claude-sonnet-4.5', read: streamWithAnthropic },
    { label: 'Anthropic Messages, web search with citations', route: 'pydantic-ai__web-search-server-tool-citations-claude-sonnet-4', read: streamWithAnthropic },
    { label: 'AI SDK UI stream (as useChat reads it)', route: 'vercel-ai__reasoning-multi-part-with-metadata-mock-model', read: readAiSdkUiStream },
  ];
  demoButton(others, output, 'Responses over a WebSocket (warm-up, then two chained turns)', '', 'Holding a WebSocket session…', async () => {
    const result = await webSocketSession(['seed__hello-gpt-4.1-nano', 'fantasy__text-gpt-4o']);
    return result.error ?? result.responses.map((response) => response.text || `(${response.status}, no text)`).join('\n\n');
  });
  let agentRuns = 0;
  demoButton(others, output, 'Agent run with two tools (OpenAI Agents SDK)', '', 'Running the agent…', async () => {
    const result = await runAgent({ route: `fantasy__parallel-function-calls-gpt-4o,fantasy__tool-results-answer-gpt-4o/run/demo-${++agentRuns}/pace/25`, stream: true });
    return result.error ?? `${result.toolRuns.join('\n')}\n\n${result.finalOutput ?? ''}`;
  });
  demoButton(
    others,
    output,
    "Your server's call (through responses-devtools proxy)",
    'The demo app’s server calls the API from Node; the panel hears of it from the proxy',
    'Asking the server…',
    async () => {
      const response = await fetch('/app/server-call', { method: 'POST' });
      return response.ok ? await response.text() : `The demo server has no proxy running (${response.status}).`;
    },
  );
  for (const reader of readers) demoButton(others, output, reader.label, reader.route, `Streaming ${reader.route}…`, async () => shownText(await reader.read(`${reader.route}/pace/25`)));
}

declare global {
  interface Window {
    e2e: {
      runAgent: typeof runAgent;
      streamWithOpenAI: typeof streamWithOpenAI;
      streamChatWithOpenAI: typeof streamChatWithOpenAI;
      streamWithAnthropic: typeof streamWithAnthropic;
      readAiSdkUiStream: typeof readAiSdkUiStream;
      webSocketSession: typeof webSocketSession;
      streamWithXhr: typeof streamWithXhr;
      fetchText: typeof fetchText;
      streamInWorker: typeof streamInWorker;
      readThenCancel: typeof readThenCancel;
    };
  }
}
window.e2e = { runAgent, streamWithOpenAI, streamChatWithOpenAI, streamWithAnthropic, readAiSdkUiStream, webSocketSession, streamWithXhr, fetchText, streamInWorker, readThenCancel };
void setUpDemo();
