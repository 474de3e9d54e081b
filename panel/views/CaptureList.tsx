import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { redactUrl } from '../../extension/core/index.ts';
import { formatClock, formatCount, formatMs, shortUrl } from '../format.ts';

export function StatusBadge({ capture }: { capture: PanelCapture }) {
  const status = capture.status;
  const label = status === 'http-error' ? `HTTP ${capture.response?.status ?? ''}` : status;
  return (
    <span class={`status status-${status}`} data-testid="status">
      {capture.live ? <span class="live-dot" aria-label="streaming" /> : null}
      {label}
    </span>
  );
}

export function CaptureList({ store }: { store: PanelStore }) {
  const captures = store.visibleCaptures();
  const move = (delta: number) => {
    const index = captures.findIndex((capture) => capture.id === store.selectedId);
    const next = captures[Math.min(captures.length - 1, Math.max(0, index + delta))];
    if (next) store.select(next.id);
  };
  return (
    <div class="capture-list" data-testid="capture-list">
      <table>
        <thead>
          <tr>
            <th>Time</th>
            <th>Request</th>
            <th>Model</th>
            <th>Status</th>
            <th class="num">Duration</th>
            <th class="num">Tokens in/out</th>
          </tr>
        </thead>
        <tbody
          tabIndex={0}
          aria-label="Captured responses"
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') move(1);
            else if (event.key === 'ArrowUp') move(-1);
            else return;
            event.preventDefault();
          }}
        >
          {captures.map((capture) => {
            const url = redactUrl(capture.start.url);
            const { host, path } = shortUrl(url);
            const usage = capture.usage;
            return (
              <tr
                key={capture.id}
                data-testid="capture-row"
                data-capture-id={capture.id}
                data-loaded={capture.loaded ? 'true' : 'false'}
                aria-selected={capture.id === store.selectedId}
                class={capture.id === store.selectedId ? 'selected' : ''}
                onClick={() => store.select(capture.id)}
              >
                <td class="mono">{formatClock(capture.start.startedAt)}</td>
                <td class="url" title={url}>
                  <span class="method">{capture.start.method}</span> <span class="host">{host}</span>
                  <span class="path">{path}</span>
                  {capture.start.initiator === 'xhr' ? <span class="tag">xhr</span> : null}
                  {capture.start.initiator === 'network' ? <span class="tag">network</span> : null}
                </td>
                <td>{capture.model ?? ''}</td>
                <td>
                  <StatusBadge capture={capture} />
                </td>
                <td class="num">{formatMs(capture.durationMs)}</td>
                <td class="num">{usage ? `${formatCount(usage.input)} / ${formatCount(usage.output)}` : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {store.evicted > 0 ? (
        <p class="note" data-testid="evicted-note">
          {store.evicted} older response{store.evicted === 1 ? ' was' : 's were'} dropped: this tab keeps at most {store.settings.maxCapturesPerTab.toLocaleString('en-US')} responses and{' '}
          {store.settings.maxMegabytesPerTab.toLocaleString('en-US')} MB (Settings).
        </p>
      ) : null}
    </div>
  );
}
