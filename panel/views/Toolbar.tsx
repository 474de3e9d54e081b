import type { PanelStore } from '../model/panel-store.ts';
import type { BackgroundConnection } from '../connection.ts';

interface ToolbarProps {
  store: PanelStore;
  /** Absent in the standalone viewer, which shows files only. */
  connection: BackgroundConnection | undefined;
  onSettings: () => void;
  onExport: () => void;
  onImport: () => void;
}

export function Toolbar({ store, connection, onSettings, onExport, onImport }: ToolbarProps) {
  const { settings } = store;
  const update = (change: Partial<typeof settings>) => {
    if (!connection) return;
    const next = { ...store.settings, ...change };
    store.setSettings(next);
    connection.send({ kind: 'panel.settings', settings: next });
  };
  const clear = () => (connection ? connection.send({ kind: 'panel.clear', tabId: connection.tabId }) : store.applyMessage({ kind: 'store.cleared', tabId: -1, reason: 'user' }));
  return (
    <div class="toolbar" role="toolbar" aria-label="Responses DevTools">
      {connection ? (
        <button
          type="button"
          class={settings.paused ? 'record paused' : 'record'}
          data-testid="record-toggle"
          aria-pressed={!settings.paused}
          title={settings.paused ? 'Resume recording' : 'Pause recording'}
          onClick={() => update({ paused: !settings.paused })}
        >
          {settings.paused ? '● Paused' : '● Recording'}
        </button>
      ) : null}
      {connection ? (
        <button type="button" data-testid="clear" title="Clear" onClick={clear}>
          Clear
        </button>
      ) : null}
      {connection ? (
        <label class="toggle" title="Keep captures when the page navigates">
          <input type="checkbox" data-testid="preserve-log" checked={settings.preserveLog} onChange={(event) => update({ preserveLog: event.currentTarget.checked })} />
          Preserve log
        </label>
      ) : null}
      {connection ? (
        <label class="toggle" title="Select each new response as it arrives">
          <input type="checkbox" data-testid="follow" checked={store.follow} onChange={(event) => store.setFollow(event.currentTarget.checked)} />
          Follow newest
        </label>
      ) : null}
      <input
        type="search"
        class="filter"
        data-testid="filter"
        placeholder="Filter: URL, model, status, id, input, output — Ctrl+F"
        aria-label="Filter responses"
        value={store.filterText}
        onInput={(event) => store.setFilter(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape' || store.filterText === '') return;
          event.preventDefault();
          store.setFilter('');
        }}
      />
      {!connection && store.files.length > 0 ? (
        <span class="files" data-testid="file-names" title={store.files.join('\n')}>
          {store.files.join(', ')}{' '}
          <button type="button" class="link" data-testid="close-files" onClick={clear}>
            close
          </button>
        </span>
      ) : null}
      <span class="spacer" />
      {store.connection === 'reconnecting' ? <span class="connection-note" data-testid="reconnecting">reconnecting to the background…</span> : null}
      {connection ? <ProxyIndicator store={store} /> : null}
      {store.marked.length === 2 ? (
        <button
          type="button"
          class="compare-button"
          data-testid="compare-button"
          title="Compare the two marked calls (Ctrl/Cmd-click marks a call)"
          onClick={() => store.compare(store.marked[0] as string, store.marked[1] as string)}
        >
          Compare 2
        </button>
      ) : null}
      <button type="button" data-testid="import" title="Open a HAR file or a recording (or drop one here)" onClick={onImport}>
        Import…
      </button>
      <button type="button" data-testid="export" title="Save a HAR transcript" onClick={onExport} disabled={store.order.length === 0}>
        Export HAR…
      </button>
      {connection ? (
        <button type="button" data-testid="settings" title="URL patterns" onClick={onSettings}>
          Settings
        </button>
      ) : null}
    </div>
  );
}

const START_PROXY = 'Run `npx responses-devtools proxy` and start your server with OPENAI_BASE_URL=http://127.0.0.1:8788/v1: its calls then show here, tagged "server". Addresses in Settings.';

/** Whether the panel hears from a `responses-devtools proxy`: the server's calls come only while it does. */
function ProxyIndicator({ store }: { store: PanelStore }) {
  if (store.proxies.length === 0) return null;
  const connected = store.proxies.filter((proxy) => proxy.state === 'connected');
  const refused = store.proxies.filter((proxy) => proxy.state === 'refused');
  const state = connected.length > 0 ? 'connected' : refused.length > 0 ? 'refused' : 'unreachable';
  const title =
    state === 'connected'
      ? connected.map((proxy) => `Showing the calls that go through the proxy at ${proxy.address} to ${proxy.upstream ?? 'its upstream'}.`).join('\n')
      : state === 'refused'
        ? refused.map((proxy) => `Proxy ${proxy.address}: ${proxy.reason ?? 'refused'}`).join('\n')
        : `No proxy answers at ${store.proxies.map((proxy) => proxy.address).join(', ')}. ${START_PROXY}`;
  return (
    <span class={`proxy-status proxy-${state}`} data-testid="proxy-status" data-state={state} role="status" title={title}>
      {state === 'connected' ? `● proxy ${connected.map((proxy) => proxy.address).join(', ')}` : state === 'refused' ? 'proxy refused' : 'no proxy'}
    </span>
  );
}
