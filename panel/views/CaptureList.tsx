import { useLayoutEffect, useRef, useState } from 'preact/hooks';
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

/** A row's height as the style sheet sets it, until one is measured: a long list renders only the rows in view. */
const ROW_HEIGHT = 21;
/** Up to this many rows, all are rendered; past it, those in view and a margin around them. */
const WINDOW_ABOVE = 300;
const MARGIN_ROWS = 30;

export function CaptureList({ store }: { store: PanelStore }) {
  const captures = store.visibleCaptures();
  const list = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const [rowHeight, setRowHeight] = useState(ROW_HEIGHT);
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setView({ top: element.scrollTop, height: element.clientHeight }));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // The spacers stand for rows of the height rows really have (a zoom, a font): measured on one of them.
  useLayoutEffect(() => {
    const height = list.current?.querySelector('tr[data-testid=capture-row]')?.getBoundingClientRect().height;
    if (height && Math.abs(height - rowHeight) > 0.1) setRowHeight(height);
  });
  const windowed = captures.length > WINDOW_ABOVE;
  const first = windowed ? Math.max(0, Math.floor(view.top / rowHeight) - MARGIN_ROWS) : 0;
  const last = windowed ? Math.min(captures.length, Math.ceil((view.top + view.height) / rowHeight) + MARGIN_ROWS) : captures.length;
  const move = (delta: number) => {
    const index = captures.findIndex((capture) => capture.id === store.selectedId);
    const next = captures[Math.min(captures.length - 1, Math.max(0, index + delta))];
    if (!next) return;
    store.select(next.id);
    // A neighbour is always rendered (the margin): keep it in view.
    list.current?.querySelector(`tr[data-capture-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  return (
    <div class="capture-list" data-testid="capture-list" ref={list} onScroll={(event) => setView({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight })}>
      <table aria-rowcount={captures.length + 1}>
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
          {first > 0 ? <tr class="row-spacer" aria-hidden="true" style={{ height: `${first * rowHeight}px` }} /> : null}
          {captures.slice(first, last).map((capture, offset) => {
            const url = redactUrl(capture.start.url);
            const { host, path } = shortUrl(url);
            const usage = capture.usage;
            return (
              <tr
                key={capture.id}
                data-testid="capture-row"
                data-capture-id={capture.id}
                aria-rowindex={first + offset + 2}
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
          {last < captures.length ? <tr class="row-spacer" aria-hidden="true" style={{ height: `${(captures.length - last) * rowHeight}px` }} /> : null}
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
