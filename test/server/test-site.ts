/** The replay server with the test/demo page: what the end-to-end tests and `npm start` run. */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReplayServer } from './replay-server.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const RECORDINGS_DIR = join(here, '..', 'fixtures', 'responses-streams');

/** The recordings the demo offers, with a label each. */
export const DEMO_RECORDINGS: Array<{ name: string; label: string }> = [
  { name: 'seed__hello-gpt-4.1-nano', label: 'Text (gpt-4.1-nano)' },
  { name: 'pydantic-ai__reasoning-summary-multipart-o3-mini', label: 'Reasoning summary (o3-mini)' },
  { name: 'fantasy__parallel-function-calls-gpt-4o', label: 'Parallel function calls' },
  { name: 'vercel-ai__web-search-gpt-5-mini', label: 'Web search with citations' },
  { name: 'pydantic-ai__reasoning-code-interpreter-gpt-5', label: 'Code interpreter' },
  { name: 'vercel-ai__mcp-list-tools-and-calls-gpt-5-mini', label: 'Remote MCP tools' },
  { name: 'vercel-ai__image-generation-gpt-5', label: 'Image generation' },
  { name: 'pydantic-ai__custom-tool-call-gpt-5', label: 'Custom tool call' },
  { name: 'vercel-ai__error-then-response-failed', label: 'An error (quota)' },
];

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
    RECORDINGS_DIR,
    {
      '/': { contentType: 'text/html; charset=utf-8', body: () => html },
      '/index.html': { contentType: 'text/html; charset=utf-8', body: () => html },
      '/iframe.html': { contentType: 'text/html; charset=utf-8', body: () => iframe },
      '/page.js': { contentType: 'text/javascript; charset=utf-8', body: () => pageScript },
      '/probe.html': { contentType: 'text/html; charset=utf-8', body: () => readFileSync(join(here, 'page', 'probe.html')) },
      '/probe.js': { contentType: 'text/javascript; charset=utf-8', body: () => probeScript },
      '/worker.js': { contentType: 'text/javascript; charset=utf-8', body: () => readFileSync(join(here, 'page', 'worker.js')) },
      '/favicon.ico': { contentType: 'image/png', body: () => readFileSync(join(here, '..', '..', 'extension', 'icons', 'icon-32.png')) },
      '/recordings.json': { contentType: 'application/json', body: () => JSON.stringify(DEMO_RECORDINGS) },
    },
    options.paceMs ?? 0,
  );
  await server.start(options.port ?? 0);
  return server;
}
