import { useState } from 'preact/hooks';
import type { PanelStore } from '../model/panel-store.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import { saveFile, transcriptText, type ExportScope } from '../transcripts.ts';

export function ExportDialog({ store, onClose }: { store: PanelStore; onClose: () => void }) {
  const [scope, setScope] = useState<ExportScope>('all');
  const [keepSecrets, setKeepSecrets] = useState(false);
  const [saving, setSaving] = useState(false);
  const filtered = store.visibleCaptures();
  const all = store.order.map((id) => store.captures.get(id)).filter((capture) => capture !== undefined);
  const chosen = scope === 'selected' ? (store.selected ? [store.selected] : []) : scope === 'filtered' ? filtered : all;
  const save = async () => {
    setSaving(true);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // Responses whose bodies are in the extension's store come back one at a time, and go again after.
    const ids = chosen.map((capture) => capture.id);
    store.pin(ids);
    try {
      const loaded: PanelCapture[] = [];
      for (const id of ids) {
        const whole = await store.load(id);
        if (whole) loaded.push(whole);
      }
      saveFile(transcriptText(loaded, keepSecrets), `responses-${stamp}.har`);
      const missing = ids.length - loaded.length;
      if (missing > 0) store.notify(`${missing} response${missing === 1 ? '' : 's'} could not be read and ${missing === 1 ? 'was' : 'were'} left out of the export.`);
    } finally {
      store.unpin(ids);
    }
    onClose();
  };
  const option = (value: ExportScope, label: string, count: number) => (
    <label class="radio">
      <input type="radio" name="scope" value={value} data-testid={`export-scope-${value}`} checked={scope === value} onChange={() => setScope(value)} disabled={count === 0} />
      {label} ({count})
    </label>
  );
  return (
    <div class="dialog" role="dialog" aria-label="Export HAR" data-testid="export-dialog" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <h2>Export a HAR transcript</h2>
      {option('all', 'All responses', all.length)}
      {option('selected', 'The selected response', store.selected ? 1 : 0)}
      {option('filtered', 'The filtered responses', filtered.length)}
      <label class="radio secrets">
        <input type="checkbox" data-testid="export-keep-secrets" checked={keepSecrets} onChange={(event) => setKeepSecrets(event.currentTarget.checked)} />
        Include credentials (API keys, Authorization, cookies)
      </label>
      {keepSecrets ? <p class="problem">This file will hold your credentials: do not share it.</p> : <p class="sub">Credentials are redacted.</p>}
      <div class="dialog-buttons">
        <button type="button" data-testid="export-save" onClick={() => void save()} disabled={chosen.length === 0 || saving}>
          {saving ? 'Saving…' : 'Save HAR'}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
