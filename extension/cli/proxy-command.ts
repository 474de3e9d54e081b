/**
 * `responses-devtools proxy`: a local reverse proxy for the calls an app's
 * server makes. The app points its SDK at it (`OPENAI_BASE_URL`); each request
 * goes to the upstream as it came and each response comes back as it arrives,
 * byte for byte. The LLM calls among them are read by the same core as the
 * extension's, told in one line each, kept in a HAR (credentials redacted) and
 * served to the panel (`proxy-protocol.ts`).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { writeFileSync, renameSync } from 'node:fs';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Duplex, Transform } from 'node:stream';
import type { AddressInfo } from 'node:net';
import {
  buildTranscript,
  captureTranscriptCall,
  CaptureReading,
  formatUsd,
  isEventStream,
  isPanelRequest,
  isLoopbackHost,
  isOtherLlmEndpoint,
  isResponsesEndpoint,
  PROTOCOL_VERSION,
  PROXY_CAPTURES_PATH,
  redactHeaders,
  redactUrl,
  responseCost,
  stringifyJson,
  type CaptureEnd,
  type CaptureMessage,
  type CaptureResponse,
  type CaptureStart,
  type HeaderList,
  type ProxyToPanel,
} from '../core/index.ts';
import { priceTable } from '../prices/price-table.ts';
import { UsageError } from './input-files.ts';

export interface ProxyOptions {
  port: number;
  /** The interface listened on: loopback unless the user asks otherwise. */
  host: string;
  upstream: URL;
  harPath?: string;
}

/** Headers of one connection, not of the message: never forwarded (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** What the proxy keeps of finished calls for a panel that subscribes later, and for the HAR. */
const KEPT_CALLS = 500;
const KEPT_CHARS = 64 * 1024 * 1024;
/** Request bodies read for the capture (the upstream gets all of it regardless). */
const MAX_REQUEST_CHARS = 32 * 1024 * 1024;

const USAGE_HINT = 'proxy [--port 8788] [--upstream https://api.openai.com] [--har FILE] [--host ADDRESS]';

export function parseProxyArgs(args: string[]): ProxyOptions {
  const options: ProxyOptions = { port: 8788, host: '127.0.0.1', upstream: new URL('https://api.openai.com') };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const value = args[index + 1];
    const take = (): string => {
      if (value === undefined) throw new UsageError(`${arg} needs a value: ${USAGE_HINT}`);
      index++;
      return value;
    };
    if (arg === '--port') {
      const port = Number(take());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (0 for any free one), not "${value}"`);
      options.port = port;
    } else if (arg === '--upstream') {
      const text = take();
      let upstream: URL;
      try {
        upstream = new URL(text);
      } catch {
        throw new UsageError(`--upstream takes a URL such as https://api.openai.com, not "${text}"`);
      }
      if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') throw new UsageError(`--upstream takes an http or https URL, not "${text}"`);
      options.upstream = upstream;
    } else if (arg === '--har') options.harPath = take();
    else if (arg === '--host') options.host = take();
    else throw new UsageError(`unknown option ${arg} for ${USAGE_HINT}`);
  }
  return options;
}

function headerList(headers: IncomingHttpHeaders): HeaderList {
  const list: HeaderList = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) list.push({ name, value: one });
  }
  return list;
}

/** A request's path and query as a log shows it: a key in the query (Azure's `api-key`) masked. */
function maskedPath(path: string): string {
  const url = new URL(redactUrl(new URL(path, 'http://proxy').href));
  return url.pathname + url.search;
}

/** The headers as the upstream got them. */
function sentHeaders(headers: OutgoingHttpHeaders): HeaderList {
  const list: HeaderList = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) list.push({ name, value: String(one) });
  }
  return list;
}

function forwardedHeaders(headers: IncomingHttpHeaders, host?: string): OutgoingHttpHeaders {
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    forwarded[name] = value;
  }
  if (host !== undefined) forwarded.host = host;
  return forwarded;
}

