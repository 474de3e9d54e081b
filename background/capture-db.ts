/**
 * Where captures live: IndexedDB, which outlives a stopped service worker (and
 * the browser), holds gigabytes with `unlimitedStorage`, and lets the
 * background keep in memory only what the lists show. Bodies (chunks and
 * request bodies) are read back one capture at a time, when a panel opens one.
 *
 * Object stores: `tabs` (tabId → evicted count), `captures` (the capture
 * without its body, its summary, its place in the tab's order), `bodies`
 * (request bodies), `chunks` ([captureId, index] → text, or in Firefox the bytes it came in, and receive time).
 */
import type { CaptureSnapshot, CaptureSummary } from '../extension/core/index.ts';

export interface StoredCapture {
  captureId: string;
  tabId: number;
  /** Order of arrival, across tabs. */
  seq: number;
  /** The capture without chunks and without its request body. */
  snapshot: CaptureSnapshot;
  chars: number;
  /** Set once the capture ended. */
  summary?: CaptureSummary;
}

export interface StoredChunk {
  captureId: string;
  index: number;
  text: string;
  receivedAt: number;
  /**
   * The UTF-8 bytes `text` was decoded from (Firefox), written instead of it: Firefox's decoded strings are
   * two bytes a character, and cloning them into IndexedDB cost the background about twice what the bytes do.
   */
  bytes?: ArrayBuffer;
}

export interface StoredTab {
  tabId: number;
  evicted: number;
  /** When its log was last cleared (epoch ms): DevTools may still report requests started before. */
  clearedAt?: number;
}

export interface WriteBatch {
  captures: StoredCapture[];
  requestBodies: Array<{ captureId: string; requestBody: string }>;
  chunks: StoredChunk[];
  tabs: StoredTab[];
  removedCaptures: string[];
  removedTabs: number[];
}

export interface CaptureBody {
  requestBody?: string;
  chunks: StoredChunk[];
}

export interface CaptureDatabase {
  write(batch: WriteBatch): Promise<void>;
  /** Every tab and every capture (without bodies), captures in order of arrival. */
  load(): Promise<{ tabs: StoredTab[]; captures: StoredCapture[] }>;
  /** The request body and the chunks of the response body, all of them or from chunk `fromIndex` on. */
  readBody(captureId: string, fromIndex?: number): Promise<CaptureBody>;
}

export function emptyBatch(): WriteBatch {
  return { captures: [], requestBodies: [], chunks: [], tabs: [], removedCaptures: [], removedTabs: [] };
}

export function isEmptyBatch(batch: WriteBatch): boolean {
  return Object.values(batch).every((list: unknown[]) => list.length === 0);
}

const DB_NAME = 'responses-devtools';
const DB_VERSION = 1;

