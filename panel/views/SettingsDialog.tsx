import { useRef } from 'preact/hooks';
import type { PanelStore } from '../model/panel-store.ts';
import type { BackgroundConnection } from '../connection.ts';

export function SettingsDialog({ store, connection, onClose }: { store: PanelStore; connection: BackgroundConnection; onClose: () => void }) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const save = () => {
    const urlPatterns = (textarea.current?.value ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    connection.send({ kind: 'panel.settings', settings: { ...store.settings, urlPatterns } });
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
      <div class="dialog-buttons">
        <button type="button" data-testid="settings-save" onClick={save}>
          Save
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
