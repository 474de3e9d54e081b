/**
 * A local server on 127.0.0.1 that replays recorded Responses streams, for the
 * end-to-end tests and the demo. Routes:
 *
 *   POST /r/<recording>[/pace/<ms>][/batch/<frames>][/bytes/<n>][/hold/<frames>][/type/<content-type>]/<any path>
 *        streams the recording's frames (or, for "stream": false, its final Response as JSON),
 *        waiting `pace` ms after every `batch` frames (1 by default); with `bytes`, in pieces of n bytes
 *        cut anywhere, even inside a character, `pace` ms (at least 1) apart;
 *        `hold` stops after that many frames until the test calls `release()`.
 *        `/r/<a>,<b>[/run/<id>]/…` answers the calls of one run (an agent's loop) with a, then b, then b again.
 *   ANY  /echo  answers with the request it got, as JSON {method, headers, body}.
 *   ANY  a route added by `addAppRoute` (the demo app's own server).
 *   GET  /… static files of the test page (see `staticRoutes`).
 *
 * Every request is recorded: what was asked, every byte sent, whether the
 * client closed the connection before the end.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ReplayRequest {
  id: number;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  recording: string;
  streamed: boolean;
  /** Bytes written to the socket, in order. */
  sent: Buffer[];
  /** When each of `sent` was written (epoch ms, sub-millisecond). */
  sentAt: number[];
  framesSent: number;
  /** The client closed the connection before the server finished. */
  closedEarly: boolean;
  /** Resolves when the response ended or the connection closed. */
  done: Promise<void>;
  /** Lets a held response go on. */
  release(): void;
  /** Resolves once the response is held (sent its `hold` frames). */
  held: Promise<void>;
}

/** A folder of recordings, and how its streams are served. */
export interface RecordingsDir {
  path: string;
  /** Streamed whatever the request says (an app's own route, which sends no `stream` flag). */
  alwaysStreamed?: boolean;
  /** Headers its streams are sent with. */
  headers?: Record<string, string>;
}

export interface StaticFile {
  contentType: string;
  body: () => Buffer | string;
}

export class ReplayServer {
  private server: Server | undefined;
  readonly requests: ReplayRequest[] = [];
  private waiters: Array<{ predicate: (request: ReplayRequest) => boolean; resolve: (request: ReplayRequest) => void }> = [];
  private nextId = 1;
  /** Routes of a demo app's own server (`addAppRoute`). */
  private readonly appRoutes = new Map<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>();
  /** How many calls each list of recordings (and run) has answered. */
  private readonly turnsServed = new Map<string, number>();
  /** Recordings made up by a test, served like the files. */
  private readonly generated = new Map<string, string>();
  url = '';

  /** Where recordings are looked for, in order; the first is the Responses API's. */
  private readonly recordingsDirs: RecordingsDir[];

  constructor(
    recordingsDirs: string | RecordingsDir[],
    private readonly staticRoutes: Record<string, StaticFile> = {},
    private readonly defaultPaceMs = 0,
  ) {
    this.recordingsDirs = typeof recordingsDirs === 'string' ? [{ path: recordingsDirs }] : recordingsDirs;
  }

  /** The Responses API's recordings (the first folder's). */
  recordings(): string[] {
    return readdirSync((this.recordingsDirs[0] as RecordingsDir).path)
      .filter((name) => name.endsWith('.sse'))
      .map((name) => name.slice(0, -4));
  }

  /** The folder a recording is in. */
  private dirOf(name: string): RecordingsDir | undefined {
    return this.recordingsDirs.find((dir) => existsSync(join(dir.path, `${name}.sse`)));
  }

  /** A route of the app's own server, as a web app has (the demo's server-side call). */
  addAppRoute(path: string, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): void {
    this.appRoutes.set(path, handle);
  }

  addRecording(name: string, text: string): void {
    this.generated.set(name, text);
  }

  recordingText(name: string): string {
    const generated = this.generated.get(name);
    if (generated !== undefined) return generated;
    const dir = this.dirOf(name);
    if (!dir) throw new Error(`no recording ${name}`);
    return readFileSync(join(dir.path, `${name}.sse`), 'utf8');
  }

  private socketServer: WebSocketServer | undefined;

