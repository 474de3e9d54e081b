import { useMemo } from 'preact/hooks';
import type { PanelCapture } from '../model/panel-capture.ts';
import { VirtualList } from './VirtualList.tsx';

export function RawView({ capture }: { capture: PanelCapture }) {
  const lines = useMemo(() => capture.bodyText().split(/\r\n|\r|\n/), [capture, capture.bodyLength]);
  return (
    <div class="raw-view" data-testid="raw-view">
      <p class="sub">
        {capture.bodyLength} characters in {capture.chunks.length} chunk(s), as received.
      </p>
      <VirtualList
        count={lines.length}
        rowHeight={16}
        stickToBottom={capture.live}
        testId="raw-lines"
        label="Raw body"
        renderRow={(index) => <span class="raw-line mono">{lines[index]}</span>}
      />
    </div>
  );
}
