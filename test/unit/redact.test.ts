import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildTranscript,
  readHar,
  REDACTED,
  REDACTION_RULES,
  isSecretHeader,
  redactBody,
  redactHeaders,
  redactHeaderValue,
  redactText,
  redactUrl,
  type RedactionExample,
  type RedactionRule,
} from '../../extension/core/index.ts';
import { PanelCapture } from '../../panel/model/panel-capture.ts';
import { importFile, transcriptText } from '../../panel/transcripts.ts';
import { KEPT, leakedSecrets, PLANTED, PLANTED_FORM_BODY, PLANTED_JSON_BODY, PLANTED_MULTIPART_BODY, PLANTED_URL, plantedHar } from '../helpers/planted-secrets.ts';
import { readFixture } from '../helpers/streams.ts';

const README = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

function applyRule(rule: RedactionRule, example: RedactionExample): string {
  switch (rule.where) {
    case 'header':
      return redactHeaderValue(example.name ?? '', example.input);
    case 'url':
      return redactUrl(example.input);
    case 'body':
      return redactBody(example.input, example.contentType);
    case 'text':
      return redactText(example.input);
  }
}

/** The README's table of rules, as the table in the code says it. */
function rulesMarkdown(): string {
  const code = (text: string) => `\`${text.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}\``;
  const shown = (example: RedactionExample, text: string) => code(example.name ? `${example.name}: ${text}` : text);
  const rows = REDACTION_RULES.map(
    (rule) => `| \`${rule.id}\` | ${rule.where} | ${rule.description.replace(/\|/g, '\\|')} | ${shown(rule.example, rule.example.input)} → ${shown(rule.example, rule.example.output)} |`,
  );
  return ['| rule | where | masks | example |', '|---|---|---|---|', ...rows].join('\n');
}

describe('redaction rules: every row of the table', () => {
  it('has unique ids, a description, and an example that changes something', () => {
    const ids = REDACTION_RULES.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of REDACTION_RULES) {
      assert.ok(rule.description.length > 10, rule.id);
      assert.notEqual(rule.example.output, rule.example.input, `${rule.id}: the example shows a change`);
      assert.ok(rule.example.output.includes(REDACTED), rule.id);
      if (rule.where === 'text') assert.ok(rule.pattern && rule.replace, `${rule.id}: a text rule has its pattern`);
    }
  });

  for (const rule of REDACTION_RULES) {
    it(`${rule.id}: its example, and the look-alikes it keeps`, () => {
      assert.equal(applyRule(rule, rule.example), rule.example.output);
      for (const kept of rule.keeps ?? []) {
        assert.equal(kept.output, kept.input, `${rule.id}: a kept example is unchanged`);
        assert.equal(applyRule(rule, kept), kept.input, `${rule.id} keeps ${kept.name ?? ''} ${kept.input}`);
      }
      // Text rules apply everywhere: in URLs, header values and bodies too.
      if (rule.where === 'text') {
        assert.equal(redactBody(rule.example.input), rule.example.output);
        assert.equal(redactHeaderValue('x-note', rule.example.input), rule.example.output);
      }
    });
  }

  it('are the table in the README', () => {
    const readme = readFileSync(README, 'utf8');
    const start = '<!-- redaction-rules:start (generated from REDACTION_RULES by test/unit/redact.test.ts; UPDATE_README=1 rewrites it) -->';
    const end = '<!-- redaction-rules:end -->';
    const from = readme.indexOf(start);
    const to = readme.indexOf(end);
    assert.ok(from !== -1 && to > from, 'the README has the markers');
    const expected = `${start}\n${rulesMarkdown()}\n${end}`;
    if (process.env.UPDATE_README === '1') writeFileSync(README, readme.slice(0, from) + expected + readme.slice(to + end.length));
    assert.equal(readFileSync(README, 'utf8').slice(from, readFileSync(README, 'utf8').indexOf(end) + end.length), expected, 'README table out of date: run with UPDATE_README=1');
  });
});

