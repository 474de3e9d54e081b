import { useEffect, useRef, useState } from 'preact/hooks';
import { ResponseReplay, type ResponseRecord } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import type { PanelStore } from '../model/panel-store.ts';
import { formatMs } from '../format.ts';

/** One replay per response read: its checkpoints are kept while the panel holds the response. */
const replays = new WeakMap<ResponseRecord, ResponseReplay>();

export function replayOf(record: ResponseRecord): ResponseReplay {
  let replay = replays.get(record);
  if (!replay || replay.eventCount !== record.events.length) {
    replay = new ResponseReplay(record);
    replays.set(record, replay);
  }
  return replay;
}

export type PlaySpeed = 1 | 4 | 'max';

/** Playing as fast as possible still shows the message grow: the whole response in about this long. */
const MAX_SPEED_PLAY_MS = 4000;

/**
 * Under the summary: a slider over the response's events (drag, or the arrow keys) shows the message as it stood
 * after any of them; Play goes through them at the pace they came (1×, 4×) or as fast as possible.
 */
export function Timeline({ capture, record, store }: { capture: PanelCapture; record: ResponseRecord; store: PanelStore }) {
  const replay = replayOf(record);
  const total = replay.eventCount;
  const position = store.replay?.captureId === capture.id ? Math.min(store.replay.count, total) : total;
  const [speed, setSpeed] = useState<PlaySpeed | undefined>(undefined);
  const timed = replay.msAt(total) !== undefined;
  const frame = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (speed === undefined) return;
    const from = position >= total ? 0 : position;
    const startedAt = performance.now();
    const fromMs = replay.msAt(from) ?? 0;
    const step = () => {
      const elapsed = performance.now() - startedAt;
      const next =
        speed === 'max' ? Math.min(total, from + Math.max(1, Math.ceil(((total - from) * elapsed) / MAX_SPEED_PLAY_MS))) : Math.max(from, replay.countAt(fromMs + elapsed * speed) ?? total);
      store.setReplay(capture.id, next);
      if (next >= total) {
        setSpeed(undefined);
        store.setReplay(capture.id, undefined);
        return;
      }
      frame.current = requestAnimationFrame(step);
    };
    frame.current = requestAnimationFrame(step);
    return () => {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    };
    // A new speed or response restarts the playing; the position it reaches does not.
  }, [speed, record]);
  const ms = replay.msAt(position);
  const play = (next: PlaySpeed) => setSpeed(speed === next ? undefined : next);
  return (
    <div class="timeline" data-testid="timeline" role="group" aria-label="Replay the response">
      <input
        type="range"
        min={0}
        max={total}
        step={1}
        value={position}
        data-testid="timeline-slider"
        aria-label="Events applied"
        aria-valuetext={`event ${position} of ${total}`}
        onInput={(event) => {
          setSpeed(undefined);
          const count = Number(event.currentTarget.value);
          store.setReplay(capture.id, count >= total ? undefined : count);
        }}
      />
      <span class="timeline-position" data-testid="timeline-position">
        event {position} of {total}
        {ms === undefined ? '' : ` · +${formatMs(ms)}`}
      </span>
      {([1, 4, 'max'] as const).map((option) => (
        <button
          type="button"
          class={`timeline-play${speed === option ? ' playing' : ''}`}
          data-testid={`timeline-play-${option}`}
          aria-pressed={speed === option}
          disabled={option !== 'max' && !timed}
          title={option !== 'max' && !timed ? 'This response has no receive times: play it as fast as possible' : speed === option ? 'Pause' : `Play at ${option === 'max' ? 'full speed' : `${option}×`}`}
          onClick={() => play(option)}
        >
          {speed === option ? '❚❚' : '▶'} {option === 'max' ? 'max' : `${option}×`}
        </button>
      ))}
      {position < total ? (
        <button
          type="button"
          class="link"
          data-testid="timeline-end"
          onClick={() => {
            setSpeed(undefined);
            store.setReplay(capture.id, undefined);
          }}
        >
          to the end
        </button>
      ) : null}
    </div>
  );
}
