/**
 * The LLM streams besides the Responses API's, read in the page by their official clients (openai's Chat
 * Completions, @anthropic-ai/sdk's Messages, the AI SDK's UI stream as useChat reads it): captured, shown with their
 * protocol, text and usage as the core assembles them, and carried through a HAR. Shared by the Chrome and Firefox
 * suites.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTranscript, callsOfInput, readInput, readResponsesBody, stringifyJson, type ForeignProtocol, type ResponseRecord } from '../../extension/core/index.ts';
import type { OtherStreamResult } from '../server/page/page.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { RECORDINGS_DIRS } from '../server/test-site.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { messageShown, ROW_COUNT } from './recordings.ts';

export type PageReader = 'streamChatWithOpenAI' | 'streamWithAnthropic' | 'readAiSdkUiStream';

export const OTHER_PROTOCOL_CASES: ReadonlyArray<{ protocol: ForeignProtocol; recording: string; reader: PageReader }> = [
  { protocol: 'chat.completions', recording: 'dd-trace-py__cached-tokens-usage-gpt-4o', reader: 'streamChatWithOpenAI' },
  { protocol: 'anthropic.messages', recording: 'openinference__extended-thinking-claude-sonnet-4.5', reader: 'streamWithAnthropic' },
  { protocol: 'ai-sdk.ui', recording: 'vercel-ai__reasoning-multi-part-with-metadata-mock-model', reader: 'readAiSdkUiStream' },
];

function recordingText(name: string): string {
  for (const dir of RECORDINGS_DIRS) {
    try {
      return readFileSync(join(dir.path, `${name}.sse`), 'utf8');
    } catch {
      // in another folder
    }
  }
  throw new Error(`no recording ${name}`);
}

/** The core's reading of a recording, in Node: what the panel and the command must agree with. */
function coreRecord(name: string): ResponseRecord {
  const records = readResponsesBody(recordingText(name)).responses;
  const record = records[records.length - 1];
  assert.ok(record, name);
  return record;
}

/** The text of the message items of the Response-shaped view: what the Assembly view shows. */
function viewText(record: ResponseRecord): string {
  return record.response.output
    .filter((item) => item.type === 'message')
    .flatMap((item) => (Array.isArray(item.content) ? item.content : []))
    .map((part) => (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

function inspectJson(path: string): { responses: Array<{ protocol: string; response: unknown }> } {
  const result = spawnSync(process.execPath, [join('dist', 'cli', 'responses-devtools.js'), 'inspect', '--json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { responses: Array<{ protocol: string; response: unknown }> };
}

/** Waits until the selected row is the recording's, and checks what the panel shows of it. */
async function expectShown(panel: PanelDocument, protocol: ForeignProtocol, record: ResponseRecord): Promise<void> {
  await panel.waitFor(`document.querySelector("[data-testid=capture-row][aria-selected=true] [data-testid=protocol-badge]")?.dataset.protocol === ${JSON.stringify(protocol)}`);
  await panel.waitFor('!document.querySelector("[data-testid=capture-row][aria-selected=true] .live-dot")');
  const text = viewText(record);
  assert.notEqual(text, '');
  await panel.waitFor(messageShown(text));
  const usage = record.usage;
  await panel.waitFor(`document.querySelector("[data-testid=summary-input]")?.textContent === ${JSON.stringify(usage ? String(usage.input) : '–')}`);
  assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=summary-output]").textContent'), usage ? String(usage.output) : '–');
  // The status the core gives it (the chat recording stopped at its length limit: incomplete).
  assert.equal(await panel.evaluate<string>('document.querySelector("[data-testid=summary] [data-testid=status]").dataset.status'), record.response.status);
}

export async function expectOtherProtocols(
  panel: PanelDocument,
  server: ReplayServer,
  read: (reader: PageReader, route: string) => Promise<OtherStreamResult>,
  importFile: (name: string, text: string) => Promise<void>,
  clear: () => Promise<void>,
  exportHar?: () => Promise<string>,
): Promise<void> {
  for (const [index, { protocol, recording, reader }] of OTHER_PROTOCOL_CASES.entries()) {
    const record = coreRecord(recording);
    const result = await read(reader, recording);
    assert.equal(result.error, undefined, `${protocol}: ${result.error}`);
    // The page read through its client exactly what the server sent, and the text the core assembles.
    const request = await server.waitForRequest((candidate) => candidate.recording === recording);
    assert.deepEqual(Buffer.from(result.bodyBase64, 'base64'), Buffer.concat(request.sent), protocol);
    assert.equal(result.outputText, viewText(record), protocol);
    // The AI SDK's own message, built in the page, is the core's result.
    if (result.final !== undefined) assert.deepEqual(JSON.parse(JSON.stringify(result.final)), JSON.parse(JSON.stringify(record.result)));
    await panel.waitFor(`${ROW_COUNT} === ${index + 1}`);
    await expectShown(panel, protocol, record);
    // What was asked, from the request's messages (each client sends "Say hello").
    await panel.waitFor('document.querySelector("[data-testid=asked-text]")?.textContent === "Say hello"');
  }
  // Carried through a HAR: the panel's own export read by the command, and imported back.
  const transcript = exportHar ? await exportHar() : stringifyJson(buildTranscript(OTHER_PROTOCOL_CASES.flatMap(({ recording }) => callsOfInput(`${recording}.sse`, recordingText(recording), readInput(recordingText(recording))))), 2);
  const path = join(mkdtempSync(join(tmpdir(), 'responses-devtools-protocols-')), 'protocols.har');
  writeFileSync(path, transcript);
  const inspected = inspectJson(path).responses.filter((entry) => entry.protocol !== 'responses');
  assert.deepEqual(
    inspected.map((entry) => entry.protocol),
    OTHER_PROTOCOL_CASES.map((one) => one.protocol),
  );
  inspected.forEach((entry, index) => assert.deepEqual(entry.response, JSON.parse(JSON.stringify(coreRecord((OTHER_PROTOCOL_CASES[index] as { recording: string }).recording).result))));
  await clear();
  await importFile('protocols.har', transcript);
  await panel.waitFor(`${ROW_COUNT} === ${OTHER_PROTOCOL_CASES.length}`);
  for (const [index, { protocol, recording }] of OTHER_PROTOCOL_CASES.entries()) {
    await panel.evaluate(`document.querySelectorAll("[data-testid=capture-row]")[${index}].click()`);
    await expectShown(panel, protocol, coreRecord(recording));
  }
}
