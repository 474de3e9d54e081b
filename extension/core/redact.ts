import type { HeaderList } from './protocol.ts';

/** Header names whose values are credentials. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'api-key',
  'x-api-key',
  'cookie',
  'set-cookie',
  'x-goog-api-key',
  'openai-api-key',
]);

export const REDACTED = '[redacted]';

/** OpenAI-style keys (sk-…, sk-proj-…, restricted rk-…) anywhere in text. */
const KEY_PATTERN = /\b(sk|rk)-[A-Za-z0-9_-]{8,}/g;

/** Query parameters that carry keys. */
const SECRET_QUERY = /([?&](?:api[-_]?key|key|access_token|token|auth)=)[^&#]*/gi;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

export function redactHeaderValue(name: string, value: string): string {
  if (!isSecretHeader(name)) return redactText(value);
  // Keep the scheme ("Bearer") so the reader still sees what kind of credential was sent.
  const scheme = /^(Bearer|Basic|Token)\s+/i.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}

export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map(({ name, value }) => ({ name, value: redactHeaderValue(name, value) }));
}

export function redactText(text: string): string {
  return text.replace(KEY_PATTERN, (_match, prefix: string) => `${prefix}-${REDACTED}`);
}

export function redactUrl(url: string): string {
  return redactText(url.replace(SECRET_QUERY, `$1${REDACTED}`));
}

/** JSON fields of a request body that hold credentials (string or number values). */
const SECRET_BODY_FIELD = /("[\w-]*(?:api[_-]?key|apikey|secret|password|passwd|token|authorization|credential)"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)/gi;

/** A request body with credentials masked: secret-looking fields, and keys anywhere. */
export function redactBody(text: string): string {
  return redactText(text.replace(SECRET_BODY_FIELD, `$1"${REDACTED}"`));
}
