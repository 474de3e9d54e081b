import {
  CaptureReading,
  mergeThreadLinks,
  requestThreadLinks,
  responseThreadLinks,
  rateLimitsOf,
  type RateLimits,
  type ThreadLinks,
  type ThreadPlace,
  displayStatus,
  headerValue,
  isJsonResponse,
  previewRecords,
  redactUrl,
  responseCost,
  type CostReading,
  type PriceLookup,
  type ProtocolName,
  requestedModel,
  searchTextOf,
  captureTranscriptCall,
  requestInputOf,
  toolAnswersOf,
  type ToolAnswer,
  type CaptureChunk,
  type CaptureEnd,
  type CaptureResponse,
  type CaptureSnapshot,
  type CaptureStart,
  type CaptureSummary,
  type DeferredHarCall,
  type DisplayStatus,
  type JsonValue,
  type NetworkTimings,
  type ResponseRecord,
  type TimingMarks,
  type TranscriptCall,
  type UsageSummary,
} from '../../extension/core/index.ts';
import { priceTable } from '../../extension/prices/price-table.ts';

export type { DisplayStatus };

/**
 * One captured request as the panel holds it. A capture the panel reads
 * (live, selected, or recently viewed) holds its body and the core's reading
 * of it; any other finished capture holds only the store's summary, and its
 * body stays in the background's database until the panel loads it again.
 */
export class PanelCapture {
  readonly id: string;
  start: CaptureStart;
  response: CaptureResponse | undefined;
  end: CaptureEnd | undefined;
  lossNote: string | undefined;
  lostChunks = 0;
  /** False for a recording read from a file with no time in it: its clock and durations are unknown. */
  timesKnown = true;
  networkTimings: NetworkTimings | undefined;
  /** The body as received, chunk by chunk (the Raw view, HAR export); empty while not loaded. */
  chunks: Array<{ text: string; receivedAt: number }> = [];
  bodyLength = 0;
  /** The body split into lines once a view asked (the Raw view), then kept as it grows: nothing is re-split per render. */
  private lineCache: string[] | undefined;
  /** Bumped on every change: views compare it to skip work. */
  revision = 0;
  /** The body is here: chunks, lines and the core's reading. */
  loaded = true;
  /** A load was asked for and has not come back. */
  loading = false;
  loadError: string | undefined;
  private reading: CaptureReading | undefined;
  /** While a load comes: the finished responses read from the body's end (`store.load-preview`). */
  private previewed: readonly ResponseRecord[] | undefined;
  /** What the store said of a capture whose body is on disk, or what this panel read before letting the body go. */
  private summary: CaptureSummary | undefined;
  /** Responses read elsewhere (a HAR with its own event times): shown as they are. */
  private importedRecords: readonly ResponseRecord[] | undefined;

  constructor(snapshot: CaptureSnapshot) {
    this.id = snapshot.start.captureId;
    this.start = snapshot.start;
    this.response = snapshot.response;
    this.networkTimings = snapshot.networkTimings;
    this.lossNote = snapshot.lossNote;
    this.lostChunks = snapshot.lostChunks ?? 0;
    this.end = snapshot.end;
    if (snapshot.stored) {
      this.loaded = false;
      this.summary = snapshot.stored.summary;
      this.bodyLength = snapshot.stored.chars;
      return;
    }
    this.fill(snapshot);
  }

  /** Reads a whole capture: as it arrived, or as the store sends it back. */
  fill(snapshot: CaptureSnapshot): void {
    this.startFill(snapshot);
    this.endFill();
  }

  /**
   * Starts reading a capture the store sends back in parts (`continueFill` for each further part, `endFill`
   * after the last): until then it stays unloaded, showing its preview if it has one.
   */
  startFill(snapshot: CaptureSnapshot): void {
    this.start = snapshot.start;
    this.response = snapshot.response;
    this.end = snapshot.end;
    this.chunks = [];
    this.lineCache = undefined;
    this.bodyLength = 0;
    this.reading = new CaptureReading(snapshot.start, snapshot.response);
    this.loaded = false;
    this.loadError = undefined;
    this.continueFill(snapshot.chunks);
  }

  continueFill(chunks: ReadonlyArray<Pick<CaptureChunk, 'text' | 'receivedAt'>>): void {
    if (!this.reading) return;
    for (const chunk of chunks) {
      this.keepBody(chunk.text, chunk.receivedAt);
      this.reading.push(chunk.text, chunk.receivedAt);
    }
  }

