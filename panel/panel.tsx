import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from '../extension/browser-api.ts';
import { BackgroundConnection } from './connection.ts';
import { PanelStore } from './model/panel-store.ts';
import { CaptureList } from './views/CaptureList.tsx';
import { Detail } from './views/Detail.tsx';
import { CompareView } from './views/CompareView.tsx';
import { SplitView } from './views/SplitView.tsx';
import { Toolbar } from './views/Toolbar.tsx';
import { SettingsDialog } from './views/SettingsDialog.tsx';
import { ExportDialog } from './views/ExportDialog.tsx';
import { importFile } from './transcripts.ts';
import { ProxyLinks } from './proxy-links.ts';

/** In DevTools the panel shows its tab's captures; opened as a page (viewer.html) it shows files only. */
const inspectedTabId = (browser as { devtools?: { inspectedWindow?: { tabId: number } } }).devtools?.inspectedWindow?.tabId;
const store = new PanelStore();
store.useLayoutStorage(globalThis.localStorage);
const connection = inspectedTabId === undefined ? undefined : new BackgroundConnection(store, inspectedTabId);
if (!connection) store.setConnection('connected');
// Bodies of finished captures stay in the background's store until a view needs one.
if (connection) store.loader = (captureId) => connection.send({ kind: 'panel.load', tabId: connection.tabId, captureId });
// The server's calls, from the proxies Settings name: heard once the settings are known, and as they change.
if (connection) {
  const proxies = new ProxyLinks(store);
  store.subscribe(() => {
    if (store.connection === 'connected') proxies.follow(store.settings.proxyAddresses ?? []);
  });
  addEventListener('pagehide', () => proxies.close());
}

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

async function importFiles(files: FileList | null): Promise<void> {
  if (!files || files.length === 0) return;
  // Taken now: the input's list empties when the input is reset, while the files are still being read.
  const chosen = Array.from(files);
  const captures = [];
  const messages: string[] = [];
  for (const file of chosen) {
    const result = importFile(file.name, await file.text());
    captures.push(...result.captures);
    messages.push(...result.messages);
  }
  store.addLocal(
    captures,
    messages,
    chosen.map((file) => file.name),
  );
}

function EmptyState() {
  if (!connection) {
    return (
      <div class="empty-state" data-testid="empty-state">
        <h2>Responses transcript viewer</h2>
        <p>Open a HAR transcript (ours, or one saved by Chrome's or Firefox's Network panel, or by Playwright), a raw <code>.sse</code> recording or a Response JSON body: press Import…, or drop the file here.</p>
        <div class="drop-zone" data-testid="drop-zone">Drop HAR, .sse or .json files here</div>
      </div>
    );
  }
  return (
    <div class="empty-state" data-testid="empty-state">
      <h2>No Responses API calls yet</h2>
      <p>
        Keep this panel open and make your page call the OpenAI Responses API (<code>POST …/v1/responses</code>), streaming or not. Each call appears here
        as it streams: the assembled output, tool calls, token usage and timing.
      </p>
      <p class="sub">
        {store.settings.paused ? 'Recording is paused: press “Recording” in the toolbar to resume. ' : ''}
        Calls to other URLs (a proxy of your own)? Add their pattern in Settings. Your server's calls? Run <code>npx responses-devtools proxy</code> and set{' '}
        <code>OPENAI_BASE_URL=http://127.0.0.1:8788/v1</code> for it. A saved transcript? Import it, or drop it here.
      </p>
    </div>
  );
}

/** The store's notice (what was copied), for a few seconds. */
function Notice() {
  const notice = store.notice;
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => store.clearNotice(notice.id), 3000);
    return () => clearTimeout(timer);
  }, [notice?.id]);
  return (
    <div class="notice" role="status" data-testid="notice">
      {notice?.text ?? ''}
    </div>
  );
}

/** Ctrl+F (⌘F on a Mac) goes to the filter, as in DevTools' own panels. */
function useFindShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'f' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const filter = document.querySelector<HTMLInputElement>('[data-testid=filter]');
      if (!filter) return;
      event.preventDefault();
      filter.focus();
      filter.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}

function App() {
  useStoreRevision();
  useFindShortcut();
  const [dialog, setDialog] = useState<'settings' | 'export' | undefined>(undefined);
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <div
      class="app"
      data-testid="panel-root"
      data-connection={store.connection}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        void importFiles(event.dataTransfer?.files ?? null);
      }}
    >
      <Toolbar store={store} connection={connection} onSettings={() => setDialog('settings')} onExport={() => setDialog('export')} onImport={() => fileInput.current?.click()} />
      <input
        ref={fileInput}
        type="file"
        hidden
        multiple
        accept=".har,.json,.sse,.txt,application/json,text/event-stream"
        data-testid="import-input"
        onChange={(event) => {
          void importFiles(event.currentTarget.files);
          event.currentTarget.value = '';
        }}
      />
      <Notice />
      {store.connection === 'version-mismatch' ? <div class="problem">The extension was updated: close and reopen DevTools.</div> : null}
      {store.importMessages.length > 0 ? (
        <div class="problems" data-testid="import-messages" role="status">
          {store.importMessages.map((message) => (
            <div class="problem">{message}</div>
          ))}
        </div>
      ) : null}
      {dialog === 'settings' && connection ? <SettingsDialog store={store} connection={connection} onClose={() => setDialog(undefined)} /> : null}
      {dialog === 'export' ? <ExportDialog store={store} onClose={() => setDialog(undefined)} /> : null}
      {store.order.length === 0 ? (
        <EmptyState />
      ) : (
        <SplitView store={store} list={<CaptureList store={store} />} detail={store.comparing ? <CompareView store={store} /> : <Detail store={store} />} />
      )}
    </div>
  );
}

interface ThemeApi {
  themeName?: string;
  /** Firefox. */
  onThemeChanged?: { addListener(listener: (theme: string) => void): void };
  /** Chrome. */
  setThemeChangeHandler?: (handler: (theme: string) => void) => void;
}

const themeApi = (browser as { devtools?: { panels?: ThemeApi } }).devtools?.panels;

/** DevTools' theme, and its changes while the panel is open; the system's in the standalone viewer. */
function applyTheme(theme = themeApi?.themeName): void {
  document.documentElement.dataset.theme = theme === 'dark' || (!theme && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light';
}

applyTheme();
try {
  if (themeApi?.onThemeChanged) themeApi.onThemeChanged.addListener((theme) => applyTheme(theme));
  else themeApi?.setThemeChangeHandler?.((theme) => applyTheme(theme));
} catch {
  // A browser without theme change events: the theme is read once, when the panel opens.
}
if (!themeApi) matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme());
connection?.connect();
const root = document.getElementById('app');
if (root) render(<App />, root);
