/**
 * The panel's link to `responses-devtools proxy` (see `extension/core/proxy-protocol.ts`): one EventSource a
 * proxy address in Settings, on the loopback interface only, open while the panel is (DevTools). It only
 * subscribes: the captures it gets go to the store as the background's do.
 */
import { PROTOCOL_VERSION, proxyCapturesUrl, type ProxyToPanel } from '../extension/core/index.ts';
import type { PanelStore } from './model/panel-store.ts';

export type ProxyState = 'connecting' | 'connected' | 'unreachable' | 'refused';

export interface ProxyStatus {
  address: string;
  state: ProxyState;
  /** Why it is refused (not loopback, another protocol version). */
  reason?: string;
  upstream?: string;
}

export class ProxyLinks {
  private readonly sources = new Map<string, EventSource>();
  private addresses: string[] = [];
  /**
   * The last event had from each run of a proxy: a subscription that starts over (an address removed and added
   * again, two addresses of one proxy) is sent what this panel has already, which is dropped.
   */
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly store: PanelStore) {}

  /** Follows the addresses in Settings: links to new ones, closes those gone. */
  follow(addresses: readonly string[]): void {
    const wanted = [...new Set(addresses.map((address) => address.trim()).filter((address) => address !== ''))];
    if (wanted.join('\n') === this.addresses.join('\n')) return;
    this.addresses = wanted;
    for (const [address, source] of this.sources) {
      if (wanted.includes(address)) continue;
      source.close();
      this.sources.delete(address);
    }
    this.store.setProxies(wanted.map((address) => this.store.proxies.find((status) => status.address === address) ?? { address, state: 'connecting' }));
    for (const address of wanted) if (!this.sources.has(address)) this.open(address);
  }

  close(): void {
    for (const source of this.sources.values()) source.close();
    this.sources.clear();
  }

  private open(address: string): void {
    const target = proxyCapturesUrl(address);
    if ('error' in target) {
      this.store.setProxyStatus({ address, state: 'refused', reason: target.error });
      return;
    }
    // EventSource reconnects by itself, telling the proxy the last event it had (Last-Event-ID): nothing is repeated.
    const source = new EventSource(target.url);
    this.sources.set(address, source);
    source.onerror = () => {
      if (this.sources.get(address) !== source) return;
      this.store.setProxyStatus({ address, state: 'unreachable' });
    };
    source.onmessage = (event: MessageEvent<string>) => {
      if (this.sources.get(address) !== source) return;
      let message: ProxyToPanel;
      try {
        message = JSON.parse(event.data) as ProxyToPanel;
      } catch {
        return;
      }
      if (message.kind === 'proxy.hello') {
        if (message.protocolVersion !== PROTOCOL_VERSION) {
          source.close();
          this.sources.delete(address);
          this.store.setProxyStatus({ address, state: 'refused', reason: `it speaks protocol ${message.protocolVersion}, this panel ${PROTOCOL_VERSION}: update the one that is older` });
          return;
        }
        this.store.setProxyStatus({ address, state: 'connected', upstream: message.upstream });
        return;
      }
      if (message.kind !== 'proxy.capture') return;
      const [run, seq] = event.lastEventId.split(':');
      const number = Number(seq);
      if (run !== undefined && Number.isFinite(number)) {
        if (number <= (this.lastSeen.get(run) ?? 0)) return;
        this.lastSeen.set(run, number);
      }
      this.store.applyServerCapture(message.message);
    };
  }
}
