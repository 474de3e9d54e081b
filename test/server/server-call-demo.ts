/**
 * The demo's server-side call: a route of the demo app's own server (`POST /app/server-call`) that calls the
 * Responses API as a production app does, from Node with the official `openai` client, through
 * `responses-devtools proxy` (run here in the same process) to the replay server. The page only sees the text its
 * server relays; the panel sees the call itself, from the proxy.
 */
import OpenAI from 'openai';
import { CaptureProxy } from '../../extension/cli/proxy-command.ts';
import type { ReplayServer } from './replay-server.ts';
import { demoRequest } from './test-site.ts';

export const SERVER_CALL_PATH = '/app/server-call';
export const SERVER_CALL_RECORDING = 'pydantic-ai__reasoning-summary-multipart-o3-mini';
const SERVER_CALL_INPUT = 'How do I cross the street safely?';

/**
 * Starts the proxy (port 0: any free one) in front of the replay server, and the app's route that calls through it,
 * its stream paced as a model writes (`paceMs` between events).
 */
export async function startServerCallDemo(server: ReplayServer, port: number, log: (line: string) => void, paceMs = 25): Promise<CaptureProxy> {
  const proxy = new CaptureProxy({ port, host: '127.0.0.1', upstream: new URL(server.url) }, log);
  const proxyUrl = await proxy.start();
  server.addAppRoute(SERVER_CALL_PATH, async (_request, response) => {
    const client = new OpenAI({ apiKey: 'sk-demo-server-key-not-a-real-one', baseURL: `${proxyUrl}/r/${SERVER_CALL_RECORDING}/pace/${paceMs}/v1`, maxRetries: 0 });
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    try {
      const body = demoRequest(SERVER_CALL_RECORDING, SERVER_CALL_INPUT) as unknown as OpenAI.Responses.ResponseCreateParamsStreaming;
      const stream = await client.responses.create({ ...body, stream: true });
      for await (const event of stream) if (event.type === 'response.output_text.delta') response.write(event.delta);
    } catch (error) {
      response.write(`\n\nThe server's call failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    response.end();
  });
  return proxy;
}
