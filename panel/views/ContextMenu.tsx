import { useLayoutEffect, useRef } from 'preact/hooks';

export interface MenuItem {
  label: string;
  testId: string;
  /** A check item (shown or hidden columns); absent for an action. */
  checked?: boolean;
  disabled?: boolean;
  title?: string;
  onSelect: () => void;
}

/** A line between groups of items. */
export const SEPARATOR = 'separator';

/**
 * A context menu as DevTools draws one: at the pointer, over everything, the first item focused; arrow keys move
 * between items, Enter or a click picks one and closes the menu, Escape or a click elsewhere closes it.
 */
export function ContextMenu({ label, at, items, onClose }: { label: string; at: { x: number; y: number }; items: Array<MenuItem | typeof SEPARATOR>; onClose: () => void }) {
  const menu = useRef<HTMLDivElement>(null);
  const enabled = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('.menu-item:not([aria-disabled=true])') ?? []);
  useLayoutEffect(() => {
    const element = menu.current;
    if (!element) return;
    // Kept inside the panel: a menu opened near an edge opens towards the middle.
    const box = element.getBoundingClientRect();
    if (box.right > window.innerWidth) element.style.left = `${Math.max(0, window.innerWidth - box.width)}px`;
    if (box.bottom > window.innerHeight) element.style.top = `${Math.max(0, window.innerHeight - box.height)}px`;
    enabled()[0]?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const all = enabled();
    const index = all.indexOf(document.activeElement as HTMLElement);
    all[(index + (event.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length]?.focus();
  };
  return (
    <div
      class="menu-backdrop"
      data-testid={`${label.toLowerCase().replace(/\s+/g, '-')}-menu-backdrop`}
      onClick={onClose}
      onContextMenu={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div
        class="menu"
        role="menu"
        aria-label={label}
        data-testid={`${label.toLowerCase().replace(/\s+/g, '-')}-menu`}
        ref={menu}
        style={{ left: `${at.x}px`, top: `${at.y}px` }}
        onClick={(event) => event.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        {items.map((item, index) =>
          item === SEPARATOR ? (
            <hr key={`separator-${index}`} />
          ) : (
            <button
              key={item.testId}
              class="menu-item"
              role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={item.checked}
              aria-disabled={item.disabled}
              data-testid={item.testId}
              tabIndex={-1}
              title={item.title}
              onClick={() => {
                if (item.disabled) return;
                onClose();
                item.onSelect();
              }}
            >
              <span class="menu-check" aria-hidden="true">
                {item.checked ? '✓' : ''}
              </span>
              {item.label}
            </button>
          ),
        )}
      </div>
    </div>
  );
}
