import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileUrlPatterns,
  isResponsesEndpoint,
  isResponsesEventData,
  redactBody,
  redactHeaders,
  redactText,
  redactUrl,
  shouldCapture,
} from '../../extension/core/index.ts';

describe('which requests are Responses calls', () => {
  it('knows the endpoints of OpenAI and compatible servers', () => {
    for (const url of [
      'https://api.openai.com/v1/responses',
      'https://my.openai.azure.com/openai/v1/responses',
      'https://my.openai.azure.com/openai/responses?api-version=2025-04-01-preview',
      'https://openrouter.ai/api/v1/responses',
      'http://localhost:11434/v1/responses',
      'http://127.0.0.1:1234/v1/responses/',
    ]) {
      assert.ok(isResponsesEndpoint('POST', url), url);
    }
    assert.ok(isResponsesEndpoint('GET', 'https://api.openai.com/v1/responses/resp_123?stream=true&starting_after=4'));
    assert.ok(!isResponsesEndpoint('GET', 'https://api.openai.com/v1/responses/resp_123'));
    assert.ok(!isResponsesEndpoint('POST', 'https://api.openai.com/v1/chat/completions'));
    assert.ok(!isResponsesEndpoint('POST', 'https://example.com/responsesX'));
    assert.ok(!isResponsesEndpoint('DELETE', 'https://api.openai.com/v1/responses/resp_1'));
  });

  it('adds the user\'s patterns', () => {
    const patterns = compileUrlPatterns(['*/my-proxy/*', 'https://llm.example.com/stream', '  ']);
    assert.equal(patterns.length, 2);
    assert.ok(shouldCapture('POST', 'http://127.0.0.1:8080/my-proxy/generate', patterns));
    assert.ok(shouldCapture('POST', 'https://llm.example.com/stream', patterns));
    assert.ok(!shouldCapture('POST', 'https://llm.example.com/stream/other', patterns));
    assert.ok(!shouldCapture('POST', 'https://example.com/other', patterns));
  });

  it('recognises a Responses event in an unknown stream', () => {
    assert.ok(isResponsesEventData('{"type":"response.created","response":{}}'));
    assert.ok(!isResponsesEventData('{"choices":[]}'));
  });
});

describe('redaction', () => {
  it('masks credential headers and keys in text and URLs', () => {
    assert.deepEqual(
      redactHeaders([
        { name: 'Authorization', value: 'Bearer sk-proj-abcdefghijklmnop' },
        { name: 'api-key', value: 'azure-key-value' },
        { name: 'x-api-key', value: 'xyz' },
        { name: 'Cookie', value: 'session=abc' },
        { name: 'content-type', value: 'application/json' },
      ]),
      [
        { name: 'Authorization', value: 'Bearer [redacted]' },
        { name: 'api-key', value: '[redacted]' },
        { name: 'x-api-key', value: '[redacted]' },
        { name: 'Cookie', value: '[redacted]' },
        { name: 'content-type', value: 'application/json' },
      ],
    );
    assert.equal(redactText('{"key":"sk-abcdefghijklmnopqrstuv","model":"gpt"}'), '{"key":"sk-[redacted]","model":"gpt"}');
    assert.equal(redactUrl('https://x.example/v1/responses?api-key=secret123&x=1'), 'https://x.example/v1/responses?api-key=[redacted]&x=1');
    assert.equal(
      redactBody(JSON.stringify({ model: 'gpt', api_key: 'k', refresh_token: 't', password: 123456, max_output_tokens: 100, user: 'sk-abcdefghijkl1234' })),
      '{"model":"gpt","api_key":"[redacted]","refresh_token":"[redacted]","password":"[redacted]","max_output_tokens":100,"user":"sk-[redacted]"}',
    );
  });
});