/** A copy of the body as text, decoded of its content encoding: the client gets the bytes as they came. */
function bodyDecoder(encoding: string | undefined, onText: (text: string) => void, onEnd: (error?: string) => void): { write(bytes: Buffer): void; end(): void } {
  const text = new TextDecoder('utf-8');
  const name = (encoding ?? '').trim().toLowerCase();
  let inflate: Transform | undefined;
  if (name === 'gzip' || name === 'x-gzip') inflate = createGunzip();
  else if (name === 'br') inflate = createBrotliDecompress();
  else if (name === 'deflate') inflate = createInflate();
  else if (name !== '' && name !== 'identity') {
    return { write: () => undefined, end: () => onEnd(`the body is encoded as ${name}, which the proxy does not read (the app got it unchanged)`) };
  }
  if (!inflate) {
    return {
      write: (bytes) => onText(text.decode(bytes, { stream: true })),
      end: () => {
        const rest = text.decode();
        if (rest !== '') onText(rest);
        onEnd();
      },
    };
  }
  let failed: string | undefined;
  inflate.on('data', (bytes: Buffer) => onText(text.decode(bytes, { stream: true })));
  inflate.on('error', (error: Error) => {
    failed = `the body could not be decoded (${name}): ${error.message}`;
  });
  inflate.on('close', () => {
    if (failed) return onEnd(failed);
    const rest = text.decode();
    if (rest !== '') onText(rest);
    onEnd();
  });
  const stream = inflate;
  return { write: (bytes) => stream.write(bytes), end: () => stream.end() };
}

/** One call the proxy recorded: its messages as the panel gets them, and its reading. */
interface RecordedCall {
  id: string;
  /** `POST /v1/responses`, as the app asked, credentials masked. */
  label: string;
  /** Each with its number in the proxy's sequence (the SSE event id a panel resumes from). */
  messages: Array<{ seq: number; message: CaptureMessage }>;
  reading: CaptureReading;
  chars: number;
  done: boolean;
}

export class CaptureProxy {
  private server: Server | undefined;
  private readonly subscribers = new Set<ServerResponse>();
  private readonly calls: RecordedCall[] = [];
  private keptChars = 0;
  private nextCall = 1;
  private nextSeq = 1;
  /** Names this run of the proxy: a panel that stays open across a restart keeps both runs' calls apart. */
  readonly proxyId = `proxy${Date.now().toString(36)}`;
  private harTimer: ReturnType<typeof setTimeout> | undefined;
  url = '';

  constructor(
    private readonly options: ProxyOptions,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<string> {
    const server = createServer((request, response) => this.handle(request, response));
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.tunnel(request, socket, head));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
    if (this.harTimer) {
      clearTimeout(this.harTimer);
      this.writeHar();
    }
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (!this.acceptsFrom(request)) {
      response.writeHead(403).end();
      return;
    }
    const path = (request.url ?? '/').split('?')[0];
    if (path === PROXY_CAPTURES_PATH) {
      this.subscribe(request, response);
      return;
    }
    this.forward(request, response);
  }

