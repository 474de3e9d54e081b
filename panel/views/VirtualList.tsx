import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ComponentChildren;
  /** Keep the view at the bottom while new rows arrive, if it was at the bottom. */
  stickToBottom?: boolean;
  testId?: string;
  label: string;
  /** A row to bring into view when it changes. */
  revealIndex?: number;
}

/** Renders only the rows in view: lists of 100,000 rows stay cheap. */
export function VirtualList({ count, rowHeight, renderRow, stickToBottom = false, testId, label, revealIndex }: VirtualListProps) {
  const container = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = container.current;
    if (element && stickToBottom && atBottom.current) {
      element.scrollTop = element.scrollHeight;
      setScrollTop(element.scrollTop);
    }
  }, [count, stickToBottom]);

  useLayoutEffect(() => {
    const element = container.current;
    if (!element || revealIndex === undefined) return;
    const top = revealIndex * rowHeight;
    if (top < element.scrollTop || top + rowHeight > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 2);
      setScrollTop(element.scrollTop);
    }
  }, [revealIndex, rowHeight]);

  const overscan = 10;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ComponentChildren[] = [];
  for (let index = first; index < last; index++) {
    rows.push(
      <div key={index} class="virtual-row" style={{ top: `${index * rowHeight}px`, height: `${rowHeight}px` }}>
        {renderRow(index)}
      </div>,
    );
  }
  return (
    <div
      ref={container}
      class="virtual-list"
      data-testid={testId}
      role="list"
      aria-label={label}
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollTop + element.clientHeight >= element.scrollHeight - rowHeight;
        setScrollTop(element.scrollTop);
      }}
    >
      <div class="virtual-spacer" style={{ height: `${count * rowHeight}px` }}>
        {rows}
      </div>
    </div>
  );
}
