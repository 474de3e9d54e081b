/**
 * Real Firefox (Debian's firefox-esr) with the built extension installed as a
 * temporary add-on, driven by puppeteer-core over WebDriver BiDi (Playwright
 * cannot drive a stock Firefox). The real DevTools toolbox is opened from the
 * browser window's privileged scope, and our panel's document is read through
 * a frame script in its <browser>: both are Firefox internals, kept here.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PanelDocument } from './chromium-devtools.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = resolve('dist', 'firefox');

interface BidiConnection {
  send(method: string, params: Record<string, unknown>): Promise<{ result: Record<string, unknown> }>;
}

interface RemoteValue {
  type: string;
  value?: unknown;
}

export class FirefoxWithDevtools {
  private constructor(
    readonly browser: Browser,
    readonly extensionId: string,
  ) {}

  /** Firefox as it is, without the extension: what a page sees when nobody watches. */
  static launchBare(): Promise<Browser> {
    return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
  }

  /**
   * `extension: false`: the same Firefox, toolbox reachable, without the extension (a benchmark's baseline);
   * a folder: that extension instead of ours (a benchmark's peer).
   * `preciseTimers`: a page's `performance.now()` in microseconds, not Firefox's default milliseconds (benchmarks
   * that time a page's reads: a millisecond's rounding, and an origin rounded at each launch, hide what they measure).
   */
  static async launch(options: { headless?: boolean; extension?: boolean | string; ownSignals?: boolean; preciseTimers?: boolean } = {}): Promise<FirefoxWithDevtools> {
    const extensionDir = options.extension === false ? undefined : typeof options.extension === 'string' ? options.extension : FIREFOX_EXTENSION_DIR;
    if (extensionDir && !existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`build the extension first: ${extensionDir} is missing`);
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: options.headless ?? true,
      // `ownSignals`: the caller handles Ctrl+C itself (closing Firefox, which removes its profile), not puppeteer.
      ...(options.ownSignals ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}),
      defaultViewport: options.headless === false ? null : undefined,
      // Lets the test reach the browser window's privileged scope, where the toolbox lives.
      args: ['--remote-allow-system-access'],
      ...(options.preciseTimers ? { extraPrefsFirefox: { 'privacy.reduceTimerPrecision': false } } : {}),
    });
    const extensionId = extensionDir ? await browser.installExtension(extensionDir) : '';
    return new FirefoxWithDevtools(browser, extensionId);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async page(): Promise<Page> {
    return (await this.browser.pages())[0] ?? (await this.browser.newPage());
  }

  private get connection(): BidiConnection {
    return (this.browser as unknown as { connection: BidiConnection }).connection;
  }

  /** Runs `functionDeclaration` in the browser window (chrome scope) and returns its string result. */
  async inChrome(functionDeclaration: string): Promise<string> {
    const tree = await this.connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const contexts = tree.result.contexts as Array<{ context: string }>;
    const window = contexts[0];
    if (!window) throw new Error('no browser window');
    const response = await this.connection.send('script.callFunction', {
      functionDeclaration,
      target: { context: window.context },
      awaitPromise: true,
    });
    const outcome = response.result as { type: string; result?: RemoteValue; exceptionDetails?: { text: string } };
    if (outcome.type === 'exception') throw new Error(outcome.exceptionDetails?.text ?? 'exception in chrome scope');
    return String(outcome.result?.value ?? '');
  }

  /**
   * The HAR that Firefox's Network panel saves ("Save All As HAR"), bodies included, written by
   * the netmonitor's own HAR exporter. Firefox internals, kept in this one place.
   */
  exportNetworkHar(urlPart: string): Promise<string> {
    return this.inChrome(`async () => {
      const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
      const { gDevTools } = require('devtools/client/framework/devtools');
      const toolbox = gDevTools.getToolboxForTab(gBrowser.selectedTab);
      const api = await toolbox.getNetMonitorAPI();
      const { HarExporter } = require('devtools/client/netmonitor/src/har/har-exporter');
      const { getSortedRequests } = require('devtools/client/netmonitor/src/selectors/index');
      // The network monitor learns of a request's end asynchronously: export until it holds that body.
      const deadline = Date.now() + 15000;
      for (;;) {
        const items = getSortedRequests(api.store.getState());
        // What the panel does before saving: ask for each body it does not hold yet.
        await Promise.all(items.map((item) => api.connector.requestData(item.id, 'responseContent').catch(() => undefined)));
        const har = await HarExporter.getHar({ connector: api.connector, includeResponseBodies: true, items: getSortedRequests(api.store.getState()) });
        const entry = har.log.entries.find((candidate) => candidate.request.url.includes(${JSON.stringify(urlPart)}));
        if (entry && entry.response.content.text) return JSON.stringify(har);
        if (Date.now() > deadline) throw new Error('the network monitor never held the body of ' + ${JSON.stringify(urlPart)});
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }`);
  }

  /** Opens the real toolbox on the selected tab, on its default tool. */
  async openToolbox(): Promise<void> {
    await this.inChrome(`async () => {
      const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
      const { gDevTools } = require('devtools/client/framework/devtools');
      await gDevTools.showToolboxForTab(gBrowser.selectedTab);
    }`);
  }

  /**
   * Docks the open toolbox at the bottom of the window or at its right side (Firefox's own sizes: 250 px high, 500 px
   * wide). Moved, the toolbox leaves an extension's panel blank until it is shown again: it is, as a user would.
   */
  async dockToolbox(host: 'bottom' | 'right'): Promise<void> {
    await this.inChrome(`async () => {
      const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
      const { gDevTools } = require('devtools/client/framework/devtools');
      const toolbox = gDevTools.getToolboxForTab(gBrowser.selectedTab);
      if (toolbox.hostType === ${JSON.stringify(host)}) return;
      await toolbox.switchHost(${JSON.stringify(host)});
      const shown = toolbox.currentToolId;
      await toolbox.selectTool('webconsole');
      await toolbox.selectTool(shown);
    }`);
  }

  /** Sets the toolbox's theme (its Settings → Themes), as the user would. */
  async setToolboxTheme(theme: 'light' | 'dark'): Promise<void> {
    await this.inChrome(`async () => {
      Services.prefs.setCharPref('devtools.theme', ${JSON.stringify(theme)});
    }`);
  }

  /** Opens the real toolbox on the selected tab, selects our panel, and returns its document. */
  async openPanel(): Promise<FirefoxPanel> {
    await this.inChrome(`async () => {
      const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
      const { gDevTools } = require('devtools/client/framework/devtools');
      const toolbox = await gDevTools.showToolboxForTab(gBrowser.selectedTab);
      const deadline = Date.now() + 20000;
      const panelId = () => toolbox.getAdditionalTools().map((tool) => tool.id).find((id) => id.startsWith('webext-devtools-panel-'));
      // The extension registers its panel once its devtools page has run.
      while (!panelId()) {
        if (Date.now() > deadline) throw new Error('the extension panel never registered');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await toolbox.selectTool(panelId());
      return panelId();
    }`);
    const panel = new FirefoxPanel(this);
    await panel.waitForPage();
    await panel.waitFor('document.querySelector("[data-testid=panel-root]") !== null');
    return panel;
  }
}

