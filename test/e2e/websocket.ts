/**
 * The Responses API's WebSocket mode: a page holds one socket, warms it up (`generate: false`), then asks for two
 * responses, each continuing the one before. Each response is a capture of that connection, shown as the core
 * assembles the same events over SSE, chained in one thread; the frames the page got are the server's. Shared by the
 * Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import { readResponsesBody } from '../../extension/core/index.ts';
import type { SocketSessionResult } from '../server/page/page.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { finalMessageText, messageShown, ROW_COUNT } from './recordings.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDINGS_DIR } from '../server/test-site.ts';

export const SOCKET_RECORDINGS = ['seed__hello-gpt-4.1-nano', 'fantasy__text-gpt-4o'];

const ROWS = '[...document.querySelectorAll("[data-testid=capture-row]")]';

export async function expectWebSocketSession(
  panel: PanelDocument,
  server: ReplayServer,
  session: (recordings: string[]) => Promise<SocketSessionResult>,
): Promise<{ connection: string }> {
  const before = server.sockets.length;
  const result = await session(SOCKET_RECORDINGS);
  assert.equal(result.error, undefined);
  // The page got exactly the frames the server sent.
  const socket = server.sockets[before];
  assert.ok(socket);
  assert.deepEqual(result.received, socket.frames.filter((frame) => frame.dir === 'receive').map((frame) => frame.data));
  assert.deepEqual(
    result.responses.map((response) => response.status),
    ['completed', 'completed', 'completed'],
  );
  // One capture a response, all of one connection.
  await panel.waitFor(`${ROW_COUNT} === 3 && !document.querySelector("[data-testid=capture-row] .live-dot")`);
  const connections = await panel.evaluate<Array<string | undefined>>(`${ROWS}.map((row) => row.querySelector("[data-testid=socket-tag]")?.dataset.connection)`);
  const connection = connections[0];
  assert.ok(connection);
  assert.deepEqual(connections, [connection, connection, connection]);
  // Each response as the core assembles its recording over SSE: the same text, usage and status.
  for (const [index, name] of SOCKET_RECORDINGS.entries()) {
    await panel.evaluate(`${ROWS}[${index + 1}].click()`);
    await panel.waitFor(messageShown(finalMessageText(name)));
    const record = readResponsesBody(readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8')).responses[0];
    assert.ok(record?.usage);
    await panel.waitFor(`document.querySelector("[data-testid=summary-input]")?.textContent === "${record.usage.input}"`);
    assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=summary] [data-testid=status]").dataset.status'), 'completed');
    assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=warning]").length'), 0, `${name}: no warning`);
  }
  // The warm-up is a response of its own, with no output; the request is the frame the page sent.
  await panel.evaluate(`${ROWS}[0].click()`);
  await panel.click('[data-testid=tab-request]');
  await panel.waitFor('document.querySelector("[data-testid=request-view]")?.innerText.includes("generate")');
  // The turns chain by previous_response_id: one thread of three.
  await panel.click('[data-testid=tab-thread]');
  await panel.waitFor('document.querySelectorAll("[data-testid=thread-turn]").length === 3');
  await panel.click('[data-testid=tab-assembly]');
  return { connection };
}
