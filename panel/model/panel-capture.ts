import {
  ResponsesStreamReader,
  readResponsesBody,
  isEventStream,
  type CaptureChunk,
  type CaptureEnd,
  type CaptureResponse,
  type CaptureSnapshot,
  type CaptureStart,
  type NetworkTimings,
  type ResponseRecord,
  type TranscriptCall,
} from '../../extension/core/index.ts';

export type DisplayStatus = 'pending' | 'streaming' | 'completed' | 'incomplete' | 'failed' | 'cancelled' | 'error' | 'http-error';

/** One captured request as the panel holds it: the capture's data and the core's reading of its body. */
export class PanelCapture {
  readonly id: string;
  start: CaptureStart;
  response: CaptureResponse | undefined;
  end: CaptureEnd | undefined;
  lossNote: string | undefined;
  lostChunks = 0;
  networkTimings: NetworkTimings | undefined;
  /** The body as received, chunk by chunk (the Raw view, HAR export). */
  readonly chunks: Array<{ text: string; receivedAt: number }> = [];
  bodyLength = 0;
  /** The body split into lines as it arrives (the Raw view), so nothing is re-split per render. */
  readonly lines: string[] = [''];
  /** The model the request asked for, read once from its body. */
  private readonly requestedModel: string | undefined;
  /** Bumped on every change: views compare it to skip work. */
  revision = 0;
  private reader: ResponsesStreamReader;
  private jsonRecords: ResponseRecord[] | undefined;
  /** Responses read elsewhere (a HAR with its own event times): shown as they are. */
  private importedRecords: readonly ResponseRecord[] | undefined;
  private jsonError: string | undefined;

  constructor(snapshot: CaptureSnapshot) {
    this.id = snapshot.start.captureId;
    this.start = snapshot.start;
    this.reader = new ResponsesStreamReader({ requestStartedAt: snapshot.start.startedAt });
    this.response = snapshot.response;
    this.networkTimings = snapshot.networkTimings;
    this.lossNote = snapshot.lossNote;
    this.requestedModel = modelOf(snapshot.start.requestBody);
    this.lostChunks = snapshot.lostChunks ?? 0;
    for (const chunk of snapshot.chunks) this.addChunk(chunk);
    if (snapshot.end) this.finish(snapshot.end);
  }

  /** The body is a JSON document (a non-streaming call), read whole at the end. */
  get isJsonBody(): boolean {
    const type = this.header('content-type');
    return type !== undefined && /json/i.test(type) && !isEventStream(type);
  }

  header(name: string): string | undefined {
    return this.response?.responseHeaders.find((header) => header.name.toLowerCase() === name)?.value;
  }

  addChunk(chunk: Pick<CaptureChunk, 'text' | 'receivedAt'>): void {
    this.keepBody(chunk.text, chunk.receivedAt);
    if (!this.isJsonBody) this.reader.push(chunk.text, chunk.receivedAt);
    this.revision++;
  }

  /** Keeps body text as received: the chunks (Raw view, export) and its lines. */
  private keepBody(text: string, receivedAt: number): void {
    this.chunks.push({ text, receivedAt });
    this.bodyLength += text.length;
    this.appendLines(text);
  }

  private appendLines(text: string): void {
    const pieces = text.split(/\r\n|\r|\n/);
    const lastIndex = this.lines.length - 1;
    this.lines[lastIndex] = (this.lines[lastIndex] ?? '') + (pieces[0] ?? '');
    for (let index = 1; index < pieces.length; index++) this.lines.push(pieces[index] ?? '');
  }

  setResponse(response: CaptureResponse): void {
    this.response = response;
    this.revision++;
  }

  finish(end: CaptureEnd): void {
    this.end = end;
    if (this.isJsonBody) {
      try {
        const body = readResponsesBody(this.bodyText());
        this.jsonRecords = body.responses;
        for (const record of body.responses) {
          record.marks.requestStartedAt = this.start.startedAt;
          record.marks.firstByteAt = this.response?.receivedAt ?? end.endedAt;
          record.marks.endedAt = end.endedAt;
        }
      } catch (error) {
        this.jsonError = error instanceof Error ? error.message : String(error);
      }
    } else {
      this.reader.end(end.endedAt);
    }
    this.revision++;
  }

