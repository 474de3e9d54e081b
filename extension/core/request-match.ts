/**
 * Which requests are Responses API calls. Runs in the page (before a request
 * leaves), in the background (Firefox) and in Node, so it is plain code.
 */

/** POST to any path ending in /responses: OpenAI, Azure, OpenRouter, Ollama, LM Studio, vLLM… */
const CREATE_PATH = /\/responses\/?$/;
/** GET …/responses/{id}?stream=true resumes a stream. */
const RETRIEVE_PATH = /\/responses\/[^/]+\/?$/;

export function isResponsesEndpoint(method: string, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const verb = method.toUpperCase();
  if (verb === 'POST') return CREATE_PATH.test(parsed.pathname);
  if (verb === 'GET') return RETRIEVE_PATH.test(parsed.pathname) && parsed.searchParams.get('stream') === 'true';
  return false;
}

/** A user pattern: `*` matches any run of characters; without a scheme it matches anywhere in the URL. */
export function compileUrlPattern(pattern: string): RegExp | undefined {
  const trimmed = pattern.trim();
  if (trimmed === '') return undefined;
  const body = trimmed
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? `^${body}$` : body, 'i');
}

export function compileUrlPatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map(compileUrlPattern).filter((pattern): pattern is RegExp => pattern !== undefined);
}

export function matchesUserPattern(url: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(url));
}

export function shouldCapture(method: string, url: string, patterns: readonly RegExp[]): boolean {
  return isResponsesEndpoint(method, url) || matchesUserPattern(url, patterns);
}

export function isEventStream(contentType: string | null | undefined): boolean {
  return typeof contentType === 'string' && /^\s*text\/event-stream\b/i.test(contentType);
}

/** True when an SSE event's data says it is a Responses API event (for streams on unknown URLs). */
export function isResponsesEventData(data: string): boolean {
  return /^\s*\{[^]*"type"\s*:\s*"response\./.test(data.slice(0, 4096));
}

/** The paths each API is called on, on any host. */
export const CHAT_COMPLETIONS_PATH = /\/chat\/completions\/?$/;
export const ANTHROPIC_MESSAGES_PATH = /\/v1\/messages\/?$/;
export const RESPONSES_PATH = CREATE_PATH;

/** POST to an OpenAI-style Chat Completions path or to Anthropic's Messages path, on any host. */
export function isOtherLlmEndpoint(method: string, url: string): boolean {
  if (method.toUpperCase() !== 'POST') return false;
  try {
    const path = new URL(url).pathname;
    return CHAT_COMPLETIONS_PATH.test(path) || ANTHROPIC_MESSAGES_PATH.test(path);
  } catch {
    return false;
  }
}

/**
 * True when an SSE event's data is the first event of an LLM stream of any protocol this reads: a Responses event, a
 * Chat Completions chunk, Anthropic's `message_start`, or the AI SDK UI stream's `start`.
 */
export function isLlmEventData(data: string): boolean {
  const head = data.slice(0, 4096);
  return isResponsesEventData(head) || /^\s*\{[^]*("object"\s*:\s*"chat\.completion\.chunk"|"type"\s*:\s*"(message_start|start)")/.test(head);
}

/** The response header the AI SDK's UI message stream is sent with (what `useChat` reads). */
export const AI_SDK_UI_STREAM_HEADER = 'x-vercel-ai-ui-message-stream';