  /**
   * A WebSocket (the Responses API's WebSocket mode): the handshake forwarded, then the bytes both ways as they come.
   * Passed through, not read: its frames are not recorded.
   */
  private tunnel(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (!this.acceptsFrom(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const target = this.targetUrl(request.url ?? '/');
    const label = `${request.method ?? 'GET'} ${maskedPath(request.url ?? '/')}`;
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    // The handshake's own headers go too: they ask for the upgrade.
    const headers = { ...forwardedHeaders(request.headers, target.host), connection: 'Upgrade', upgrade: request.headers.upgrade ?? 'websocket' };
    const upstreamRequest = send(target, { method: request.method ?? 'GET', headers });
    const statusLine = (status: number, message: string, rawHeaders: string[]) => {
      let text = `HTTP/1.1 ${status} ${message}\r\n`;
      for (let index = 0; index + 1 < rawHeaders.length; index += 2) text += `${rawHeaders[index]}: ${rawHeaders[index + 1]}\r\n`;
      return `${text}\r\n`;
    };
    upstreamRequest.on('upgrade', (upstream, upstreamSocket: Duplex, upstreamHead: Buffer) => {
      socket.write(statusLine(upstream.statusCode ?? 101, upstream.statusMessage ?? 'Switching Protocols', upstream.rawHeaders));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('close', () => upstreamSocket.destroy());
      upstreamSocket.on('close', () => {
        socket.destroy();
        this.log(`${label}  101  WebSocket passed through (its frames are not read)`);
      });
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    // The upstream said no to the upgrade: its answer goes back as it is.
    upstreamRequest.on('response', (upstream) => {
      socket.write(statusLine(upstream.statusCode ?? 502, upstream.statusMessage ?? '', upstream.rawHeaders.filter((_, index, all) => !HOP_BY_HOP.has(String(all[index - (index % 2)]).toLowerCase()))));
      upstream.pipe(socket);
      this.log(`${label}  ${upstream.statusCode ?? ''}  WebSocket refused by the upstream`);
    });
    upstreamRequest.on('error', (error) => {
      this.log(`${label}  502 (${error.message})`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    upstreamRequest.end();
  }

  /** Listening on loopback, only this machine connects; listening elsewhere was asked for, with a warning. */
  private acceptsFrom(request: IncomingMessage): boolean {
    const remote = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    return !isLoopbackHost(this.options.host) || isLoopbackHost(remote);
  }

  /**
   * The panel's subscription. Only an extension's page may read it (a web page could otherwise read the app's
   * calls), and only under a loopback host name (a DNS-rebound name would make a web page same-origin).
   */
  private subscribe(request: IncomingMessage, response: ServerResponse): void {
    const hostName = (request.headers.host ?? '').replace(/:\d+$/, '');
    const origin = request.headers.origin;
    if (request.method !== 'GET' || !isLoopbackHost(hostName) || !isPanelRequest(origin, request.headers['sec-fetch-site'])) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('Only the Responses DevTools panel reads this.\n');
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      ...(origin ? { 'access-control-allow-origin': origin } : {}),
      vary: 'Origin',
    });
    response.flushHeaders();
    response.write(`data: ${JSON.stringify({ kind: 'proxy.hello', protocolVersion: PROTOCOL_VERSION, proxyId: this.proxyId, upstream: redactUrl(this.options.upstream.href) } satisfies ProxyToPanel)}\n\n`);
    // A panel that reconnects (EventSource says where it stood) gets only what it missed of this run of the proxy.
    const [lastProxy, lastSeq] = String(request.headers['last-event-id'] ?? '').split(':');
    const after = lastProxy === this.proxyId ? Number(lastSeq) || 0 : 0;
    for (const call of this.calls) for (const { seq, message } of call.messages) if (seq > after) response.write(this.event(seq, message));
    this.subscribers.add(response);
    response.on('close', () => this.subscribers.delete(response));
  }

  private event(seq: number, message: CaptureMessage): string {
    return `id: ${this.proxyId}:${seq}\ndata: ${JSON.stringify({ kind: 'proxy.capture', message } satisfies ProxyToPanel)}\n\n`;
  }

  private publish(call: RecordedCall, message: CaptureMessage): void {
    const seq = this.nextSeq++;
    call.messages.push({ seq, message });
    const event = this.event(seq, message);
    for (const subscriber of this.subscribers) subscriber.write(event);
  }

  private targetUrl(requestUrl: string): URL {
    const upstream = this.options.upstream;
    const base = upstream.pathname.replace(/\/$/, '');
    return new URL(`${upstream.protocol}//${upstream.host}${base}${requestUrl.startsWith('/') ? requestUrl : `/${requestUrl}`}`);
  }

  private forward(request: IncomingMessage, response: ServerResponse): void {
    const startedAt = Date.now();
    const target = this.targetUrl(request.url ?? '/');
    const method = request.method ?? 'GET';
    const label = `${method} ${maskedPath(request.url ?? '/')}`;
    const llmCall = isResponsesEndpoint(method, target.href) || isOtherLlmEndpoint(method, target.href);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = forwardedHeaders(request.headers, target.host);
    const upstreamRequest = send(target, { method, headers });
    const requestChunks: Buffer[] = [];
    let requestChars = 0;
    request.on('data', (bytes: Buffer) => {
      if (requestChars < MAX_REQUEST_CHARS) requestChunks.push(bytes);
      requestChars += bytes.length;
    });
    request.pipe(upstreamRequest);
    let call: RecordedCall | undefined;
    let answered = false;
    // The app went away before the end: the upstream hears of it at once.
    response.on('close', () => {
      if (!response.writableFinished) {
        upstreamRequest.destroy();
        if (call && !call.done) this.endCall(call, { captureId: call.id, state: 'cancelled', endedAt: Date.now() });
      }
    });
    upstreamRequest.on('error', (error) => {
      if (answered) {
        if (call && !call.done) this.endCall(call, { captureId: call.id, state: 'error', endedAt: Date.now(), error: error.message });
        response.destroy();
        return;
      }
      const message = `responses-devtools proxy: the upstream ${this.options.upstream.host} could not be reached: ${error.message}`;
      this.log(`${label}  502 (${error.message})`);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message, type: 'proxy_error' } }));
    });
    upstreamRequest.on('response', (upstream) => {
      answered = true;
      const receivedAt = Date.now();
      response.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, forwardedHeaders(upstream.headers));
      response.flushHeaders();
      const contentType = upstream.headers['content-type'];
      if (llmCall || isEventStream(contentType)) {
        call = this.beginCall(label, method, target, sentHeaders(headers), Buffer.concat(requestChunks).toString('utf8'), startedAt, {
          captureId: '',
          status: upstream.statusCode ?? 0,
          statusText: upstream.statusMessage ?? '',
          responseHeaders: redactHeaders(headerList(upstream.headers)),
          receivedAt,
        });
      }
      const recorded = call;
      let index = 0;
      const decoder = recorded
        ? bodyDecoder(
            upstream.headers['content-encoding'],
            (text) => {
              if (recorded.done || text === '') return;
              const chunk = { captureId: recorded.id, index: index++, text, receivedAt: Date.now() };
              recorded.reading.push(text, chunk.receivedAt);
              recorded.chars += text.length;
              this.publish(recorded, { kind: 'capture.chunk', chunk });
            },
            (error) => {
              if (!recorded.done) this.endCall(recorded, { captureId: recorded.id, state: error ? 'error' : 'complete', endedAt: Date.now(), ...(error ? { error } : {}) });
            },
          )
        : undefined;
      upstream.on('data', (bytes: Buffer) => {
        // The app's copy first, untouched; ours is read after.
        if (!response.write(bytes)) {
          upstream.pause();
          response.once('drain', () => upstream.resume());
        }
        decoder?.write(bytes);
      });
      upstream.on('end', () => {
        response.end();
        decoder?.end();
      });
      upstream.on('error', (error) => {
        if (recorded && !recorded.done) this.endCall(recorded, { captureId: recorded.id, state: 'error', endedAt: Date.now(), error: error.message });
        response.destroy();
      });
      if (!recorded) {
        upstream.on('end', () => this.log(`${label}  ${upstream.statusCode ?? ''}  passed through, ${Date.now() - startedAt} ms`));
      }
    });
  }

