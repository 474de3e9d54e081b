import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { formatUsd, stringifyJson, type JsonValue, type ResponseTiming, type UsageSummary } from '../../extension/core/index.ts';
import { compareRequests, compareResponses, requestValue, type CallComparison, type RequestDifference } from '../../extension/compare/compare-calls.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { formatCount, formatMs } from '../format.ts';
import { RecordView } from './AssemblyView.tsx';
import { requestBodyOf } from './RequestView.tsx';

/** A value shown whole in a folding block past this many characters. */
const SHORT_VALUE = 120;

function Value({ value }: { value: JsonValue | undefined }) {
  if (value === undefined) return <span class="sub">—</span>;
  const text = typeof value === 'string' ? JSON.stringify(value) : stringifyJson(value);
  if (text.length <= SHORT_VALUE) return <code class="diff-value">{text}</code>;
  return (
    <details class="diff-value">
      <summary>
        <code>{text.slice(0, SHORT_VALUE)}…</code>
      </summary>
      <pre class="code">{typeof value === 'string' ? value : stringifyJson(value, 2)}</pre>
    </details>
  );
}

const CHANGE_MARK: Record<RequestDifference['change'], string> = { added: '+', removed: '−', changed: '~' };

function RequestDifferences({ differences }: { differences: readonly RequestDifference[] }) {
  if (differences.length === 0) return <p class="sub" data-testid="compare-request-same">The two requests are the same.</p>;
  return (
    <table class="compare-table" data-testid="compare-request">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">Path</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
        </tr>
      </thead>
      <tbody>
        {differences.map((difference) => (
          <tr class={`diff-${difference.change}`} data-testid="compare-difference" data-path={difference.path} data-change={difference.change}>
            <td class="diff-mark" aria-label={difference.change}>
              {CHANGE_MARK[difference.change]}
            </td>
            <td class="mono">{difference.path === '' ? '(request body)' : difference.path}</td>
            <td>
              <Value value={difference.a} />
            </td>
            <td>
              <Value value={difference.b} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function signed(value: number | null, show: (value: number) => string): string {
  if (value === null) return '–';
  return value > 0 ? `+${show(value)}` : value < 0 ? `−${show(-value)}` : '±0';
}

type FigureRow = [label: string, a: string, b: string, delta: string];

function FigureTable({ rows }: { rows: FigureRow[] }) {
  return (
    <table class="compare-table compare-figures" data-testid="compare-figures">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col" class="num">A</th>
          <th scope="col" class="num">B</th>
          <th scope="col" class="num">B − A</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, a, b, delta]) => (
          <tr data-testid="compare-figure" data-figure={label}>
            <th>{label}</th>
            <td class="num">{a}</td>
            <td class="num">{b}</td>
            <td class="num" data-testid="compare-delta">
              {delta}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const USAGE_ROWS: Array<[string, keyof UsageSummary]> = [
  ['Input tokens', 'input'],
  ['cached', 'cached'],
  ['Output tokens', 'output'],
  ['reasoning', 'reasoning'],
  ['Total tokens', 'total'],
];

const TIMING_ROWS: Array<[string, Exclude<keyof ResponseTiming, 'startedAt'>]> = [
  ['Time to first byte', 'firstByteMs'],
  ['Time to first token', 'firstTokenMs'],
  ['Duration', 'durationMs'],
];

function figureRows(comparison: CallComparison): FigureRow[] {
  const { usage, cost, timing } = comparison;
  const rows: FigureRow[] = USAGE_ROWS.map(([label, key]) => [
    label,
    formatCount(usage.a?.[key]),
    formatCount(usage.b?.[key]),
    signed(usage.delta?.[key] ?? null, (value) => String(value)),
  ]);
  rows.push(['Cost', cost.a ? formatUsd(cost.a.total) : '–', cost.b ? formatUsd(cost.b.total) : '–', signed(cost.delta, formatUsd)]);
  for (const [label, key] of TIMING_ROWS) rows.push([label, formatMs(timing.a[key]), formatMs(timing.b[key]), signed(timing.delta[key], (value) => formatMs(value))]);
  return rows;
}

function Side({ store, capture, name }: { store: PanelStore; capture: PanelCapture; name: string }) {
  const id = capture.responseIds[capture.responseIds.length - 1];
  return (
    <div class="compare-side" data-testid={`compare-side-${name.toLowerCase()}`}>
      <h3>
        {name}{' '}
        <button type="button" class="link" title="Show this call" onClick={() => store.select(capture.id)}>
          {capture.model ?? '–'}
        </button>{' '}
        <span class="sub mono">{id ?? ''}</span>
      </h3>
      {capture.loaded ? capture.records.map((record) => <RecordView record={record} markdown={store.markdown} />) : <p class="sub">{capture.loadError ?? 'Loading…'}</p>}
    </div>
  );
}

/** Two calls side by side: what changed in the request, both outputs, and the usage, cost and timing deltas. */
export function CompareView({ store }: { store: PanelStore }) {
  const shown = store.comparing;
  const a = shown ? store.captures.get(shown.a) : undefined;
  const b = shown ? store.captures.get(shown.b) : undefined;
  const ready = a?.loaded === true && b?.loaded === true;
  // Bodies let go before this view pinned them are asked for again.
  useEffect(() => store.loadCompared());
  const section = useRef<HTMLElement>(null);
  useEffect(() => section.current?.focus(), [shown?.a, shown?.b]);
  // Escape closes it wherever the focus is (the button that opened it may have gone, leaving it on the body); from
  // the moment it shows, hence a layout effect.
  useLayoutEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      store.closeCompare();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
  // The request's diff aligns whole input lists: worked out once per pair of bodies (masked, as every view shows them).
  const bodyA = a && ready ? requestBodyOf(a).text : undefined;
  const bodyB = b && ready ? requestBodyOf(b).text : undefined;
  const request = useMemo(() => (ready ? compareRequests(requestValue(bodyA), requestValue(bodyB)) : undefined), [ready, bodyA, bodyB]);
  const comparison: CallComparison | undefined = a && b && request ? { request, ...compareResponses(a, b, store.prices) } : undefined;
  if (!shown || !a || !b) return null;
  return (
    <section
      ref={section}
      tabIndex={-1}
      class="detail compare-view"
      data-testid="compare-view"
      aria-label="Compare two calls"
    >
      <div class="compare-toolbar">
        <strong>Compare</strong>
        <button type="button" data-testid="compare-swap" title="Swap A and B" onClick={() => store.compare(shown.b, shown.a)}>
          Swap
        </button>
        <span class="spacer" />
        <button type="button" data-testid="compare-close" aria-label="Close the comparison" onClick={() => store.closeCompare()}>
          ✕
        </button>
      </div>
      <div class="view compare-body">
        {!comparison ? (
          <p class="sub" data-testid="compare-loading">
            {a.loadError ?? b.loadError ?? 'Loading both calls…'}
          </p>
        ) : (
          <>
            <h3>Request</h3>
            <RequestDifferences differences={comparison.request} />
            <h3>Usage, cost and timing</h3>
            <FigureTable rows={figureRows(comparison)} />
            <h3>Output</h3>
            <div class="compare-sides">
              <Side store={store} capture={a} name="A" />
              <Side store={store} capture={b} name="B" />
            </div>
          </>
        )}
      </div>
    </section>
  );
}