function request<T>(operation: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => resolve(operation.result);
    operation.onerror = () => reject(operation.error ?? new Error('IndexedDB request failed'));
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class IndexedDbCaptureDatabase implements CaptureDatabase {
  private opened: Promise<IDBDatabase>;

  /** `factory` and `keyRange`: the browser's, or another implementation's (Node has none). */
  constructor(
    private readonly factory: IDBFactory = indexedDB,
    private readonly keyRange: typeof IDBKeyRange = IDBKeyRange,
    private readonly name = DB_NAME,
  ) {
    this.opened = this.open();
  }

  private open(): Promise<IDBDatabase> {
    const opened = new Promise<IDBDatabase>((resolve, reject) => {
      const opening = this.factory.open(this.name, DB_VERSION);
      opening.onupgradeneeded = () => {
        const db = opening.result;
        db.createObjectStore('tabs', { keyPath: 'tabId' });
        db.createObjectStore('captures', { keyPath: 'captureId' });
        db.createObjectStore('bodies', { keyPath: 'captureId' });
        db.createObjectStore('chunks', { keyPath: ['captureId', 'index'] });
      };
      opening.onsuccess = () => {
        const db = opening.result;
        // The browser may close the connection (site data cleared, a newer version elsewhere): open it again on next use.
        db.onclose = () => {
          this.opened = this.open();
        };
        db.onversionchange = () => {
          db.close();
          this.opened = this.open();
        };
        resolve(db);
      };
      opening.onerror = () => reject(opening.error ?? new Error('IndexedDB cannot be opened'));
    });
    return opened;
  }

  private chunkRange(captureId: string): IDBKeyRange {
    return this.keyRange.bound([captureId, -Infinity], [captureId, Infinity]);
  }

  async write(batch: WriteBatch): Promise<void> {
    const db = await this.opened;
    const transaction = db.transaction(['tabs', 'captures', 'bodies', 'chunks'], 'readwrite');
    const finished = done(transaction);
    const tabs = transaction.objectStore('tabs');
    const captures = transaction.objectStore('captures');
    const bodies = transaction.objectStore('bodies');
    const chunks = transaction.objectStore('chunks');
    for (const captureId of batch.removedCaptures) {
      captures.delete(captureId);
      bodies.delete(captureId);
      chunks.delete(this.chunkRange(captureId));
    }
    for (const tabId of batch.removedTabs) tabs.delete(tabId);
    for (const tab of batch.tabs) tabs.put(tab);
    for (const capture of batch.captures) captures.put(capture);
    for (const body of batch.requestBodies) bodies.put(body);
    for (const chunk of batch.chunks) chunks.put(chunk.bytes ? { captureId: chunk.captureId, index: chunk.index, text: '', bytes: chunk.bytes, receivedAt: chunk.receivedAt } : chunk);
    await finished;
  }

  async load(): Promise<{ tabs: StoredTab[]; captures: StoredCapture[] }> {
    const db = await this.opened;
    const transaction = db.transaction(['tabs', 'captures'], 'readonly');
    const [tabs, captures] = await Promise.all([
      request(transaction.objectStore('tabs').getAll() as IDBRequest<StoredTab[]>),
      request(transaction.objectStore('captures').getAll() as IDBRequest<StoredCapture[]>),
    ]);
    captures.sort((a, b) => a.seq - b.seq);
    return { tabs, captures };
  }

  async readBody(captureId: string, fromIndex = 0): Promise<CaptureBody> {
    const db = await this.opened;
    const transaction = db.transaction(['bodies', 'chunks'], 'readonly');
    const [body, chunks] = await Promise.all([
      request(transaction.objectStore('bodies').get(captureId) as IDBRequest<{ requestBody: string } | undefined>),
      request(transaction.objectStore('chunks').getAll(this.keyRange.bound([captureId, fromIndex], [captureId, Infinity])) as IDBRequest<StoredChunk[]>),
    ]);
    const texts = chunks.map(withStoredText);
    return body ? { requestBody: body.requestBody, chunks: texts } : { chunks: texts };
  }
}

// As when it came (see background.ts): a U+FEFF at a chunk's start is text.
const bytesDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A chunk read back, as text, decoded as it was when it came: alone (the page hook cuts runs of bytes after whole
 * characters; a character cut short by the body's end comes alone, and decodes as the decoder says).
 */
function withStoredText(chunk: StoredChunk): StoredChunk {
  if (!(chunk.bytes instanceof ArrayBuffer)) return chunk;
  return { captureId: chunk.captureId, index: chunk.index, text: bytesDecoder.decode(chunk.bytes), receivedAt: chunk.receivedAt };
}

/** The same, in memory: where IndexedDB cannot be opened (nothing survives a restart then), and in tests. */
export class MemoryCaptureDatabase implements CaptureDatabase {
  readonly tabs = new Map<number, StoredTab>();
  readonly captures = new Map<string, StoredCapture>();
  readonly bodies = new Map<string, string>();
  readonly chunks = new Map<string, Map<number, StoredChunk>>();
  /** Make the next write fail (a full disk), for tests. */
  failNextWrite = false;

  async write(batch: WriteBatch): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('disk full');
    }
    for (const captureId of batch.removedCaptures) {
      this.captures.delete(captureId);
      this.bodies.delete(captureId);
      this.chunks.delete(captureId);
    }
    for (const tabId of batch.removedTabs) this.tabs.delete(tabId);
    for (const tab of batch.tabs) this.tabs.set(tab.tabId, structuredClone(tab));
    for (const capture of batch.captures) this.captures.set(capture.captureId, structuredClone(capture));
    for (const body of batch.requestBodies) this.bodies.set(body.captureId, body.requestBody);
    for (const chunk of batch.chunks) {
      let chunks = this.chunks.get(chunk.captureId);
      if (!chunks) {
        chunks = new Map();
        this.chunks.set(chunk.captureId, chunks);
      }
      // In memory the text is what is read back: its bytes are not kept beside it.
      chunks.set(chunk.index, { captureId: chunk.captureId, index: chunk.index, text: chunk.text, receivedAt: chunk.receivedAt });
    }
  }

  async load(): Promise<{ tabs: StoredTab[]; captures: StoredCapture[] }> {
    return { tabs: [...this.tabs.values()].map((tab) => structuredClone(tab)), captures: [...this.captures.values()].sort((a, b) => a.seq - b.seq).map((capture) => structuredClone(capture)) };
  }

  async readBody(captureId: string, fromIndex = 0): Promise<CaptureBody> {
    const chunks = [...(this.chunks.get(captureId)?.values() ?? [])].filter((chunk) => chunk.index >= fromIndex).sort((a, b) => a.index - b.index);
    const requestBody = this.bodies.get(captureId);
    return requestBody === undefined ? { chunks } : { requestBody, chunks };
  }
}
