import { useMemo } from 'preact/hooks';
import { redactText } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import { VirtualList } from './VirtualList.tsx';

export function RawView({ capture }: { capture: PanelCapture }) {
  // Keys the model may have echoed stay masked here as everywhere.
  const lines = useMemo(() => redactText(capture.bodyText()).split(/\r\n|\r|\n/), [capture, capture.bodyLength]);
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
