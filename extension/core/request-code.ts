/**
 * A captured request as code that makes it again: a cURL command, a `fetch`
 * call, an `openai` client call. Credentials are not copied unless asked
 * (`keepSecrets`): a credential header's value becomes an environment
 * variable (`$OPENAI_API_KEY` for a bearer token), so that what is pasted in a
 * chat or an issue holds no key.
 */
import type { HeaderList } from './protocol.ts';
import { isSecretHeader, redactBody, redactUrl } from './redact.ts';

export interface ReplayableRequest {
  method: string;
  url: string;
  headers: HeaderList;
  body?: string;
}

export interface RequestCodeOptions {
  keepSecrets?: boolean;
}

/** Headers a client sets by itself: copying them would make the request fail or lie (a stale length, a browser's). */
const SET_BY_CLIENT = /^(host|content-length|connection|accept-encoding|keep-alive|transfer-encoding|user-agent|origin|referer|priority|sec-.*|:.*)$/i;

/** The environment variable a credential header's value stands for. */
export function credentialVariable(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'openai-api-key') return 'OPENAI_API_KEY';
  if (lower === 'api-key') return 'AZURE_OPENAI_API_KEY';
  return lower.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase() || 'API_KEY';
}

interface HeaderToWrite {
  name: string;
  /** The literal value, or the text before and after a variable that stands for a credential. */
  value: string;
  variable?: { name: string; prefix: string };
}

function headersToWrite(headers: HeaderList, keepSecrets: boolean): HeaderToWrite[] {
  const written: HeaderToWrite[] = [];
  for (const { name, value } of headers) {
    if (SET_BY_CLIENT.test(name)) continue;
    if (keepSecrets || !isSecretHeader(name)) {
      written.push({ name, value });
      continue;
    }
    // A scheme (`Bearer`) stays in front of the variable: the reader sees what kind of credential goes there.
    const scheme = /^([A-Za-z][\w-]*)\s+\S/.exec(value)?.[1];
    written.push({ name, value, variable: { name: credentialVariable(name), prefix: scheme && name.toLowerCase().includes('authorization') ? `${scheme} ` : '' } });
  }
  return written;
}

/** The body as sent, its credentials masked as in every view (an MCP tool's `authorization`, a key in a field). */
function bodyToWrite(request: ReplayableRequest, keepSecrets: boolean): string | undefined {
  if (request.body === undefined || keepSecrets) return request.body;
  const contentType = request.headers.find((header) => header.name.toLowerCase() === 'content-type')?.value;
  return redactBody(request.body, contentType);
}

function urlToWrite(url: string, keepSecrets: boolean): string {
  return keepSecrets ? url : redactUrl(url);
}

/** A string in single quotes for a POSIX shell: nothing in it is expanded. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(request: ReplayableRequest, options: RequestCodeOptions = {}): string {
  const keepSecrets = options.keepSecrets === true;
  const body = bodyToWrite(request, keepSecrets);
  const parts = [`curl ${shellQuote(urlToWrite(request.url, keepSecrets))}`];
  if (request.method !== 'GET' && !(request.method === 'POST' && body !== undefined)) parts.push(`-X ${request.method}`);
  for (const header of headersToWrite(request.headers, keepSecrets)) {
    // Double quotes, only here: the variable is expanded, and a variable's name needs no escaping.
    if (header.variable) parts.push(`-H "${header.name}: ${header.variable.prefix}$${header.variable.name}"`);
    else parts.push(`-H ${shellQuote(`${header.name}: ${header.value}`)}`);
  }
  if (body !== undefined) parts.push(`--data-raw ${shellQuote(body)}`);
  // A stream is printed as it arrives.
  parts.push('--no-buffer');
  return parts.join(' \\\n  ');
}

function jsString(text: string): string {
  return JSON.stringify(text);
}

export function fetchCode(request: ReplayableRequest, options: RequestCodeOptions = {}): string {
  const keepSecrets = options.keepSecrets === true;
  const headers = headersToWrite(request.headers, keepSecrets);
  const body = bodyToWrite(request, keepSecrets);
  const variables = [...new Set(headers.flatMap((header) => (header.variable ? [header.variable.name] : [])))];
  const lines: string[] = [];
  for (const variable of variables) lines.push(`const ${variable} = globalThis.process?.env?.${variable} ?? ''; // not copied: set it first`);
  lines.push(`const response = await fetch(${jsString(urlToWrite(request.url, keepSecrets))}, {`);
  lines.push(`  method: ${jsString(request.method)},`);
  lines.push('  headers: {');
  for (const header of headers) {
    const value = header.variable ? `\`${header.variable.prefix}\${${header.variable.name}}\`` : jsString(header.value);
    lines.push(`    ${jsString(header.name)}: ${value},`);
  }
  lines.push('  },');
  if (body !== undefined) lines.push(`  body: ${jsBody(body)},`);
  lines.push('});');
  lines.push('const reader = response.body.getReader();');
  lines.push('const decoder = new TextDecoder();');
  lines.push('for (let read = await reader.read(); !read.done; read = await reader.read()) console.log(decoder.decode(read.value, { stream: true }));');
  return lines.join('\n');
}

/** A JSON body as `JSON.stringify(<the value>)`, readable and the same request; any other body as a string. */
function jsBody(body: string): string {
  try {
    return `JSON.stringify(${JSON.stringify(JSON.parse(body), null, 2).replace(/\n/g, '\n  ')})`;
  } catch {
    return jsString(body);
  }
}

