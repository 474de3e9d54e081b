/**
 * How the request list is laid out, as the Network panel lets a person arrange
 * it: which columns show, their widths, the sort, and where the list/detail
 * split sits. Plain data, kept between sessions (`loadLayout`/`saveLayout`).
 */
import type { PanelCapture } from './panel-capture.ts';

export type ColumnId = 'time' | 'name' | 'url' | 'model' | 'status' | 'duration' | 'tokens' | 'cost' | 'thread';

export interface ColumnDefinition {
  id: ColumnId;
  title: string;
  /** Pixels, until the user drags the column's edge. */
  defaultWidth: number;
  minWidth: number;
  numeric: boolean;
  /** Kept in a narrow list (a side dock): a short name, the status and the tokens. */
  keptWhenNarrow: boolean;
  /** What the column sorts by (undefined sorts last, whatever the direction). */
  sortValue: (capture: PanelCapture) => string | number | undefined;
  /** Off until the user turns it on (`ListLayout.shown`). */
  optional?: boolean;
}

/** The last segment of a URL's path (what the Network panel's Name column shows), or the URL itself. */
export function shortName(url: string): string {
  try {
    const path = new URL(url).pathname.replace(/\/+$/, '');
    return path.slice(path.lastIndexOf('/') + 1) || url;
  } catch {
    return url;
  }
}

export const COLUMNS: readonly ColumnDefinition[] = [
  { id: 'time', title: 'Time', defaultWidth: 92, minWidth: 50, numeric: false, keptWhenNarrow: false, sortValue: (capture) => capture.start.startedAt },
  { id: 'name', title: 'Name', defaultWidth: 150, minWidth: 60, numeric: false, keptWhenNarrow: true, sortValue: (capture) => `${shortName(capture.start.url)} ${capture.start.method}` },
  { id: 'url', title: 'URL', defaultWidth: 260, minWidth: 60, numeric: false, keptWhenNarrow: false, sortValue: (capture) => capture.start.url },
  { id: 'model', title: 'Model', defaultWidth: 130, minWidth: 50, numeric: false, keptWhenNarrow: false, sortValue: (capture) => capture.model },
  { id: 'status', title: 'Status', defaultWidth: 96, minWidth: 50, numeric: false, keptWhenNarrow: true, sortValue: (capture) => capture.status },
  { id: 'duration', title: 'Duration', defaultWidth: 74, minWidth: 50, numeric: true, keptWhenNarrow: false, sortValue: (capture) => capture.durationMs },
  { id: 'tokens', title: 'Tokens in/out', defaultWidth: 104, minWidth: 60, numeric: true, keptWhenNarrow: true, sortValue: (capture) => capture.usage?.total ?? undefined },
  {
    id: 'thread',
    title: 'Thread',
    defaultWidth: 120,
    minWidth: 60,
    numeric: false,
    keptWhenNarrow: false,
    optional: true,
    sortValue: (capture) => (capture.thread ? `${capture.thread.id} ${String(capture.thread.turn).padStart(8, '0')}` : undefined),
  },
  { id: 'cost', title: 'Cost', defaultWidth: 84, minWidth: 50, numeric: true, keptWhenNarrow: false, optional: true, sortValue: (capture) => capture.cost?.cost?.total },
];

/** The column that takes whatever width the others leave, and that cannot be hidden. */
export const NAME_COLUMN: ColumnId = 'name';

/** Below this width the list shows only the columns kept when narrow. */
export const NARROW_LIST_WIDTH = 560;

export interface SortOrder {
  column: ColumnId;
  descending: boolean;
}

export interface ListLayout {
  hidden: ColumnId[];
  /** Optional columns the user turned on. */
  shown: ColumnId[];
  widths: Partial<Record<ColumnId, number>>;
  sort?: SortOrder;
  /** The list's share of the panel, stacked (list above the detail) and side by side. */
  split: { stacked: number; sideBySide: number };
  /** Each thread's calls together, threads in the order they began. */
  groupByThread?: boolean;
}

export const DEFAULT_LAYOUT: ListLayout = { hidden: [], shown: [], widths: {}, split: { stacked: 0.35, sideBySide: 0.45 } };

export const SPLIT_MIN = 0.1;
export const SPLIT_MAX = 0.9;

export function columnById(id: ColumnId): ColumnDefinition {
  return COLUMNS.find((column) => column.id === id) as ColumnDefinition;
}

/** Whether the user has the column on (the narrow list aside): an optional one once turned on, any other until turned off. */
export function isColumnOn(layout: ListLayout, column: ColumnDefinition): boolean {
  return column.optional ? layout.shown.includes(column.id) : !layout.hidden.includes(column.id);
}

/** The columns to show, in order: what the user left on, and in a narrow list only those kept when narrow. */
export function visibleColumns(layout: ListLayout, narrow: boolean): ColumnDefinition[] {
  return COLUMNS.filter((column) => column.id === NAME_COLUMN || (isColumnOn(layout, column) && (!narrow || column.keptWhenNarrow)));
}

export function columnWidth(layout: ListLayout, id: ColumnId): number {
  const column = columnById(id);
  return Math.max(column.minWidth, Math.round(layout.widths[id] ?? column.defaultWidth));
}

export function toggleColumn(layout: ListLayout, id: ColumnId): ListLayout {
  if (id === NAME_COLUMN) return layout;
  const flip = (ids: ColumnId[]) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id]);
  const next = columnById(id).optional ? { ...layout, shown: flip(layout.shown) } : { ...layout, hidden: flip(layout.hidden) };
  // A sort by a column no longer shown would order the list by something the user cannot see.
  const sort = layout.sort && !isColumnOn(next, columnById(layout.sort.column)) ? undefined : layout.sort;
  return withSort(next, sort);
}

