import { addUsage, appToolCallsOf, formatUsd, type AppToolCall, type JsonValue, type UsageSummary } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { formatCount, formatMs } from '../format.ts';
import { UNANSWERED_TEXT, unansweredState } from './ToolAnswer.tsx';

function tokens(usage: UsageSummary | null): string {
  return usage ? `${formatCount(usage.input)} in / ${formatCount(usage.output)} out` : '–';
}

/** A span of the run, in ms from its start. */
interface Span {
  from: number;
  to: number;
}

/** A bar placed on the run's time line; nothing when the times are not known. */
function Bar({ span, total, kind }: { span: Span | undefined; total: number; kind: 'model' | 'tool' }) {
  if (!span || total <= 0) return <span class="step-bar-track" />;
  const left = (Math.max(0, span.from) / total) * 100;
  const width = Math.max(0.5, ((span.to - span.from) / total) * 100);
  return (
    <span class="step-bar-track">
      <span class={`step-bar step-bar-${kind}`} data-testid="thread-step-bar" style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
    </span>
  );
}

function endOf(capture: PanelCapture): number {
  return capture.start.startedAt + (capture.durationMs ?? 0);
}

/** The calls a turn asked the app to make, once its output is here. */
function callsOf(capture: PanelCapture): AppToolCall[] {
  return capture.loaded ? appToolCallsOf(capture.record?.response.output as JsonValue | undefined) : [];
}

/**
 * The run as steps on one time line: each model call, then the tool calls it asked for with what the app sent
 * back (the time until the next call is the app's), then the next model call; with each step's and the run's
 * tokens, cost and time.
 */
export function ThreadSteps({ turns, store }: { turns: readonly PanelCapture[]; store: PanelStore }) {
  const first = turns[0];
  if (!first) return null;
  const runStart = Math.min(...turns.map((turn) => turn.start.startedAt));
  const runEnd = Math.max(...turns.map(endOf));
  const total = runEnd - runStart;
  let usage: UsageSummary | null = null;
  let cost = 0;
  let unpriced = 0;
  let modelMs = 0;
  for (const turn of turns) {
    if (turn.usage) usage = usage ? addUsage(usage, turn.usage) : turn.usage;
    if (turn.cost?.cost) cost += turn.cost.cost.total;
    else unpriced++;
    modelMs += turn.durationMs ?? 0;
  }
  const rows = turns.flatMap((turn, index) => {
    const span = { from: turn.start.startedAt - runStart, to: endOf(turn) - runStart };
    const stepCost = turn.cost?.cost;
    const model = (
      <tr class={`thread-step step-model${turn.id === store.selectedId ? ' selected' : ''}`} data-testid="thread-step" data-kind="model" data-capture-id={turn.id}>
        <td class="num">{index + 1}</td>
        <td>
          <button type="button" class="link" data-testid="thread-step-open" title="Show this call" onClick={() => store.select(turn.id)}>
            {turn.model ?? 'model call'}
          </button>{' '}
          <span class="sub">turn {turn.thread?.turn ?? '?'} · {turn.status}</span>
        </td>
        <td class="step-bar-cell">
          <Bar span={span} total={total} kind="model" />
        </td>
        <td class="num" data-testid="thread-step-duration">{formatMs(turn.durationMs)}</td>
        <td class="num" data-testid="thread-step-tokens">{tokens(turn.usage)}</td>
        <td class="num" data-testid="thread-step-cost">{stepCost ? formatUsd(stepCost.total) : '–'}</td>
      </tr>
    );
    const calls = callsOf(turn);
    const toolRows = calls.map((call) => {
      const found = store.answerFor(turn, call.callId);
      // The tools ran between this call's end and the start of the call that sent their answers.
      const answeredAt = found?.capture.start.startedAt;
      const toolSpan = answeredAt !== undefined ? { from: span.to, to: answeredAt - runStart } : undefined;
      return (
        <tr class={`thread-step step-tool${found || unansweredState(turn) !== 'unanswered' ? '' : ' unanswered'}`} data-testid="thread-step" data-kind="tool" data-call-id={call.callId}>
          <td />
          <td>
            <span class="mono">{call.label}</span> →{' '}
            <span class="mono" data-testid="thread-step-answer">
              {found ? `${found.answer.text === '' ? '(empty)' : found.answer.text}${found.answer.cut ? '…' : ''}` : UNANSWERED_TEXT[unansweredState(turn)]}
            </span>
          </td>
          <td class="step-bar-cell">
            <Bar span={toolSpan} total={total} kind="tool" />
          </td>
          <td class="num sub">{toolSpan ? formatMs(toolSpan.to - toolSpan.from) : ''}</td>
          <td />
          <td />
        </tr>
      );
    });
    return [model, ...toolRows];
  });
  return (
    <section class="thread-steps" aria-label="Steps of the run">
      <p class="sub" data-testid="thread-totals">
        {turns.length} model call{turns.length === 1 ? '' : 's'} · <span data-testid="thread-total-tokens">{tokens(usage)}</span> ·{' '}
        <span data-testid="thread-total-cost">{formatUsd(cost)}</span>
        {unpriced > 0 ? ` (${unpriced} without a cost)` : ''} · <span data-testid="thread-total-duration">{formatMs(total)}</span> from the first call's start to the last one's end, {formatMs(modelMs)} of it in model calls
      </p>
      <table class="thread-steps-table" data-testid="thread-steps">
        <thead>
          <tr>
            <th class="num">Step</th>
            <th>Call</th>
            <th>Time line</th>
            <th class="num">Duration</th>
            <th class="num">Tokens</th>
            <th class="num">Cost</th>
          </tr>
        </thead>
        <tbody>{rows}</tbody>
      </table>
    </section>
  );
}
