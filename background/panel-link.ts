import type { Runtime } from '../extension/browser-api.ts';
import type { BackgroundToPanel } from '../extension/core/index.ts';

/**
 * Where the background's messages to one panel go. Chrome's runtime ports carry JSON: every chunk of a body was
 * written out as a JSON string (each quote of its events escaped) and parsed again by the panel, which cost the
 * service worker and the panel more than anything else they did while a stream arrived with the panel open. A
 * panel in Chrome names a `BroadcastChannel` when it subscribes (only the extension's own pages and worker can
 * open one of its origin): its messages then go there, structured-cloned, in order, and the port stays for what
 * the panel asks and to know when it goes. Firefox's ports clone already.
 */
export class PanelLink {
  private channel: BroadcastChannel | undefined;

  constructor(readonly port: Runtime.Port) {}

  /** From now on, messages go over the channel of that name, or over the port when there is none. */
  useChannel(name: string | undefined): void {
    this.channel?.close();
    this.channel = name === undefined || typeof BroadcastChannel !== 'function' ? undefined : new BroadcastChannel(name);
  }

  post(message: BackgroundToPanel): void {
    if (this.channel) this.channel.postMessage(message);
    else this.port.postMessage(message);
  }

  close(): void {
    this.channel?.close();
    this.channel = undefined;
  }
}