describe('redaction of headers', () => {
  it('masks credential headers, keeping the scheme', () => {
    assert.deepEqual(
      redactHeaders([
        { name: 'Authorization', value: 'Bearer sk-proj-abcdefghijklmnop' },
        { name: 'Proxy-Authorization', value: 'Basic YWRhOmh1bnRlcjI=' },
        { name: 'Ocp-Apim-Subscription-Key', value: '0123abcd' },
        { name: 'X-Goog-Api-Key', value: 'goog-key' },
        { name: 'api-key', value: 'azure-key' },
        { name: 'x-api-key', value: 'anthropic-key' },
        { name: 'Cookie', value: 'a=1; b=2' },
        { name: 'Set-Cookie', value: 'session=abc; Path=/; HttpOnly' },
        { name: 'authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc' },
        { name: 'authorization', value: 'just-a-token' },
        { name: 'authorization', value: '' },
      ]),
      [
        { name: 'Authorization', value: `Bearer ${REDACTED}` },
        { name: 'Proxy-Authorization', value: `Basic ${REDACTED}` },
        { name: 'Ocp-Apim-Subscription-Key', value: REDACTED },
        { name: 'X-Goog-Api-Key', value: REDACTED },
        { name: 'api-key', value: REDACTED },
        { name: 'x-api-key', value: REDACTED },
        { name: 'Cookie', value: REDACTED },
        { name: 'Set-Cookie', value: REDACTED },
        { name: 'authorization', value: `AWS4-HMAC-SHA256 ${REDACTED}` },
        { name: 'authorization', value: REDACTED },
        { name: 'authorization', value: '' },
      ],
    );
  });

  it('masks any header whose name says key, token, secret, signature, auth or password', () => {
    for (const name of ['x-custom-auth', 'x-session-token', 'X-Auth-Token', 'x-amz-security-token', 'x-functions-key', 'x-hub-signature-256', 'x-client-secret', 'x-password', 'X-CSRF-Token', 'x-authtoken', 'x-apikey', 'x-user-credentials', 'x-jwt-assertion']) {
      assert.ok(isSecretHeader(name), name);
      assert.equal(redactHeaderValue(name, 'value-1234'), REDACTED, name);
    }
  });

  it('keeps rate limits (token counts), CORS, ids and ordinary headers', () => {
    for (const name of [
      'x-ratelimit-remaining-tokens',
      'x-ratelimit-limit-tokens',
      'x-ratelimit-reset-tokens',
      'anthropic-ratelimit-input-tokens-remaining',
      'anthropic-ratelimit-tokens-limit',
      'openai-processing-ms',
      'openai-organization',
      'openai-version',
      'x-request-id',
      'content-type',
      'accept',
      'content-length',
      'keep-alive',
      'idempotency-key',
      'sec-websocket-key',
      'access-control-allow-credentials',
      'access-control-allow-headers',
      'www-authenticate',
      'x-stainless-arch',
    ]) {
      assert.ok(!isSecretHeader(name), name);
    }
    assert.equal(redactHeaderValue('x-ratelimit-remaining-tokens', '149984'), '149984');
    assert.equal(redactHeaderValue('access-control-allow-headers', 'authorization, content-type'), 'authorization, content-type');
  });

  it('masks keys and URL secrets inside ordinary header values', () => {
    assert.equal(redactHeaderValue('referer', 'https://app.example/cb?code=abc&state=1'), `https://app.example/cb?code=${REDACTED}&state=1`);
    assert.equal(redactHeaderValue('x-note', 'key sk-abcdefghijklmnop'), `key sk-${REDACTED}`);
  });
});