  bodyText(): string {
    return this.chunks.map((chunk) => chunk.text).join('');
  }

  get records(): readonly ResponseRecord[] {
    return this.importedRecords ?? this.jsonRecords ?? this.reader.responses;
  }

  /** A capture read from a file: a HAR entry or a recording, with the responses already read from it. */
  static fromImport(call: TranscriptCall, captureId: string): PanelCapture {
    const firstEventAt = call.records[0]?.marks.firstByteAt;
    const startedAt = call.startedAt ?? call.records[0]?.marks.requestStartedAt ?? firstEventAt ?? 0;
    const endedAt = call.endedAt ?? call.records[call.records.length - 1]?.marks.endedAt ?? call.records[call.records.length - 1]?.marks.lastEventAt ?? startedAt;
    const capture = new PanelCapture({
      tabId: -1,
      start: { captureId, url: call.url, method: call.method, requestHeaders: call.requestHeaders, initiator: 'import', startedAt, ...(call.requestBody === undefined ? {} : { requestBody: call.requestBody }) },
      response: { captureId, status: call.status, statusText: call.statusText, responseHeaders: call.responseHeaders, receivedAt: firstEventAt ?? startedAt },
      chunks: [],
      ...(call.networkTimings ? { networkTimings: call.networkTimings } : {}),
    });
    capture.importedRecords = call.records;
    capture.keepBody(call.body, firstEventAt ?? startedAt);
    capture.end = { captureId, state: 'complete', endedAt };
    return capture;
  }

  /** What a transcript needs of this capture. */
  toTranscriptCall(): TranscriptCall {
    const call: TranscriptCall = {
      method: this.start.method,
      url: this.start.url,
      requestHeaders: this.start.requestHeaders,
      status: this.response?.status ?? 0,
      statusText: this.response?.statusText ?? '',
      responseHeaders: this.response?.responseHeaders ?? [],
      body: this.bodyText(),
      startedAt: this.start.startedAt,
      records: this.records,
    };
    if (this.start.requestBody !== undefined) call.requestBody = this.start.requestBody;
    const endedAt = this.end?.endedAt ?? this.chunks[this.chunks.length - 1]?.receivedAt;
    if (endedAt !== undefined) call.endedAt = endedAt;
    if (this.networkTimings) call.networkTimings = this.networkTimings;
    return call;
  }

  /** The response this capture is mostly about: the last in its body. */
  get record(): ResponseRecord | undefined {
    const records = this.records;
    return records[records.length - 1];
  }

  /** Why the body could not be read as Responses traffic, if it could not. */
  get bodyError(): string | undefined {
    if (this.jsonError) return this.jsonError;
    if (this.end && !this.isJsonBody && this.records.length === 0 && this.bodyLength > 0) return 'The body holds no Responses API event.';
    return undefined;
  }

  get live(): boolean {
    return this.end === undefined;
  }

  get status(): DisplayStatus {
    if (this.end?.state === 'cancelled') return 'cancelled';
    if (this.response && this.response.status >= 400 && !this.record?.assembler.terminal) return 'http-error';
    const responseStatus = this.record?.response.status;
    if (responseStatus === 'completed' || responseStatus === 'incomplete' || responseStatus === 'failed') return responseStatus;
    if (this.end?.state === 'error') return 'error';
    if (this.end) return this.record?.assembler.terminal ? 'completed' : 'error';
    return this.response ? 'streaming' : 'pending';
  }

  get model(): string | undefined {
    const model = this.record?.response.model;
    return typeof model === 'string' ? model : this.requestedModel;
  }


  get durationMs(): number | undefined {
    const end = this.end?.endedAt ?? this.chunks[this.chunks.length - 1]?.receivedAt;
    return end === undefined ? undefined : Math.max(0, end - this.start.startedAt);
  }
}

function modelOf(requestBody: string | undefined): string | undefined {
  try {
    const body = JSON.parse(requestBody ?? '') as { model?: unknown };
    return typeof body.model === 'string' ? body.model : undefined;
  } catch {
    return undefined;
  }
}
