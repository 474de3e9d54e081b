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
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
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
/** What a panel may leave unread before the proxy lets it go. */
const MAX_UNREAD_CHARS = 32 * 1024 * 1024;
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
  try {
    const url = new URL(redactUrl(new URL(path, 'http://proxy').href));
    return url.pathname + url.search;
  } catch {
    return redactUrl(path);
  }
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
  readonly proxyId = `proxy-${randomUUID().slice(0, 8)}`;
  private har: HarFile | undefined;
  url = '';

  constructor(
    private readonly options: ProxyOptions,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<string> {
    if (this.options.harPath) this.har = new HarFile(this.options.harPath);
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
    this.har?.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    try {
      this.route(request, response);
    } catch (error) {
      // A request the proxy cannot read (a target that is no URL) is the client's error, not the end of the proxy.
      this.log(`${request.method ?? '?'} ${maskedPath(request.url ?? '/')}  400 (${error instanceof Error ? error.message : String(error)})`);
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('responses-devtools proxy: this request cannot be forwarded.\n');
    }
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
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
    try {
      this.openTunnel(request, socket, head);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    }
  }

  private openTunnel(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.acceptsFrom(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    if (String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      this.log(`${request.method ?? '?'} ${maskedPath(request.url ?? '/')}  501 (an upgrade to ${String(request.headers.upgrade)}, which the proxy does not forward)`);
      socket.end('HTTP/1.1 501 Not Implemented\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
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
    // The app gave up during the handshake: so does the proxy.
    const abandon = () => upstreamRequest.destroy();
    socket.once('close', abandon);
    upstreamRequest.on('upgrade', (upstream, upstreamSocket: Duplex, upstreamHead: Buffer) => {
      socket.off('close', abandon);
      if (socket.destroyed) {
        upstreamSocket.destroy();
        return;
      }
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
      if (socket.destroyed) return;
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
    for (const subscriber of this.subscribers) {
      // A panel that stopped reading (paused in a debugger) is let go: it reconnects and resumes from its last event.
      if (subscriber.writableLength > MAX_UNREAD_CHARS) subscriber.destroy();
      else subscriber.write(event);
    }
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
    let appGone = false;
    // The app went away before the end: the upstream hears of it at once.
    response.on('close', () => {
      if (!response.writableFinished) {
        appGone = true;
        upstreamRequest.destroy();
        if (call && !call.done) this.endCall(call, { captureId: call.id, state: 'cancelled', endedAt: Date.now() });
      }
    });
    upstreamRequest.on('error', (error) => {
      if (appGone && !answered) {
        this.log(`${label}  cancelled by the app before the upstream answered`);
        return;
      }
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
      const answerHeaders = forwardedHeaders(upstream.headers);
      // A page the upstream sends (a gateway's UI, an error page) would share the proxy's origin, and with it the
      // right to read the panel's endpoint: it is served sandboxed, in an origin of its own.
      if (/html/i.test(String(upstream.headers['content-type'] ?? ''))) answerHeaders['content-security-policy'] = 'sandbox';
      response.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, answerHeaders);
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
              this.keptChars += text.length;
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
    this.keptChars += call.chars;
    this.publish(call, { kind: 'capture.start', start });
    this.publish(call, { kind: 'capture.response', response: { ...response, captureId: id } });
    return call;
  }

  private endCall(call: RecordedCall, end: CaptureEnd): void {
    call.done = true;
    call.reading.finish(end);
    this.publish(call, { kind: 'capture.end', end });
    this.log(this.callLine(call));
    // Past the bounds, the oldest finished calls go; calls still streaming stay, wherever they are.
    while (this.calls.length > KEPT_CALLS || this.keptChars > KEPT_CHARS) {
      const oldest = this.calls.findIndex((kept) => kept.done);
      if (oldest === -1) break;
      const [dropped] = this.calls.splice(oldest, 1) as [RecordedCall];
      this.keptChars -= dropped.chars;
    }
    this.writeToHar(call);
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

  /** Adds the call to the HAR, if one is kept; a file that cannot be written is said once, and the proxy goes on. */
  private writeToHar(call: RecordedCall): void {
    const har = this.har;
    if (!har) return;
    const { reading } = call;
    const body = call.messages.map(({ message }) => (message.kind === 'capture.chunk' ? message.chunk.text : '')).join('');
    const transcriptCall = captureTranscriptCall(reading.start, reading.response, body, reading.records, { startedAt: reading.start.startedAt, endedAt: reading.end?.endedAt });
    try {
      har.append(buildTranscript([transcriptCall]).log.entries[0]);
    } catch (error) {
      this.har = undefined;
      this.log(`responses-devtools proxy: cannot write the HAR any more (${error instanceof Error ? error.message : String(error)}); calls still go through`);
    }
  }
}

/**
 * A HAR transcript that grows by one entry per call: each entry is written over the closing brackets, which follow
 * it again, so the file is a whole HAR after every call and no call is written twice.
 */
class HarFile {
  private readonly fd: number;
  private readonly closing: string;
  private end: number;
  private entries = 0;

  constructor(path: string) {
    const empty = stringifyJson(buildTranscript([]), 2);
    const marker = '"entries": [';
    const at = empty.indexOf(marker) + marker.length;
    // "entries": [] ends there: what follows it closes the file.
    this.closing = `\n    ${empty.slice(empty.indexOf(']', at))}`;
    try {
      this.fd = openSync(path, 'w');
      writeSync(this.fd, empty.slice(0, at) + this.closing, 0);
    } catch (error) {
      throw new UsageError(`cannot write the HAR ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.end = Buffer.byteLength(empty.slice(0, at));
  }

  append(entry: unknown): void {
    // Indented as the entries of a whole file are (JSON text holds no raw newline inside a string).
    const text = `${this.entries === 0 ? '' : ','}\n      ${stringifyJson(entry, 2).replace(/\n/g, '\n      ')}`;
    writeSync(this.fd, text + this.closing, this.end);
    this.end += Buffer.byteLength(text);
    this.entries++;
  }

  close(): void {
    closeSync(this.fd);
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
    if (error instanceof UsageError) throw error;
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
