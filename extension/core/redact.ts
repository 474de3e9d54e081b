/**
 * Credentials redaction: what every view masks and every export redacts
 * (unless credentials are explicitly kept).
 *
 * `REDACTION_RULES` is the one list of what is masked, where. Each row names
 * the vocabulary or pattern the code below uses, gives an example (input and
 * output, checked by the unit tests) and look-alikes it leaves alone; the
 * README's privacy table is generated from it.
 *
 * Nothing here throws, and every pass is linear in its input: bodies can be
 * megabytes. JSON bodies are scanned, not rebuilt: a masked value is replaced
 * in the original text, so everything else stays byte for byte as sent.
 */
import type { HeaderList } from './protocol.ts';

export const REDACTED = '[redacted]';

export type RedactionPlace = 'header' | 'url' | 'body' | 'text';

export interface RedactionExample {
  /** The header name, for header rules. */
  name?: string;
  /** The request's content type, for body rules. */
  contentType?: string;
  input: string;
  /** What the input becomes (for look-alikes that are kept, the input itself). */
  output: string;
}

export interface RedactionRule {
  id: string;
  where: RedactionPlace;
  /** What is masked, in words (Markdown): the README's table. */
  description: string;
  example: RedactionExample;
  /** Look-alikes the rule leaves as they are. */
  keeps?: readonly RedactionExample[];
  /** Text rules only: the pattern (no flags) and its replacement. */
  pattern?: RegExp;
  replace?: (match: string, ...groups: Array<string | undefined>) => string;
}

// ── the vocabularies ─────────────────────────────────────────────────────

/** Headers whose value is a credential, by name. */
const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
  'ocp-apim-subscription-key',
  'openai-api-key',
  'cookie',
  'set-cookie',
];

/** A header or query parameter is secret when a word of its name is one of these... */
const NAME_SECRET_WORDS: readonly string[] = ['key', 'token', 'secret', 'signature', 'auth', 'authorization', 'password', 'passwd', 'credential', 'credentials', 'cookie', 'jwt'];
/** ...or, in a URL query or a form, one of these. */
const PARAM_SECRET_WORDS: readonly string[] = ['sig', 'pwd', 'pass', 'code'];
/** A word that contains one of these is secret too (`xapikey`, `clientsecret`, `authtoken`). */
const SECRET_WORD_PARTS: readonly string[] = ['apikey', 'authtoken', 'accesstoken', 'secret', 'password', 'passwd', 'passphrase', 'signature', 'credential'];
/** Header names that look secret and are not: rate limits count tokens, CORS lists names, idempotency keys are ids. */
const HARMLESS_HEADERS = /ratelimit|^access-control-|^idempotency-key$|^sec-websocket-/;

/** A JSON field is secret when its name's last word is one of these... */
const JSON_SECRET_LAST_WORDS: readonly string[] = ['token', 'secret', 'secrets', 'password', 'passwd', 'passphrase', 'signature', 'auth', 'oauth', 'authorization', 'credential', 'credentials', 'cookie', 'apikey', 'jwt'];
/** ...or it ends in `key` after one of these (`api_key`, `secretKey`, `private-key`); a bare `key` or `prompt_cache_key` is not. */
const JSON_KEY_QUALIFIERS: readonly string[] = ['api', 'secret', 'private', 'access', 'subscription', 'client', 'auth', 'signing', 'encryption', 'master', 'account', 'license', 'app', 'consumer', 'user', 'service', 'session'];
/** A JSON field whose name's last word is one of these holds a header map. */
const HEADER_MAP_WORDS: readonly string[] = ['headers'];
/** JSON Schema maps: their keys are names being declared, not values. */
const SCHEMA_MAPS: readonly string[] = ['properties', 'patternProperties', '$defs', 'definitions'];

