/** A message of `deltas` text deltas, framed like OpenAI's streams; `deltaText` says what each delta holds. */
export function longMessageStream(deltas: number, deltaText: (index: number) => string = (index) => ` word${index % 97}`): string {
  const parts: string[] = [];
  let sequence = 0;
  const frame = (event: Record<string, unknown>) => {
    parts.push(`event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`);
  };
  const response = { id: 'resp_long', object: 'response', created_at: 0, status: 'in_progress', model: 'long-model', output: [], usage: null };
  frame({ type: 'response.created', response });
  frame({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_long', type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
  frame({ type: 'response.content_part.added', item_id: 'msg_long', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
  let text = '';
  for (let index = 0; index < deltas; index++) {
    const delta = deltaText(index);
    text += delta;
    frame({ type: 'response.output_text.delta', item_id: 'msg_long', output_index: 0, content_index: 0, delta, logprobs: [], obfuscation: 'abcdef' });
  }
  frame({ type: 'response.output_text.done', item_id: 'msg_long', output_index: 0, content_index: 0, text, logprobs: [] });
  const item = { id: 'msg_long', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
  frame({ type: 'response.output_item.done', output_index: 0, item });
  frame({ type: 'response.completed', response: { ...response, status: 'completed', output: [item], usage: { input_tokens: 1, output_tokens: deltas, total_tokens: deltas + 1 } } });
  return parts.join('');
}

function framer(): { frame: (event: Record<string, unknown>) => void; text: () => string } {
  const parts: string[] = [];
  let sequence = 0;
  return {
    frame: (event) => parts.push(`event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`),
    text: () => parts.join(''),
  };
}

/** A message whose text is `text`, sent in deltas of `deltaChars`. */
export function messageStream(text: string, deltaChars: number): string {
  const { frame, text: stream } = framer();
  const response = { id: 'resp_big_text', object: 'response', created_at: 0, status: 'in_progress', model: 'big-model', output: [], usage: null };
  frame({ type: 'response.created', response });
  frame({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_big', type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
  frame({ type: 'response.content_part.added', item_id: 'msg_big', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
  for (let start = 0; start < text.length; start += deltaChars) {
    frame({ type: 'response.output_text.delta', item_id: 'msg_big', output_index: 0, content_index: 0, delta: text.slice(start, start + deltaChars), logprobs: [] });
  }
  frame({ type: 'response.output_text.done', item_id: 'msg_big', output_index: 0, content_index: 0, text, logprobs: [] });
  const item = { id: 'msg_big', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
  frame({ type: 'response.output_item.done', output_index: 0, item });
  frame({ type: 'response.completed', response: { ...response, status: 'completed', output: [item], usage: { input_tokens: 3, output_tokens: 4321, total_tokens: 4324 } } });
  return stream();
}

/** A function call whose arguments are `args`, sent in deltas of `deltaChars`. */
export function functionCallStream(args: string, deltaChars: number): string {
  const { frame, text: stream } = framer();
  const response = { id: 'resp_big_args', object: 'response', created_at: 0, status: 'in_progress', model: 'big-model', output: [], usage: null };
  frame({ type: 'response.created', response });
  const added = { id: 'fc_big', type: 'function_call', status: 'in_progress', name: 'save_everything', call_id: 'call_big', arguments: '' };
  frame({ type: 'response.output_item.added', output_index: 0, item: added });
  for (let start = 0; start < args.length; start += deltaChars) {
    frame({ type: 'response.function_call_arguments.delta', item_id: 'fc_big', output_index: 0, delta: args.slice(start, start + deltaChars) });
  }
  frame({ type: 'response.function_call_arguments.done', item_id: 'fc_big', output_index: 0, arguments: args });
  const item = { ...added, status: 'completed', arguments: args };
  frame({ type: 'response.output_item.done', output_index: 0, item });
  frame({ type: 'response.completed', response: { ...response, status: 'completed', output: [item], usage: { input_tokens: 3, output_tokens: 1234, total_tokens: 1237 } } });
  return stream();
}

