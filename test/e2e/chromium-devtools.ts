/**
 * Real Chromium (Debian's) with the built extension loaded and the real
 * DevTools open, driven by Playwright for the page and by a raw CDP
 * connection for the DevTools window and our panel inside it (Playwright does
 * not expose DevTools' own targets).
 */
import { chromium, type BrowserContext, type Page } from 'playwright';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { PANEL_TITLE } from '../../panel/panel-title.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve('dist', 'chrome');

type CdpEvent = { method: string; params: Record<string, unknown>; sessionId?: string };

/** A minimal CDP client that can address flattened child sessions. */
export class CdpConnection {
  private nextId = 1;
  private pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  private listeners = new Set<(event: CdpEvent) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } } & Partial<CdpEvent>;
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result ?? {});
      } else if (message.method) {
        for (const listener of this.listeners) listener(message as CdpEvent);
      }
    });
  }

  static async open(url: string): Promise<CdpConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolvePromise, reject) => {
      socket.once('open', () => resolvePromise());
      socket.once('error', reject);
    });
    return new CdpConnection(socket);
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const message: Record<string, unknown> = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise as (value: Record<string, unknown>) => void, reject });
      this.socket.send(JSON.stringify(message));
    });
  }

  /** Resolves with the first event that matches (events already past are not seen). */
  waitForEvent(predicate: (event: CdpEvent) => boolean): Promise<CdpEvent> {
    return new Promise((resolvePromise) => {
      const listener = (event: CdpEvent) => {
        if (!predicate(event)) return;
        this.listeners.delete(listener);
        resolvePromise(event);
      };
      this.listeners.add(listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  attached: boolean;
}

/** Evaluates in a page/iframe session and returns the value; errors in the page become test errors. */
export async function evaluate<T>(cdp: CdpConnection, sessionId: string, expression: string): Promise<T> {
  const result = await cdp.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
    'Runtime.evaluate',
    { expression, awaitPromise: true, returnByValue: true },
    sessionId,
  );
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
  return result.result.value as T;
}

export class ChromiumWithDevtools {
  private constructor(
    readonly context: BrowserContext,
    readonly cdp: CdpConnection,
    readonly extensionId: string,
    private readonly profileDir: string,
  ) {}

  /** `ownSignals`: the caller handles Ctrl+C itself (closing the browser, removing its profile), not Playwright. */
  static async launch(options: { headless?: boolean; executablePath?: string; ownSignals?: boolean } = {}): Promise<ChromiumWithDevtools> {
    if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`build the extension first: ${EXTENSION_DIR} is missing`);
    const profileDir = mkdtempSync(join(tmpdir(), 'responses-devtools-chromium-'));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: options.executablePath ?? CHROMIUM_PATH,
      headless: options.headless ?? true,
      ...(options.ownSignals ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}),
      viewport: options.headless === false ? null : { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--auto-open-devtools-for-tabs',
        '--remote-debugging-port=0',
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
      ],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    const portFile = join(profileDir, 'DevToolsActivePort');
    const [port, path] = readFileSync(portFile, 'utf8').trim().split('\n');
    const cdp = await CdpConnection.open(`ws://127.0.0.1:${port}${path}`);
    return new ChromiumWithDevtools(context, cdp, extensionId, profileDir);
  }

  async close(): Promise<void> {
    this.cdp.close();
    await this.context.close();
    rmSync(this.profileDir, { recursive: true, force: true });
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
  }

  /** Waits until a target matching `predicate` exists (targets appear asynchronously). */
  async waitForTarget(predicate: (target: TargetInfo) => boolean): Promise<TargetInfo> {
    await this.cdp.send('Target.setDiscoverTargets', { discover: true });
    // A frame's target is often created blank and gets its URL later (targetInfoChanged).
    const created = this.cdp.waitForEvent(
      (event) => (event.method === 'Target.targetCreated' || event.method === 'Target.targetInfoChanged') && predicate(event.params.targetInfo as TargetInfo),
    );
    const existing = (await this.targets()).find(predicate);
    if (existing) return existing;
    return (await created).params.targetInfo as TargetInfo;
  }

  async attach(targetId: string): Promise<string> {
    const { sessionId } = await this.cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    await this.cdp.send('Runtime.enable', {}, sessionId);
    return sessionId;
  }

  /** The page the tests drive: Playwright's first tab (DevTools opened with it). */
  firstPage(): Page {
    const page = this.context.pages()[0];
    if (!page) throw new Error('no page');
    return page;
  }

  /**
   * Opens our panel in the DevTools window inspecting `pageUrl` and returns a
   * handle on the panel's document. `excludeDevtools` skips DevTools windows
   * already used (each tab has its own).
   */
  async openPanel(excludeDevtools: readonly string[] = []): Promise<DevtoolsPanel> {
    const devtools = await this.waitForTarget((target) => (target.type === 'page' || target.type === 'other') && target.url.startsWith('devtools://devtools/bundled/') && !excludeDevtools.includes(target.targetId));
    const devtoolsSession = await this.attach(devtools.targetId);
    const panelId = `chrome-extension://${this.extensionId}${PANEL_TITLE}`;
    const panelUrl = `chrome-extension://${this.extensionId}/panel/panel.html`;
    // DevTools' own module path: an internal of the DevTools frontend, kept in this one place.
    const show = () =>
      evaluate(
        this.cdp,
        devtoolsSession,
        `(async () => {
          const UI = await import('./ui/legacy/legacy.js');
          // Wait for DevTools to build its inspector view, then for the extension to register its panel.
          const deadline = Date.now() + 20000;
          let view = UI.InspectorView.InspectorView.maybeGetInspectorViewInstance();
          while (!view || !view.hasPanel(${JSON.stringify(panelId)})) {
            if (Date.now() > deadline) throw new Error('the extension panel never registered');
            await new Promise((resolve) => setTimeout(resolve, 0));
            view = UI.InspectorView.InspectorView.maybeGetInspectorViewInstance();
          }
          await view.showPanel(${JSON.stringify(panelId)});
          return view.currentPanelDeprecated()?.name;
        })()`,
      );
    const known = (await this.targets()).filter((target) => target.url === panelUrl).map((target) => target.targetId);
    const isNewPanel = (target: TargetInfo) => target.type === 'iframe' && target.url === panelUrl && !known.includes(target.targetId);
    const appeared = this.waitForTarget(isNewPanel);
    // A panel shown while DevTools is still starting may not load its page: show it again until it does.
    let panelTarget: TargetInfo | undefined;
    for (let attempt = 0; attempt < 20 && !panelTarget; attempt++) {
      await show();
      panelTarget = await Promise.race([appeared, new Promise<undefined>((resolvePromise) => setTimeout(() => resolvePromise(undefined), 500))]);
    }
    if (!panelTarget) throw new Error('the panel page never loaded');
    const panelSession = await this.attach(panelTarget.targetId);
    const panel = new DevtoolsPanel(this.cdp, panelSession, devtoolsSession, devtools.targetId, panelId);
    await panel.waitFor('document.querySelector("[data-testid=panel-root]") !== null');
    return panel;
  }
}

