import { useEffect } from 'preact/hooks';
import { addUsage, formatUsd, type JsonValue, type UsageSummary } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { formatCount } from '../format.ts';
import { RecordView } from './AssemblyView.tsx';
import { InputItem, requestBodyOf } from './RequestView.tsx';
import { ThreadSteps } from './ThreadSteps.tsx';
import { AnswerContext } from './ToolAnswer.tsx';

/** The input a turn added: with `previous_response_id` or a `conversation`, the request's input is only what is new. */
function addedInput(capture: PanelCapture): JsonValue[] | undefined {
  const { body } = requestBodyOf(capture);
  if (!body) return undefined;
  const input = body.input;
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

function tokens(usage: UsageSummary | null): string {
  return usage ? `${formatCount(usage.input)} in / ${formatCount(usage.output)} out` : '–';
}

/** One turn: the input it added, then its output, with its own and the running tokens and cost. */
function Turn({ store, capture, previous, running }: { store: PanelStore; capture: PanelCapture; previous: PanelCapture | undefined; running: { usage: UsageSummary | null; cost: number; unpriced: number } }) {
  const cost = capture.cost;
  const input = capture.loaded ? addedInput(capture) : undefined;
  const selected = capture.id === store.selectedId;
  return (
    <section class={`thread-turn${selected ? ' selected' : ''}`} data-testid="thread-turn" data-turn={capture.thread?.turn} data-capture-id={capture.id} aria-current={selected ? 'true' : undefined}>
      <h3 class="thread-turn-title">
        <button type="button" class="link" data-testid="thread-turn-open" title="Show this call" onClick={() => store.select(capture.id)}>
          Turn {capture.thread?.turn}
        </button>{' '}
        <span class="sub">
          {capture.model ?? ''} · {capture.status} · {capture.responseIds[capture.responseIds.length - 1] ?? ''}
        </span>
        {previous ? (
          <>
            {' '}
            <button type="button" class="link" data-testid="thread-compare-previous" onClick={() => store.compare(previous.id, capture.id)}>
              Compare with turn {previous.thread?.turn}
            </button>
          </>
        ) : null}
      </h3>
      <p class="sub thread-turn-figures" data-testid="thread-turn-figures">
        <span data-testid="thread-turn-tokens">{tokens(capture.usage)}</span> · <span data-testid="thread-turn-cost">{cost?.cost ? formatUsd(cost.cost.total) : '–'}</span>
        {' — so far '}
        <span data-testid="thread-running-tokens">{tokens(running.usage)}</span> · <span data-testid="thread-running-cost">{formatUsd(running.cost)}</span>
        {running.unpriced > 0 ? ` (${running.unpriced} without a cost)` : ''}
      </p>
      {!capture.loaded ? (
        <p class="sub" data-testid="thread-turn-loading">
          {capture.loadError ?? 'Loading…'}
        </p>
      ) : (
        <>
          <div class="thread-turn-input" data-testid="thread-turn-input">
            {input === undefined ? <p class="sub">The request was not recorded.</p> : input.length === 0 ? <p class="sub">No new input.</p> : input.map((item) => <InputItem item={item} />)}
          </div>
          <div class="thread-turn-output" data-testid="thread-turn-output">
            <AnswerContext.Provider value={{ store, capture }}>
              {capture.records.map((record) => (
                <RecordView record={record} markdown={store.markdown} />
              ))}
            </AnswerContext.Provider>
          </div>
        </>
      )}
    </section>
  );
}

/** Every turn of the selected call's thread, in order, and where turns before the first captured one are missing. */
export function ThreadView({ capture, store }: { capture: PanelCapture; store: PanelStore }) {
  store.placeThreads();
  const thread = capture.thread;
  const turns = thread ? store.threadCaptures(thread.id) : [capture];
  const ids = turns.map((turn) => turn.id).join(' ');
  // The turns' bodies stay while the thread is shown.
  useEffect(() => {
    const pinned = ids.split(' ');
    store.pin(pinned);
    for (const id of pinned) void store.load(id);
    return () => store.unpin(pinned);
  }, [store, ids]);
  let usage: UsageSummary | null = null;
  let cost = 0;
  let unpriced = 0;
  const first = turns[0];
  const missingBefore = first?.thread && first.thread.turn > 1 ? first.thread.turn - 1 : 0;
  return (
    <div class="thread-view" data-testid="thread-view">
      <p class="sub" data-testid="thread-heading">
        Thread <span class="mono">{thread?.id ?? '–'}</span>: {turns.length} captured turn{turns.length === 1 ? '' : 's'}
      </p>
      {missingBefore > 0 ? (
        <p class="problem" data-testid="thread-missing">
          Earlier turns were not captured: this thread continues <span class="mono">{first?.threadLinks.previousResponseId ?? thread?.id}</span>, which this panel never saw.
        </p>
      ) : null}
      <ThreadSteps turns={turns} store={store} />
      {turns.map((turn, index) => {
        if (turn.usage) usage = usage ? addUsage(usage, turn.usage) : turn.usage;
        if (turn.cost?.cost) cost += turn.cost.cost.total;
        else unpriced++;
        return <Turn key={turn.id} store={store} capture={turn} previous={turns[index - 1]} running={{ usage, cost, unpriced }} />;
      })}
    </div>
  );
}