describe('redaction of URLs', () => {
  it('masks the user info', () => {
    assert.equal(redactUrl('https://user:pass@host.example/v1/responses'), `https://${REDACTED}@host.example/v1/responses`);
    assert.equal(redactUrl('https://ghp_token@github.example/x.git'), `https://${REDACTED}@github.example/x.git`);
    assert.equal(redactUrl('https://a:b@c@host.example/?q=1'), `https://${REDACTED}@host.example/?q=1`);
    assert.equal(redactUrl('https://host.example/path@not-user-info'), 'https://host.example/path@not-user-info');
    assert.doesNotThrow(() => new URL(redactUrl('https://user:pass@host.example/v1/responses')));
  });

  it('masks secret query and fragment parameters by name', () => {
    const names = ['sig', 'signature', 'client_secret', 'token', 'access_token', 'refresh_token', 'id_token', 'secret', 'password', 'pwd', 'api-key', 'api_key', 'apikey', 'apiKey', 'key', 'auth', 'code', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token', 'X-Goog-Signature', 'X-Goog-Credential', 'jwt', 'subscription-key', 'api%5Fkey', 'pass+word'];
    for (const name of names) {
      assert.equal(redactUrl(`https://h.example/p?a=1&${name}=s3cr3t&b=2`), `https://h.example/p?a=1&${name}=${REDACTED}&b=2`, name);
    }
    assert.equal(redactUrl('https://app.example/cb#access_token=abc&token_type=bearer&state=x'), `https://app.example/cb#access_token=${REDACTED}&token_type=${REDACTED}&state=x`);
    assert.equal(redactUrl('/v1/responses?token=abc'), `/v1/responses?token=${REDACTED}`);
  });

  it('keeps ordinary parameters, empty values and URLs without a query', () => {
    for (const url of [
      'https://x.openai.azure.com/openai/responses?api-version=2025-04-01-preview',
      'https://api.openai.com/v1/responses/resp_1?stream=true&starting_after=12&include[]=x',
      'https://h.example/p?max_tokens=5&model=gpt&q=key+words',
      'https://h.example/p?token=',
      'https://h.example/p#section-2',
      'https://api.openai.com/v1/responses',
      'not a url at all',
    ]) {
      assert.equal(redactUrl(url), url);
    }
  });

  it('masks keys anywhere in the URL', () => {
    assert.equal(redactUrl('https://h.example/keys/sk-abcdefghijklmnop/x'), `https://h.example/keys/sk-${REDACTED}/x`);
  });
});

describe('redaction of request bodies', () => {
  it('leaves an ordinary Responses request byte for byte as it was', () => {
    const body = {
      model: 'gpt-5',
      instructions: 'Talk about tokens, keys and passwords in general.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'What is a token?' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A piece.', annotations: [], logprobs: [{ token: 'A', logprob: -0.1, bytes: [65], top_logprobs: [{ token: 'A', logprob: -0.1, bytes: [65] }] }] }] },
        { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAAABo0123' },
      ],
      max_output_tokens: 1024,
      max_tool_calls: 3,
      top_logprobs: 5,
      temperature: 0.2,
      prompt_cache_key: 'user-1234',
      safety_identifier: 'hash-abc',
      user: 'ada',
      service_tier: 'auto',
      store: false,
      stream: true,
      truncation: 'auto',
      parallel_tool_calls: true,
      previous_response_id: 'resp_1',
      include: ['reasoning.encrypted_content', 'message.output_text.logprobs'],
      metadata: { session: 'kept', tokens_used: '12' },
      reasoning: { effort: 'low', summary: 'auto' },
      text: { verbosity: 'low', format: { type: 'json_schema', name: 'login', strict: true, schema: { type: 'object', properties: { password: { type: 'string' }, token: { type: 'string' }, credentials: { type: 'object', properties: { key: { type: 'string' } } } }, required: ['password', 'token'], $defs: { secret: { type: 'string' } } } } },
      tool_choice: 'auto',
      tools: [
        { type: 'function', name: 'get_token_count', description: 'Counts tokens', parameters: { type: 'object', properties: { api_key: { type: 'string', description: 'the key' } } } },
        { type: 'file_search', vector_store_ids: ['vs_1'], filters: { type: 'and', filters: [{ type: 'eq', key: 'region', value: 'eu' }] } },
        { type: 'computer_use_preview', display_width: 1024, display_height: 768, environment: 'browser' },
        { type: 'code_interpreter', container: { type: 'auto' } },
      ],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 },
    };
    for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2), JSON.stringify(body, null, '\t')]) {
      assert.equal(redactBody(text, 'application/json'), text);
      assert.equal(redactBody(text), text);
      assert.equal(redactBody(text, 'text/plain;charset=UTF-8'), text);
    }
  });

  it('changes only the masked values: spacing, escapes and number formats stay', () => {
    const text = '{ "a" : "caf\\u00e9\\/x",\n  "n": 1.50e3,\n  "password" :  "hunter2" ,\n  "b": [ 1 , 2 ] }';
    assert.equal(redactBody(text), `{ "a" : "caf\\u00e9\\/x",\n  "n": 1.50e3,\n  "password" :  "${REDACTED}" ,\n  "b": [ 1 , 2 ] }`);
  });

  it('matches JSON keys once their escapes are decoded', () => {
    assert.equal(redactBody('{"api\\u005fkey":"k1","\\u0070assword":"p1","to\\u006ben":"t1"}'), `{"api\\u005fkey":"${REDACTED}","\\u0070assword":"${REDACTED}","to\\u006ben":"${REDACTED}"}`);
  });

  it('masks secret-named fields in any case and position, strings and numbers', () => {
    const body = {
      apiKey: 'a',
      'x-api-key': 'b',
      secret_key: 'c',
      privateKey: 'd',
      aws_secret_access_key: 'e',
      client_secret: 'f',
      refresh_token: 'g',
      accessToken: 'h',
      id_token: 'i',
      session_token: 'j',
      password: 1234,
      passwd: 'k',
      db_password_confirmation: 'l',
      authorization: 'Bearer abc',
      oauth: 'm',
      cookie: 'n',
      signature: 'o',
      jwt: 'p',
      nested: [{ deep: { auth_token: 'q' } }],
    };
    const masked = JSON.parse(redactBody(JSON.stringify(body))) as Record<string, unknown>;
    for (const [key, value] of Object.entries(masked)) {
      if (key === 'nested') assert.deepEqual(value, [{ deep: { auth_token: REDACTED } }]);
      else if (key === 'authorization') assert.equal(value, REDACTED);
      else assert.equal(value, REDACTED, key);
    }
  });

  it('keeps counts and ordinary fields that only look like secrets', () => {
    const body = { max_output_tokens: 5, input_tokens: 1, cached_tokens: 0, token_count: 7, tokens: 9, prompt_cache_key: 'p', key: 'k', keys: ['ctrl', 'c'], idempotency_key: 'i', author: 'ada', token_type: 'bearer', auth_type: 'none', required: ['password', 'token'], code: 'print(1)', session_id: 's', keyboard: 'us' };
    const text = JSON.stringify(body);
    assert.equal(redactBody(text), text);
  });

  it('masks whole secret objects: credentials, secrets, auth', () => {
    assert.equal(
      redactBody('{"credentials":{"key":"k","nested":{"n":5,"ok":true,"none":null}},"secrets":["a",["b"]],"auth":{"user":"u","pass":"p"},"model":"gpt"}'),
      `{"credentials":{"key":"${REDACTED}","nested":{"n":"${REDACTED}","ok":true,"none":null}},"secrets":["${REDACTED}",["${REDACTED}"]],"auth":{"user":"${REDACTED}","pass":"${REDACTED}"},"model":"gpt"}`,
    );
  });

  it('masks header maps, header pairs and name/value lists', () => {
    assert.equal(
      redactBody('{"headers":{"Authorization":"Bearer abc","x-session-token":"t","x-ratelimit-remaining-tokens":"5","Accept":"*/*"}}'),
      `{"headers":{"Authorization":"Bearer ${REDACTED}","x-session-token":"${REDACTED}","x-ratelimit-remaining-tokens":"5","Accept":"*/*"}}`,
    );
    assert.equal(redactBody('{"extra_headers":{"api-key":"k"},"requestHeaders":{"Cookie":"a=1"}}'), `{"extra_headers":{"api-key":"${REDACTED}"},"requestHeaders":{"Cookie":"${REDACTED}"}}`);
    assert.equal(redactBody('[["Authorization","Bearer abc"],["x-api-key","k"],["Accept","*/*"],["Authorization","a","b"]]'), `[["Authorization","Bearer ${REDACTED}"],["x-api-key","${REDACTED}"],["Accept","*/*"],["Authorization","a","b"]]`);
    assert.equal(
      redactBody('{"headers":[{"name":"Authorization","value":"Basic abc"},{"value":"k","name":"api-key"},{"name":"accept","value":"*/*"}],"queryString":[{"name":"sig","value":"s"}]}'),
      `{"headers":[{"name":"Authorization","value":"Basic ${REDACTED}"},{"value":"${REDACTED}","name":"api-key"},{"name":"accept","value":"*/*"}],"queryString":[{"name":"sig","value":"${REDACTED}"}]}`,
    );
  });

  it('masks an MCP tool’s credentials: authorization, headers, a token in its URL', () => {
    const body = JSON.stringify({ tools: [{ type: 'mcp', server_label: 'x', server_url: 'https://mcp.example.com/sse?token=abc&v=1', authorization: 'oauth-abc', headers: { Authorization: 'Bearer xyz' }, require_approval: 'never' }] });
    assert.equal(redactBody(body), JSON.stringify({ tools: [{ type: 'mcp', server_label: 'x', server_url: `https://mcp.example.com/sse?token=${REDACTED}&v=1`, authorization: REDACTED, headers: { Authorization: `Bearer ${REDACTED}` }, require_approval: 'never' }] }));
  });

  it('masks form fields, by content type or by the look of the body', () => {
    const form = 'grant_type=refresh_token&refresh_token=r1&client_id=c&client_secret=s1&code=x&user=ada&pass%77ord=p';
    const expected = `grant_type=refresh_token&refresh_token=${REDACTED}&client_id=c&client_secret=${REDACTED}&code=${REDACTED}&user=ada&pass%77ord=${REDACTED}`;
    assert.equal(redactBody(form, 'application/x-www-form-urlencoded;charset=UTF-8'), expected);
    assert.equal(redactBody(form), expected);
    assert.equal(redactBody('plain words = not a form'), 'plain words = not a form');
  });

  it('masks multipart fields, with CRLF or LF, by content type or by the look of the body; files stay', () => {
    const parts = (eol: string) =>
      [
        '------b0undary',
        'Content-Disposition: form-data; name="password"',
        '',
        'hunter2',
        '------b0undary',
        'content-disposition: form-data; name=api_key',
        '',
        'k1',
        '------b0undary',
        'Content-Disposition: form-data; name="token"; filename="token.txt"',
        'Content-Type: text/plain',
        '',
        'file contents',
        '------b0undary',
        'Content-Disposition: form-data; name="meta"',
        'Content-Type: application/json',
        '',
        '{"secret":"s1","model":"gpt"}',
        '------b0undary',
        'Content-Disposition: form-data; name="purpose"',
        '',
        'assistants',
        '------b0undary--',
        '',
      ].join(eol);
    for (const eol of ['\r\n', '\n']) {
      const expected = parts(eol).replace('hunter2', REDACTED).replace(`${eol}k1${eol}`, `${eol}${REDACTED}${eol}`).replace('"s1"', `"${REDACTED}"`);
      assert.equal(redactBody(parts(eol), 'multipart/form-data; boundary=----b0undary'), expected);
      assert.equal(redactBody(parts(eol), 'multipart/form-data; boundary="----b0undary"'), expected);
      assert.equal(redactBody(parts(eol)), expected);
    }
  });

  it('reads JSON that is cut short, several documents, or not JSON, without throwing', () => {
    assert.equal(redactBody('{"model":"gpt","api_key":"k1","input":"unfinished'), `{"model":"gpt","api_key":"${REDACTED}","input":"unfinished`);
    assert.equal(redactBody('{"password":"a"}\n{"password":"b"}\n'), `{"password":"${REDACTED}"}\n{"password":"${REDACTED}"}\n`);
    assert.equal(redactBody('{"password": oops, "token": "t"}'), `{"password": oops, "token": "${REDACTED}"}`);
    for (const odd of ['', '{', '[', '}', ']]]', '{"a":', '"\\', '{"a\\":1}', '\ud800{"password":"\udfff"}', 'x'.repeat(10)]) {
      assert.doesNotThrow(() => redactBody(odd));
      assert.doesNotThrow(() => redactBody(odd, 'multipart/form-data; boundary=x'));
      assert.doesNotThrow(() => redactUrl(odd));
      assert.doesNotThrow(() => redactText(odd));
    }
    assert.equal(redactBody(undefined as unknown as string), 'undefined');
  });

  it('handles deep nesting without recursion', () => {
    const depth = 200_000;
    const text = `${'{"a":'.repeat(depth)}{"password":"p","b":[${'['.repeat(depth)}${']'.repeat(depth)}]}${'}'.repeat(depth)}`;
    const masked = redactBody(text);
    assert.equal(masked.length, text.length - 1 + REDACTED.length);
    assert.ok(masked.includes(`{"password":"${REDACTED}","b":`));
  });

  it('stays linear on large and hostile bodies', () => {
    const cases = [
      JSON.stringify({ input: Array.from({ length: 20_000 }, (_, index) => ({ role: 'user', content: 'hello world '.repeat(20) + index })), api_key: 'k' }),
      'eyJ'.repeat(1_000_000),
      'sk-'.repeat(1_000_000),
      'Bearer '.repeat(500_000),
      'https://'.repeat(500_000),
      'A'.repeat(4_000_000),
      `{"a":"${'\\"'.repeat(1_000_000)}"}`,
      Array.from({ length: 100_000 }, (_, index) => `f${index}=v`).join('&'),
      `--b\r\n${'Content-Disposition: form-data; name="x"\r\n\r\nv\r\n--b\r\n'.repeat(50_000)}`,
    ];
    for (const text of cases) {
      const started = performance.now();
      redactBody(text);
      redactText(text);
      const elapsed = performance.now() - started;
      // A quadratic pass would take minutes on these.
      assert.ok(elapsed < 5000, `${text.slice(0, 20)}…: ${elapsed.toFixed(0)} ms`);
    }
  });
});

