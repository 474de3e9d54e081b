import type { PanelCapture } from '../model/panel-capture.ts';
import { nextView, type PanelStore, type ViewName } from '../model/panel-store.ts';
import { formatCount, formatMs } from '../format.ts';
import { StatusBadge } from './CaptureList.tsx';
import { AssemblyView } from './AssemblyView.tsx';
import { UsageView } from './UsageView.tsx';
import { EventsView, NotStreamedView } from './EventsView.tsx';
import { RequestView } from './RequestView.tsx';
import { RawView } from './RawView.tsx';
import { ThreadView } from './ThreadView.tsx';
import { CopyMenu } from './CopyMenu.tsx';
import { copyAndSay } from '../clipboard.ts';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatUsd, streamedValues } from '../../extension/core/index.ts';

const VIEWS: Array<[ViewName, string]> = [
  ['assembly', 'Assembly'],
  ['usage', 'Usage & timing'],
  ['events', 'Events'],
  ['request', 'Request'],
  ['raw', 'Raw'],
  ['thread', 'Thread'],
];

/** Characters the model has generated so far: every streamed value of every output item (text, arguments, code…). */
function outputCharacters(capture: PanelCapture): number {
  let characters = 0;
  for (const item of capture.record?.response.output ?? []) for (const value of streamedValues(item).values()) characters += value.length;
  return characters;
}

/** Roughly four characters a token in English text: an estimate, shown only until the server's usage arrives. */
const CHARACTERS_PER_TOKEN = 4;

/** While a response streams: how long, how many events, how much output and how fast; the clock moves on its own. */
function LiveCounters({ capture }: { capture: PanelCapture }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const characters = outputCharacters(capture);
  const firstOutputAt = capture.record?.marks.firstOutputAt;
  const seconds = firstOutputAt === undefined ? 0 : (Math.max(now, capture.chunks[capture.chunks.length - 1]?.receivedAt ?? 0) - firstOutputAt) / 1000;
  const rate = seconds > 0.2 ? Math.round(characters / CHARACTERS_PER_TOKEN / seconds) : undefined;
  return (
    <span class="summary-item live-counters" data-testid="live-counters">
      <span class="label">elapsed</span> <span data-testid="live-elapsed">{formatMs(Math.max(0, now - capture.start.startedAt))}</span>{' '}
      <span class="label">events</span> <span data-testid="live-events">{capture.eventCount}</span>{' '}
      <span class="label">output chars</span> <span data-testid="live-characters">{characters}</span>
      {rate !== undefined ? (
        <>
          {' '}
          <span class="label">≈</span> <span data-testid="live-rate">{rate}</span> <span class="label">tokens/s (estimated)</span>
        </>
      ) : null}
    </span>
  );
}

/** What the response cost, with where the prices come from (or why there is no cost) on hover. */
function CostItem({ capture }: { capture: PanelCapture }) {
  const reading = capture.cost;
  if (!reading) return null;
  const title = reading.cost ? `${reading.cost.currency}, prices from ${reading.cost.source}` : `No cost: ${reading.reason}`;
  return (
    <span class="summary-item" title={title}>
      <span class="label">cost</span> <span data-testid="summary-cost">{reading.cost ? formatUsd(reading.cost.total) : '–'}</span>
    </span>
  );
}