  endFill(): void {
    if (!this.reading) return;
    if (this.end) this.reading.finish(this.end);
    this.previewed = undefined;
    this.loaded = true;
    this.loading = false;
    this.revision++;
  }

  /** Lets the body go (it stays in the store): what lists show stays, from this panel's own reading. */
  unload(): void {
    // A server call's body is nowhere else: the proxy serves a panel its calls once.
    if (!this.loaded || this.live || this.importedRecords || this.isServerCall || !this.reading) return;
    this.summary = this.reading.summary();
    this.reading = undefined;
    this.previewed = undefined;
    this.chunks = [];
    this.lineCache = undefined;
    this.loaded = false;
    this.revision++;
  }

  /** A call of the app's server, recorded by `responses-devtools proxy`. */
  get isServerCall(): boolean {
    return this.start.initiator === 'server';
  }

  /** The body is a JSON document (a non-streaming call), read whole at the end. */
  get isJsonBody(): boolean {
    return isJsonResponse(this.response);
  }

  header(name: string): string | undefined {
    return headerValue(this.response, name);
  }

  addChunk(chunk: Pick<CaptureChunk, 'text' | 'receivedAt'>): void {
    if (!this.reading) return;
    this.keepBody(chunk.text, chunk.receivedAt);
    this.reading.push(chunk.text, chunk.receivedAt);
    this.revision++;
  }

  /** Keeps body text as received: the chunks (Raw view, export) and its lines. */
  private keepBody(text: string, receivedAt: number): void {
    this.chunks.push({ text, receivedAt });
    this.bodyLength += text.length;
    if (this.lineCache) appendLines(this.lineCache, text);
  }

  /** The body's lines (the Raw view). */
  get lines(): readonly string[] {
    if (!this.lineCache) {
      const lines = [''];
      for (const chunk of this.chunks) appendLines(lines, chunk.text);
      this.lineCache = lines;
    }
    return this.lineCache;
  }

  setResponse(response: CaptureResponse): void {
    this.response = response;
    if (this.reading) this.reading.response = response;
    this.revision++;
  }

  finish(end: CaptureEnd): void {
    this.end = end;
    this.reading?.finish(end);
    this.revision++;
  }

  bodyText(): string {
    return this.chunks.map((chunk) => chunk.text).join('');
  }

  get records(): readonly ResponseRecord[] {
    if (this.importedRecords) return this.importedRecords;
    // While a load is read part by part, its reading is not whole yet: the preview stands for it.
    if (!this.loaded) return this.previewed ?? [];
    return this.reading?.records ?? [];
  }

  /** Not loaded, but its final response is shown from the end of its body until the whole body is read. */
  get previewing(): boolean {
    return !this.loaded && this.previewed !== undefined && this.previewed.length > 0;
  }

  /** Events in the body, loaded or not. */
  get eventCount(): number {
    if (!this.loaded) return this.summary?.events ?? 0;
    return this.records.reduce((sum, record) => sum + record.events.length, 0);
  }

  /** The end of the body of a capture not loaded (`terminalFrom` of its summary on): shown until `fill`. */
  preview(chunks: ReadonlyArray<{ text: string }>, fromStart: boolean, requestBody: string | undefined): void {
    if (this.loaded) return;
    if (requestBody !== undefined && this.start.requestBody === undefined) this.start = { ...this.start, requestBody };
    const marks: TimingMarks = { requestStartedAt: this.start.startedAt };
    if (this.response) marks.firstByteAt = this.response.receivedAt;
    if (this.end) marks.endedAt = this.end.endedAt;
    this.previewed = previewRecords(chunks.map((chunk) => chunk.text).join(''), fromStart, marks);
    this.revision++;
  }

  /** A capture read from a file: a HAR entry or a recording, with the responses already read from it. */
  static fromImport(call: TranscriptCall, captureId: string): PanelCapture {
    const first = call.records[0]?.marks;
    const last = call.records[call.records.length - 1]?.marks;
    const capture = PanelCapture.imported(call, captureId, { ...first, endedAt: last?.endedAt, lastEventAt: last?.lastEventAt });
    capture.importedRecords = call.records;
    capture.keepBody(call.body, capture.response?.receivedAt ?? capture.start.startedAt);
    return capture;
  }

  /**
   * A call of a HAR listed from what the transcript wrote of it (`readHarDeferring`): its body is read when it is
   * first opened (`readDeferred`), and an unreadable one then says why, as a load that failed.
   */
  static fromDeferredImport(call: DeferredHarCall, captureId: string): PanelCapture {
    const capture = PanelCapture.imported(call, captureId, call.marks);
    capture.loaded = false;
    capture.summary = call.summary;
    capture.bodyLength = call.body.length;
    capture.deferred = call;
    return capture;
  }

