import { memo } from 'preact/compat';
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PanelCapture } from '../model/panel-capture.ts';
import { nextView, type PanelStore } from '../model/panel-store.ts';
import { followDrag } from './pointer.ts';
import { formatUsd, type ProtocolName } from '../../extension/core/index.ts';
import { formatClock, formatCount, formatMs, shortUrl } from '../format.ts';
import {
  NAME_COLUMN,
  NARROW_LIST_WIDTH,
  columnById,
  columnWidth,
  groupByThread,
  isColumnOn,
  nextSort,
  resizeColumn,
  shortName,
  sortCaptures,
  visibleColumns,
  type ColumnDefinition,
} from '../model/list-layout.ts';
import { ColumnMenu } from './ColumnMenu.tsx';
import { CopyMenu } from './CopyMenu.tsx';

export function StatusBadge({ capture }: { capture: PanelCapture }) {
  const status = capture.status;
  const label = status === 'http-error' ? `HTTP ${capture.response?.status ?? ''}` : status;
  // What became of the capture, when it is not what the status says: a failed response the page stopped reading.
  const fate = capture.end?.state === 'cancelled' && status !== 'cancelled' ? 'cancelled' : undefined;
  return (
    <span class={`status status-${status}`} data-testid="status" data-status={status}>
      {capture.live ? <span class="live-dot" aria-label="streaming" /> : null}
      {label}
      {fate ? (
        <span class="fate" data-testid="capture-fate" title="The page stopped reading this response">
          · {fate}
        </span>
      ) : null}
    </span>
  );
}

const PROTOCOL_LABELS: Record<ProtocolName, string> = { responses: 'responses', 'chat.completions': 'chat', 'anthropic.messages': 'anthropic', 'ai-sdk.ui': 'ai-sdk' };

/** Which API a stream speaks, for the streams that are not the Responses API's. */
export function ProtocolBadge({ capture }: { capture: PanelCapture }) {
  const protocol = capture.protocol;
  if (protocol === 'responses') return null;
  return (
    <span class={`tag protocol-tag protocol-${protocol.replace('.', '-')}`} data-testid="protocol-badge" data-protocol={protocol} title={protocol}>
      {PROTOCOL_LABELS[protocol]}
    </span>
  );
}

/** A row's height as the style sheet sets it, until one is measured: a long list renders only the rows in view. */
const ROW_HEIGHT = 21;
/** Up to this many rows, all are rendered; past it, those in view and a margin around them. */
const WINDOW_ABOVE = 300;
const MARGIN_ROWS = 30;
/** Arrow keys on a column's edge move it by this many pixels. */
const RESIZE_STEP = 10;

function Cell({ column, capture, url }: { column: ColumnDefinition; capture: PanelCapture; url: string }) {
  switch (column.id) {
    case 'time':
      return <td class="mono">{capture.timesKnown ? formatClock(capture.start.startedAt) : '–'}</td>;
    case 'name':
      return (
        <td class="name" title={url}>
          <span class="method">{capture.start.method}</span> {shortName(url)}
          {capture.start.initiator === 'xhr' ? <span class="tag">xhr</span> : null}
          {capture.start.initiator === 'network' ? <span class="tag">network</span> : null}
          {capture.isServerCall ? (
            <span class="tag tag-server" data-testid="server-tag" title="A call of the app's server, through responses-devtools proxy">
              server
            </span>
          ) : null}
          {capture.isJsonBody ? (
            <span class="tag" data-testid="json-tag" title="Not streamed: the body was one JSON document">
              json
            </span>
          ) : null}
          {capture.start.initiator === 'websocket' ? (
            <span class="tag" data-testid="socket-tag" data-connection={capture.start.connectionId} title={`WebSocket ${capture.start.connectionId ?? ''}: one response of the connection`}>
              ws {capture.start.connectionId?.split('-ws-')[1] ?? ''}
            </span>
          ) : null}
          <ProtocolBadge capture={capture} />
        </td>
      );
    case 'url': {
      const { host, path } = shortUrl(url);
      return (
        <td class="url" title={url}>
          <span class="host">{host}</span>
          <span class="path">{path}</span>
        </td>
      );
    }
    case 'model':
      return <td>{capture.model ?? ''}</td>;
    case 'status':
      return (
        <td>
          <StatusBadge capture={capture} />
        </td>
      );
    case 'duration':
      return <td class="num">{formatMs(capture.durationMs)}</td>;
    case 'tokens': {
      const usage = capture.usage;
      return <td class="num">{usage ? `${formatCount(usage.input)} / ${formatCount(usage.output)}` : ''}</td>;
    }
    case 'thread': {
      const thread = capture.thread;
      if (!thread) return <td />;
      return (
        <td class="thread-cell" title={`Thread ${thread.id}, turn ${thread.turn}${thread.previousMissing ? ' (the turn before was not captured)' : ''}`}>
          <span class="mono">{shortThreadId(thread.id)}</span> · {thread.turn}
        </td>
      );
    }
    case 'cost': {
      const reading = capture.cost;
      if (!reading) return <td class="num" />;
      return (
        <td class="num" title={reading.cost ? `USD, prices from ${reading.cost.source}` : `No cost: ${reading.reason}`}>
          {reading.cost ? formatUsd(reading.cost.total) : '–'}
        </td>
      );
    }
  }
}

