import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PanelStore } from '../model/panel-store.ts';
import { followDrag } from './pointer.ts';
import { setSplit } from '../model/list-layout.ts';

/**
 * Side by side (list left, detail right) when the panel is wide and short, as in a bottom dock; stacked (list above
 * the detail) otherwise, as in a side dock or a window.
 */
export function isSideBySide(width: number, height: number): boolean {
  return width >= 720 && width > height * 1.6;
}

/** Arrow keys move the split by this share of the panel; Home and End take it to its bounds. */
const KEY_STEP = 0.05;

/** The request list and the detail, with a handle between them that the user drags (or moves with the keyboard). */
export function SplitView({ store, list, detail }: { store: PanelStore; list: ComponentChildren; detail: ComponentChildren }) {
  const container = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const measure = () => setSize({ width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const sideBySide = isSideBySide(size.width, size.height);
  const share = sideBySide ? store.layout.split.sideBySide : store.layout.split.stacked;
  const place = (fraction: number) => store.setLayout(setSplit(store.layout, sideBySide, fraction));
  const onPointerDown = (event: PointerEvent) => {
    const element = container.current;
    if (!element) return;
    const bounds = element.getBoundingClientRect();
    followDrag(event, (move) => place(sideBySide ? (move.clientX - bounds.left) / bounds.width : (move.clientY - bounds.top) / bounds.height));
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const back = sideBySide ? 'ArrowLeft' : 'ArrowUp';
    const forward = sideBySide ? 'ArrowRight' : 'ArrowDown';
    if (event.key === back) place(share - KEY_STEP);
    else if (event.key === forward) place(share + KEY_STEP);
    else if (event.key === 'Home') place(0);
    else if (event.key === 'End') place(1);
    else return;
    event.preventDefault();
  };
  const percent = Math.round(share * 100);
  const template = `minmax(0, ${share}fr) 5px minmax(0, ${1 - share}fr)`;
  return (
    <div
      class={`main ${sideBySide ? 'side-by-side' : 'stacked'}`}
      data-testid="split"
      data-orientation={sideBySide ? 'side-by-side' : 'stacked'}
      ref={container}
      style={sideBySide ? { gridTemplateColumns: template } : { gridTemplateRows: template }}
    >
      {list}
      <div
        class="split-handle"
        data-testid="split-handle"
        role="separator"
        tabIndex={0}
        aria-label="Resize the request list"
        // A separator between panes above and below is horizontal; between panes side by side, vertical.
        aria-orientation={sideBySide ? 'vertical' : 'horizontal'}
        aria-valuemin={10}
        aria-valuemax={90}
        aria-valuenow={percent}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
      />
      {detail}
    </div>
  );
}