describe('redaction of keys in text', () => {
  it('masks provider keys and tokens, keeping the prefix', () => {
    const cases: Array<[string, string]> = [
      ['sk-abcdefghijklmnop', `sk-${REDACTED}`],
      ['sk-proj-abc_def-123456789', `sk-${REDACTED}`],
      ['sk-ant-api03-abcdefghijklmn', `sk-${REDACTED}`],
      ['rk-live-abcdefghijk', `rk-${REDACTED}`],
      ['AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q', `AIza${REDACTED}`],
      ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', `github_pat_${REDACTED}`],
      ['hf_abcdefghijklmnopqrstuvwxyzABCDEF', `hf_${REDACTED}`],
      ['sk_live_51H0123456789abcdefghij', `sk_live_${REDACTED}`],
      ['xoxb-1234567890-abcdefghijkl', `xoxb-${REDACTED}`],
      ['Authorization: bearer abcdefghijklmnopqrstuvwxyz', `Authorization: bearer ${REDACTED}`],
      ['"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"', `"Bearer ${REDACTED}"`],
      ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.', `token ${REDACTED}`],
    ];
    for (const [input, output] of cases) assert.equal(redactText(`<${input}>`), `<${output}>`, input);
  });

  it('keeps words that only look like keys', () => {
    for (const text of ['desk-lamp-and-chair', 'task-12345678', 'AIza-short', 'Bearer tokens are sent in a header.', 'eyJhbGciOiJIUzI1NiJ9 alone', 'https://example.com/a?utm_source=openai', 'ghp_short']) {
      assert.equal(redactText(text), text);
    }
  });
});

