import { redactText } from '../../extension/core/index.ts';
import type { PanelCapture } from '../model/panel-capture.ts';
import { VirtualList } from './VirtualList.tsx';

export function RawView({ capture }: { capture: PanelCapture }) {
  const { lines } = capture;
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
        // Keys the model may have echoed stay masked here as everywhere; only visible lines are touched.
        renderRow={(index) => <span class="raw-line mono">{redactText(lines[index] ?? '')}</span>}
      />
    </div>
  );
}
