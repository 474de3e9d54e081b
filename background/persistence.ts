/**
 * Writes the capture store to its database in small batches (one transaction
 * per flush, at most every 50 ms), reads it back when the background starts
 * again, and reads one capture's body back for a panel.
 */
import type { CaptureSnapshot } from '../extension/core/protocol.ts';
import { isEmptyBatch, type CaptureDatabase } from './capture-db.ts';
import type { CaptureStore, Confirmation } from './capture-store.ts';

export type PersistedCallback = (confirmations: Confirmation[]) => void;

export class CapturePersistence {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** The last write failed (storage full or gone): the captures stay in memory and are written by the next one. */
  failing = false;

  constructor(
    private readonly store: CaptureStore,
    private readonly db: CaptureDatabase,
    private readonly onPersisted: PersistedCallback,
    private readonly delayMs = 50,
  ) {}

  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
  }

  /** Stops a scheduled write (tests end with this). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Writes what changed; resolves once it is written (or the write failed and was taken back). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const flush = this.store.takeDirty();
    if (isEmptyBatch(flush.batch)) return;
    try {
      await this.db.write(flush.batch);
      this.failing = false;
      this.onPersisted(flush.confirmations);
    } catch {
      // Keep the captures in memory, write them with the next flush, and confirm nothing to the relays
      // meanwhile (they keep their copies for a restarted background).
      this.failing = true;
      this.store.returnDirty(flush);
      this.schedule();
    }
  }

  /** Rebuilds the store from the database after the background (re)started. */
  async load(): Promise<void> {
    const { tabs, captures } = await this.db.load();
    for (const tab of tabs) this.store.restoreTab(tab.tabId, tab.evicted, tab.clearedAt);
    for (const stored of captures) {
      // An unfinished capture goes on where it stopped: its chunks come back to memory.
      const body = stored.snapshot.end ? undefined : await this.db.readBody(stored.captureId);
      this.store.restore(stored, body);
    }
    // Restoring marks nothing dirty that the database does not already hold.
    this.store.takeDirty();
  }

  /**
   * One capture whole, its body read back from the database (after what is pending is written); or, with
   * `fromChunk`, its body from that chunk on.
   */
  async loadCapture(captureId: string, fromChunk = 0): Promise<CaptureSnapshot | undefined> {
    await this.flush();
    const found = this.store.find(captureId);
    if (!found) return undefined;
    const body = await this.db.readBody(captureId, fromChunk);
    // While writes fail, part of the body is still only in memory.
    const unwritten = this.store.unwritten(captureId);
    const byIndex = new Map([...body.chunks, ...unwritten.chunks.filter((chunk) => chunk.index >= fromChunk)].map((chunk) => [chunk.index, chunk]));
    const chunks = [...byIndex.values()].sort((a, b) => a.index - b.index).map(({ index, text, receivedAt }) => ({ index, text, receivedAt }));
    const requestBody = unwritten.requestBody ?? body.requestBody ?? found.snapshot.start.requestBody;
    const start = requestBody === undefined ? found.snapshot.start : { ...found.snapshot.start, requestBody };
    return { ...found.snapshot, start, chunks };
  }
}
