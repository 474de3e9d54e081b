import type { PanelStore } from '../model/panel-store.ts';
import { COLUMNS, DEFAULT_LAYOUT, NAME_COLUMN, isColumnOn, setGroupByThread, toggleColumn } from '../model/list-layout.ts';
import { ContextMenu, SEPARATOR, type MenuItem } from './ContextMenu.tsx';

/** The list header's context menu, as the Network panel's: a check per column to show or hide it, and a reset. */
export function ColumnMenu({ store, at, narrow, onClose }: { store: PanelStore; at: { x: number; y: number }; narrow: boolean; onClose: () => void }) {
  const columns: MenuItem[] = COLUMNS.filter((column) => column.id !== NAME_COLUMN).map((column) => {
    // A narrow list shows only a short name, the status and the tokens, whatever is checked.
    const disabled = narrow && !column.keptWhenNarrow;
    return {
      label: column.title,
      testId: `column-toggle-${column.id}`,
      checked: isColumnOn(store.layout, column),
      disabled,
      ...(disabled ? { title: 'Shown when the panel is wider' } : {}),
      onSelect: () => store.setLayout(toggleColumn(store.layout, column.id)),
    };
  });
  const grouped: MenuItem = {
    label: 'Group by thread and connection',
    testId: 'group-by-thread',
    checked: store.layout.groupByThread === true,
    onSelect: () => store.setLayout(setGroupByThread(store.layout, store.layout.groupByThread !== true)),
  };
  const reset: MenuItem = { label: 'Reset columns', testId: 'columns-reset', onSelect: () => store.setLayout(setGroupByThread({ ...DEFAULT_LAYOUT, split: store.layout.split }, store.layout.groupByThread === true)) };
  return <ContextMenu label="Columns" at={at} items={[...columns, SEPARATOR, grouped, SEPARATOR, reset]} onClose={onClose} />;
}
