import { buildTranscript, isDeferred, readInputDeferring, stringifyJson, UnreadableBodyError, type DeferredHarCall, type TranscriptCall } from '../extension/core/index.ts';
import { PanelCapture } from './model/panel-capture.ts';

export type ExportScope = 'all' | 'selected' | 'filtered';

/** The HAR text for these captures: redacted unless credentials are explicitly kept. */
export function transcriptText(captures: readonly PanelCapture[], keepSecrets: boolean): string {
  return stringifyJson(buildTranscript(captures.map((capture) => capture.toTranscriptCall()), { keepSecrets }), 2);
}

export function saveFile(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.dataset.testid = 'export-download';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: the download may still be reading it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

let importCounter = 0;

export interface ImportResult {
  captures: PanelCapture[];
  messages: string[];
}

/**
 * Reads a dropped or picked file: a HAR (ours, a browser's, Playwright's), a recording, a Response JSON body.
 * The calls of our own transcripts are listed from what the transcript wrote, and read when opened.
 */
export function importFile(name: string, text: string): ImportResult {
  const messages: string[] = [];
  let calls: Array<TranscriptCall | DeferredHarCall>;
  try {
    const reading = readInputDeferring(name, text);
    calls = reading.calls;
    for (const problem of reading.har?.problems ?? []) messages.push(`${name}: skipped ${problem.message}`);
    const skipped = reading.har?.skipped ?? 0;
    if (skipped > 0) messages.push(`${name}: ${skipped} entr${skipped === 1 ? 'y is' : 'ies are'} not Responses calls and were left out.`);
  } catch (error) {
    const reason = error instanceof UnreadableBodyError ? error.message : `could not be read (${String(error)})`;
    return { captures: [], messages: [`${name}: ${reason}`] };
  }
  const captures = calls.map((call) => {
    const captureId = `import-${++importCounter}`;
    return isDeferred(call) ? PanelCapture.fromDeferredImport(call, captureId) : PanelCapture.fromImport(call, captureId);
  });
  return { captures, messages };
}
