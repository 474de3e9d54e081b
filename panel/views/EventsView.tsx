import { useMemo, useState } from 'preact/hooks';
import { redactText, type LoggedEvent } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import { formatMs, prettyJson, summarizeEventData } from '../format.ts';
import { VirtualList } from './VirtualList.tsx';

interface Row {
  event: LoggedEvent;
  responseIndex: number;
  eventIndex: number;
  warning: string | undefined;
}

export function EventsView({ capture }: { capture: PanelCapture }) {
  const [typeFilter, setTypeFilter] = useState('');
  const [textFilter, setTextFilter] = useState('');
  const [selected, setSelected] = useState<Row | undefined>(undefined);
  const records = capture.records;
  const revision = capture.revision;

  const allRows = useMemo(() => {
    const rows: Row[] = [];
    records.forEach((record, responseIndex) => {
      const warnings = new Map<number, string>();
      for (const warning of record.warnings) if (warning.eventIndex !== undefined && !warnings.has(warning.eventIndex)) warnings.set(warning.eventIndex, `${warning.code}: ${warning.message}`);
      record.events.forEach((event, eventIndex) => rows.push({ event, responseIndex, eventIndex, warning: warnings.get(eventIndex) }));
    });
    return rows;
  }, [records, revision]);

  const types = useMemo(() => [...new Set(allRows.map((row) => row.event.type))].sort(), [allRows]);
  const rows = useMemo(() => {
    const text = textFilter.trim().toLowerCase();
    return allRows.filter((row) => (typeFilter === '' || row.event.type === typeFilter) && (text === '' || row.event.data.toLowerCase().includes(text) || row.event.type.includes(text)));
  }, [allRows, typeFilter, textFilter]);

  const start = capture.start.startedAt;
  return (
    <div class="events-view" data-testid="events-view">
      <div class="events-toolbar">
        <select aria-label="Event type" data-testid="event-type-filter" value={typeFilter} onChange={(event) => setTypeFilter(event.currentTarget.value)}>
          <option value="">All types ({allRows.length})</option>
          {types.map((type) => (
            <option value={type}>{type}</option>
          ))}
        </select>
        <input type="search" placeholder="Filter event text" aria-label="Filter event text" data-testid="event-text-filter" value={textFilter} onInput={(event) => setTextFilter(event.currentTarget.value)} />
        <span class="sub">{rows.length} shown</span>
      </div>
      <div class="events-split">
        <VirtualList
          count={rows.length}
          rowHeight={20}
          stickToBottom={capture.live}
          testId="event-list"
          label="Events"
          renderRow={(index) => {
            const row = rows[index];
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
                <span class="event-time mono">{row.event.receivedAt === undefined ? '' : `+${formatMs(row.event.receivedAt - start)}`}</span>
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
