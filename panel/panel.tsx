import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from '../extension/browser-api.ts';
import { BackgroundConnection } from './connection.ts';
import { PanelStore } from './model/panel-store.ts';
import { CaptureList } from './views/CaptureList.tsx';
import { Detail } from './views/Detail.tsx';
import { Toolbar } from './views/Toolbar.tsx';
import { SettingsDialog } from './views/SettingsDialog.tsx';

const store = new PanelStore();
const connection = new BackgroundConnection(store, browser.devtools.inspectedWindow.tabId);

/** Renders at most every 16 ms however fast events arrive (a timer, not rAF: rAF stops in a hidden panel and in some headless windows). */
function useStoreRevision(): number {
  const [revision, setRevision] = useState(store.revision);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe(() => {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        setRevision(store.revision);
      }, 16);
    });
    // The store may have changed between the first render and this subscription (the snapshot arrives fast).
    if (store.revision !== revision) setRevision(store.revision);
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return revision;
}

function EmptyState() {
  return (
    <div class="empty-state" data-testid="empty-state">
      <h2>No Responses API calls yet</h2>
      <p>
        Keep this panel open and make your page call the OpenAI Responses API (<code>POST …/v1/responses</code>), streaming or not. Each call appears here
        as it streams: the assembled output, tool calls, token usage and timing.
      </p>
      <p class="sub">
        {store.settings.paused ? 'Recording is paused: press “Recording” in the toolbar to resume. ' : ''}
        Calls to other URLs (a proxy of your own)? Add their pattern in Settings.
      </p>
    </div>
  );
}

function App() {
  useStoreRevision();
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <div class="app" data-testid="panel-root" data-connection={store.connection}>
      <Toolbar store={store} connection={connection} onSettings={() => setSettingsOpen(true)} />
      {store.connection === 'version-mismatch' ? (
        <div class="problem">The extension was updated: close and reopen DevTools.</div>
      ) : null}
      {settingsOpen ? <SettingsDialog store={store} connection={connection} onClose={() => setSettingsOpen(false)} /> : null}
      {store.order.length === 0 ? (
        <EmptyState />
      ) : (
        <div class="main">
          <CaptureList store={store} />
          <Detail store={store} />
        </div>
      )}
    </div>
  );
}

function applyTheme(): void {
  const theme = browser.devtools.panels.themeName;
  document.documentElement.dataset.theme = theme === 'dark' ? 'dark' : 'light';
}

applyTheme();
connection.connect();
const root = document.getElementById('app');
if (root) render(<App />, root);