describe('redaction in transcripts (the default export)', () => {
  const har = plantedHar();

  function assertClean(text: string): void {
    assert.deepEqual(leakedSecrets(text), [], 'planted credentials in the export');
  }

  function assertKeptValues(exported: { log: { entries: Array<Record<string, any>> } }): void {
    const [json, form, multipart] = exported.log.entries;
    assert.ok(json && form && multipart);
    const jsonBody = json.request.postData.text as string;
    for (const kept of [KEPT.maxOutputTokens, KEPT.topLogprobs, KEPT.promptCacheKey, KEPT.safetyIdentifier, KEPT.logprobToken, KEPT.filterKey, KEPT.schemaPassword]) assert.ok(jsonBody.includes(kept), kept);
    assert.doesNotThrow(() => JSON.parse(jsonBody));
    assert.ok((form.request.postData.text as string).includes(KEPT.formClientId));
    assert.ok((form.request.postData.text as string).includes(KEPT.formGrantType));
    assert.ok((multipart.request.postData.text as string).includes(KEPT.multipartPurpose));
    assert.ok((json.request.url as string).includes(KEPT.apiVersion));
    const responseHeaders = Object.fromEntries((json.response.headers as Array<{ name: string; value: string }>).map((header) => [header.name, header.value]));
    assert.equal(responseHeaders['x-ratelimit-remaining-tokens'], KEPT.rateLimitRemaining);
    assert.equal(responseHeaders['x-ratelimit-limit-tokens'], KEPT.rateLimitLimit);
    assert.equal(responseHeaders['openai-processing-ms'], KEPT.processingMs);
    assert.equal(responseHeaders['x-request-id'], KEPT.requestId);
    const requestHeaders = Object.fromEntries((json.request.headers as Array<{ name: string; value: string }>).map((header) => [header.name, header.value]));
    assert.equal(requestHeaders.Authorization, `Bearer ${REDACTED}`);
    assert.equal(requestHeaders['x-custom-auth'], REDACTED);
    assert.equal(requestHeaders.accept, 'text/event-stream');
  }

  it('the planted request bodies are what the test says they are', () => {
    // Each secret is really in the input, so its absence below means something.
    const input = JSON.stringify(har);
    assert.deepEqual(Object.values(PLANTED).filter((secret) => !input.includes(secret)), []);
    assert.ok(PLANTED_JSON_BODY.includes('"api\\u005fkey"'));
    assert.ok(PLANTED_FORM_BODY.includes(PLANTED.formPassword) && PLANTED_MULTIPART_BODY.includes(PLANTED.multipartPassword) && PLANTED_URL.includes(PLANTED.urlUser));
  });

  it('buildTranscript redacts every planted credential by default, and keeps them when asked', () => {
    const calls = readHar(har).calls;
    assert.equal(calls.length, 3);
    const redacted = buildTranscript(calls);
    assertClean(JSON.stringify(redacted));
    assertKeptValues(redacted as never);
    const kept = JSON.stringify(buildTranscript(calls, { keepSecrets: true }));
    assert.deepEqual(Object.values(PLANTED).filter((secret) => !kept.includes(secret)), []);
  });

  it("the panel's export (panel/transcripts.ts) redacts imported and live captures", () => {
    const imported = importFile('planted.har', JSON.stringify(har));
    assert.deepEqual(imported.messages, []);
    assert.equal(imported.captures.length, 3);
    const text = transcriptText(imported.captures, false);
    assertClean(text);
    assertKeptValues(JSON.parse(text));
    assert.deepEqual(leakedSecrets(transcriptText(imported.captures, true)).length, Object.keys(PLANTED).length);

    // A live capture, as the background hands it to the panel.
    const entry = har.log.entries[0] as Record<string, any>;
    const live = new PanelCapture({
      tabId: 1,
      start: { captureId: 'c1', url: PLANTED_URL, method: 'POST', requestHeaders: entry.request.headers, requestBody: PLANTED_JSON_BODY, initiator: 'fetch', startedAt: 1_000 },
      response: { captureId: 'c1', status: 200, statusText: 'OK', responseHeaders: entry.response.headers, receivedAt: 1_010 },
      chunks: [{ index: 0, text: readFixture('seed__hello-gpt-4.1-nano.sse'), receivedAt: 1_020 }],
      end: { captureId: 'c1', state: 'complete', endedAt: 1_030 },
    });
    const liveText = transcriptText([live], false);
    assertClean(liveText);
    assert.ok(JSON.parse(liveText).log.entries[0].request.postData.text.includes(KEPT.maxOutputTokens));
  });
});
