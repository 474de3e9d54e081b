import { useMemo, useState } from 'preact/hooks';
import { redactText, type LoggedEvent, type ResponseRecord } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import { formatMs, prettyJson, summarizeEventData } from '../format.ts';
import { VirtualList } from './VirtualList.tsx';

interface Row {
  event: LoggedEvent;
  warning: string | undefined;
}

/** Where each response's events start in the one list: rows are looked up, not copied, while nothing is filtered. */
function rowAt(records: readonly ResponseRecord[], index: number, warnings: ReadonlyArray<Map<number, string>>): Row | undefined {
  let offset = index;
  for (const [responseIndex, record] of records.entries()) {
    if (offset < record.events.length) {
      const event = record.events[offset] as LoggedEvent;
      return { event, warning: warnings[responseIndex]?.get(offset) };
    }
    offset -= record.events.length;
  }
  return undefined;
}

export function EventsView({ capture }: { capture: PanelCapture }) {
  const [typeFilter, setTypeFilter] = useState('');
  const [textFilter, setTextFilter] = useState('');
  const [selected, setSelected] = useState<Row | undefined>(undefined);
  const records = capture.records;
  const revision = capture.revision;
  const total = records.reduce((sum, record) => sum + record.events.length, 0);

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
  return (
    <div class="events-view" data-testid="events-view">
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
        <VirtualList
          count={count}
          rowHeight={20}
          stickToBottom={capture.live}
          testId="event-list"
          label="Events"
          renderRow={(index) => {
            const row = filtered ? filtered[index] : rowAt(records, index, warnings);
            if (!row) return null;
            const isSelected = selected?.event === row.event;
            return (
              <button
                type="button"
                class={`event-row${isSelected ? ' selected' : ''}${row.warning ? ' has-warning' : ''}`}
                data-testid="event-row"
                title={row.warning}
                onClick={() => setSelected(row)}
              >
                <span class="event-time mono">{row.event.receivedAt === undefined || !capture.timesKnown ? '–' : `+${formatMs(row.event.receivedAt - start)}`}</span>
                <span class="event-seq mono">{row.event.sequence_number ?? ''}</span>
                <span class="event-type">{row.warning ? '⚠ ' : ''}{row.event.type}</span>
                <span class="event-summary">{redactText(summarizeEventData(row.event.type, row.event.data))}</span>
              </button>
            );
          }}
        />
        {selected ? (
          <div class="event-detail" data-testid="event-detail">
            {selected.warning ? <div class="problem">{selected.warning}</div> : null}
            <pre class="code">{redactText(prettyJson(selected.event.data).text)}</pre>
          </div>
        ) : null}
      </div>
    </div>
  );
}