export function SummaryStrip({ capture, store }: { capture: PanelCapture; store: PanelStore }) {
  const record = capture.record;
  const usage = capture.usage;
  const timing = record?.timing;
  const responseId = capture.responseIds[capture.responseIds.length - 1];
  return (
    <div class="summary" data-testid="summary">
      <span class="summary-item">
        <StatusBadge capture={capture} />
      </span>
      <span class="summary-item" title="model">
        <span class="label">model</span> <span data-testid="summary-model">{capture.model ?? '–'}</span>
      </span>
      <span class="summary-item">
        <span class="label">input</span> <span data-testid="summary-input">{formatCount(usage?.input)}</span>
        {usage ? <span class="sub"> (cached {formatCount(usage.cached)})</span> : null}
      </span>
      <span class="summary-item">
        <span class="label">output</span> <span data-testid="summary-output">{formatCount(usage?.output)}</span>
        {usage ? <span class="sub"> (reasoning {formatCount(usage.reasoning)})</span> : null}
      </span>
      <CostItem capture={capture} />
      {capture.live && capture.timesKnown ? <LiveCounters capture={capture} /> : null}
      <span class="summary-item">
        <span class="label">TTFT</span> {formatMs(timing?.firstTokenMs)}
      </span>
      <span class="summary-item">
        <span class="label">duration</span> {formatMs(capture.durationMs)}
      </span>
      {responseId ? (
        <span class="summary-item response-id">
          <span class="label">id</span> <span class="mono" data-testid="summary-response-id">{responseId}</span>{' '}
          <button
            type="button"
            class="link"
            data-testid="copy-id"
            aria-label="Copy the response id"
            onClick={() => void copyAndSay(responseId, 'response id', (message) => store.notify(message))}
          >
            copy
          </button>
        </span>
      ) : null}
    </div>
  );
}

function Problems({ capture }: { capture: PanelCapture }) {
  const warnings = capture.records.flatMap((record) => record.warnings);
  const notes: string[] = [];
  if (capture.lossNote) notes.push(capture.lossNote);
  if (capture.bodyError) notes.push(capture.bodyError);
  if (capture.end?.state === 'cancelled') notes.push('The page cancelled this request before the stream ended.');
  else if (capture.end?.state === 'error' && !capture.lossNote) notes.push(`The request failed: ${capture.end.error ?? 'network error'}.`);
  if (warnings.length === 0 && notes.length === 0) return null;
  return (
    <div class="problems" data-testid="problems" role="status">
      {notes.map((note) => (
        <div class="problem note-problem">{note}</div>
      ))}
      {warnings.slice(0, 20).map((warning) => (
        <div class="problem" data-testid="warning" data-code={warning.code}>
          <span class="warning-code">{warning.code}</span>
          {warning.sequence_number !== undefined ? <span class="sub"> seq {warning.sequence_number}</span> : null} {warning.message}
        </div>
      ))}
      {warnings.length > 20 ? <div class="problem">… and {warnings.length - 20} more (see Events)</div> : null}
    </div>
  );
}

/** What the end of a body shows well enough while the rest is read: the final response and its usage. */
const PREVIEW_VIEWS = new Set(['assembly', 'usage']);

/** The detail's Copy button: the row menu's actions, under the button. */
function CopyButton({ store, capture }: { store: PanelStore; capture: PanelCapture }) {
  const [at, setAt] = useState<{ x: number; y: number } | undefined>(undefined);
  return (
    <>
      <button
        type="button"
        class="tab copy-button"
        data-testid="copy-button"
        aria-haspopup="menu"
        aria-expanded={at !== undefined}
        onClick={(event) => {
          const box = event.currentTarget.getBoundingClientRect();
          setAt({ x: box.left, y: box.bottom });
        }}
      >
        Copy ▾
      </button>
      {at ? <CopyMenu store={store} capture={capture} at={at} onClose={() => setAt(undefined)} /> : null}
    </>
  );
}

/** How near the bottom (in pixels) the view counts as at the bottom: the user has not scrolled away. */
const AT_BOTTOM = 32;

/**
 * Keeps a streaming response's newest output in view, as a terminal does, until the user scrolls up; scrolling back
 * to the bottom follows again. Views with their own scrolling (Events, Raw) are left alone.
 */
