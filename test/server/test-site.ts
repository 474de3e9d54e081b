/** The replay server with the test/demo page: what the end-to-end tests and `npm start` run. */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finalResponse, ReplayServer, type RecordingsDir } from './replay-server.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const RECORDINGS_DIR = join(here, '..', 'fixtures', 'responses-streams');

/** Every protocol's recordings, served alike; the AI SDK's UI streams as an app's route sends them. */
export const RECORDINGS_DIRS: RecordingsDir[] = [
  { path: RECORDINGS_DIR },
  { path: join(here, '..', 'fixtures', 'chat-completions-streams') },
  { path: join(here, '..', 'fixtures', 'anthropic-messages-streams') },
  { path: join(here, '..', 'fixtures', 'ai-sdk-ui-streams'), alwaysStreamed: true, headers: { 'x-vercel-ai-ui-message-stream': 'v1' } },
];

/** The recordings the demo offers: a label each, and the user's message of a request that could have produced it. */
export const DEMO_RECORDINGS: Array<{ name: string; label: string; input: string }> = [
  { name: 'seed__hello-gpt-4.1-nano', label: 'Text (gpt-4.1-nano)', input: 'Say hello' },
  { name: 'pydantic-ai__reasoning-summary-multipart-o3-mini', label: 'Reasoning summary (o3-mini)', input: 'How do I cross the street safely?' },
  { name: 'fantasy__parallel-function-calls-gpt-4o', label: 'Parallel function calls', input: 'Use the tools: what is 2 + 3, and what is 2 × 3?' },
  { name: 'vercel-ai__web-search-gpt-5-mini', label: 'Web search with citations', input: 'Search today’s tech news: which stories mention Vercel? Cite your sources.' },
  { name: 'pydantic-ai__reasoning-code-interpreter-gpt-5', label: 'Code interpreter', input: 'What is 123456^123? Compute it exactly.' },
  { name: 'vercel-ai__mcp-list-tools-and-calls-gpt-5-mini', label: 'Remote MCP tools', input: 'Who won the 2025 New York City mayoral election? Search the web.' },
  { name: 'vercel-ai__image-generation-gpt-5', label: 'Image generation', input: 'Generate an image.' },
  { name: 'pydantic-ai__custom-tool-call-gpt-5', label: 'Custom tool call', input: 'Show me five users from the database.' },
  { name: 'vercel-ai__error-then-response-failed', label: 'An error (quota)', input: 'Say hello' },
];

/**
 * The request body a demo button sends for a recording: the model, instructions, tools, tool choice and reasoning
 * settings its final response reports (what the request asked for, with the server's defaults filled in), and the
 * recording's user message. The Request view then agrees with the answer.
 */
export function demoRequest(name: string, input: string): Record<string, unknown> {
  const final = (finalResponse(readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8')) ?? {}) as Record<string, unknown>;
  const request: Record<string, unknown> = { input };
  // The dated snapshot the server names is the model a request names, without its date.
  if (typeof final.model === 'string') request.model = final.model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  if (typeof final.instructions === 'string' && final.instructions !== '') request.instructions = final.instructions;
  if (Array.isArray(final.tools) && final.tools.length > 0) request.tools = final.tools;
  if (final.tool_choice !== undefined && final.tool_choice !== 'auto') request.tool_choice = final.tool_choice;
  const reasoning = Object.fromEntries(Object.entries((final.reasoning ?? {}) as Record<string, unknown>).filter(([, value]) => value !== null));
  if (Object.keys(reasoning).length > 0) request.reasoning = reasoning;
  // An image's revised prompt says what was asked.
  const image = (Array.isArray(final.output) ? final.output : []).find((item: { type?: string }) => item.type === 'image_generation_call') as { revised_prompt?: unknown } | undefined;
  if (typeof image?.revised_prompt === 'string') request.input = image.revised_prompt;
  return request;
}

async function bundlePage(file = 'page.ts'): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'page', file)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  return result.outputFiles[0]?.text ?? '';
}

export async function startTestSite(options: { port?: number; paceMs?: number } = {}): Promise<ReplayServer> {
  const pageScript = await bundlePage();
  const probeScript = await bundlePage('probe.ts');
  const html = readFileSync(join(here, 'page', 'index.html'), 'utf8');
  const iframe = readFileSync(join(here, 'page', 'iframe.html'), 'utf8');
  const server = new ReplayServer(
    RECORDINGS_DIRS,
    {
      '/': { contentType: 'text/html; charset=utf-8', body: () => html },
      '/index.html': { contentType: 'text/html; charset=utf-8', body: () => html },
      '/iframe.html': { contentType: 'text/html; charset=utf-8', body: () => iframe },
      '/page.js': { contentType: 'text/javascript; charset=utf-8', body: () => pageScript },
      '/probe.html': { contentType: 'text/html; charset=utf-8', body: () => readFileSync(join(here, 'page', 'probe.html')) },
      '/probe.js': { contentType: 'text/javascript; charset=utf-8', body: () => probeScript },
      '/worker.js': { contentType: 'text/javascript; charset=utf-8', body: () => readFileSync(join(here, 'page', 'worker.js')) },
      '/favicon.ico': { contentType: 'image/png', body: () => readFileSync(join(here, '..', '..', 'extension', 'icons', 'icon-32.png')) },
      '/recordings.json': { contentType: 'application/json', body: () => JSON.stringify(DEMO_RECORDINGS.map(({ name, label, input }) => ({ name, label, request: demoRequest(name, input) }))) },
    },
    options.paceMs ?? 0,
  );
  await server.start(options.port ?? 0);
  return server;
}