/** What a row is grouped by (see `groupByThread`). */
function groupOf(capture: PanelCapture | undefined): string | undefined {
  return capture?.start.connectionId ?? capture?.thread?.id;
}

/** A thread's id shortened to its end, which tells ids of one kind apart. */
function shortThreadId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

interface RowProps {
  store: PanelStore;
  capture: PanelCapture;
  /** The capture's revision when the row was rendered: a row renders again only when it or what follows changed. */
  revision: number;
  selected: boolean;
  columns: readonly ColumnDefinition[];
  rowIndex: number;
  /** The first row of a thread's group (grouped by thread). */
  threadStart: boolean;
  /** Marked to compare (Ctrl/Cmd-click). */
  marked: boolean;
  /** Its thread and turn as the store placed them (a placement changes when an earlier turn goes). */
  threadPlace: string;
  onMenu: (x: number, y: number, captureId: string) => void;
}

/**
 * One request's row. A new response, or each render while one streams, renders only the rows whose capture
 * changed: with hundreds of rows, rendering them all each time cost the panel more than the stream did.
 */
const Row = memo(
  function Row({ store, capture, selected, columns, rowIndex, threadStart, marked, threadPlace, onMenu }: RowProps) {
    const url = capture.shownUrl;
    return (
      <tr
        data-testid="capture-row"
        data-capture-id={capture.id}
        aria-rowindex={rowIndex}
        data-loaded={capture.loaded ? 'true' : 'false'}
        aria-selected={selected}
        class={`${selected ? 'selected' : ''}${marked ? ' marked' : ''} row-${capture.status}${threadStart ? ' thread-start' : ''}`}
        data-thread-id={threadPlace === '' ? undefined : capture.thread?.id}
        data-marked={marked ? 'true' : undefined}
        onClick={(event) => {
          if (event.ctrlKey || event.metaKey) {
            store.toggleMarked(capture.id);
            return;
          }
          store.marked = [];
          store.select(capture.id);
        }}
        onContextMenu={(event) => {
          event.preventDefault();
          store.select(capture.id);
          onMenu(event.clientX, event.clientY, capture.id);
        }}
      >
        {columns.map((column) => (
          <Cell key={column.id} column={column} capture={capture} url={url} />
        ))}
      </tr>
    );
  },
  (before, after) =>
    before.capture === after.capture &&
    before.revision === after.revision &&
    before.selected === after.selected &&
    before.columns === after.columns &&
    before.rowIndex === after.rowIndex &&
    before.threadStart === after.threadStart &&
    before.marked === after.marked &&
    before.threadPlace === after.threadPlace &&
    before.store === after.store &&
    before.onMenu === after.onMenu,
);

/** Dragging a column's right edge (or arrow keys on it) sets its width. */
function ColumnResizer({ store, column }: { store: PanelStore; column: ColumnDefinition }) {
  const onPointerDown = (event: PointerEvent) => {
    const startX = event.clientX;
    const startWidth = columnWidth(store.layout, column.id);
    followDrag(event, (move) => store.setLayout(resizeColumn(store.layout, column.id, startWidth + move.clientX - startX)));
  };
  return (
    <span
      class="column-resizer"
      data-testid={`resize-${column.id}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${column.title} column`}
      aria-valuenow={columnWidth(store.layout, column.id)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        const delta = event.key === 'ArrowLeft' ? -RESIZE_STEP : event.key === 'ArrowRight' ? RESIZE_STEP : 0;
        if (delta === 0) return;
        event.preventDefault();
        event.stopPropagation();
        store.setLayout(resizeColumn(store.layout, column.id, columnWidth(store.layout, column.id) + delta));
      }}
    />
  );
}

function HeaderCell({ store, column, resizable }: { store: PanelStore; column: ColumnDefinition; resizable: boolean }) {
  const sort = store.layout.sort;
  const direction = sort?.column === column.id ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th class={column.numeric ? 'num' : ''} aria-sort={direction} data-testid={`column-${column.id}`} scope="col">
      <button class="column-title" title={`Sort by ${column.title}`} onClick={() => store.setLayout(nextSort(store.layout, column.id))}>
        {column.title}
        {direction === 'none' ? null : <span class="sort-arrow" aria-hidden="true">{direction === 'ascending' ? ' ▲' : ' ▼'}</span>}
      </button>
      {resizable ? <ColumnResizer store={store} column={column} /> : null}
    </th>
  );
}

/** The same list of columns as the last render's while the columns are the same: rows compare it by identity. */
function useStableColumns(columns: ColumnDefinition[]): readonly ColumnDefinition[] {
  const kept = useRef<readonly ColumnDefinition[]>(columns);
  const same = kept.current.length === columns.length && kept.current.every((column, index) => column === columns[index]);
  if (!same) kept.current = columns;
  return kept.current;
}