function useFollowStream(view: { current: HTMLDivElement | null }, capture: PanelCapture | undefined, viewName: ViewName): (event: Event) => void {
  const following = useRef(true);
  const pinnedAt = useRef<number | undefined>(undefined);
  useEffect(() => {
    following.current = true;
  }, [capture?.id, viewName]);
  // Read when the content resizes, which is after the render that made the observer: a ref, not this render's value.
  const live = useRef(false);
  live.current = capture?.live === true && viewName === 'assembly';
  const pin = () => {
    const element = view.current;
    if (!element || !live.current || !following.current) return;
    if (element.scrollHeight - element.scrollTop - element.clientHeight <= 1) return;
    element.scrollTop = element.scrollHeight;
    pinnedAt.current = element.scrollTop;
  };
  useLayoutEffect(pin);
  // Long text lays its blocks out after a render (`content-visibility`): the content's height changes with no render.
  const observed = useRef<{ element: Element; observer: ResizeObserver } | undefined>(undefined);
  useLayoutEffect(() => {
    const content = view.current?.firstElementChild ?? undefined;
    if (observed.current?.element === content) return;
    observed.current?.observer.disconnect();
    observed.current = undefined;
    if (!content) return;
    const observer = new ResizeObserver(() => pin());
    observer.observe(content);
    observed.current = { element: content, observer };
  });
  useEffect(() => () => observed.current?.observer.disconnect(), []);
  return (event) => {
    const element = event.currentTarget as HTMLElement;
    // The scroll this hook made is not the user's: the text may have grown again before its event arrives.
    if (pinnedAt.current !== undefined && Math.abs(element.scrollTop - pinnedAt.current) < 2) return;
    pinnedAt.current = undefined;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= AT_BOTTOM;
  };
}

export function Detail({ store }: { store: PanelStore }) {
  const capture = store.selected;
  const view = useRef<HTMLDivElement>(null);
  const onViewScroll = useFollowStream(view, capture, store.view);
  if (!capture) return null;
  return (
    <section class="detail" data-testid="detail" aria-label="Selected response">
      <SummaryStrip capture={capture} store={store} />
      <Problems capture={capture} />
      <div
        class="tabs"
        role="tablist"
        aria-label="Views"
        onKeyDown={(event) => {
          const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
          if (step === 0 || !(event.target as HTMLElement).matches('[role=tab]')) return;
          event.preventDefault();
          const next = nextView(store.view, step);
          store.setView(next);
          event.currentTarget.querySelector<HTMLElement>(`[data-testid=tab-${next}]`)?.focus();
        }}
      >
        {VIEWS.map(([view, label]) => (
          <button
            type="button"
            role="tab"
            data-testid={`tab-${view}`}
            aria-selected={store.view === view}
            tabIndex={store.view === view ? 0 : -1}
            class={store.view === view ? 'tab selected' : 'tab'}
            onClick={() => store.setView(view)}
          >
            {label}
          </button>
        ))}
        <span class="spacer" />
        <CopyButton store={store} capture={capture} />
      </div>
      <div class="view" role="tabpanel" ref={view} data-testid="view" onScroll={onViewScroll}>
        {capture.previewing && !capture.loadError ? (
          <p class="sub reading-events" data-testid="reading-events" role="status">
            The final response; reading all {capture.eventCount.toLocaleString('en-US')} events…
          </p>
        ) : null}
        {!capture.loaded && !(capture.previewing && PREVIEW_VIEWS.has(store.view)) ? (
          <p class="sub empty-view" data-testid="loading">
            {capture.loadError ?? 'Loading this response from the extension’s store…'}
          </p>
        ) : null}
        {capture.previewing && PREVIEW_VIEWS.has(store.view) ? (
          <>
            {store.view === 'assembly' ? <AssemblyView capture={capture} store={store} /> : null}
            {store.view === 'usage' ? <UsageView capture={capture} store={store} /> : null}
          </>
        ) : null}
        {capture.loaded ? (
          <>
            {store.view === 'assembly' ? <AssemblyView capture={capture} store={store} /> : null}
            {store.view === 'usage' ? <UsageView capture={capture} store={store} /> : null}
            {store.view === 'events' ? capture.isJsonBody ? <NotStreamedView capture={capture} /> : <EventsView capture={capture} store={store} /> : null}
            {store.view === 'request' ? <RequestView capture={capture} store={store} /> : null}
            {store.view === 'raw' ? <RawView capture={capture} /> : null}
            {store.view === 'thread' ? <ThreadView capture={capture} store={store} /> : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
