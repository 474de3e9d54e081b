/**
 * A HAR with credentials planted in every place the redaction rules cover
 * (URL user info, query and fragment; headers of every kind; JSON, form and
 * multipart request bodies; keys in text), and values next to them that look
 * alike and must stay (token counts, rate limits, prompt_cache_key…).
 */
import { readFixture } from './streams.ts';
import type { HarJson } from './har-rules.ts';

/** Every credential planted in the HAR: none may appear in a redacted export. */
export const PLANTED = {
  urlUser: 'PLANTED-url-user',
  urlPassword: 'PLANTED-url-password',
  urlSig: 'PLANTED-url-sig',
  urlClientSecret: 'PLANTED-url-client-secret',
  urlAmzSignature: 'PLANTED-url-amz-signature',
  urlAccessToken: 'PLANTED-url-access-token',
  urlGoogleKey: 'PLANTED-url-google-key',
  urlFragmentToken: 'PLANTED-url-fragment-token',
  authorization: 'PLANTED-header-authorization',
  proxyAuthorization: 'PLANTED-header-proxy-authorization',
  apimKey: 'PLANTED-header-ocp-apim-subscription-key',
  googApiKey: 'PLANTED-header-x-goog-api-key',
  azureApiKey: 'PLANTED-header-api-key',
  xApiKey: 'PLANTED-header-x-api-key',
  customAuth: 'PLANTED-header-x-custom-auth',
  sessionToken: 'PLANTED-header-x-session-token',
  cookie: 'PLANTED-header-cookie',
  setCookie: 'PLANTED-header-set-cookie',
  jsonEscapedKey: 'PLANTED-json-escaped-api-key',
  jsonEscapedPassword: 'PLANTED-json-escaped-password',
  jsonRefreshToken: 'PLANTED-json-refresh-token',
  jsonHeadersAuth: 'PLANTED-json-headers-auth',
  jsonPair: 'PLANTED-json-pair-api-key',
  jsonNameValue: 'PLANTED-json-name-value',
  jsonCredentialsKey: 'PLANTED-json-credentials-key',
  jsonCredentialsNumber: '918273645',
  jsonMcpUrlToken: 'PLANTED-json-mcp-url-token',
  jsonMcpAuthorization: 'PLANTED-json-mcp-authorization',
  jsonMcpHeader: 'PLANTED-json-mcp-header',
  openaiKey: 'sk-proj-PLANTEDopenai0123456789',
  anthropicKey: 'sk-ant-api03-PLANTEDanthropic0123',
  googleKey: 'AIzaPLANTEDgoogle0123456789abcdefghijkl',
  githubToken: 'ghp_PLANTEDgithub0123456789abcdefghij',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJQTEFOVEVEIjoiand0In0.UExBTlRFRC1qd3Qtc2ln',
  bearerInText: 'PLANTEDbearer0123456789',
  formClientSecret: 'PLANTED-form-client-secret',
  formPassword: 'PLANTED-form-password',
  formCode: 'PLANTED-form-code',
  multipartPassword: 'PLANTED-multipart-password',
  multipartApiKey: 'PLANTED-multipart-api-key',
  multipartJsonToken: 'PLANTED-multipart-json-token',
} as const;

/** Values that look like credentials and are not: every one must survive redaction. */
export const KEPT = {
  apiVersion: 'api-version=2025-04-01-preview',
  maxOutputTokens: '"max_output_tokens": 777',
  topLogprobs: '"top_logprobs": 3',
  promptCacheKey: '"prompt_cache_key": "cache-key-kept"',
  safetyIdentifier: '"safety_identifier": "safety-id-kept"',
  logprobToken: '"token": "Hello"',
  filterKey: '"key": "region"',
  schemaPassword: '"password": {"type": "string"}',
  formClientId: 'client_id=kept-client-id',
  formGrantType: 'grant_type=client_credentials',
  multipartPurpose: 'assistants-kept',
  rateLimitRemaining: '149983',
  rateLimitLimit: '150000',
  processingMs: '412',
  requestId: 'req_kept_0123',
} as const;

const RESPONSE = readFixture('seed__hello-gpt-4.1-nano.sse');

/** A JSON request body written by hand: escaped key names, spacing, a pretty layout. */
export const PLANTED_JSON_BODY = `{
  "model": "gpt-4.1-nano",
  "input": [
    { "role": "user", "content": "Say hello. My key is ${PLANTED.openaiKey}, my other one ${PLANTED.anthropicKey}" },
    { "type": "message", "role": "assistant", "content": [{ "type": "output_text", "text": "Hi", "annotations": [], "logprobs": [{ ${KEPT.logprobToken}, "logprob": -0.01, "bytes": [72], "top_logprobs": [] }] }] }
  ],
  "instructions": "Keys seen in text: ${PLANTED.googleKey} ${PLANTED.githubToken} ${PLANTED.jwt} and Authorization: Bearer ${PLANTED.bearerInText}",
  "stream": true,
  ${KEPT.maxOutputTokens},
  ${KEPT.topLogprobs},
  ${KEPT.promptCacheKey},
  ${KEPT.safetyIdentifier},
  "api\\u005fkey": "${PLANTED.jsonEscapedKey}",
  "\\u0070assword": "${PLANTED.jsonEscapedPassword}",
  "metadata": { "refresh_token": "${PLANTED.jsonRefreshToken}", "team": "kept-team" },
  "headers": { "X-Custom-Auth": "${PLANTED.jsonHeadersAuth}", "Accept": "text/event-stream" },
  "header_pairs": [["x-api-key", "${PLANTED.jsonPair}"], ["accept", "*/*"]],
  "query": [{ "name": "api-key", "value": "${PLANTED.jsonNameValue}" }, { "name": "api-version", "value": "kept-version" }],
  "credentials": { "key": "${PLANTED.jsonCredentialsKey}", "pin": ${PLANTED.jsonCredentialsNumber} },
  "text": { "format": { "type": "json_schema", "name": "login", "schema": { "type": "object", "properties": { ${KEPT.schemaPassword} } } } },
  "tools": [
    { "type": "mcp", "server_label": "docs", "server_url": "https://mcp.example.com/sse?token=${PLANTED.jsonMcpUrlToken}", "authorization": "${PLANTED.jsonMcpAuthorization}", "headers": { "Authorization": "Bearer ${PLANTED.jsonMcpHeader}" }, "require_approval": "never" },
    { "type": "file_search", "vector_store_ids": ["vs_1"], "filters": { "type": "eq", ${KEPT.filterKey}, "value": "eu" } }
  ]
}`;