/** Reading and driving the panel's document, whatever browser it lives in. */
export abstract class PanelDocument {
  abstract evaluate<T>(expression: string): Promise<T>;

  /**
   * Resolves when `condition` (a JS expression in the panel) is true, checking
   * on every DOM change; rejects with the panel's text after `timeoutMs`.
   */
  async waitFor(condition: string, timeoutMs = 15000): Promise<void> {
    await this.evaluate(`new Promise((resolve, reject) => {
      const check = () => { try { return Boolean(${condition}); } catch { return false; } };
      if (check()) return resolve(true);
      const observer = new MutationObserver(() => { if (check()) { observer.disconnect(); clearTimeout(timer); resolve(true); } });
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('timed out waiting for: ' + ${JSON.stringify(condition)} + '\\npanel text:\\n' + document.body.innerText.slice(0, 3000)));
      }, ${timeoutMs});
    })`);
  }

  text(): Promise<string> {
    return this.evaluate<string>('document.body.innerText');
  }

  async waitForText(text: string, timeoutMs?: number): Promise<void> {
    await this.waitFor(`document.body.innerText.includes(${JSON.stringify(text)})`, timeoutMs);
  }

  /**
   * From now on, notes what each copy puts on the clipboard (the selected text of the element it copies from, in
   * the page's DOM, where every browser's test reach it); `copies()` reads the notes.
   */
  recordCopies(): Promise<void> {
    return this.evaluate(`(() => {
      // One listener per document, however often asked; the notes start again.
      const listening = document.body.dataset.copied !== undefined;
      document.body.dataset.copied = '[]';
      if (listening) return;
      document.addEventListener('copy', () => {
        const element = document.activeElement;
        const text = element && 'value' in element ? element.value.slice(element.selectionStart, element.selectionEnd) : String(document.getSelection());
        document.body.dataset.copied = JSON.stringify([...JSON.parse(document.body.dataset.copied), text]);
      });
    })()`);
  }

  async copies(): Promise<string[]> {
    return JSON.parse(await this.evaluate<string>('document.body.dataset.copied')) as string[];
  }

  click(selector: string): Promise<void> {
    return this.evaluate(`(() => { const element = document.querySelector(${JSON.stringify(selector)}); if (!element) throw new Error('no ' + ${JSON.stringify(selector)}); element.click(); })()`);
  }
}

/** Our panel's document inside the real Chrome DevTools. */
export class DevtoolsPanel extends PanelDocument {
  constructor(
    readonly cdp: CdpConnection,
    readonly sessionId: string,
    readonly devtoolsSessionId: string,
    readonly devtoolsTargetId: string,
    /** DevTools' id of our panel (for showing it again). */
    readonly panelId: string,
  ) {
    super();
  }

