/** Consistency warnings. Codes are stable: tools and tests match on them. */
export const WARNING_CODES = {
  invalid_json: 'A frame’s data is not JSON.',
  not_an_event: 'A frame’s JSON is not a Responses event (no `type`).',
  truncated_event: 'The stream ended in the middle of an event.',
  unknown_event: 'An event type the core does not know; kept in the log, not applied.',
  malformed_event: 'A known event lacks a field it needs.',
  sequence_gap: 'sequence_number skipped values.',
  sequence_duplicate: 'sequence_number repeated.',
  sequence_backwards: 'sequence_number went backwards.',
  unknown_item: 'An event names an output item that does not exist.',
  item_type_mismatch: 'An event targets an item of another type.',
  unknown_index: 'An event names a content, summary, annotation or command index that does not exist.',
  done_mismatch: 'A `.done` value disagrees with what the deltas built.',
  snapshot_mismatch: 'The terminal snapshot disagrees with what the events built.',
  no_terminal_event: 'The stream ended without response.completed, .incomplete or .failed.',
  events_after_end: 'Events arrived after the response had ended.',
  error_event: 'The server sent an `error` event.',
} as const;

export type WarningCode = keyof typeof WARNING_CODES;

export interface StreamWarning {
  code: WarningCode;
  message: string;
  /** The `sequence_number` of the event the warning is about, when it has one. */
  sequence_number?: number;
  /** Position of that event in the response's event log. */
  eventIndex?: number;
}

/**
 * A value quoted in a warning: a string cut to `max` characters, a number or
 * boolean as it is, anything else by its kind. Never the whole of a huge
 * value: many warnings may name the same item.
 */
export function excerptOf(value: unknown, max = 80): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return '(none)';
  return Array.isArray(value) ? '(an array)' : '(an object)';
}

/** Describes where two strings first differ, briefly, for a warning message. */
export function describeDifference(built: string, final: string): string {
  let index = 0;
  const shorter = Math.min(built.length, final.length);
  while (index < shorter && built.charCodeAt(index) === final.charCodeAt(index)) index++;
  const excerpt = (text: string) => {
    const slice = text.slice(index, index + 24);
    return slice === '' ? '(end)' : JSON.stringify(slice) + (text.length > index + 24 ? '…' : '');
  };
  return `built ${built.length} chars, final ${final.length}; first difference at char ${index}: built ${excerpt(built)}, final ${excerpt(final)}`;
}

/** A text's start, quoted as JSON, for a warning that quotes input. */
export function quotedExcerpt(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