/** Our panel's document inside Firefox's toolbox, reached with a frame script in its <browser>. */
export class FirefoxPanel extends PanelDocument {
  constructor(private readonly firefox: FirefoxWithDevtools) {
    super();
  }

  private static findBrowser = `
    const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    const toolbox = gDevTools.getToolboxForTab(gBrowser.selectedTab);
    const iframe = toolbox && toolbox.doc.querySelector('iframe[id^="toolbox-panel-iframe-webext-devtools-panel-"]');
    const browser = iframe && iframe.contentDocument.querySelector('browser');
  `;

  /** Waits for the panel's <browser> to hold the extension's panel page. */
  async waitForPage(): Promise<void> {
    await this.firefox.inChrome(`async () => {
      const deadline = Date.now() + 20000;
      for (;;) {
        ${FirefoxPanel.findBrowser}
        if (browser && browser.currentURI && browser.currentURI.spec.endsWith('/panel/panel.html')) return 'ready';
        if (Date.now() > deadline) throw new Error('the panel page never loaded');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }`);
  }

  async evaluate<T>(expression: string): Promise<T> {
    const script = `
      (async () => {
        const window = content;
        const document = content.document;
        const MutationObserver = content.MutationObserver;
        const Event = content.Event;
        const setTimeout = content.setTimeout.bind(content);
        const clearTimeout = content.clearTimeout.bind(content);
        let message;
        try {
          message = { ok: true, value: await (${expression}) };
        } catch (error) {
          message = { ok: false, error: String(error && error.message || error) };
        }
        sendAsyncMessage('responses-devtools-test:result', { id: __RESULT_ID__, json: JSON.stringify(message) });
      })();`;
    // Frame scripts from data: URLs are read as Latin-1: keep the script ASCII.
    const asciiScript = script.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const json = await this.firefox.inChrome(`async () => {
      ${FirefoxPanel.findBrowser}
      if (!browser) throw new Error('no panel browser');
      const id = Math.random();
      const manager = browser.messageManager;
      return new Promise((resolve) => {
        const listener = (message) => {
          if (message.data.id !== id) return;
          manager.removeMessageListener('responses-devtools-test:result', listener);
          resolve(message.data.json);
        };
        manager.addMessageListener('responses-devtools-test:result', listener);
        manager.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(asciiScript)}.replace('__RESULT_ID__', String(id))), false);
      });
    }`);
    const message = JSON.parse(json) as { ok: boolean; value?: T; error?: string };
    if (!message.ok) throw new Error(message.error);
    return message.value as T;
  }
}