  /** Every WebSocket session: the frames each way, in order. */
  readonly sockets: Array<{ url: string; frames: Array<{ dir: 'send' | 'receive'; data: string }>; closed: Promise<void> }> = [];

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    const sockets = new WebSocketServer({ noServer: true });
    this.socketServer = sockets;
    this.server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.startsWith('/ws/')) {
        socket.destroy();
        return;
      }
      sockets.handleUpgrade(request, socket, head, (client) => this.serveSocket(client, url));
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  /**
   * The Responses API's WebSocket mode, replayed: `/ws/…/responses?recordings=a,b` answers each `response.create`
   * with the next recording's events, one text frame each (the data of its SSE frames), and a warm-up
   * (`"generate": false`) with a created and a completed response of no output.
   */
  private serveSocket(client: WebSocket, url: URL): void {
    const names = (url.searchParams.get('recordings') ?? '').split(',').filter((name) => name !== '');
    let closedResolve: () => void = () => undefined;
    const session = { url: url.pathname + url.search, frames: [] as Array<{ dir: 'send' | 'receive'; data: string }>, closed: new Promise<void>((resolve) => (closedResolve = resolve)) };
    this.sockets.push(session);
    const send = (data: string) => {
      session.frames.push({ dir: 'receive', data });
      client.send(data);
    };
    let queue = Promise.resolve();
    client.on('close', () => closedResolve());
    client.on('message', (raw) => {
      const data = String(raw);
      session.frames.push({ dir: 'send', data });
      queue = queue.then(async () => {
        let request: { type?: string; generate?: boolean; model?: string } = {};
        try {
          request = JSON.parse(data) as typeof request;
        } catch {
          return;
        }
        if (request.type !== 'response.create') return;
        if (request.generate === false) {
          const id = `resp_warmup_${session.frames.length}`;
          const response = { id, object: 'response', status: 'in_progress', model: request.model ?? 'gpt-4.1', output: [] };
          send(JSON.stringify({ type: 'response.created', response, sequence_number: 0 }));
          send(JSON.stringify({ type: 'response.completed', response: { ...response, status: 'completed', usage: { input_tokens: 10, output_tokens: 0, total_tokens: 10 } }, sequence_number: 1 }));
          send(JSON.stringify({ type: 'codex.rate_limits', plan_type: 'test' }));
          return;
        }
        const name = names.shift();
        if (name === undefined) {
          send(JSON.stringify({ type: 'error', code: 'no_recording', message: 'No recording left on this socket.' }));
          return;
        }
        for (const frame of this.recordingText(name).split(/\n\n/)) {
          const lines = frame.split('\n').filter((line) => line.startsWith('data:'));
          if (lines.length === 0) continue;
          const payload = lines.map((line) => line.replace(/^data: ?/, '')).join('\n');
          if (payload === '[DONE]') continue;
          send(payload);
          if (this.defaultPaceMs > 0) await new Promise((resolve) => setTimeout(resolve, this.defaultPaceMs));
        }
      });
    });
  }

  async stop(): Promise<void> {
    for (const request of this.requests) request.release();
    for (const client of this.socketServer?.clients ?? []) client.terminate();
    this.socketServer?.close();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** The first request (already made or still to come) that matches. */
  waitForRequest(predicate: (request: ReplayRequest) => boolean = () => true): Promise<ReplayRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && this.staticRoutes[url.pathname]) {
      const file = this.staticRoutes[url.pathname] as StaticFile;
      response.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' });
      response.end(file.body());
      return;
    }
    const appRoute = this.appRoutes.get(url.pathname);
    if (appRoute) {
      await appRoute(request, response);
      return;
    }
    if (url.pathname === '/echo') {
      const body = await readBody(request);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ method: request.method, headers: request.headers, body }));
      return;
    }
    const route = /^\/r\/([\w.,-]+)((?:\/(?:pace|hold|type|batch|bytes|run)\/[^/]+)*)\//.exec(url.pathname);
    const names = (route?.[1] ?? '').split(',');
    if (!route || !names.every((name) => this.generated.has(name) || this.dirOf(name))) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    const options = new Map<string, string>();
    for (const [, key, value] of (route[2] ?? '').matchAll(/\/(pace|hold|type|batch|bytes|run)\/([^/]+)/g)) options.set(key as string, decodeURIComponent(value as string));
    // A list of recordings answers the calls of one run in turn (an agent's loop), the last one again after the end.
    const sequence = `${route[1] as string} ${options.get('run') ?? ''}`;
    const turn = this.turnsServed.get(sequence) ?? 0;
    this.turnsServed.set(sequence, turn + 1);
    const recording = names[Math.min(turn, names.length - 1)] as string;
    const body = await readBody(request);
    let parsed: { stream?: boolean } = {};
    try {
      parsed = JSON.parse(body) as { stream?: boolean };
    } catch {
      parsed = {};
    }
    const dir = this.dirOf(recording);
    const streamed = parsed.stream === true || request.method === 'GET' || dir?.alwaysStreamed === true;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let markHeld: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (markHeld = resolve));
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const record: ReplayRequest = {
      id: this.nextId++,
      method: request.method ?? 'GET',
      url: url.pathname + url.search,
      headers: request.headers,
      body,
      recording,
      streamed,
      sent: [],
      sentAt: [],
      framesSent: 0,
      closedEarly: false,
      done,
      release,
      held,
    };
    this.requests.push(record);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(record)) return true;
      waiter.resolve(record);
      return false;
    });
    response.on('close', () => {
      if (!response.writableFinished) record.closedEarly = true;
      finish();
    });
    const writeBytes = (bytes: Buffer) => {
      record.sent.push(bytes);
      response.write(bytes);
      record.sentAt.push(performance.timeOrigin + performance.now());
    };
    const write = (chunk: string) => writeBytes(Buffer.from(chunk, 'utf8'));

    const text = this.recordingText(recording);
    if (!streamed) {
      const final = finalResponse(text);
      response.writeHead(final ? 200 : 500, { 'content-type': 'application/json', ...rateLimitHeaders(record.id) });
      write(JSON.stringify(final ?? { error: { message: 'recording has no final response' } }));
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': options.get('type') ?? 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': `req_replay_${record.id}`,
      ...rateLimitHeaders(record.id),
      ...dir?.headers,
    });
    response.flushHeaders();
    const frames = text.split(/(?<=\n\n)/);
    const pace = Number(options.get('pace') ?? this.defaultPaceMs);
    const holdAt = options.has('hold') ? Number(options.get('hold')) : undefined;
    const batch = Math.max(1, Number(options.get('batch') ?? 1));
    if (options.has('bytes')) {
      // Pieces of so many bytes, cut anywhere (inside characters too), each its own write after the pace.
      const size = Math.max(1, Number(options.get('bytes')));
      const bytes = Buffer.from(text, 'utf8');
      for (let offset = 0; offset < bytes.length && !record.closedEarly; offset += size) {
        writeBytes(bytes.subarray(offset, offset + size));
        record.framesSent++;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, pace)));
      }
      markHeld();
      response.end();
      return;
    }
    for (const [index, frame] of frames.entries()) {
      if (record.closedEarly) return;
      if (index === holdAt) {
        markHeld();
        await released;
        if (record.closedEarly) return;
      }
      write(frame);
      record.framesSent++;
      if (pace > 0 && (index + 1) % batch === 0) await new Promise((resolve) => setTimeout(resolve, pace));
    }
    markHeld();
    response.end();
  }
}

/** Rate limits as OpenAI reports them, made up: each request uses one request and a thousand tokens of the limits. */
export function rateLimitHeaders(requestId: number): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': '500',
    'x-ratelimit-remaining-requests': String(Math.max(0, 500 - requestId)),
    'x-ratelimit-reset-requests': '120ms',
    'x-ratelimit-limit-tokens': '200000',
    'x-ratelimit-remaining-tokens': String(Math.max(0, 200_000 - 1000 * requestId)),
    'x-ratelimit-reset-tokens': '6m0s',
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The terminal snapshot of a recording: the body a non-streaming call would have returned. */
export function finalResponse(text: string): unknown {
  let final: unknown;
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const event = JSON.parse(line.slice(6)) as { type?: string; response?: unknown };
    if (event.type === 'response.completed' || event.type === 'response.incomplete' || event.type === 'response.failed') final = event.response;
  }
  return final;
}
