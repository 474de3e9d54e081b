import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, scratchWriter } from '../helpers/cli.ts';
import { alterOneDelta, deltasOnly, FIXTURE_DIR, fixtureNames, readFixture, readFixtureBytes, terminalSnapshot, withLineEndings } from '../helpers/streams.ts';

const { directory: scratch, write: writeScratch } = scratchWriter('responses-devtools-cli-');

const run = runCli;

interface InspectJson {
  responses: Array<{
    response: { id?: string; status?: string; model?: string; output: unknown[]; usage?: unknown };
    events: number;
    cost?: { total: number; input: number; cachedInput: number; cacheWrite: number; output: number; currency: string; source: string } | null;
    timing: Record<string, unknown>;
    warnings: Array<{ code: string; message: string; sequence_number?: number }>;
  }>;
}

function inspectJson(path: string): InspectJson {
  const result = run(['inspect', '--json', path]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as InspectJson;
}

describe('responses-devtools inspect', () => {
  it('prints a readable transcript: text with citations, usage, warnings', () => {
    const result = run(['inspect', join(FIXTURE_DIR, 'vercel-ai__azure-web-search-preview-gpt-4.1-mini.sse')]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Response 1 of 1: resp_/);
    assert.match(result.stdout, /status {2}completed/);
    assert.match(result.stdout, /\[0\] web_search_call \[searching\]/);
    assert.match(result.stdout, /citations:\n\s+\[1\] .*<https?:\/\//);
    assert.match(result.stdout, /input\s+5093\n\s+cached\s+0\n\s*output\s+369/);
    assert.doesNotMatch(result.stdout, /Warnings/);
  });

  it('prints what each response cost, and where the prices come from', () => {
    const text = run(['inspect', join(FIXTURE_DIR, 'vercel-ai__azure-web-search-preview-gpt-4.1-mini.sse')]);
    assert.match(text.stdout, /Cost \(USD, prices from @pydantic\/genai-prices@[\d.]+\)\n\s+input\s+\$0\.\d+\n\s+cached input\s+\$0\n\s+output\s+\$0\.\d+\n\s+built-in tools\s+\$0\.01\n\s+total\s+\$0\.\d+/);
    const json = inspectJson(join(FIXTURE_DIR, 'vercel-ai__azure-web-search-preview-gpt-4.1-mini.sse'));
    const cost = json.responses[0]?.cost;
    assert.ok(cost);
    assert.deepEqual(Object.keys(cost), ['total', 'input', 'cachedInput', 'cacheWrite', 'output', 'tools', 'currency', 'source']);
    // gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens.
    assert.ok(Math.abs(cost.input - (5093 * 0.4) / 1e6) < 1e-12);
    assert.ok(Math.abs(cost.output - (369 * 1.6) / 1e6) < 1e-12);
    assert.deepEqual(Object.keys(json.responses[0] ?? {}), ['protocol', 'response', 'thread', 'events', 'usage', 'cost', 'rateLimits', 'timing', 'warnings']);
    // A model the table does not know: no cost, and the text says why.
    const unknown = run(['inspect', join(FIXTURE_DIR, 'pydantic-ai__compat-openrouter-reasoning-text.sse')]);
    assert.match(unknown.stdout, /Cost\n\s+– no price for openai\/gpt-oss-20b/);
    assert.equal(inspectJson(join(FIXTURE_DIR, 'pydantic-ai__compat-openrouter-reasoning-text.sse')).responses[0]?.cost, null);
  });

  it('pretty-prints tool call arguments and shows reasoning summaries', () => {
    const calls = run(['inspect', join(FIXTURE_DIR, 'fantasy__parallel-function-calls-gpt-4o.sse')]);
    assert.match(calls.stdout, /function_call add \(call_id call_\w+\) \[completed\]\n\s+arguments:\n\s+\{\n\s+"a": /);
    const reasoning = run(['inspect', join(FIXTURE_DIR, 'pydantic-ai__reasoning-summary-multipart-o3-mini.sse')]);
    assert.match(reasoning.stdout, /\[0\] reasoning.*\n\s+summary:\n/);
    assert.match(reasoning.stdout, /reasoning\s+1408/);
  });

  it('reads stdin with "-"', () => {
    const result = run(['inspect', '--json', '-'], readFixture('seed__hello-gpt-4.1-nano.sse'));
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout) as InspectJson;
    assert.deepEqual(output.responses[0]?.response, terminalSnapshot(readFixture('seed__hello-gpt-4.1-nano.sse')));
  });

  it('exits 0 with warnings on a broken stream, and shows them', () => {
    const path = writeScratch('broken.sse', 'data: {"type":"response.created","response":{"id":"r1","output":[]}}\n\ndata: garbage\n\ndata: {"type":"response.output_text.delta","output_index":3,"item_id":"m","content_index":0,"delta":"hi"}\n\ndata: {"type":"resp');
    const text = run(['inspect', path]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Warnings \(4\)\n {2}! invalid_json: /);
    assert.match(text.stdout, /! truncated_event: /);
    const json = inspectJson(path);
    assert.deepEqual(json.responses[0]?.warnings.map((warning) => warning.code), ['invalid_json', 'unknown_item', 'truncated_event', 'no_terminal_event']);
  });

  it('fails with one clear line for input it cannot read at all', () => {
    const cases: Array<[string, RegExp]> = [
      [join(scratch, 'missing.sse'), /cannot read .*missing\.sse: no such file/],
      [writeScratch('plain.txt', 'just some words\n'), /not a Server-Sent Events stream/],
      [writeScratch('other.json', '{"hello": "world"}'), /neither a Response object nor Responses stream events/],
      [writeScratch('cut.json', '{"id": "resp_1", "output": ['), /not valid JSON/],
      [writeScratch('empty.sse', ''), /empty/],
    ];
    for (const [path, message] of cases) {
      const result = run(['inspect', path]);
      assert.equal(result.status, 1, path);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, message);
    }
  });

  it('explains its usage', () => {
    const result = run(['frobnicate']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown command "frobnicate"/);
    assert.match(run(['--help']).stdout, /responses-devtools inspect \[--json\] FILE/);
  });

  describe('the --json contract on every recording, in five modes', () => {
    for (const name of fixtureNames()) {
      it(name, () => {
        const text = readFixture(name);
        // Through JSON, as the command prints it (-0 prints as 0).
        const snapshot = JSON.parse(JSON.stringify(terminalSnapshot(text))) as ReturnType<typeof terminalSnapshot>;
        assert.ok(snapshot);
        const allowed = name.includes('error-then-response-failed') ? ['error_event'] : [];

        for (const [mode, content] of [
          ['whole', text],
          ['crlf', withLineEndings(text, '\r\n')],
        ] as const) {
          const [entry, ...rest] = inspectJson(writeScratch(`${mode}-${name}`, content)).responses;
          assert.equal(rest.length, 0);
          assert.ok(entry);
          assert.equal(entry.response.id, snapshot.id, mode);
          assert.equal(entry.response.status, snapshot.status, mode);
          assert.equal(entry.response.model, snapshot.model, mode);
          assert.deepEqual(entry.response.output, snapshot.output, mode);
          assert.deepEqual(entry.response.usage, snapshot.usage, mode);
          assert.deepEqual(entry.warnings.map((warning) => warning.code), allowed, mode);
          assert.ok(Object.hasOwn(entry.timing, 'durationMs'));
        }

        const deltas = inspectJson(writeScratch(`deltas-${name}`, deltasOnly(text))).responses[0];
        assert.ok(deltas);
        assert.notEqual(deltas.response.status, 'completed');
        assert.ok(deltas.warnings.some((warning) => warning.code === 'no_terminal_event'));

        const bytes = readFixtureBytes(name);
        const cut = run(['inspect', '--json', writeScratch(`cut-${name}`, bytes.subarray(0, Math.floor(bytes.length * 0.6)))]);
        assert.equal(cut.status, 0, cut.stderr);
        const cutEntry = (JSON.parse(cut.stdout) as InspectJson).responses[0];
        assert.ok(cutEntry);
        assert.notEqual(cutEntry.response.status, 'completed');
        assert.ok(cutEntry.warnings.length > 0);

        const altered = alterOneDelta(text);
        if (altered) {
          const entry = inspectJson(writeScratch(`altered-${name}`, altered.text)).responses[0];
          assert.ok(entry);
          assert.deepEqual(entry.response.output, snapshot.output);
          assert.ok(entry.warnings.some((warning) => /mismatch/.test(warning.code) && warning.message.includes(altered.itemId)));
        }
      });
    }
  });
});

describe('responses-devtools inspect: other protocols', () => {
  it('names the protocol, gives the SDK\'s own object, and prints a tool\'s result in the text', () => {
    const chunks = [
      { type: 'start', messageId: 'msg-1' },
      { type: 'start-step' },
      { type: 'tool-input-start', toolCallId: 'call-1', toolName: 'add' },
      { type: 'tool-input-delta', toolCallId: 'call-1', inputTextDelta: '{"a":2,"b":3}' },
      { type: 'tool-input-available', toolCallId: 'call-1', toolName: 'add', input: { a: 2, b: 3 } },
      { type: 'tool-output-available', toolCallId: 'call-1', output: { sum: 5 } },
      { type: 'finish-step' },
      { type: 'finish' },
    ];
    const path = writeScratch('tool.sse', chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n');
    const json = JSON.parse(run(['inspect', '--json', path]).stdout) as { responses: Array<{ protocol: string; response: { id: string; parts: Array<{ type: string; output?: unknown }> } }> };
    assert.equal(json.responses[0]?.protocol, 'ai-sdk.ui');
    assert.equal(json.responses[0]?.response.id, 'msg-1');
    assert.deepEqual(json.responses[0]?.response.parts.find((part) => part.type === 'tool-add')?.output, { sum: 5 });
    const text = run(['inspect', path]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /function_call add \(call_id call-1\)/);
    assert.match(text.stdout, /function_call_output \(call_id call-1\) \[completed\]\n\s+output:\n\s+\{\n\s+"sum": 5/);
  });
});
