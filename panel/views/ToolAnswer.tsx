import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { appToolCallsOf, type AppToolCall, type JsonValue, type OutputItem } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';

/** Where the answers to a capture's tool calls are looked up, and how the call that sent one is opened. */
export interface AnswerLookup {
  store: PanelStore;
  capture: PanelCapture;
}

/** Given by a view that shows a capture's own output: each tool call's card then shows its answer. */
export const AnswerContext = createContext<AnswerLookup | undefined>(undefined);

/** The answer line of an output item's card, when the item is a tool call the app answers and answers are shown. */
export function ItemAnswer({ item }: { item: OutputItem }) {
  const lookup = useContext(AnswerContext);
  if (!lookup) return null;
  const call = appToolCallOf(item);
  return call ? <ToolAnswerLine call={call} lookup={lookup} /> : null;
}

/** The call an output item asks the app to make, if it is one. */
export function appToolCallOf(item: OutputItem): AppToolCall | undefined {
  return appToolCallsOf([item as JsonValue])[0];
}

/**
 * Why a tool call shows no answer: its response is still streaming; its call holds several responses of one
 * WebSocket connection, whose answers go back on the socket (not traced); or no later call of its thread sent one.
 */
export function unansweredState(capture: PanelCapture): 'waiting' | 'untraced' | 'unanswered' {
  if (capture.live) return 'waiting';
  return capture.responseIds.length > 1 ? 'untraced' : 'unanswered';
}

export const UNANSWERED_TEXT = { waiting: 'waiting for the app', untraced: 'answered on the connection (not traced)', unanswered: 'not answered' } as const;

/** `add(2, 3) → 5`, with a link to the call that sent the answer; or the call marked as never answered. */
export function ToolAnswerLine({ call, lookup }: { call: AppToolCall; lookup: AnswerLookup }) {
  const { store, capture } = lookup;
  const found = store.answerFor(capture, call.callId);
  if (!found) {
    const state = unansweredState(capture);
    return (
      <p class={`tool-answer${state === 'unanswered' ? ' unanswered' : ''}`} data-testid="tool-answer" data-call-id={call.callId} data-answered="false">
        <span class="mono">{call.label}</span> → <span data-testid="tool-answer-text">{UNANSWERED_TEXT[state]}</span>
        {state === 'unanswered' ? <span class="sub"> — no later call of this thread sent its output</span> : null}
      </p>
    );
  }
  const { answer } = found;
  return (
    <p class={`tool-answer${answer.refused ? ' refused' : ''}`} data-testid="tool-answer" data-call-id={call.callId} data-answered="true">
      <span class="mono">{call.label}</span> → <span class="mono tool-answer-text" data-testid="tool-answer-text">{answer.text === '' ? '(empty)' : answer.text}{answer.cut ? '…' : ''}</span>{' '}
      <button
        type="button"
        class="link"
        data-testid="tool-answer-open"
        title="Show the request that sent this answer"
        onClick={() => {
          store.select(found.capture.id);
          store.setView('request');
        }}
      >
        sent in turn {found.capture.thread?.turn ?? '?'}
      </button>
    </p>
  );
}