  /**
   * An imported call's capture, timed from its marks: its first response's request start and first byte, its
   * last one's end. A recording carries no times: none is shown (a clock at 00:00:00.000 and durations of 0 ms
   * would be made up).
   */
  private static imported(call: Omit<TranscriptCall, 'records'>, captureId: string, marks: Partial<Pick<TimingMarks, 'requestStartedAt' | 'firstByteAt' | 'endedAt' | 'lastEventAt'>>): PanelCapture {
    const firstEventAt = marks.firstByteAt;
    const knownStart = call.startedAt ?? marks.requestStartedAt ?? firstEventAt;
    const startedAt = knownStart ?? 0;
    const endedAt = call.endedAt ?? marks.endedAt ?? marks.lastEventAt ?? startedAt;
    const capture = new PanelCapture({
      tabId: -1,
      start: { captureId, url: call.url, method: call.method, requestHeaders: call.requestHeaders, initiator: 'import', startedAt, ...(call.requestBody === undefined ? {} : { requestBody: call.requestBody }) },
      response: { captureId, status: call.status, statusText: call.statusText, responseHeaders: call.responseHeaders, receivedAt: firstEventAt ?? startedAt },
      chunks: [],
      ...(call.networkTimings ? { networkTimings: call.networkTimings } : {}),
    });
    capture.timesKnown = knownStart !== undefined;
    capture.reading = undefined;
    capture.end = { captureId, state: 'complete', endedAt };
    return capture;
  }

  /** An imported call whose body is read when it is first opened. */
  private deferred: DeferredHarCall | undefined;

  /** Its body is in this panel, to be read on first opening (`readDeferred`), not in the background's store. */
  get readsItself(): boolean {
    return this.deferred !== undefined;
  }

  /** Reads the body of a call imported unread; a body that cannot be read is a failed load, saying why. */
  readDeferred(): void {
    const call = this.deferred;
    if (!call || this.loaded) return;
    this.loading = false;
    try {
      this.importedRecords = call.readRecords();
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      this.revision++;
      return;
    }
    this.deferred = undefined;
    this.bodyLength = 0;
    this.keepBody(call.body, this.response?.receivedAt ?? this.start.startedAt);
    this.loaded = true;
    this.revision++;
  }

  /** What a transcript needs of this capture (a loaded one). */
  toTranscriptCall(): TranscriptCall {
    const endedAt = this.end?.endedAt ?? this.chunks[this.chunks.length - 1]?.receivedAt;
    const call = captureTranscriptCall(this.start, this.response, this.bodyText(), this.records, this.timesKnown ? { startedAt: this.start.startedAt, endedAt } : undefined);
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
    if (!this.loaded) return this.summary?.bodyError;
    return this.reading?.bodyError;
  }

  get live(): boolean {
    return this.end === undefined;
  }

  get status(): DisplayStatus {
    if (!this.loaded && this.summary) return this.summary.status;
    return displayStatus(this.response, this.end, this.record);
  }

  get model(): string | undefined {
    if (!this.loaded) return this.summary?.model;
    const model = this.record?.response.model;
    return typeof model === 'string' ? model : (this.reading?.model ?? requestedModel(this.start.requestBody));
  }

  /** The stream's protocol, loaded or not. */
  get protocol(): ProtocolName {
    if (!this.loaded) return this.summary?.protocol ?? 'responses';
    return this.record?.protocol ?? 'responses';
  }

  /** The ids of the responses in this capture, loaded or not. */
  get responseIds(): string[] {
    if (!this.loaded) return this.summary?.responseIds ?? (this.summary?.responseId ? [this.summary.responseId] : []);
    return this.records.map((record) => record.response.id).filter((id): id is string => typeof id === 'string');
  }

  /** Token usage, loaded or not. */
  get usage(): UsageSummary | null {
    if (!this.loaded) return this.summary?.usage ?? null;
    return this.record?.usage ?? null;
  }

  /** The prices costs are reckoned at: the bundled table, under the user's overrides (the store sets it). */
  prices: PriceLookup = priceTable;

  private costCache: { revision: number; prices: PriceLookup; reading: CostReading | undefined } | undefined;

