import type { JsonValue } from '../../extension/core/index.ts';

/** Children shown before "… N more": an event can hold a whole response, with thousands of items. */
const SHOWN_CHILDREN = 200;
/** Levels open at first: the event's own fields, and one level under them. */
const OPEN_LEVELS = 2;

function Scalar({ value }: { value: JsonValue }) {
  if (typeof value === 'string') return <span class="json-string">{JSON.stringify(value)}</span>;
  if (value === null) return <span class="json-null">null</span>;
  return <span class={`json-${typeof value}`}>{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | undefined; value: JsonValue; depth: number }) {
  const label = name === undefined ? null : <span class="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="json-leaf" role="treeitem" aria-level={depth + 1}>
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: Array<[string, JsonValue]> = Array.isArray(value)
    ? value.map((child, index): [string, JsonValue] => [String(index), child])
    : Object.entries(value).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <details class="json-node" open={depth < OPEN_LEVELS}>
      <summary role="treeitem" aria-level={depth + 1}>
        {label}
        <span class="json-bracket">
          {brackets[0]}
          {entries.length === 0 ? brackets[1] : <span class="sub"> {entries.length} {Array.isArray(value) ? 'items' : 'keys'} </span>}
        </span>
      </summary>
      <div class="json-children" role="group">
        {entries.slice(0, SHOWN_CHILDREN).map(([key, child]) => (
          <Node key={key} name={key} value={child} depth={depth + 1} />
        ))}
        {entries.length > SHOWN_CHILDREN ? <div class="sub">… {entries.length - SHOWN_CHILDREN} more (see Raw)</div> : null}
      </div>
    </details>
  );
}

/**
 * A JSON value as a tree that folds, each level a `<details>`: values are text nodes, never markup. Hand-written:
 * the JSON viewers we know are React components (with their own styles and a compat layer), for a few lines here.
 */
export function JsonTree({ value, testId }: { value: JsonValue; testId?: string }) {
  return (
    <div class="json-tree" role="tree" data-testid={testId}>
      <Node name={undefined} value={value} depth={0} />
    </div>
  );
}
