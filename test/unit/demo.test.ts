import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEMO_RECORDINGS, RECORDINGS_DIR, demoRequest } from '../server/test-site.ts';
import { finalResponse } from '../server/replay-server.ts';

describe('the demo', () => {
  it("sends, for each recording, a request with the model, tools and reasoning its final response reports", () => {
    for (const { name, input } of DEMO_RECORDINGS) {
      const final = finalResponse(readFileSync(join(RECORDINGS_DIR, `${name}.sse`), 'utf8')) as { model: string; tools: unknown[]; reasoning?: Record<string, unknown> };
      const request = demoRequest(name, input);
      assert.ok(final.model.startsWith(request.model as string), `${name}: ${String(request.model)} names ${final.model}`);
      assert.ok(typeof request.input === 'string' && request.input !== '', name);
      assert.deepEqual(request.tools ?? [], final.tools, name);
      for (const [key, value] of Object.entries((request.reasoning ?? {}) as Record<string, unknown>)) assert.equal(final.reasoning?.[key], value, name);
    }
    // The buttons differ: no two recordings ask the same thing of the same model.
    const asked = DEMO_RECORDINGS.map(({ name, input }) => JSON.stringify(demoRequest(name, input)));
    assert.equal(new Set(asked).size, asked.length);
  });
});
