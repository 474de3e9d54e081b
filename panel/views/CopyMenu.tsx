import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { curlCommand, fetchCode, openaiNodeCode, stringifyJson, type ReplayableRequest } from '../../extension/core/index.ts';
import { copyAndSay } from '../clipboard.ts';
import { saveFile, transcriptText } from '../transcripts.ts';
import { shortName } from '../model/list-layout.ts';
import { ContextMenu, SEPARATOR, type MenuItem } from './ContextMenu.tsx';

function requestOf(capture: PanelCapture): ReplayableRequest {
  const request: ReplayableRequest = { method: capture.start.method, url: capture.start.url, headers: capture.start.requestHeaders };
  if (capture.start.requestBody !== undefined) request.body = capture.start.requestBody;
  return request;
}

/** The text of the response's messages (what the model said), as the Assembly view shows it. */
export function responseText(capture: PanelCapture): string {
  const output = capture.record?.response.output ?? [];
  const texts: string[] = [];
  for (const item of output) {
    if (item.type !== 'message' || !Array.isArray(item.content)) continue;
    const parts = (item.content as Array<{ type?: unknown; text?: unknown; refusal?: unknown }>).map((part) => (typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : ''));
    texts.push(parts.join(''));
  }
  return texts.join('\n\n');
}

interface CopyAction {
  label: string;
  testId: string;
  /** What the action copies (undefined: nothing to copy, the item is disabled), from the capture with its body. */
  text?: (capture: PanelCapture) => string | undefined;
  /** An action that does something else than copying. */
  run?: (capture: PanelCapture) => void;
  /** Whether the action needs what a capture holds only once its body is loaded. */
  needsBody: boolean;
}

function isSocket(capture: PanelCapture): boolean {
  return capture.start.initiator === 'websocket';
}

const ACTIONS: Array<CopyAction | typeof SEPARATOR> = [
  // A WebSocket's response was asked for by a frame on an open socket: no HTTP request repeats it.
  { label: 'Copy as cURL', testId: 'copy-curl', needsBody: true, text: (capture) => (isSocket(capture) ? undefined : curlCommand(requestOf(capture))) },
  { label: 'Copy as fetch', testId: 'copy-fetch', needsBody: true, text: (capture) => (isSocket(capture) ? undefined : fetchCode(requestOf(capture))) },
  {
    label: 'Copy as openai-node code',
    testId: 'copy-openai-node',
    needsBody: true,
    text: (capture) => {
      if (isSocket(capture)) return undefined;
      const protocol = capture.protocol;
      // The openai client calls the Responses API and Chat Completions; other APIs have clients of their own.
      return protocol === 'responses' || protocol === 'chat.completions' ? openaiNodeCode(requestOf(capture), { api: protocol }) : undefined;
    },
  },
  SEPARATOR,
  { label: 'Copy response text', testId: 'copy-response-text', needsBody: true, text: (capture) => responseText(capture) || undefined },
  { label: 'Copy response id', testId: 'copy-response-id', needsBody: false, text: (capture) => capture.responseIds[capture.responseIds.length - 1] },
  { label: 'Copy response JSON', testId: 'copy-response-json', needsBody: true, text: (capture) => (capture.record ? stringifyJson(capture.record.result, 2) : undefined) },
  SEPARATOR,
  {
    label: 'Export as HAR',
    testId: 'export-one-har',
    needsBody: true,
    run: (capture) => saveFile(transcriptText([capture], false), `${shortName(capture.start.url)}-${capture.responseIds[0] ?? capture.id}.har`),
  },
];

/** Runs an action on the capture with its body (loaded from the background first when it is not in the panel). */
async function perform(store: PanelStore, capture: PanelCapture, action: CopyAction): Promise<void> {
  store.pin([capture.id]);
  try {
    const whole = action.needsBody && !capture.loaded ? await store.load(capture.id) : capture;
    if (!whole) {
      store.notify('The response could not be read back from the extension’s store.');
      return;
    }
    if (action.run) {
      action.run(whole);
      return;
    }
    const text = action.text?.(whole);
    if (text === undefined) {
      store.notify(`Nothing to copy: ${action.label.replace(/^Copy /, '')} is not in this response.`);
      return;
    }
    await copyAndSay(text, action.label.replace(/^Copy (as )?/, ''), (message) => store.notify(message));
  } finally {
    store.unpin([capture.id]);
  }
}

export function copyMenuItems(store: PanelStore, capture: PanelCapture): Array<MenuItem | typeof SEPARATOR> {
  return ACTIONS.map((action) =>
    action === SEPARATOR
      ? SEPARATOR
      : {
          label: action.label,
          testId: action.testId,
          // Without a body, only what the summary holds can be told missing in advance.
          disabled: !action.needsBody && action.text?.(capture) === undefined,
          onSelect: () => void perform(store, capture, action),
        },
  );
}

/** The request list's row menu, and the detail's Copy button menu: the same actions on one capture. */
export function CopyMenu({ store, capture, at, onClose }: { store: PanelStore; capture: PanelCapture; at: { x: number; y: number }; onClose: () => void }) {
  return <ContextMenu label="Response" at={at} items={copyMenuItems(store, capture)} onClose={onClose} />;
}
