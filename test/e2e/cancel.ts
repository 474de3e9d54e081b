/** The page cancels a Responses body (through its reader, or the stream itself): the server must see the connection close at once. */
import assert from 'node:assert/strict';
import type { ReplayServer } from '../server/replay-server.ts';

export type CancelHow = 'reader' | 'body';

const NAME = 'fantasy__azure-reasoning-summary-gpt-5-mini';

export async function expectCancelClosesConnection(server: ReplayServer, readThenCancel: (route: string, how: CancelHow) => Promise<{ cancelled: boolean }>): Promise<void> {
  for (const how of ['reader', 'body'] as const) {
    const from = server.requests.length;
    // 50 frames a second: the whole recording would take many seconds.
    const result = await readThenCancel(`${NAME}/pace/20`, how);
    assert.equal(result.cancelled, true);
    const request = await server.waitForRequest((candidate) => candidate.id > from && candidate.recording === NAME);
    const framesAtCancel = request.framesSent;
    await request.done;
    assert.equal(request.closedEarly, true, `${how}: the server saw no close`);
    // Under a second of frames went out after the page cancelled.
    assert.ok(request.framesSent - framesAtCancel < 50, `${how}: ${request.framesSent - framesAtCancel} frames after the cancel`);
  }
}