  /**
   * What the last response cost at the bundled price table's prices, or why it has no cost: from its reading, or
   * from the store's summary of a body not loaded; undefined while neither has a response.
   */
  get cost(): CostReading | undefined {
    const cached = this.costCache;
    if (cached && cached.revision === this.revision && cached.prices === this.prices) return cached.reading;
    const reading = this.readCost();
    this.costCache = { revision: this.revision, prices: this.prices, reading };
    return reading;
  }

  private readCost(): CostReading | undefined {
    if (this.loaded) {
      const record = this.record;
      return record ? responseCost(record.response, record.usage, this.prices) : undefined;
    }
    const summary = this.summary;
    if (!summary) return undefined;
    return responseCost({ model: summary.model, service_tier: summary.serviceTier }, summary.usage ?? null, this.prices, summary.toolCalls ?? { webSearch: 0, fileSearch: 0 });
  }

  /** Its place in its thread, as the store last placed it (`PanelStore.placeThreads`). */
  thread: ThreadPlace | undefined;

  /** What ties this call to earlier turns, loaded or not (a summary keeps it). */
  get threadLinks(): ThreadLinks {
    if (!this.loaded) {
      const links: ThreadLinks = {};
      const summary = this.summary;
      if (summary?.previousResponseId !== undefined) links.previousResponseId = summary.previousResponseId;
      if (summary?.conversationId !== undefined) links.conversationId = summary.conversationId;
      if (summary?.inputRefs !== undefined) links.inputRefs = summary.inputRefs;
      if (summary?.outputRefs !== undefined) links.outputRefs = summary.outputRefs;
      return links;
    }
    // The request's links are read once (its body may be large); the response's echo is two fields.
    const body = this.start.requestBody;
    const kept = this.requestLinks;
    const request = kept !== undefined && kept.body === body ? kept : { body, links: requestThreadLinks(body) };
    this.requestLinks = request;
    const response = this.record?.response;
    return mergeThreadLinks(request.links, response ? responseThreadLinks(response) : {});
  }

  private requestLinks: { body: string | undefined; links: ThreadLinks } | undefined;

  private answersCache: { body: string | undefined; answers: ToolAnswer[] } | undefined;

  /** What the request sent back for earlier tool calls, by call id, loaded or not (a summary keeps them in short). */
  get toolAnswers(): ToolAnswer[] {
    if (!this.loaded) return this.summary?.toolAnswers ?? [];
    const body = this.start.requestBody;
    const kept = this.answersCache;
    const cached = kept !== undefined && kept.body === body ? kept : { body, answers: toolAnswersOf(requestInputOf(body)) };
    this.answersCache = cached;
    return cached.answers;
  }

  private rateLimitCache: { response: CaptureResponse | undefined; limits: RateLimits | null } | undefined;

  /** The rate limits the response's headers report, or null. */
  get rateLimits(): RateLimits | null {
    const cached = this.rateLimitCache;
    if (cached && cached.response === this.response) return cached.limits;
    const limits = this.response ? rateLimitsOf(this.response.responseHeaders) : null;
    this.rateLimitCache = { response: this.response, limits };
    return limits;
  }

  private shownUrlCache: { url: string; shown: string } | undefined;

  /** The request's URL as every view shows it, credentials masked: worked out once per URL, not once per render. */
  get shownUrl(): string {
    if (this.shownUrlCache?.url !== this.start.url) this.shownUrlCache = { url: this.start.url, shown: redactUrl(this.start.url) };
    return this.shownUrlCache.shown;
  }

  private searchCache: { revision: number; text: string } | undefined;

  /** What a person remembers of the call, lower case (see `searchTextOf`): from its summary until it is loaded. */
  get searchText(): string {
    if (!this.loaded) return this.summary?.searchText ?? '';
    if (this.searchCache?.revision !== this.revision) {
      this.searchCache = { revision: this.revision, text: searchTextOf(this.start.requestBody, this.record?.response.output as JsonValue | undefined) };
    }
    return this.searchCache.text;
  }

  get durationMs(): number | undefined {
    if (!this.timesKnown) return undefined;
    const end = this.end?.endedAt ?? this.chunks[this.chunks.length - 1]?.receivedAt;
    return end === undefined ? undefined : Math.max(0, end - this.start.startedAt);
  }
}

function appendLines(lines: string[], text: string): void {
  const pieces = text.split(/\r\n|\r|\n/);
  const lastIndex = lines.length - 1;
  lines[lastIndex] = (lines[lastIndex] ?? '') + (pieces[0] ?? '');
  for (let index = 1; index < pieces.length; index++) lines.push(pieces[index] ?? '');
}
