import { useRef, useState } from 'preact/hooks';
import { DEFAULT_PROXY_ADDRESS, formatPriceOverrides, parsePriceOverrides, proxyCapturesUrl } from '../../extension/core/index.ts';
import { PRICE_TABLE_SOURCE } from '../../extension/prices/price-table.ts';
import type { PanelStore } from '../model/panel-store.ts';
import type { BackgroundConnection } from '../connection.ts';

export function SettingsDialog({ store, connection, onClose }: { store: PanelStore; connection: BackgroundConnection; onClose: () => void }) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const maxCaptures = useRef<HTMLInputElement>(null);
  const maxMegabytes = useRef<HTMLInputElement>(null);
  const prices = useRef<HTMLTextAreaElement>(null);
  const proxies = useRef<HTMLTextAreaElement>(null);
  const [priceErrors, setPriceErrors] = useState<string[]>([]);
  const [proxyErrors, setProxyErrors] = useState<string[]>([]);
  const save = () => {
    const { overrides: priceOverrides, errors } = parsePriceOverrides(prices.current?.value ?? '');
    setPriceErrors(errors);
    const proxyAddresses = (proxies.current?.value ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const badProxies = proxyAddresses.flatMap((address) => {
      const target = proxyCapturesUrl(address);
      return 'error' in target ? [target.error] : [];
    });
    setProxyErrors(badProxies);
    if (errors.length > 0 || badProxies.length > 0) return;
    const urlPatterns = (textarea.current?.value ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const number = (input: HTMLInputElement | null, fallback: number) => {
      const value = Number(input?.value);
      return Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
    };
    const settings = {
      ...store.settings,
      urlPatterns,
      maxCapturesPerTab: number(maxCaptures.current, store.settings.maxCapturesPerTab),
      maxMegabytesPerTab: number(maxMegabytes.current, store.settings.maxMegabytesPerTab),
      priceOverrides,
      proxyAddresses,
    };
    store.setSettings(settings);
    connection.send({ kind: 'panel.settings', settings });
    onClose();
  };
  return (
    <div class="dialog" role="dialog" aria-label="Settings" data-testid="settings-dialog" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <h2>Settings</h2>
      <label for="url-patterns">Also capture these URLs, one pattern a line (<code>*</code> matches anything):</label>
      <textarea
        id="url-patterns"
        data-testid="url-patterns"
        rows={5}
        placeholder="https://my-proxy.example.com/ai/*"
        ref={textarea}
        defaultValue={store.settings.urlPatterns.join('\n')}
      />
      <p class="sub">
        Built in: POST to any path ending in <code>/responses</code>, <code>GET …/responses/&#123;id&#125;?stream=true</code>, and any event stream whose first
        event is a Responses event. Saved patterns apply at once.
      </p>
      <fieldset class="limits">
        <legend>Keep per tab at most</legend>
        <label>
          <input type="number" min={1} step={1} data-testid="max-captures" ref={maxCaptures} defaultValue={String(store.settings.maxCapturesPerTab)} /> responses
        </label>
        <label>
          <input type="number" min={1} step={1} data-testid="max-megabytes" ref={maxMegabytes} defaultValue={String(store.settings.maxMegabytesPerTab)} /> MB of bodies
        </label>
        <p class="sub">Kept on disk by the extension, in this browser only. Past either bound, the oldest finished responses go first; the list says how many.</p>
      </fieldset>
      <fieldset class="prices">
        <legend>Model prices</legend>
        <label for="price-overrides">
          Your prices, one model a line: <code>MODEL INPUT [CACHED] OUTPUT</code>, in US dollars per million tokens (a dated model, such as{' '}
          <code>gpt-4o-2024-08-06</code>, takes its model's):
        </label>
        <textarea
          id="price-overrides"
          data-testid="price-overrides"
          rows={3}
          placeholder="gpt-4.1 2 0.5 8"
          ref={prices}
          defaultValue={formatPriceOverrides(store.settings.priceOverrides ?? [])}
          aria-invalid={priceErrors.length > 0}
        />
        {priceErrors.map((error) => (
          <p class="problem" data-testid="price-error" role="alert">
            {error}
          </p>
        ))}
        <p class="sub">Other models: prices from {PRICE_TABLE_SOURCE}, bundled with the extension. Each cost names where its prices come from.</p>
      </fieldset>
      <fieldset class="proxies">
        <legend>Your server's calls</legend>
        <label for="proxy-addresses">
          Show the calls that go through <code>responses-devtools proxy</code> at these addresses, one a line (on this machine only):
        </label>
        <textarea
          id="proxy-addresses"
          data-testid="proxy-addresses"
          rows={2}
          placeholder={DEFAULT_PROXY_ADDRESS}
          ref={proxies}
          defaultValue={(store.settings.proxyAddresses ?? []).join('\n')}
          aria-invalid={proxyErrors.length > 0}
        />
        {proxyErrors.map((error) => (
          <p class="problem" data-testid="proxy-error" role="alert">
            {error}
          </p>
        ))}
        <p class="sub">
          Start it with <code>npx responses-devtools proxy</code> and your server with <code>OPENAI_BASE_URL=http://{DEFAULT_PROXY_ADDRESS}/v1</code>. The panel only
          listens to it, while DevTools is open; nothing goes anywhere else.
        </p>
      </fieldset>
      <div class="dialog-buttons">
        <button
          type="button"
          data-testid="settings-save"
          onClick={save}
          disabled={store.connection !== 'connected'}
          title={store.connection === 'connected' ? undefined : 'Waiting for the extension’s settings'}
        >
          Save
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