  evaluate<T>(expression: string): Promise<T> {
    return evaluate<T>(this.cdp, this.sessionId, expression);
  }

  /**
   * The HAR that Chrome's Network panel saves ("Export HAR (with sensitive data)"), written by
   * DevTools' own HAR writer over the requests it logged. A DevTools internal, kept in this one place.
   */
  exportNetworkHar(): Promise<string> {
    return evaluate<string>(
      this.cdp,
      this.devtoolsSessionId,
      `(async () => {
        const Logs = await import('./models/logs/logs.js');
        const HAR = await import('./models/har/har.js');
        const requests = Logs.NetworkLog.NetworkLog.instance().requests();
        let text = '';
        const stream = { write: async (chunk) => { text += chunk; }, close: async () => {} };
        const progress = { setTitle() {}, setTotalWork() {}, setWorked() {}, incrementWorked() {}, done() {}, isCanceled() { return false; } };
        await HAR.Writer.Writer.write(stream, requests, { sanitize: false }, progress);
        return text;
      })()`,
    );
  }

  /** Reloads the panel's document (as reopening DevTools would) and waits until the new one has rendered. */
  async reload(timeoutMs = 15000): Promise<void> {
    await this.evaluate('window.beforeReload = true; setTimeout(() => location.reload(), 0)');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        // Each evaluation waits for the next DOM change; one in the document going away fails, and is asked again.
        await this.waitFor('window.beforeReload === undefined && document.querySelector("[data-testid=panel-root]") !== null', Math.max(1, deadline - Date.now()));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  private dockSideBefore: string | undefined;

  /**
   * Lays DevTools out at `width` × `height` (the panel gets that, less DevTools' tab bar), as a side or bottom dock
   * would give it; no size: DevTools as it was. DevTools is undocked for it: docked, its window also holds the page.
   */
  async resizeDevtools(size?: { width: number; height: number }): Promise<void> {
    const dock = (side?: string) =>
      evaluate<string>(
        this.cdp,
        this.devtoolsSessionId,
        `(async () => {
          const UI = await import('./ui/legacy/legacy.js');
          const controller = UI.DockController.DockController.instance();
          const before = controller.dockSide();
          ${side ? `controller.setDockSide(${JSON.stringify(side)});` : ''}
          return before;
        })()`,
      );
    if (size) {
      const before = await dock('undocked');
      this.dockSideBefore ??= before;
      await this.cdp.send('Emulation.setDeviceMetricsOverride', { ...size, deviceScaleFactor: 1, mobile: false }, this.devtoolsSessionId);
    } else {
      await this.cdp.send('Emulation.clearDeviceMetricsOverride', {}, this.devtoolsSessionId);
      if (this.dockSideBefore) await dock(this.dockSideBefore);
      this.dockSideBefore = undefined;
      // Docked again, DevTools may show another panel for a while (ours then lays nothing out): ours, shown and laid out.
      await evaluate(this.cdp, this.devtoolsSessionId, `(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(this.panelId)});
      })()`);
      const deadline = Date.now() + 15_000;
      while (!(await this.evaluate<boolean>('document.visibilityState === "visible" && innerWidth > 0 && innerHeight > 0'))) {
        if (Date.now() > deadline) throw new Error('the panel was not shown again after DevTools docked back');
      }
    }
  }

  /** Sets DevTools' own theme (its Settings → Preferences → Theme): `default` is the light one. */
  setDevtoolsTheme(name: 'default' | 'dark'): Promise<void> {
    return evaluate(
      this.cdp,
      this.devtoolsSessionId,
      `(async () => {
        const Common = await import('./core/common/common.js');
        Common.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(name)});
      })()`,
    );
  }

  /** Drags the element `selector` (a resize handle) `dx` pixels to the right, as a pointer would, in two moves. */
  dragBy(selector: string, dx: number): Promise<void> {
    return this.evaluate(`(() => {
      const handle = document.querySelector(${JSON.stringify(selector)});
      const x = handle.getBoundingClientRect().left + 2;
      const pointer = (type, clientX) => handle.dispatchEvent(new PointerEvent(type, { bubbles: true, button: 0, pointerId: 1, clientX, clientY: 5 }));
      pointer('pointerdown', x);
      pointer('pointermove', x + ${dx} / 2);
      pointer('pointermove', x + ${dx});
      pointer('pointerup', x + ${dx});
    })()`);
  }

  /** A real screenshot of the whole DevTools window. */
  async screenshot(): Promise<Buffer> {
    // Let both the panel and DevTools paint what they now hold before capturing.
    const twoFrames = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';
    await this.evaluate(twoFrames);
    await evaluate(this.cdp, this.devtoolsSessionId, twoFrames);
    const { data } = await this.cdp.send<{ data: string }>('Page.captureScreenshot', { format: 'png' }, this.devtoolsSessionId);
    return Buffer.from(data, 'base64');
  }
}
