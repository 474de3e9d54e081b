/**
 * Inputs built to hurt: values nested far deeper than any real response, and
 * indexes that leave gaps. Shared by the unit tests and the fuzzer.
 */

export type NestingKind = 'arrays' | 'objects';

/** JSON text of a value `depth` levels deep: `[[[…]]]` or `{"a":{"a":…1}}`. */
export function deepJsonText(depth: number, kind: NestingKind): string {
  return kind === 'arrays' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const snapshot = (status: string, extra = '') => `{"id":"resp_deep","object":"response","status":"${status}","model":"m","output":[]${extra}}`;

/** A stream whose terminal snapshot holds `metadata.deep`, `depth` levels deep. */
export function deepSnapshotStream(depth: number, kind: NestingKind): string {
  return [
    `data: {"type":"response.created","sequence_number":0,"response":${snapshot('in_progress')}}`,
    `data: {"type":"response.completed","sequence_number":1,"response":${snapshot('completed', `,"metadata":{"deep":${deepJsonText(depth, kind)}}`)}}`,
    '',
    '',
  ].join('\n\n');
}

/** A stream whose one output item (of an unknown type, as a viewer would print whole) holds a deep value, as do its annotation and error. */
export function deepItemStream(depth: number, kind: NestingKind): string {
  const deep = deepJsonText(depth, kind);
  const item = `{"type":"future_call","id":"fut_1","name":"f","arguments":${deep},"deep":${deep}}`;
  const message = `{"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"hi","annotations":[{"type":"future_citation","deep":${deep}}]}]}`;
  const mcp = `{"type":"mcp_call","id":"mcp_1","server_label":"s","name":"n","arguments":${JSON.stringify(deep)},"error":${deep}}`;
  const search = `{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"future","deep":${deep}}}`;
  const output = `[${item},${message},${mcp},${search}]`;
  return [
    `data: {"type":"response.created","sequence_number":0,"response":${snapshot('in_progress')}}`,
    `data: {"type":"response.completed","sequence_number":1,"response":{"id":"resp_deep","object":"response","status":"completed","model":"m","output":${output}}}`,
    '',
    '',
  ].join('\n\n');
}

/**
 * `count` `output_item.added` events, each `gap` indexes past the end of the
 * output: padded, this would make `count × gap` slots.
 */
export function gappedItemsStream(count: number, gap: number): string {
  const frames = [`data: {"type":"response.created","sequence_number":0,"response":${snapshot('in_progress')}}`];
  let index = 0;
  for (let number = 0; number < count; number++) {
    index += gap;
    frames.push(`data: {"type":"response.output_item.added","sequence_number":${number + 1},"output_index":${index},"item":{"type":"message","id":"msg_${number}","role":"assistant","content":[]}}`);
  }
  return frames.join('\n\n') + '\n\n';
}

/** The same, one level down: content parts, each `gap` past the end of one message's content. */
export function gappedPartsStream(count: number, gap: number): string {
  const frames = [
    `data: {"type":"response.created","sequence_number":0,"response":${snapshot('in_progress')}}`,
    `data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"msg_0","role":"assistant","content":[]}}`,
    `data: {"type":"response.output_item.added","sequence_number":2,"output_index":1,"item":{"type":"shell_call","id":"sh_0","action":{"commands":[]}}}`,
    `data: {"type":"response.output_item.added","sequence_number":3,"output_index":2,"item":{"type":"shell_call_output","id":"sho_0","output":[]}}`,
  ];
  let index = 0;
  let sequence = 4;
  for (let number = 0; number < count; number++) {
    index += gap;
    frames.push(`data: {"type":"response.content_part.added","sequence_number":${sequence++},"output_index":0,"item_id":"msg_0","content_index":${index},"part":{"type":"output_text","text":"","annotations":[]}}`);
    frames.push(`data: {"type":"response.output_text.delta","sequence_number":${sequence++},"output_index":0,"item_id":"msg_0","content_index":${index + gap},"delta":"x"}`);
    frames.push(`data: {"type":"response.shell_call_command.delta","sequence_number":${sequence++},"output_index":1,"command_index":${index},"delta":"ls"}`);
    frames.push(`data: {"type":"response.shell_call_output_content.delta","sequence_number":${sequence++},"output_index":2,"item_id":"sho_0","command_index":${index},"delta":{"stdout":"x"}}`);
  }
  return frames.join('\n\n') + '\n\n';
}

/** The depth of a JSON value (a primitive is 0, `[]` is 1, `[[1]]` is 2), counted without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) pending.push([child, inner]);
    }
  }
  return deepest;
}
