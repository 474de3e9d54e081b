import { browser, type Runtime } from '../extension/browser-api.ts';
import { PROTOCOL_VERSION, type BackgroundToPanel, type PanelToBackground } from '../extension/core/index.ts';
import type { PanelStore } from './model/panel-store.ts';

/**
 * The panel's port to the background. The background may be a service worker
 * that Chrome stops and restarts: when the port drops, the panel connects
 * again and takes a fresh snapshot of the store.
 */
export class BackgroundConnection {
  private port: Runtime.Port | undefined;

  constructor(
    private readonly store: PanelStore,
    readonly tabId: number,
  ) {}

  connect(): void {
    // One port at a time: a second subscription would deliver every message twice.
    if (this.port) return;
    const port = browser.runtime.connect({ name: 'panel' });
    this.port = port;
    port.onMessage.addListener((message: unknown) => {
      if (port === this.port) this.store.applyMessage(message as BackgroundToPanel);
    });
    port.onDisconnect.addListener(() => {
      if (port !== this.port) return;
      this.port = undefined;
      this.store.setConnection('reconnecting');
      // The service worker restarts on the next connection; give it a moment to go first.
      setTimeout(() => this.connect(), 100);
    });
    port.postMessage({ kind: 'panel.subscribe', tabId: this.tabId, protocolVersion: PROTOCOL_VERSION } satisfies PanelToBackground);
  }

  send(message: PanelToBackground): void {
    try {
      if (!this.port) this.connect();
      this.port?.postMessage(message);
    } catch {
      // Reconnecting: the next snapshot will tell the truth.
    }
  }
}
