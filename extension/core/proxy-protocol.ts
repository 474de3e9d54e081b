/**
 * `responses-devtools proxy` ⇄ the panel: the proxy records the calls an app's
 * server makes through it and serves them, as the capture messages a page hook
 * sends, on one Server-Sent Events endpoint. The panel subscribes (a GET) and
 * sends nothing else; the proxy answers only a browser extension's pages, on a
 * loopback address.
 */
import type { CaptureMessage } from './protocol.ts';

/** Where the proxy serves its captures: `http://<address>${PROXY_CAPTURES_PATH}`. */
export const PROXY_CAPTURES_PATH = '/__responses-devtools/captures';

/** The proxy's address when none is given. */
export const DEFAULT_PROXY_ADDRESS = '127.0.0.1:8788';

export type ProxyToPanel =
  /** First, on every subscription: who is speaking, and which protocol. */
  | { kind: 'proxy.hello'; protocolVersion: number; proxyId: string; upstream: string }
  /** A capture message; ids are the proxy's own (`<proxyId>-<n>`). */
  | { kind: 'proxy.capture'; message: CaptureMessage };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** A host name or address of this machine's loopback interface (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The captures URL of a proxy address as Settings hold it (`host:port`, or `http://host:port`); undefined, with
 * the reason, for one that is not on the loopback interface: the panel talks to nothing else.
 */
export function proxyCapturesUrl(address: string): { url: string } | { error: string } {
  const text = address.trim();
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return { error: `"${text}" is no host:port` };
  }
  if (parsed.protocol !== 'http:') return { error: `"${text}": the proxy speaks http on this machine` };
  if (!isLoopbackHost(parsed.hostname)) return { error: `"${text}" is not on this machine's loopback interface (127.0.0.1, localhost, [::1])` };
  if (parsed.port === '') return { error: `"${text}" names no port` };
  return { url: `http://${parsed.host}${PROXY_CAPTURES_PATH}` };
}

/**
 * Whether a request comes from a browser extension's page (the panel), the only reader of the proxy's captures,
 * by headers a web page cannot forge. An extension page with host permissions sends no `Origin`, and
 * `Sec-Fetch-Site: none` (Chrome) or `same-origin` (Firefox); an extension's `Origin` is taken too. A web page's
 * cross-origin request carries its own `Origin`; a same-origin one could come only from a page the proxy's own
 * origin served, and the Host check (loopback names only) turns away a DNS-rebound name. A request with neither
 * header (not a browser's) is refused.
 */
export function isPanelRequest(origin: string | undefined, fetchSite: string | string[] | undefined): boolean {
  if (origin !== undefined) return /^(chrome-extension|moz-extension):\/\/[\w-]+$/.test(origin);
  return fetchSite === 'none' || fetchSite === 'same-origin';
}
