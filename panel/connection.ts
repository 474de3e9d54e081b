import { browser, type Runtime } from '../extension/browser-api.ts';
import { PROTOCOL_VERSION, type BackgroundToPanel, type PanelToBackground } from '../extension/core/index.ts';
import type { PanelStore } from './model/panel-store.ts';
import { TARGET_BROWSER } from '../extension/target-browser.ts';

/**
 * Chrome's ports carry JSON: there the background's messages come over a `BroadcastChannel` the panel names when
 * it subscribes, cloned rather than written out and parsed again (see `background/panel-link.ts`).
 */
const MESSAGES_OVER_CHANNEL = TARGET_BROWSER === 'chrome' && typeof BroadcastChannel === 'function';

/**
 * With no word on the channel this long after subscribing, the channel does not reach the background (a storage
 * partition apart from the worker's): the port carries everything, for this connection and every later one.
 */
const CHANNEL_SILENCE_MS = 10_000;
let channelFailed = false;

/**
 * The panel's port to the background. The background may be a service worker
 * that Chrome stops and restarts: when the port drops, the panel connects
 * again and takes a fresh snapshot of the store.
 */
export class BackgroundConnection {
  private port: Runtime.Port | undefined;
  private channel: BroadcastChannel | undefined;
  /** Messages not applied yet, in order: after a part of a loaded body the rest waits for the next task. */
  private readonly pending: Array<{ port: Runtime.Port; message: BackgroundToPanel }> = [];
  private draining = false;

  constructor(
    private readonly store: PanelStore,
    readonly tabId: number,
  ) {}

  connect(): void {
    // One port at a time: a second subscription would deliver every message twice.
    if (this.port) return;
    const port = browser.runtime.connect({ name: 'panel' });
    this.port = port;
    const receive = (message: unknown) => {
      if (port !== this.port) return;
      this.pending.push({ port, message: message as BackgroundToPanel });
      if (!this.draining) this.drain();
    };
    port.onMessage.addListener(receive);
    port.onDisconnect.addListener(() => {
      if (port !== this.port) return;
      this.port = undefined;
      this.closeChannel();
      this.store.setConnection('reconnecting');
      // The service worker restarts on the next connection; give it a moment to go first.
      setTimeout(() => this.connect(), 100);
    });
    this.closeChannel();
    const subscribe: PanelToBackground = { kind: 'panel.subscribe', tabId: this.tabId, protocolVersion: PROTOCOL_VERSION };
    if (MESSAGES_OVER_CHANNEL && !channelFailed) {
      const name = `responses-devtools-panel-${crypto.randomUUID()}`;
      const channel = new BroadcastChannel(name);
      this.channel = channel;
      let heard = false;
      channel.onmessage = (event: MessageEvent) => {
        heard = true;
        receive(event.data);
      };
      subscribe.channel = name;
      setTimeout(() => {
        if (heard || channel !== this.channel || port !== this.port) return;
        channelFailed = true;
        this.closeChannel();
        port.postMessage({ kind: 'panel.subscribe', tabId: this.tabId, protocolVersion: PROTOCOL_VERSION } satisfies PanelToBackground);
      }, CHANNEL_SILENCE_MS);
    }
    port.postMessage(subscribe);
  }

  private closeChannel(): void {
    this.channel?.close();
    this.channel = undefined;
  }

  private drain(): void {
    this.draining = true;
    for (let next = this.pending.shift(); next; next = this.pending.shift()) {
      // A message of a port that closed meanwhile: the next snapshot tells the truth.
      if (next.port !== this.port) continue;
      this.store.applyMessage(next.message);
      // A big body comes in parts, each a task's worth of reading: the panel paints (the preview first) in between.
      const part = next.message.kind === 'store.load-part' || (next.message.kind === 'store.loaded' && next.message.parts !== undefined);
      if (part && this.pending.length > 0) {
        setTimeout(() => this.drain(), 0);
        return;
      }
    }
    this.draining = false;
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