export const PLANTED_FORM_BODY = `${KEPT.formGrantType}&${KEPT.formClientId}&client_secret=${PLANTED.formClientSecret}&password=${PLANTED.formPassword}&code=${PLANTED.formCode}`;

export const PLANTED_MULTIPART_BODY = [
  '--XyZ',
  'Content-Disposition: form-data; name="purpose"',
  '',
  KEPT.multipartPurpose,
  '--XyZ',
  'Content-Disposition: form-data; name="password"',
  '',
  PLANTED.multipartPassword,
  '--XyZ',
  'Content-Disposition: form-data; name="api_key"',
  '',
  PLANTED.multipartApiKey,
  '--XyZ',
  'Content-Disposition: form-data; name="payload"',
  'Content-Type: application/json',
  '',
  `{"access_token":"${PLANTED.multipartJsonToken}","model":"gpt-4.1-nano"}`,
  '--XyZ--',
  '',
].join('\r\n');

export const PLANTED_URL = `https://${PLANTED.urlUser}:${PLANTED.urlPassword}@api.example.com/openai/v1/responses?${KEPT.apiVersion}&sig=${PLANTED.urlSig}&client_secret=${PLANTED.urlClientSecret}&X-Amz-Signature=${PLANTED.urlAmzSignature}&access_token=${PLANTED.urlAccessToken}&key=${PLANTED.urlGoogleKey}#token=${PLANTED.urlFragmentToken}`;

const REQUEST_HEADERS = [
  { name: 'Authorization', value: `Bearer ${PLANTED.authorization}` },
  { name: 'Proxy-Authorization', value: `Basic ${PLANTED.proxyAuthorization}` },
  { name: 'Ocp-Apim-Subscription-Key', value: PLANTED.apimKey },
  { name: 'X-Goog-Api-Key', value: PLANTED.googApiKey },
  { name: 'api-key', value: PLANTED.azureApiKey },
  { name: 'x-api-key', value: PLANTED.xApiKey },
  { name: 'x-custom-auth', value: PLANTED.customAuth },
  { name: 'x-session-token', value: PLANTED.sessionToken },
  { name: 'Cookie', value: `session=${PLANTED.cookie}` },
  { name: 'accept', value: 'text/event-stream' },
];

const RESPONSE_HEADERS = [
  { name: 'content-type', value: 'text/event-stream; charset=utf-8' },
  { name: 'set-cookie', value: `__cf_bm=${PLANTED.setCookie}; path=/; HttpOnly` },
  { name: 'x-ratelimit-remaining-tokens', value: KEPT.rateLimitRemaining },
  { name: 'x-ratelimit-limit-tokens', value: KEPT.rateLimitLimit },
  { name: 'openai-processing-ms', value: KEPT.processingMs },
  { name: 'x-request-id', value: KEPT.requestId },
];

function entry(contentType: string, body: string, minute: number): HarJson['log']['entries'][number] {
  return {
    startedDateTime: `2026-11-26T10:0${minute}:00.000Z`,
    time: 120,
    request: {
      method: 'POST',
      url: PLANTED_URL,
      httpVersion: 'HTTP/1.1',
      cookies: [{ name: 'session', value: PLANTED.cookie }],
      headers: [{ name: 'Content-Type', value: contentType }, ...REQUEST_HEADERS],
      queryString: [],
      postData: { mimeType: contentType, text: body },
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: RESPONSE_HEADERS,
      content: { size: 0, mimeType: 'text/event-stream', text: RESPONSE },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 1, wait: 50, receive: 69 },
  };
}

/** A browser's HAR of three Responses calls: a JSON, a form and a multipart request, credentials everywhere. */
export function plantedHar(): HarJson {
  return {
    log: {
      version: '1.2',
      creator: { name: 'a browser' },
      entries: [
        entry('application/json', PLANTED_JSON_BODY, 0),
        entry('application/x-www-form-urlencoded', PLANTED_FORM_BODY, 1),
        entry('multipart/form-data; boundary=XyZ', PLANTED_MULTIPART_BODY, 2),
      ],
    },
  };
}

/** The planted credentials found in a text. */
export function leakedSecrets(text: string): string[] {
  return Object.values(PLANTED).filter((secret) => text.includes(secret));
}