/**
 * The `openai` npm client making the same call, to the Responses API or to Chat Completions (its baseURL, query, extra
 * headers and the body's fields).
 */
export function openaiNodeCode(request: ReplayableRequest, options: RequestCodeOptions & { api?: 'responses' | 'chat.completions' } = {}): string {
  const api = options.api ?? 'responses';
  const keepSecrets = options.keepSecrets === true;
  const body = bodyToWrite(request, keepSecrets);
  let params: unknown;
  try {
    params = body === undefined ? {} : JSON.parse(body);
  } catch {
    params = undefined;
  }
  const url = new URL(urlToWrite(request.url, keepSecrets));
  const path = url.pathname.replace(api === 'responses' ? /\/responses\/?$/ : /\/chat\/completions\/?$/, '');
  const baseURL = `${url.origin}${path}`;
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const clientOptions: string[] = [];
  if (baseURL !== 'https://api.openai.com/v1') clientOptions.push(`baseURL: ${jsString(baseURL)}`);
  if (Object.keys(query).length > 0) clientOptions.push(`defaultQuery: ${JSON.stringify(query)}`);
  const headers = headersToWrite(request.headers, keepSecrets);
  const bearer = headers.find((header) => header.name.toLowerCase() === 'authorization');
  if (bearer?.variable) clientOptions.push(`apiKey: process.env.${bearer.variable.name}`);
  else if (bearer) clientOptions.push(`apiKey: ${jsString(bearer.value.replace(/^Bearer\s+/i, ''))}`);
  // What the client sends by itself is left to it; any other header goes as a default header.
  const extra = headers.filter((header) => !/^(authorization|content-type|accept|x-stainless-.*|openai-beta)$/i.test(header.name));
  if (extra.length > 0) {
    const entries = extra.map((header) => `${jsString(header.name)}: ${header.variable ? `\`${header.variable.prefix}\${process.env.${header.variable.name}}\`` : jsString(header.value)}`);
    clientOptions.push(`defaultHeaders: { ${entries.join(', ')} }`);
  }
  const lines = ["import OpenAI from 'openai';", ''];
  lines.push(clientOptions.length > 0 ? `const client = new OpenAI({\n  ${clientOptions.join(',\n  ')},\n});` : 'const client = new OpenAI(); // reads OPENAI_API_KEY');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    lines.push(`// The request body is not a JSON object, as the API expects:\n// ${(body ?? '').slice(0, 200).replace(/\n/g, ' ')}`);
    return lines.join('\n');
  }
  const streaming = (params as { stream?: unknown }).stream === true;
  const fields = JSON.stringify(params, null, 2);
  const create = api === 'responses' ? 'client.responses.create' : 'client.chat.completions.create';
  if (streaming) {
    lines.push(`const stream = await ${create}(${fields});`);
    lines.push('for await (const event of stream) console.log(event);');
  } else {
    lines.push(`const response = await ${create}(${fields});`);
    lines.push('console.log(response);');
  }
  return lines.join('\n');
}
