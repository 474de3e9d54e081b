/**
 * The Responses API's stream event types: the 58 of openai-node's
 * `ResponseStreamEvent` union, plus those seen on the wire beyond it
 * (`response.apply_patch_call_operation_diff.*`, `keepalive`,
 * `response.compaction.compacting`).
 */

export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export const LIFECYCLE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'response.created',
  'response.queued',
  'response.in_progress',
  ...TERMINAL_EVENT_TYPES,
]);

/** Progress events of built-in tools: event type → [item type, status]. */
export const STATUS_EVENTS: Readonly<Record<string, readonly [string, string]>> = {
  'response.web_search_call.in_progress': ['web_search_call', 'in_progress'],
  'response.web_search_call.searching': ['web_search_call', 'searching'],
  'response.web_search_call.completed': ['web_search_call', 'completed'],
  'response.file_search_call.in_progress': ['file_search_call', 'in_progress'],
  'response.file_search_call.searching': ['file_search_call', 'searching'],
  'response.file_search_call.completed': ['file_search_call', 'completed'],
  'response.code_interpreter_call.in_progress': ['code_interpreter_call', 'in_progress'],
  'response.code_interpreter_call.interpreting': ['code_interpreter_call', 'interpreting'],
  'response.code_interpreter_call.completed': ['code_interpreter_call', 'completed'],
  'response.image_generation_call.in_progress': ['image_generation_call', 'in_progress'],
  'response.image_generation_call.generating': ['image_generation_call', 'generating'],
  'response.image_generation_call.completed': ['image_generation_call', 'completed'],
  'response.mcp_call.in_progress': ['mcp_call', 'in_progress'],
  'response.mcp_call.completed': ['mcp_call', 'completed'],
  'response.mcp_call.failed': ['mcp_call', 'failed'],
  'response.mcp_list_tools.in_progress': ['mcp_list_tools', 'in_progress'],
  'response.mcp_list_tools.completed': ['mcp_list_tools', 'completed'],
  'response.mcp_list_tools.failed': ['mcp_list_tools', 'failed'],
};

/** Families whose `.delta` / `.done` events stream a value. */
export const DELTA_FAMILIES = [
  'response.output_text',
  'response.refusal',
  'response.reasoning_summary_text',
  'response.reasoning_text',
  'response.function_call_arguments',
  'response.custom_tool_call_input',
  'response.mcp_call_arguments',
  'response.code_interpreter_call_code',
  'response.apply_patch_call_operation_diff',
  'response.shell_call_command',
  'response.shell_call_output_content',
  'response.audio',
  'response.audio.transcript',
] as const;

const OTHER_EVENT_TYPES = [
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.annotation.added',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_part.done',
  'response.image_generation_call.partial_image',
  'response.shell_call_command.added',
  'response.compaction.compacting',
  'keepalive',
  'error',
];

export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...LIFECYCLE_EVENT_TYPES,
  ...Object.keys(STATUS_EVENTS),
  ...DELTA_FAMILIES.flatMap((family) => [`${family}.delta`, `${family}.done`]),
  ...OTHER_EVENT_TYPES,
]);

export function isKnownEventType(type: string): boolean {
  return KNOWN_EVENT_TYPES.has(type);
}

/** A delta of generated output: its first one marks the time to first token. */
export function isOutputDelta(type: string): boolean {
  return type.endsWith('.delta') && type.startsWith('response.') && type !== 'response.audio.delta';
}