export function resizeColumn(layout: ListLayout, id: ColumnId, width: number): ListLayout {
  return { ...layout, widths: { ...layout.widths, [id]: Math.max(columnById(id).minWidth, Math.round(width)) } };
}

/** A header click: ascending, then descending, then back to the order of arrival. */
export function nextSort(layout: ListLayout, id: ColumnId): ListLayout {
  const current = layout.sort;
  if (!current || current.column !== id) return withSort(layout, { column: id, descending: false });
  if (!current.descending) return withSort(layout, { column: id, descending: true });
  return withSort(layout, undefined);
}

function withSort(layout: ListLayout, sort: SortOrder | undefined): ListLayout {
  const next: ListLayout = { hidden: layout.hidden, shown: layout.shown, widths: layout.widths, split: layout.split };
  if (sort) next.sort = sort;
  if (layout.groupByThread) next.groupByThread = true;
  return next;
}

export function setSplit(layout: ListLayout, sideBySide: boolean, fraction: number): ListLayout {
  const clamped = Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, fraction));
  return { ...layout, split: sideBySide ? { ...layout.split, sideBySide: clamped } : { ...layout.split, stacked: clamped } };
}

/** The captures in the layout's sort (a stable sort: ties keep their order of arrival). */
export function sortCaptures(captures: PanelCapture[], sort: SortOrder | undefined): PanelCapture[] {
  if (!sort) return captures;
  const column = columnById(sort.column);
  const keyed = captures.map((capture, index) => ({ capture, index, value: column.sortValue(capture) }));
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      if (a.value === b.value) return a.index - b.index;
      return a.value === undefined ? 1 : -1;
    }
    const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value));
    return (sort.descending ? -order : order) || a.index - b.index;
  });
  return keyed.map((entry) => entry.capture);
}

export function setGroupByThread(layout: ListLayout, grouped: boolean): ListLayout {
  const { groupByThread: _, ...rest } = layout;
  return grouped ? { ...rest, groupByThread: true } : rest;
}

/**
 * The captures with each thread's together (a WebSocket's with their connection), threads in the order their first
 * capture comes, each thread's in the order they come (the sort's, or arrival). `placeThreads` must have placed them.
 */
export function groupByThread(captures: readonly PanelCapture[]): PanelCapture[] {
  const groups = new Map<string, PanelCapture[]>();
  captures.forEach((capture, index) => {
    // A WebSocket's responses stay with their connection, whatever threads they are in.
    const key = capture.start.connectionId !== undefined ? `\u0001${capture.start.connectionId}` : (capture.thread?.id ?? `\u0000${index}`);
    const group = groups.get(key);
    if (group) group.push(capture);
    else groups.set(key, [capture]);
  });
  return [...groups.values()].flat();
}

const COLUMN_IDS = new Set<string>(COLUMNS.map((column) => column.id));

function isColumnId(value: unknown): value is ColumnId {
  return typeof value === 'string' && COLUMN_IDS.has(value);
}

function fraction(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, value)) : fallback;
}

/** A layout read back from storage: anything unknown or malformed is left at its default. */
export function parseLayout(text: string | null | undefined): ListLayout {
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    raw = undefined;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_LAYOUT;
  const record = raw as Record<string, unknown>;
  const hidden = Array.isArray(record.hidden) ? record.hidden.filter(isColumnId).filter((id) => id !== NAME_COLUMN && !columnById(id).optional) : [];
  const shown = Array.isArray(record.shown) ? record.shown.filter(isColumnId).filter((id) => columnById(id).optional === true) : [];
  const widths: Partial<Record<ColumnId, number>> = {};
  if (typeof record.widths === 'object' && record.widths !== null) {
    for (const [id, width] of Object.entries(record.widths)) {
      if (isColumnId(id) && typeof width === 'number' && Number.isFinite(width) && width > 0) widths[id] = Math.max(columnById(id).minWidth, Math.min(2000, Math.round(width)));
    }
  }
  const split = (typeof record.split === 'object' && record.split !== null ? record.split : {}) as Record<string, unknown>;
  const layout: ListLayout = {
    hidden,
    shown,
    widths,
    split: { stacked: fraction(split.stacked, DEFAULT_LAYOUT.split.stacked), sideBySide: fraction(split.sideBySide, DEFAULT_LAYOUT.split.sideBySide) },
  };
  if (record.groupByThread === true) layout.groupByThread = true;
  const sort = record.sort as Record<string, unknown> | undefined;
  if (sort && isColumnId(sort.column) && isColumnOn(layout, columnById(sort.column))) layout.sort = { column: sort.column, descending: sort.descending === true };
  return layout;
}

export const LAYOUT_STORAGE_KEY = 'responses-devtools.list-layout';

/** Where a layout is kept: the panel's own `localStorage` (an extension page's, shared by the panel and the viewer). */
export interface LayoutStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadLayout(storage: LayoutStorage | undefined): ListLayout {
  try {
    return parseLayout(storage?.getItem(LAYOUT_STORAGE_KEY));
  } catch {
    return DEFAULT_LAYOUT;
  }
}

export function saveLayout(storage: LayoutStorage | undefined, layout: ListLayout): void {
  try {
    storage?.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // Storage full or refused: the layout still holds for this session.
  }
}
