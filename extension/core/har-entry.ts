import type { CaptureSnapshot, HeaderList, NetworkTimings } from './protocol.ts';

/** The parts of a HAR 1.2 entry the core reads (Chrome's, Firefox's and Playwright's HARs have them). */
export interface HarEntryLike {
  startedDateTime: string;
  time?: number;
  request: { method: string; url: string; headers?: HeaderList; postData?: { text?: string; mimeType?: string } };
  response: { status: number; statusText?: string; headers?: HeaderList; content?: { mimeType?: string; text?: string; encoding?: string; size?: number } };
  timings?: Partial<Record<keyof NetworkTimings, number>>;
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

export function harTimings(entry: HarEntryLike): NetworkTimings | undefined {
  if (!entry.timings) return undefined;
  const timings: NetworkTimings = {};
  for (const key of ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive'] as const) {
    const value = positive(entry.timings[key]);
    if (value !== undefined) timings[key] = value;
  }
  return timings;
}

/**
 * A capture made of a finished HAR entry and its body text (decoded): one
 * chunk, received when the entry ended. Secrets are masked.
 */
export function captureFromHarEntry(entry: HarEntryLike, body: string, tabId: number, captureId: string): CaptureSnapshot {
  const startedAt = Date.parse(entry.startedDateTime);
  const endedAt = startedAt + (positive(entry.time) ?? 0);
  const timings = harTimings(entry);
  const firstByteAt = startedAt + (timings ? (timings.blocked ?? 0) + (timings.dns ?? 0) + (timings.connect ?? 0) + (timings.send ?? 0) + (timings.wait ?? 0) : 0);
  const snapshot: CaptureSnapshot = {
    tabId,
    start: {
      captureId,
      url: entry.request.url,
      method: entry.request.method.toUpperCase(),
      requestHeaders: entry.request.headers ?? [],
      initiator: 'network',
      startedAt,
    },
    response: {
      captureId,
      status: entry.response.status,
      statusText: entry.response.statusText ?? '',
      responseHeaders: entry.response.headers ?? [],
      receivedAt: firstByteAt,
    },
    chunks: body === '' ? [] : [{ index: 0, text: body, receivedAt: firstByteAt }],
    end: { captureId, state: 'complete', endedAt },
  };
  const postData = entry.request.postData?.text;
  if (postData !== undefined) snapshot.start.requestBody = postData;
  if (timings) snapshot.networkTimings = timings;
  return snapshot;
}