/** Authorization schemes kept in front of a masked credential, so the reader sees what kind was sent. */
const AUTH_SCHEME = /^(Bearer|Basic|Token|Digest|Negotiate|NTLM|OAuth|AWS4-HMAC-SHA256|SharedKey|ApiKey|Key)\s+\S/i;

function codeList(words: readonly string[]): string {
  return words.map((word) => `\`${word}\``).join(', ');
}

// ── the rules ────────────────────────────────────────────────────────────

/** URLs in text (`https://…`, `wss://…`), up to a space, quote, bracket or backslash. */
const TEXT_URL = /\b(?:https?|wss?|ftp):\/\/[^\s"'<>\\`]+/;

export const REDACTION_RULES: readonly RedactionRule[] = [
  {
    id: 'header-credential',
    where: 'header',
    description: `The value of ${codeList(CREDENTIAL_HEADERS)}; an authorization scheme (\`Bearer\`, \`Basic\`…) is kept in front.`,
    example: { name: 'Authorization', input: 'Bearer live-0f9e8d7c6b5a', output: `Bearer ${REDACTED}` },
    keeps: [
      { name: 'content-type', input: 'application/json', output: 'application/json' },
      { name: 'accept', input: 'text/event-stream', output: 'text/event-stream' },
    ],
  },
  {
    id: 'header-secret-name',
    where: 'header',
    description: `Any other header with a word of its name among ${codeList(NAME_SECRET_WORDS)} (\`x-custom-auth\`, \`x-session-token\`, \`x-amz-security-token\`), except rate-limit headers (their \`tokens\` are counts), \`access-control-*\`, \`idempotency-key\` and \`sec-websocket-*\`.`,
    example: { name: 'x-session-token', input: '5e55-10n-value', output: REDACTED },
    keeps: [
      { name: 'x-ratelimit-remaining-tokens', input: '149984', output: '149984' },
      { name: 'x-ratelimit-limit-tokens', input: '150000', output: '150000' },
      { name: 'openai-processing-ms', input: '412', output: '412' },
      { name: 'access-control-allow-credentials', input: 'true', output: 'true' },
    ],
  },
  {
    id: 'url-userinfo',
    where: 'url',
    description: 'The user name and password of a URL.',
    example: { input: 'https://ada:hunter2@proxy.example/v1/responses', output: `https://${REDACTED}@proxy.example/v1/responses` },
  },
  {
    id: 'url-query',
    where: 'url',
    description: `Query and fragment parameters with a word of their name among ${codeList([...NAME_SECRET_WORDS, ...PARAM_SECRET_WORDS])} (\`api-key\`, \`access_token\`, \`client_secret\`, \`X-Amz-Signature\`, \`X-Goog-Credential\`, Azure's \`sig\`).`,
    example: { input: 'https://acct.blob.core.windows.net/c/f.png?sv=2024-11-04&sig=abc%2Fdef&api-key=k1', output: `https://acct.blob.core.windows.net/c/f.png?sv=2024-11-04&sig=${REDACTED}&api-key=${REDACTED}` },
    keeps: [{ input: 'https://x.openai.azure.com/openai/responses?api-version=2025-04-01-preview', output: 'https://x.openai.azure.com/openai/responses?api-version=2025-04-01-preview' }],
  },
  {
    id: 'body-json-field',
    where: 'body',
    description: `JSON fields anywhere in the body, names compared once their escapes are decoded, whose last word is ${codeList(JSON_SECRET_LAST_WORDS)}, or \`key\` after ${codeList(JSON_KEY_QUALIFIERS.slice(0, 6))}… (\`api_key\`, \`apiKey\`, \`refresh_token\`, \`client_secret\`): string and number values. Not \`max_output_tokens\`, \`prompt_cache_key\`, a bare \`key\`, a logprob's \`token\`, JSON Schema property names.`,
    example: { input: '{"api\\u005fkey":"abc123","max_output_tokens":100,"prompt_cache_key":"u-1"}', output: `{"api\\u005fkey":"${REDACTED}","max_output_tokens":100,"prompt_cache_key":"u-1"}` },
    keeps: [
      { input: '{"logprobs":[{"token":"Hi","logprob":-0.1}]}', output: '{"logprobs":[{"token":"Hi","logprob":-0.1}]}' },
      { input: '{"filters":{"type":"eq","key":"region","value":"eu"}}', output: '{"filters":{"type":"eq","key":"region","value":"eu"}}' },
      { input: '{"parameters":{"properties":{"password":{"type":"string"}}}}', output: '{"parameters":{"properties":{"password":{"type":"string"}}}}' },
    ],
  },
  {
    id: 'body-json-secret-object',
    where: 'body',
    description: 'A secret field (as above: `credentials`, `secrets`, `auth`…) holding an object or array: every string and number under it.',
    example: { input: '{"credentials":{"key":"k1","user":"ada","port":5432}}', output: `{"credentials":{"key":"${REDACTED}","user":"${REDACTED}","port":"${REDACTED}"}}` },
  },
  {
    id: 'body-json-headers',
    where: 'body',
    description: 'A `headers` object (also `extra_headers`, `requestHeaders`…): its secret headers, by the header rules.',
    example: { input: '{"headers":{"X-Custom-Auth":"abc123","Accept":"text/plain"}}', output: `{"headers":{"X-Custom-Auth":"${REDACTED}","Accept":"text/plain"}}` },
  },
  {
    id: 'body-json-header-pair',
    where: 'body',
    description: 'A pair `["<header>", "<value>"]`, as in `new Headers([…])`, of a credential header or a secret-named one with a dash (`x-session-token`); not `["password", "token"]` (a schema\'s `required`).',
    example: { input: '[["Authorization","Basic YWRhOmh1bnRlcjI="],["Accept","*/*"]]', output: `[["Authorization","Basic ${REDACTED}"],["Accept","*/*"]]` },
    keeps: [{ input: '{"required":["password","token"]}', output: '{"required":["password","token"]}' }],
  },
  {
    id: 'body-json-name-value',
    where: 'body',
    description: 'An object `{"name": <secret header or parameter>, "value": …}` (HAR-style header and query lists).',
    example: { input: '{"name":"api-key","value":"abc123"}', output: `{"name":"api-key","value":"${REDACTED}"}` },
  },
  {
    id: 'body-form',
    where: 'body',
    description: 'Form fields (`application/x-www-form-urlencoded`) named as secret query parameters are.',
    example: { contentType: 'application/x-www-form-urlencoded', input: 'grant_type=password&username=ada&password=hunter2', output: `grant_type=password&username=ada&password=${REDACTED}` },
  },
  {
    id: 'body-multipart',
    where: 'body',
    description: 'Multipart fields (`multipart/form-data`) named as secret query parameters are; a JSON field is read by the JSON rules.',
    example: {
      contentType: 'multipart/form-data; boundary=b',
      input: '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\nhunter2\r\n--b--\r\n',
      output: `--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n${REDACTED}\r\n--b--\r\n`,
    },
  },
  {
    id: 'text-openai-key',
    where: 'text',
    description: 'API keys `sk-…`, `sk-proj-…`, `sk-ant-…` (Anthropic), `rk-…`; the prefix is kept.',
    example: { input: 'my key: sk-proj-AbC123dEf456gHi789', output: `my key: sk-${REDACTED}` },
    keeps: [{ input: 'task-manager risk-free', output: 'task-manager risk-free' }],
    pattern: /\b(sk|rk)-[A-Za-z0-9_-]{8,}/,
    replace: (_match, prefix) => `${prefix}-${REDACTED}`,
  },
  {
    id: 'text-google-key',
    where: 'text',
    description: 'Google API keys (`AIza` and 35 more characters).',
    example: { input: 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q', output: `AIza${REDACTED}` },
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/,
    replace: () => `AIza${REDACTED}`,
  },
  {
    id: 'text-service-token',
    where: 'text',
    description: 'GitHub (`ghp_…`, `github_pat_…`), Hugging Face (`hf_…`), Stripe (`sk_live_…`) and Slack (`xoxb-…`) tokens; the prefix is kept.',
    example: { input: 'token ghp_16C7e42F292c6912E7710c838347Ae178B4a', output: `token ghp_${REDACTED}` },
    pattern: /(?<![A-Za-z0-9_-])(gh[pousr]_|github_pat_|hf_|[sr]k_(?:live|test)_|xox[abposr]-)[A-Za-z0-9_-]{20,}/,
    replace: (_match, prefix) => `${prefix}${REDACTED}`,
  },
  {
    id: 'text-bearer',
    where: 'text',
    description: '`Bearer <token>` (a token of 16 or more characters, or 8 or more with a digit).',
    example: { input: 'curl -H "Authorization: Bearer 0a1b2c3d4e5f"', output: `curl -H "Authorization: Bearer ${REDACTED}"` },
    keeps: [{ input: 'Use Bearer authentication.', output: 'Use Bearer authentication.' }],
    pattern: /\b([Bb]earer|BEARER)[ \t]+([A-Za-z0-9._~+/-]{8,}=*)/,
    replace: (match, scheme, token = '') => (token.length >= 16 || /\d/.test(token) ? `${scheme} ${REDACTED}` : match),
  },
  {
    id: 'text-jwt',
    where: 'text',
    description: 'JSON Web Tokens (`eyJ….eyJ….…`).',
    example: { input: 'id=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl', output: `id=${REDACTED}` },
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/,
    replace: () => REDACTED,
  },
  {
    id: 'text-url',
    where: 'text',
    description: 'URLs anywhere in text (an MCP `server_url`, a link in a body): the URL rules.',
    example: { input: 'connect to https://mcp.example.com/sse?token=abc123 now', output: `connect to https://mcp.example.com/sse?token=${REDACTED} now` },
    pattern: TEXT_URL,
    replace: (match) => maskKeys(maskUrlParts(match)),
  },
];

// ── names ────────────────────────────────────────────────────────────────

/** The words of a name: `X-Api-Key` → x api key, `refreshToken` → refresh token, `api\u005fkey` → api key. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

const CREDENTIAL_HEADER_SET = new Set(CREDENTIAL_HEADERS);
const NAME_WORD_SET = new Set(NAME_SECRET_WORDS);
const PARAM_WORD_SET = new Set([...NAME_SECRET_WORDS, ...PARAM_SECRET_WORDS]);
const JSON_LAST_WORD_SET = new Set(JSON_SECRET_LAST_WORDS);
const JSON_KEY_QUALIFIER_SET = new Set(JSON_KEY_QUALIFIERS);
const SCHEMA_MAP_SET = new Set(SCHEMA_MAPS);

function hasSecretPart(word: string): boolean {
  return SECRET_WORD_PARTS.some((part) => word.includes(part));
}

/** Every secret name holds one of these: most names are ruled out by this one test. */
const MAYBE_SECRET = /key|token|secret|sig|auth|pass|pwd|credential|cookie|jwt|code|header/i;

/** A bounded memo: bodies repeat the same few names many times. */
function memo(test: (name: string) => boolean): (name: string) => boolean {
  const cache = new Map<string, boolean>();
  return (name) => {
    let result = cache.get(name);
    if (result === undefined) {
      result = name.length <= 256 && MAYBE_SECRET.test(name) && test(name);
      if (cache.size >= 2048) cache.clear();
      cache.set(name, result);
    }
    return result;
  };
}

const secretHeader = memo((name) => {
  const lower = name.trim().toLowerCase();
  if (CREDENTIAL_HEADER_SET.has(lower)) return true;
  if (HARMLESS_HEADERS.test(lower)) return false;
  return nameWords(lower).some((word) => NAME_WORD_SET.has(word) || hasSecretPart(word));
});

/** A URL query, fragment or form parameter whose value is a credential. */
const secretParam = memo((name) => nameWords(name).some((word) => PARAM_WORD_SET.has(word) || hasSecretPart(word)));

/** A JSON field whose value is a credential. */
const secretJsonKey = memo((name) => {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (JSON_LAST_WORD_SET.has(last) || words.some(hasSecretPart)) return true;
  return last === 'key' && words.length > 1 && JSON_KEY_QUALIFIER_SET.has(words[words.length - 2] ?? '');
});

const headerMapKey = memo((name) => HEADER_MAP_WORDS.includes(nameWords(name).pop() ?? ''));

export function isSecretHeader(name: string): boolean {
  return typeof name === 'string' && secretHeader(name);
}

/** The first of a `[name, value]` pair: a credential header, or a secret header name with a dash (not a lone word like `password`). */
function isHeaderPairName(name: string): boolean {
  return CREDENTIAL_HEADER_SET.has(name.trim().toLowerCase()) || (name.includes('-') && isSecretHeader(name));
}

// ── text ─────────────────────────────────────────────────────────────────

interface CompiledText {
  pattern: RegExp;
  rules: Array<{ rule: RedactionRule; group: number; groups: number }>;
}

function groupCount(pattern: RegExp): number {
  return (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;
}

/** The text rules as one pattern: one pass over the text whatever the number of rules. */
function compileText(rules: readonly RedactionRule[]): CompiledText {
  const compiled: CompiledText['rules'] = [];
  let group = 1;
  const sources: string[] = [];
  for (const rule of rules) {
    if (!rule.pattern || !rule.replace) continue;
    const groups = groupCount(rule.pattern);
    compiled.push({ rule, group, groups });
    sources.push(`(${rule.pattern.source})`);
    group += 1 + groups;
  }
  return { pattern: new RegExp(sources.join('|'), 'g'), rules: compiled };
}

const TEXT_RULES = compileText(REDACTION_RULES);
const KEY_RULES = compileText(REDACTION_RULES.filter((rule) => rule.id !== 'text-url'));

function applyText(text: string, compiled: CompiledText): string {
  return text.replace(compiled.pattern, (match: string, ...args: unknown[]) => {
    for (const { rule, group, groups } of compiled.rules) {
      if (args[group - 1] === undefined) continue;
      return rule.replace?.(match, ...(args.slice(group, group + groups) as Array<string | undefined>)) ?? match;
    }
    return match;
  });
}

/** Keys and tokens in text (every text rule but URLs). */
function maskKeys(text: string): string {
  return applyText(text, KEY_RULES);
}

/** Keys, tokens, and URLs' secret parts anywhere in text. Never throws. */
export function redactText(text: string): string {
  try {
    return applyText(String(text), TEXT_RULES);
  } catch {
    return REDACTED;
  }
}

// ── URLs ─────────────────────────────────────────────────────────────────

function decodeParamName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** `a=1&token=x` → `a=1&token=[redacted]`. */
function maskParams(params: string): string {
  if (!params.includes('=')) return params;
  let changed = false;
  const parts = params.split('&').map((part) => {
    const equals = part.indexOf('=');
    if (equals <= 0 || equals === part.length - 1 || !secretParam(decodeParamName(part.slice(0, equals)))) return part;
    changed = true;
    return `${part.slice(0, equals + 1)}${REDACTED}`;
  });
  return changed ? parts.join('&') : params;
}

/** User info, query and fragment parameters of one URL (keys elsewhere in it are the text rules' job). */
function maskUrlParts(url: string): string {
  let result = url;
  const authority = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(result);
  if (authority) {
    const [whole, scheme = '', hostPart = ''] = authority;
    const at = hostPart.lastIndexOf('@');
    if (at >= 0) result = `${scheme}${REDACTED}${hostPart.slice(at)}${result.slice(whole.length)}`;
  }
  const hash = result.indexOf('#');
  const beforeHash = hash === -1 ? result : result.slice(0, hash);
  const fragment = hash === -1 ? undefined : result.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  const path = question === -1 ? beforeHash : beforeHash.slice(0, question + 1);
  const query = question === -1 ? '' : maskParams(beforeHash.slice(question + 1));
  return `${path}${query}${fragment === undefined ? '' : `#${maskParams(fragment)}`}`;
}

/** A URL with its user info, secret query and fragment parameters and keys masked. Never throws. */
export function redactUrl(url: string): string {
  try {
    return maskKeys(maskUrlParts(String(url)));
  } catch {
    return REDACTED;
  }
}

// ── headers ──────────────────────────────────────────────────────────────

/** A credential masked, its authorization scheme kept. */
function maskCredential(value: string): string {
  if (value === '') return value;
  const scheme = AUTH_SCHEME.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

export function redactHeaderValue(name: string, value: string): string {
  try {
    return isSecretHeader(name) ? maskCredential(String(value)) : redactText(value);
  } catch {
    return REDACTED;
  }
}

export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map(({ name, value }) => ({ name, value: redactHeaderValue(name, value) }));
}

// ── bodies ───────────────────────────────────────────────────────────────

interface Replacement {
  start: number;
  end: number;
  text: string;
}

function applyReplacements(text: string, replacements: Replacement[]): string {
  if (replacements.length === 0) return text;
  replacements.sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = 0;
  for (const { start, end, text: replacement } of replacements) {
    if (start < at) continue;
    pieces.push(text.slice(at, start), replacement);
    at = end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}

interface Span {
  start: number;
  end: number;
  string: boolean;
  escaped: boolean;
}

interface Frame {
  array: boolean;
  /** Every string and number below is masked. */
  masked: boolean;
  /** The keys are header names. */
  headerMap: boolean;
  /** The keys are JSON Schema property names. */
  schemaMap: boolean;
  expectKey: boolean;
  key: string | undefined;
  /** Objects: `name` / `value` (`{"name":"api-key","value":…}`), a `token` that may be a logprob's. */
  name: string | undefined;
  value: Span | undefined;
  token: Span | undefined;
  logprob: boolean;
  /** Arrays: `["Authorization", "Bearer …"]`. */
  count: number;
  allStrings: boolean;
  first: string | undefined;
  second: Span | undefined;
}

const NAME_FIELDS = new Set(['name', 'key', 'header']);

function frame(array: boolean, masked: boolean, headerMap: boolean, schemaMap: boolean): Frame {
  return { array, masked, headerMap, schemaMap, expectKey: !array, key: undefined, name: undefined, value: undefined, token: undefined, logprob: false, count: 0, allStrings: true, first: undefined, second: undefined };
}

function isDelimiter(code: number): boolean {
  // whitespace , : [ ] { } "
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 44 || code === 58 || code === 91 || code === 93 || code === 123 || code === 125 || code === 34;
}

function isNumberStart(code: number): boolean {
  return code === 45 || (code >= 48 && code <= 57);
}

/**
 * The replacements that mask a JSON text's credentials. A lenient scan with
 * its own stack (no recursion, any depth): text that is not quite JSON (cut
 * short, several documents) is read as far as it goes.
 */
function jsonReplacements(text: string, from = 0, to = text.length): Replacement[] {
  const out: Replacement[] = [];
  const stack: Frame[] = [];
  const decode = (span: Span, limit = Infinity): string | undefined => {
    if (!span.string || span.end - span.start > limit) return undefined;
    if (!span.escaped) return text.slice(span.start + 1, span.end - 1);
    try {
      const value: unknown = JSON.parse(text.slice(span.start, span.end));
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const maskLeaf = (span: Span): void => {
    if (span.string ? span.end - span.start <= 2 : !isNumberStart(text.charCodeAt(span.start))) return;
    out.push({ start: span.start, end: span.end, text: JSON.stringify(REDACTED) });
  };
  const maskCredentialValue = (span: Span): void => {
    if (!span.string) return maskLeaf(span);
    const value = decode(span);
    if (value === undefined) return maskLeaf(span);
    const masked = maskCredential(value);
    if (masked !== value) out.push({ start: span.start, end: span.end, text: JSON.stringify(masked) });
  };
  const close = (done: Frame): void => {
    if (done.masked) return;
    if (done.array) {
      if (done.count === 2 && done.allStrings && done.first !== undefined && done.second && isHeaderPairName(done.first)) maskCredentialValue(done.second);
      return;
    }
    if (done.token && !done.logprob) maskLeaf(done.token);
    if (done.name !== undefined && done.value && (isSecretHeader(done.name) || secretParam(done.name))) maskCredentialValue(done.value);
  };
  /** What a value at this place is: masked, a header map, a schema map. */
  const context = (parent: Frame | undefined): { masked: boolean; secret: boolean; headerMap: boolean; schemaMap: boolean } => {
    const none = { masked: false, secret: false, headerMap: false, schemaMap: false };
    if (!parent) return none;
    if (parent.masked) return { ...none, masked: true };
    const key = parent.key;
    if (parent.array || key === undefined || parent.schemaMap) return none;
    const secret = parent.headerMap ? isSecretHeader(key) : secretJsonKey(key);
    return { masked: secret, secret, headerMap: !secret && !parent.headerMap && headerMapKey(key), schemaMap: SCHEMA_MAP_SET.has(key) };
  };
  const scalar = (parent: Frame | undefined, span: Span): void => {
    if (!parent) return;
    if (parent.array) {
      parent.count++;
      if (parent.masked) return maskLeaf(span);
      if (!span.string) parent.allStrings = false;
      else if (parent.count === 1) parent.first = decode(span, 1024);
      else if (parent.count === 2) parent.second = span;
      return;
    }
    if (parent.masked) return maskLeaf(span);
    const key = parent.key;
    if (key === undefined || parent.schemaMap) return;
    if (parent.headerMap) {
      if (isSecretHeader(key)) maskCredentialValue(span);
      return;
    }
    if (NAME_FIELDS.has(key) && span.string) parent.name = decode(span, 1024);
    if (key === 'value') parent.value = span;
    if (key === 'logprob') parent.logprob = true;
    if (secretJsonKey(key)) {
      if (key === 'token') parent.token = span;
      else maskLeaf(span);
    }
  };

  let i = from;
  while (i < to) {
    const code = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      i++;
    } else if (code === 123 || code === 91) {
      const place = context(top);
      if (top?.array) {
        top.count++;
        top.allStrings = false;
      }
      stack.push(frame(code === 91, place.masked, place.headerMap, place.schemaMap));
      i++;
    } else if (code === 125 || code === 93) {
      const done = stack.pop();
      if (done) close(done);
      i++;
    } else if (code === 44) {
      if (top && !top.array) {
        top.expectKey = true;
        top.key = undefined;
      }
      i++;
    } else if (code === 58) {
      if (top && !top.array) top.expectKey = false;
      i++;
    } else if (code === 34) {
      let j = i + 1;
      let escaped = false;
      for (; j < to; j++) {
        const c = text.charCodeAt(j);
        if (c === 92) {
          escaped = true;
          j++;
        } else if (c === 34) {
          break;
        }
      }
      if (j >= to) break; // cut short inside a string
      const span: Span = { start: i, end: j + 1, string: true, escaped };
      if (top && !top.array && top.expectKey) top.key = decode(span) ?? '';
      else scalar(top, span);
      i = j + 1;
    } else {
      let j = i + 1;
      while (j < to && !isDelimiter(text.charCodeAt(j))) j++;
      scalar(top, { start: i, end: j, string: false, escaped: false });
      i = j;
    }
  }
  while (stack.length > 0) close(stack.pop() as Frame);
  return out;
}

function firstNonSpace(text: string): string {
  return /\S/.exec(text.slice(0, 4096))?.[0] ?? '';
}

function redactJson(text: string): string {
  return applyReplacements(text, jsonReplacements(text));
}

function redactForm(text: string): string {
  return maskParams(text);
}

/** Looks like `a=1&b=2`: one line, no spaces, a `=`. */
function looksLikeForm(text: string): boolean {
  return text.includes('=') && !/\s/.test(text.trim());
}

function multipartBoundary(text: string, contentType: string): string | undefined {
  const fromType = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (fromType) return fromType[1] ?? fromType[2];
  // No content type: a body that opens with a boundary line and a part's headers.
  const firstLine = /^--([^\r\n]{1,200})\r?\n/.exec(text);
  if (!firstLine || !/^content-disposition\s*:/im.test(text.slice(firstLine[0].length, firstLine[0].length + 1024))) return undefined;
  return firstLine[1]?.trim();
}

function redactMultipart(text: string, boundary: string): string {
  const delimiter = `--${boundary}`;
  const out: Replacement[] = [];
  let at = text.indexOf(delimiter);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    if (text.startsWith('--', afterDelimiter)) break; // the closing delimiter
    const lineEnd = text.indexOf('\n', afterDelimiter);
    if (lineEnd === -1) break;
    const next = text.indexOf(delimiter, lineEnd + 1);
    const partEnd = next === -1 ? text.length : next;
    // The part's headers, up to the first empty line.
    const headers: string[] = [];
    let bodyStart: number | undefined;
    for (let line = lineEnd + 1; line < partEnd && headers.length <= 64; ) {
      const end = text.indexOf('\n', line);
      if (end === -1 || end >= partEnd) break;
      const header = text.slice(line, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      if (header === '') {
        bodyStart = end + 1;
        break;
      }
      headers.push(header);
      line = end + 1;
    }
    if (bodyStart !== undefined) {
      let valueEnd = partEnd;
      if (next !== -1 && text.charCodeAt(valueEnd - 1) === 10) valueEnd--;
      if (next !== -1 && text.charCodeAt(valueEnd - 1) === 13) valueEnd--;
      const disposition = headers.find((header) => /^content-disposition\s*:/i.test(header)) ?? '';
      const name = /\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
      const fieldName = name?.[1] ?? name?.[2];
      const isFile = /\bfilename\*?\s*=/i.test(disposition);
      if (!isFile && valueEnd > bodyStart) {
        if (fieldName !== undefined && secretParam(fieldName)) {
          out.push({ start: bodyStart, end: valueEnd, text: REDACTED });
        } else if (/^\s*[[{]/.test(text.slice(bodyStart, Math.min(valueEnd, bodyStart + 256)))) {
          out.push(...jsonReplacements(text, bodyStart, valueEnd));
        }
      }
    }
    at = next;
  }
  return applyReplacements(text, out);
}

/**
 * A request body with its credentials masked: JSON fields and header pairs,
 * form and multipart fields (by `contentType`, or by the look of the body),
 * and keys anywhere. Everything else stays as it was. Never throws.
 */
export function redactBody(text: string, contentType?: string): string {
  try {
    const body = String(text);
    const type = (contentType ?? '').toLowerCase();
    const first = firstNonSpace(body);
    let structured = body;
    const boundary = type === '' || type.includes('multipart/') ? multipartBoundary(body, String(contentType ?? '')) : undefined;
    if (boundary !== undefined) structured = redactMultipart(body, boundary);
    else if (first === '{' || first === '[') structured = redactJson(body);
    else if (type.includes('x-www-form-urlencoded') || (type === '' && looksLikeForm(body))) structured = redactForm(body);
    return redactText(structured);
  } catch {
    return redactText(text);
  }
}