export function CaptureList({ store }: { store: PanelStore }) {
  const grouped = store.layout.groupByThread === true;
  const threaded = grouped || isColumnOn(store.layout, columnById('thread'));
  // Threads are placed only when the list shows them: placing allocates a place per call.
  if (threaded) store.placeThreads();
  const sorted = sortCaptures(store.visibleCaptures(), store.layout.sort);
  const captures = grouped ? groupByThread(sorted) : sorted;
  const list = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800, width: 1000 });
  const [menu, setMenu] = useState<{ x: number; y: number } | undefined>(undefined);
  const [rowMenu, setRowMenu] = useState<{ x: number; y: number; captureId: string } | undefined>(undefined);
  const [rowHeight, setRowHeight] = useState(ROW_HEIGHT);
  const openRowMenu = useCallback((x: number, y: number, captureId: string) => setRowMenu({ x, y, captureId }), []);
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight, width: element.clientWidth });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const narrow = view.width < NARROW_LIST_WIDTH;
  const columns = useStableColumns(visibleColumns(store.layout, narrow));
  const windowed = captures.length > WINDOW_ABOVE;
  // The spacers stand for rows of the height rows really have (a zoom, a font): measured on one of them, when there are spacers.
  useLayoutEffect(() => {
    if (!windowed) return;
    const height = list.current?.querySelector('tr[data-testid=capture-row]')?.getBoundingClientRect().height;
    if (height && Math.abs(height - rowHeight) > 0.1) setRowHeight(height);
  });
  // The name takes what the others leave (it needs at least its own minimum).
  const fixedWidth = columns.reduce((sum, column) => sum + (column.id === NAME_COLUMN ? columnById(NAME_COLUMN).minWidth : columnWidth(store.layout, column.id)), 0);
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
    <div
      class={`capture-list${narrow ? ' narrow' : ''}`}
      data-testid="capture-list"
      data-narrow={narrow ? 'true' : 'false'}
      ref={list}
      onScroll={(event) => setView({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight, width: event.currentTarget.clientWidth })}
    >
      <table aria-rowcount={captures.length + 1} aria-colcount={columns.length} style={{ minWidth: `${fixedWidth}px` }}>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={column.id === NAME_COLUMN ? undefined : { width: `${columnWidth(store.layout, column.id)}px` }} />
          ))}
        </colgroup>
        <thead
          onContextMenu={(event) => {
            event.preventDefault();
            setMenu({ x: event.clientX, y: event.clientY });
          }}
        >
          <tr aria-rowindex={1}>
            {columns.map((column) => (
              <HeaderCell key={column.id} store={store} column={column} resizable={column.id !== NAME_COLUMN} />
            ))}
          </tr>
        </thead>
        <tbody
          tabIndex={0}
          aria-label="Captured responses"
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') move(1);
            else if (event.key === 'ArrowUp') move(-1);
            // ↑/↓ pick a response, ←/→ a view of it.
            else if (event.key === 'ArrowRight') store.setView(nextView(store.view, 1));
            else if (event.key === 'ArrowLeft') store.setView(nextView(store.view, -1));
            else return;
            event.preventDefault();
          }}
        >
          {first > 0 ? <tr class="row-spacer" aria-hidden="true" style={{ height: `${first * rowHeight}px` }} /> : null}
          {captures.slice(first, last).map((capture, offset) => (
            <Row
              key={capture.id}
              store={store}
              capture={capture}
              revision={capture.revision}
              selected={capture.id === store.selectedId}
              columns={columns}
              rowIndex={first + offset + 2}
              marked={store.marked.includes(capture.id)}
              threadPlace={threaded && capture.thread ? `${capture.thread.turn} ${capture.thread.id}` : ''}
              threadStart={grouped && offset + first > 0 && groupOf(captures[first + offset - 1]) !== groupOf(capture)}
              onMenu={openRowMenu}
            />
          ))}
          {last < captures.length ? <tr class="row-spacer" aria-hidden="true" style={{ height: `${(captures.length - last) * rowHeight}px` }} /> : null}
          {captures.length === 0 && store.order.length > 0 ? (
            <tr class="no-match" data-testid="no-match">
              <td colSpan={columns.length}>No responses match “{store.filterText.trim()}”.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {menu ? <ColumnMenu store={store} at={menu} narrow={narrow} onClose={() => setMenu(undefined)} /> : null}
      {rowMenu && store.captures.get(rowMenu.captureId) ? (
        <CopyMenu store={store} capture={store.captures.get(rowMenu.captureId) as PanelCapture} at={rowMenu} onClose={() => setRowMenu(undefined)} />
      ) : null}
      {store.droppedCount > 0 ? (
        <p class="note" data-testid="evicted-note">
          {store.droppedCount} older response{store.droppedCount === 1 ? ' was' : 's were'} dropped: this tab keeps at most {store.settings.maxCapturesPerTab.toLocaleString('en-US')} responses and{' '}
          {store.settings.maxMegabytesPerTab.toLocaleString('en-US')} MB (Settings).
        </p>
      ) : null}
    </div>
  );
}
