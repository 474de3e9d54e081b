/**
 * The app's server calls in the panel: `responses-devtools proxy` (the built command, in a process of its own)
 * between the official `openai` client in Node and the replay server. The panel, told the proxy's address in
 * Settings, shows the server's call live beside the page's own, tagged, and says whether a proxy is connected.
 * Shared by the Chrome and Firefox suites.
 */
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { DEFAULT_PROXY_ADDRESS, readResponsesBody } from '../../extension/core/index.ts';
import type { ReplayServer } from '../server/replay-server.ts';
import { ProxyProcess } from '../helpers/proxy-process.ts';
import { readFixture } from '../helpers/streams.ts';
import type { PanelDocument } from './chromium-devtools.ts';
import { ROW_COUNT, saveSettingText } from './recordings.ts';

const SERVER_RECORDING = 'fantasy__text-gpt-4o';
const PAGE_RECORDING = 'seed__hello-gpt-4.1-nano';
export const PROXY_STATE = 'document.querySelector("[data-testid=proxy-status]")?.dataset.state';

export function setProxyAddresses(panel: PanelDocument, text: string): Promise<void> {
  return saveSettingText(panel, 'proxy-addresses', text);
}

export function finalText(recording: string): string {
  const response = readResponsesBody(readFixture(`${recording}.sse`)).responses[0]?.response;
  const message = response?.output.find((item) => item.type === 'message');
  const parts = Array.isArray(message?.content) ? message.content : [];
  return parts.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : '')).join('');
}

export async function expectServerCalls(panel: PanelDocument, server: ReplayServer, streamInPage: (recording: string) => Promise<void>, clear: () => Promise<void>): Promise<void> {
  // Nothing listens at the default address: the panel says so.
  await panel.waitFor(`${PROXY_STATE} === "unreachable"`);
  assert.match(await panel.evaluate<string>('document.querySelector("[data-testid=proxy-status]").title'), /npx responses-devtools proxy/);
  // A bad address is refused in Settings: the panel talks to this machine only.
  await setProxyAddresses(panel, 'example.com:8788');
  await panel.waitFor('document.querySelector("[data-testid=proxy-error]")?.textContent.includes("not on this machine")');
  await panel.evaluate('document.querySelector("[data-testid=settings-dialog] .dialog-buttons button:last-child").click()');
  await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');

  const proxy = await ProxyProcess.start(['--upstream', server.url]);
  try {
    await setProxyAddresses(panel, new URL(proxy.url).host);
    await panel.waitFor(`${PROXY_STATE} === "connected"`);
    await clear();
    await streamInPage(PAGE_RECORDING);
    await panel.waitFor(`${ROW_COUNT} === 1 && !document.querySelector("[data-testid=capture-row] .live-dot")`);

    // The server's call, held mid-stream: live in the panel, tagged, beside the page's.
    const client = new OpenAI({ apiKey: 'sk-proj-serversidesecret0123456789', baseURL: `${proxy.url}/r/${SERVER_RECORDING}/hold/8/v1`, maxRetries: 0 });
    const arrived = server.waitForRequest((request) => request.url.startsWith(`/r/${SERVER_RECORDING}/hold/8/`));
    let text = '';
    const reading = (async () => {
      const stream = await client.responses.create({ model: 'gpt-4o', input: 'Say hello in Portuguese', stream: true });
      for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    })();
    const upstream = await arrived;
    await upstream.held;
    const serverRow = 'document.querySelectorAll("[data-testid=capture-row]")[1]';
    await panel.waitFor(`${ROW_COUNT} === 2 && ${serverRow}.querySelector("[data-testid=server-tag]") !== null && ${serverRow}.querySelector(".live-dot") !== null`);
    assert.equal(await panel.evaluate<number>('document.querySelectorAll("[data-testid=capture-row] [data-testid=server-tag]").length'), 1, 'the page call is no server call');
    upstream.release();
    await reading;
    assert.equal(text, finalText(SERVER_RECORDING));
    await panel.evaluate(`${serverRow}.click()`);
    await panel.waitFor(`!${serverRow}.querySelector(".live-dot") && ${serverRow}.getAttribute("aria-selected") === "true"`);
    await panel.click('[data-testid=tab-assembly]');
    await panel.waitFor(`document.querySelector("[data-testid=message-text]")?.textContent === ${JSON.stringify(finalText(SERVER_RECORDING))}`);
    // Its credentials are masked there as everywhere.
    await panel.click('[data-testid=tab-request]');
    await panel.waitFor('document.querySelector("[data-testid=request-view]") !== null');
    const authorization = await panel.evaluate<string>(
      '[...document.querySelectorAll("[data-testid=request-headers] tr")].find((row) => row.querySelector("th").textContent.toLowerCase() === "authorization")?.querySelector("td").textContent ?? ""',
    );
    assert.match(authorization, /^Bearer .*\[redacted\]/);
    assert.ok(!(await panel.evaluate<string>('document.querySelector("[data-testid=request-view]").innerText')).includes('serversidesecret'));

    // The proxy stops: the panel says so, and keeps the calls it has.
    assert.equal(await proxy.stop(), 0);
    await panel.waitFor(`${PROXY_STATE} === "unreachable" && ${ROW_COUNT} === 2`);
  } finally {
    await proxy.stop();
    await setProxyAddresses(panel, DEFAULT_PROXY_ADDRESS);
    await panel.waitFor('document.querySelector("[data-testid=settings-dialog]") === null');
  }
}