  private beginCall(label: string, method: string, target: URL, requestHeaders: HeaderList, requestBody: string, startedAt: number, response: CaptureResponse): RecordedCall {
    const id = `${this.proxyId}-${this.nextCall++}`;
    const start: CaptureStart = {
      captureId: id,
      url: redactUrl(target.href),
      method,
      // Credentials stay with the app and the upstream: the panel and the HAR get them masked.
      requestHeaders: redactHeaders(requestHeaders),
      initiator: 'server',
      startedAt,
    };
    if (requestBody !== '') start.requestBody = requestBody;
    const reading = new CaptureReading(start, { ...response, captureId: id });
    const call: RecordedCall = { id, label, messages: [], reading, chars: requestBody.length, done: false };
    this.calls.push(call);
    this.publish(call, { kind: 'capture.start', start });
    this.publish(call, { kind: 'capture.response', response: { ...response, captureId: id } });
    return call;
  }

  private endCall(call: RecordedCall, end: CaptureEnd): void {
    call.done = true;
    call.reading.finish(end);
    this.publish(call, { kind: 'capture.end', end });
    this.log(this.callLine(call));
    this.keptChars += call.chars;
    // The oldest finished calls go past the bounds; a call still streaming stays.
    while ((this.calls.length > KEPT_CALLS || this.keptChars > KEPT_CHARS) && this.calls[0]?.done) {
      const dropped = this.calls.shift() as RecordedCall;
      this.keptChars -= dropped.chars;
    }
    this.scheduleHar();
  }

