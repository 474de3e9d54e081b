import type { PanelStore } from '../model/panel-store.ts';
import type { BackgroundConnection } from '../connection.ts';

export function Toolbar({ store, connection, onSettings }: { store: PanelStore; connection: BackgroundConnection; onSettings: () => void }) {
  const { settings } = store;
  const update = (change: Partial<typeof settings>) => connection.send({ kind: 'panel.settings', settings: { ...settings, ...change } });
  return (
    <div class="toolbar" role="toolbar" aria-label="Responses DevTools">
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
      <button type="button" data-testid="clear" title="Clear" onClick={() => connection.send({ kind: 'panel.clear', tabId: connection.tabId })}>
        Clear
      </button>
      <label class="toggle" title="Keep captures when the page navigates">
        <input type="checkbox" data-testid="preserve-log" checked={settings.preserveLog} onChange={(event) => update({ preserveLog: event.currentTarget.checked })} />
        Preserve log
      </label>
      <label class="toggle" title="Select each new response as it arrives">
        <input type="checkbox" data-testid="follow" checked={store.follow} onChange={(event) => store.setFollow(event.currentTarget.checked)} />
        Follow newest
      </label>
      <input
        type="search"
        class="filter"
        data-testid="filter"
        placeholder="Filter (URL, model, status)"
        aria-label="Filter responses"
        value={store.filterText}
        onInput={(event) => store.setFilter(event.currentTarget.value)}
      />
      <span class="spacer" />
      {store.connection === 'reconnecting' ? <span class="connection-note" data-testid="reconnecting">reconnecting to the background…</span> : null}
      <button type="button" data-testid="settings" title="URL patterns" onClick={onSettings}>
        Settings
      </button>
    </div>
  );
}
