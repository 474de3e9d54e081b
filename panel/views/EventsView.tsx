import { useMemo, useState } from 'preact/hooks';
import { redactText, type JsonValue, type LoggedEvent, type ResponseRecord } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { copyAndSay } from '../clipboard.ts';
import { JsonTree } from './JsonTree.tsx';
import { followDrag } from './pointer.ts';
import { formatMs, prettyJson, summarizeEventData } from '../format.ts';
import { VirtualList } from './VirtualList.tsx';

interface Row {
  event: LoggedEvent;
  warning: string | undefined;
  /** Its place in the whole stream (whatever the filter shows). */
  index: number;
}

/** Where each response's events start in the one list: rows are looked up, not copied, while nothing is filtered. */
function rowAt(records: readonly ResponseRecord[], index: number, warnings: ReadonlyArray<Map<number, string>>): Row | undefined {
  let offset = index;
  for (const [responseIndex, record] of records.entries()) {
    if (offset < record.events.length) {
      const event = record.events[offset] as LoggedEvent;
      return { event, warning: warnings[responseIndex]?.get(offset), index };
    }
    offset -= record.events.length;
  }
  return undefined;
}

const TYPE_WIDTH_KEY = 'responses-devtools.events-type-width';
const TYPE_WIDTH = { default: 300, min: 120, max: 800 };

function storedTypeWidth(): number {
  try {
    const stored = Number(globalThis.localStorage?.getItem(TYPE_WIDTH_KEY));
    return Number.isFinite(stored) && stored >= TYPE_WIDTH.min && stored <= TYPE_WIDTH.max ? stored : TYPE_WIDTH.default;
  } catch {
    return TYPE_WIDTH.default;
  }
}

/** JSON text as a tree that folds, or as the text it is when it is not JSON. */
function JsonOrText({ text, testId }: { text: string; testId: string }) {
  let value: JsonValue | undefined;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    value = undefined;
  }
  return value === undefined ? <pre class="code">{text}</pre> : <JsonTree value={value} testId={testId} />;
}

/** The selected event: its JSON as a tree (credentials masked, as everywhere), with a copy of the text. */
function EventDetail({ row, store }: { row: Row; store: PanelStore }) {
  const text = redactText(prettyJson(row.event.data).text);
  return (
    <div class="event-detail" data-testid="event-detail">
      <div class="event-detail-toolbar">
        <span class="sub">#{row.index} {row.event.type}</span>
        <button type="button" class="link" data-testid="copy-event" onClick={() => void copyAndSay(text, 'event JSON', (message) => store.notify(message))}>
          copy
        </button>
      </div>
      {row.warning ? <div class="problem">{row.warning}</div> : null}
      <JsonOrText text={text} testId="event-json" />
    </div>
  );
}

/** The time since the previous event of the stream, or "–" when either time is unknown. */
function gapText(at: number | undefined, previous: number | undefined): string {
  if (at === undefined || previous === undefined) return '–';
  return formatMs(Math.max(0, at - previous));
}

/** A call that was not streamed has no events: its body was one JSON document, shown whole. */
export function NotStreamedView({ capture }: { capture: PanelCapture }) {
  return (
    <div class="events-view not-streamed" data-testid="events-not-streamed">
      <p class="sub">Not streamed: the server sent the response as one JSON document, so there are no events. The body:</p>
      <JsonOrText text={redactText(capture.bodyText())} testId="not-streamed-body" />
    </div>
  );
}