  /** One line per call: what it was, what it cost, how long it took. Never a credential: the URL is masked. */
  private callLine(call: RecordedCall): string {
    const summary = call.reading.summary();
    const reading = call.reading;
    const usage = summary.usage;
    const tokens = usage ? `${usage.input} in / ${usage.output} out` : 'no usage';
    const cost = responseCost({ model: summary.model, service_tier: summary.serviceTier }, usage ?? null, priceTable, summary.toolCalls);
    const duration = (reading.end?.endedAt ?? Date.now()) - reading.start.startedAt;
    const status = reading.response?.status ?? '';
    const problem = reading.end?.error ?? summary.bodyError;
    return [
      call.label,
      summary.model ?? '(no model)',
      `${status} ${summary.status}`,
      tokens,
      cost.cost ? formatUsd(cost.cost.total) : 'no cost',
      `${duration} ms`,
      ...(problem ? [problem] : []),
    ].join('  ');
  }

  private scheduleHar(): void {
    if (!this.options.harPath || this.harTimer) return;
    // Calls that end together are written once.
    this.harTimer = setTimeout(() => {
      this.harTimer = undefined;
      this.writeHar();
    }, 200);
  }

  /** The finished calls kept, as a HAR transcript in our format, credentials redacted; written whole, then renamed. */
  private writeHar(): void {
    const path = this.options.harPath;
    if (!path) return;
    const calls = this.calls
      .filter((call) => call.done)
      .map((call) => {
        const { reading } = call;
        const body = call.messages.map(({ message }) => (message.kind === 'capture.chunk' ? message.chunk.text : '')).join('');
        return captureTranscriptCall(reading.start, reading.response, body, reading.records, { startedAt: reading.start.startedAt, endedAt: reading.end?.endedAt });
      });
    const temporary = `${path}.partial`;
    writeFileSync(temporary, stringifyJson(buildTranscript(calls), 2));
    renameSync(temporary, path);
  }
}

/** Runs the proxy until the process is told to stop. */
export async function proxyCommand(args: string[]): Promise<void> {
  const options = parseProxyArgs(args);
  const proxy = new CaptureProxy(options, (line) => process.stdout.write(`${line}\n`));
  if (!isLoopbackHost(options.host)) {
    process.stderr.write(`responses-devtools proxy: listening on ${options.host}, not only on this machine: anyone who reaches it can send calls through it and read them.\n`);
  }
  let url: string;
  try {
    url = await proxy.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot listen on ${options.host}:${options.port}: ${message}`);
  }
  process.stdout.write(
    `responses-devtools proxy: listening on ${url}, forwarding to ${redactUrl(options.upstream.href)}\n` +
      `  point the app at it: OPENAI_BASE_URL=${url}/v1\n` +
      (options.harPath ? `  keeping a HAR transcript in ${options.harPath}\n` : ''),
  );
  const stop = () => {
    void proxy.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
