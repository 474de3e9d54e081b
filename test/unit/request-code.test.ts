import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { curlCommand, fetchCode, openaiNodeCode, searchTextOf, type ReplayableRequest } from '../../extension/core/index.ts';

const request: ReplayableRequest = {
  method: 'POST',
  url: 'https://api.openai.com/v1/responses',
  headers: [
    { name: 'Authorization', value: 'Bearer sk-proj-secret123' },
    { name: 'Content-Type', value: 'application/json' },
    { name: 'Content-Length', value: '99' },
    { name: 'OpenAI-Organization', value: 'org-1' },
    { name: 'sec-fetch-mode', value: 'cors' },
  ],
  body: JSON.stringify({ model: 'gpt-5-mini', input: "it's \"quoted\" $HOME `x`", stream: true }),
};

/** What a POSIX shell makes of a command's words (printed one per line by the shell itself). */
function shellWords(command: string, env: Record<string, string> = {}): string[] {
  const printed = spawnSync('sh', ['-c', `printf '%s\\n' ${command.replace(/^curl /, '').replace(/\\\n\s*/g, '')}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  assert.equal(printed.status, 0, printed.stderr);
  return printed.stdout.replace(/\n$/, '').split('\n');
}

describe('a captured request as code', () => {
  it('as cURL: the key as $OPENAI_API_KEY, headers a client sets left out, every word as it was', () => {
    const command = curlCommand(request);
    assert.doesNotMatch(command, /sk-proj-secret123/);
    assert.deepEqual(shellWords(command, { OPENAI_API_KEY: 'sk-from-env' }), [
      'https://api.openai.com/v1/responses',
      '-H',
      'Authorization: Bearer sk-from-env',
      '-H',
      'Content-Type: application/json',
      '-H',
      'OpenAI-Organization: org-1',
      '--data-raw',
      request.body,
      '--no-buffer',
    ]);
    assert.match(curlCommand(request, { keepSecrets: true }), /Bearer sk-proj-secret123/);
  });

  it('as cURL: another method, an Azure key and a key in the URL', () => {
    const command = curlCommand({ method: 'DELETE', url: 'https://x.openai.azure.com/openai/v1/responses/resp_1?api-version=preview&key=abc', headers: [{ name: 'api-key', value: 'azure-secret' }] });
    assert.doesNotMatch(command, /azure-secret|key=abc/);
    assert.deepEqual(shellWords(command, { AZURE_OPENAI_API_KEY: 'k' }), ['https://x.openai.azure.com/openai/v1/responses/resp_1?api-version=preview&key=[redacted]', '-X', 'DELETE', '-H', 'api-key: k', '--no-buffer']);
  });

  it('masks credentials in the body as every view does, unless asked to keep them', () => {
    const withTool: ReplayableRequest = { ...request, body: JSON.stringify({ model: 'm', tools: [{ type: 'mcp', server_url: 'https://mcp.example', authorization: 'tok-123' }] }) };
    for (const code of [curlCommand(withTool), fetchCode(withTool), openaiNodeCode(withTool)]) assert.doesNotMatch(code, /tok-123/);
    assert.match(curlCommand(withTool, { keepSecrets: true }), /tok-123/);
  });

  it('as fetch: valid JavaScript that sends the same body and headers', async () => {
    const code = fetchCode(request);
    assert.doesNotMatch(code, /sk-proj-secret123/);
    // Run it against a fetch that records what it was given.
    const calls: Array<{ url: string; init: { method: string; headers: Record<string, string>; body: string } }> = [];
    const fakeFetch = async (url: string, init: (typeof calls)[number]['init']) => {
      calls.push({ url, init });
      return { body: { getReader: () => ({ read: async () => ({ done: true }) }) } };
    };
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-env';
    try {
      const run = new Function('fetch', 'console', `return (async () => {\n${code}\n})();`) as (fetch: unknown, console: unknown) => Promise<void>;
      await run(fakeFetch, { log() {} });
    } finally {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
    }
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.url, request.url);
    assert.equal(calls[0]?.init.method, 'POST');
    assert.deepEqual(calls[0]?.init.headers, { Authorization: 'Bearer sk-env', 'Content-Type': 'application/json', 'OpenAI-Organization': 'org-1' });
    assert.deepEqual(JSON.parse(calls[0]?.init.body ?? ''), JSON.parse(request.body ?? ''));
  });

  it('as openai-node: the client with its base URL, query and headers, and the call with the same fields', () => {
    const code = openaiNodeCode({ ...request, url: 'http://127.0.0.1:8080/proxy/v1/responses?api-version=1' });
    assert.match(code, /^import OpenAI from 'openai';/);
    assert.match(code, /baseURL: "http:\/\/127\.0\.0\.1:8080\/proxy\/v1"/);
    assert.match(code, /defaultQuery: \{"api-version":"1"\}/);
    assert.match(code, /apiKey: process\.env\.OPENAI_API_KEY/);
    assert.match(code, /defaultHeaders: \{ "OpenAI-Organization": "org-1" \}/);
    assert.match(code, /for await \(const event of stream\)/);
    const fields = /client\.responses\.create\(([\s\S]*)\);\nfor await/.exec(code)?.[1] ?? '';
    assert.deepEqual(JSON.parse(fields), JSON.parse(request.body ?? ''));
    assert.doesNotMatch(code, /sk-proj-secret123/);
    // The default endpoint needs no base URL, and a body that is not JSON is said so, not guessed.
    assert.match(openaiNodeCode({ method: 'POST', url: 'https://api.openai.com/v1/responses', headers: [], body: '{"model":"m"}' }), /new OpenAI\(\); \/\/ reads OPENAI_API_KEY[\s\S]*console\.log\(response\)/);
    assert.match(openaiNodeCode({ method: 'POST', url: 'https://api.openai.com/v1/responses', headers: [], body: 'not json' }), /not a JSON object/);
  });
});

describe('what a person remembers of a call, to search', () => {
  it('holds the input and the output (text, tool names and arguments), in lower case and bounded', () => {
    const body = JSON.stringify({ model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Earlier question' }] }, { role: 'user', content: 'What is the WEATHER in Paris?' }] });
    const output = [
      { type: 'message', content: [{ type: 'output_text', text: 'It is Sunny.', annotations: [] }] },
      { type: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'web_search_call', action: { type: 'search', query: 'paris forecast' } },
    ];
    const text = searchTextOf(body, output);
    for (const remembered of ['what is the weather in paris?', 'it is sunny.', 'get_weather', '{"city":"paris"}', 'paris forecast', 'earlier question']) assert.ok(text.includes(remembered), remembered);
    const long = searchTextOf(JSON.stringify({ input: 'x'.repeat(10_000) + ' the end' }), [{ type: 'message', content: [{ type: 'output_text', text: 'y'.repeat(10_000) }] }]);
    assert.ok(long.length <= 4_001, String(long.length));
    assert.ok(long.includes('the end'), 'the input is kept by its end');
    assert.equal(searchTextOf('not json', undefined).trim(), '');
  });

  it('finds an agent\'s steps by a tool\'s name or a call id, however long the texts around them', () => {
    const body = JSON.stringify({
      model: 'm',
      input: [
        { role: 'user', content: 'Add them.' },
        { type: 'function_call', id: 'fc_68a1', call_id: 'call_ADD_1', name: 'add', arguments: '{"a":2,"b":3}' },
        { type: 'function_call_output', call_id: 'call_ADD_1', output: '5' },
      ],
    });
    const output = [
      { type: 'message', id: 'msg_1', content: [{ type: 'output_text', text: 'z'.repeat(10_000) }] },
      { type: 'function_call', id: 'fc_99', call_id: 'call_MUL_2', name: 'multiply', arguments: '{}' },
    ];
    const text = searchTextOf(body, output);
    for (const id of ['call_add_1', 'call_mul_2', 'multiply', 'fc_99', 'fc_68a1']) assert.ok(text.includes(id), id);
    // Messages of the other APIs are their input.
    assert.ok(searchTextOf(JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour tout le monde' }] }), []).includes('bonjour tout le monde'));
  });
});

describe('openai-node code for Chat Completions', () => {
  it('calls client.chat.completions.create against the same base URL', () => {
    const code = openaiNodeCode(
      {
        method: 'POST',
        url: 'https://api.groq.com/openai/v1/chat/completions',
        headers: [{ name: 'Authorization', value: 'Bearer gsk_secret_key_1234567890' }],
        body: JSON.stringify({ model: 'llama-3.3-70b', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
      },
      { api: 'chat.completions' },
    );
    assert.match(code, /baseURL: "https:\/\/api\.groq\.com\/openai\/v1"/);
    assert.match(code, /const stream = await client\.chat\.completions\.create\(\{/);
    assert.doesNotMatch(code, /gsk_secret/);
  });
});