export function EventsView({ capture, store }: { capture: PanelCapture; store: PanelStore }) {
  const [typeWidth, setTypeWidth] = useState(storedTypeWidth);
  const [typeFilter, setTypeFilter] = useState('');
  const [textFilter, setTextFilter] = useState('');
  const [selected, setSelected] = useState<Row | undefined>(undefined);
  const records = capture.records;
  const revision = capture.revision;
  const total = records.reduce((sum, record) => sum + record.events.length, 0);
  // The event the Assembly view's timeline stands at: the last applied, in the last response.
  const lastEvents = records[records.length - 1]?.events.length ?? 0;
  const replayIndex = store.replay?.captureId === capture.id && store.replay.count > 0 ? total - lastEvents + store.replay.count - 1 : undefined;

  const warnings = useMemo(
    () =>
      records.map((record) => {
        const byEvent = new Map<number, string>();
        for (const warning of record.warnings) if (warning.eventIndex !== undefined && !byEvent.has(warning.eventIndex)) byEvent.set(warning.eventIndex, `${warning.code}: ${warning.message}`);
        return byEvent;
      }),
    [records, revision],
  );
  const types = useMemo(() => [...new Set(records.flatMap((record) => [...record.eventTypes]))].sort(), [records, revision]);
  const text = textFilter.trim().toLowerCase();
  const filtering = typeFilter !== '' || text !== '';
  // Only a filter needs a pass over every event; without one, rows come straight from the log.
  const filtered = useMemo(() => {
    if (!filtering) return undefined;
    const rows: Row[] = [];
    for (let index = 0; index < total; index++) {
      const row = rowAt(records, index, warnings);
      if (row && (typeFilter === '' || row.event.type === typeFilter) && (text === '' || row.event.data.toLowerCase().includes(text) || row.event.type.includes(text))) rows.push(row);
    }
    return rows;
  }, [records, revision, typeFilter, text]);
  const count = filtered ? filtered.length : total;

  const start = capture.start.startedAt;
  const resizeType = (width: number) => {
    const next = Math.round(Math.min(TYPE_WIDTH.max, Math.max(TYPE_WIDTH.min, width)));
    setTypeWidth(next);
    try {
      globalThis.localStorage?.setItem(TYPE_WIDTH_KEY, String(next));
    } catch {
      // kept for this session only
    }
  };
  const onResizerDown = (event: PointerEvent) => {
    const startX = event.clientX;
    const startWidth = typeWidth;
    followDrag(event, (move) => resizeType(startWidth + move.clientX - startX));
  };
  const timeOf = (row: Row | undefined) => (row?.event.receivedAt === undefined || !capture.timesKnown ? undefined : row.event.receivedAt);
  return (
    <div class="events-view" data-testid="events-view" style={{ '--event-type-width': `${typeWidth}px` }}>
      <div class="events-toolbar">
        <select aria-label="Event type" data-testid="event-type-filter" value={typeFilter} onChange={(event) => setTypeFilter(event.currentTarget.value)}>
          <option value="">All types ({total})</option>
          {types.map((type) => (
            <option value={type}>{type}</option>
          ))}
        </select>
        <input type="search" placeholder="Filter event text" aria-label="Filter event text" data-testid="event-text-filter" value={textFilter} onInput={(event) => setTextFilter(event.currentTarget.value)} />
        <span class="sub">{count} shown</span>
      </div>
      <div class="events-split">
        <div class="events-list">
        <div class="event-header" role="row" aria-hidden="false">
          <span class="event-time" role="columnheader">time</span>
          <span class="event-gap" role="columnheader" title="Since the previous event">gap</span>
          <span class="event-seq" role="columnheader">seq</span>
          <span class="event-type" role="columnheader">
            type
            <span
              class="column-resizer"
              role="separator"
              aria-orientation="vertical"
              aria-label="Resize the type column"
              aria-valuenow={typeWidth}
              tabIndex={0}
              data-testid="resize-event-type"
              onPointerDown={onResizerDown}
              onKeyDown={(event) => {
                const delta = event.key === 'ArrowLeft' ? -10 : event.key === 'ArrowRight' ? 10 : 0;
                if (delta === 0) return;
                event.preventDefault();
                resizeType(typeWidth + delta);
              }}
            />
          </span>
          <span class="event-summary" role="columnheader">summary</span>
        </div>
        <VirtualList
          count={count}
          revealIndex={filtered ? undefined : replayIndex}
          rowHeight={20}
          stickToBottom={capture.live}
          testId="event-list"
          label="Events"
          renderRow={(index) => {
            const row = filtered ? filtered[index] : rowAt(records, index, warnings);
            if (!row) return null;
            const isSelected = selected?.event === row.event;
            const isReplayed = row.index === replayIndex;
            return (
              <button
                type="button"
                class={`event-row${isSelected ? ' selected' : ''}${isReplayed ? ' replayed' : ''}${row.warning ? ' has-warning' : ''}`}
                data-testid="event-row"
                data-index={row.index}
                aria-current={isReplayed ? 'step' : undefined}
                title={row.warning}
                onClick={() => setSelected(row)}
              >
                <span class="event-time mono">{timeOf(row) === undefined ? '–' : `+${formatMs((timeOf(row) as number) - start)}`}</span>
                <span class="event-gap mono" data-testid="event-gap">{gapText(timeOf(row), row.index === 0 ? undefined : timeOf(rowAt(records, row.index - 1, warnings)))}</span>
                <span class="event-seq mono">{row.event.sequence_number ?? ''}</span>
                <span class="event-type">{row.warning ? '⚠ ' : ''}{row.event.type}</span>
                <span class="event-summary">{redactText(summarizeEventData(row.event.type, row.event.data))}</span>
              </button>
            );
          }}
        />
        </div>
        {selected ? <EventDetail row={selected} store={store} /> : null}
      </div>
    </div>
  );
}
