import { isJsonObject, type ContentPart, type JsonObject, type OutputItem } from './response-types.ts';
import { excerptOf } from './warnings.ts';

/**
 * The values of an output item that deltas build, each under a stable path
 * ("content[0].text", "arguments", "action.commands[1]"…). Comparing these
 * between what the stream built and what the server finally sent is how the
 * assembler notices a disagreement.
 */
export function streamedValues(item: OutputItem): Map<string, string> {
  const values = new Map<string, string>();
  const put = (path: string, value: unknown) => {
    if (typeof value === 'string') values.set(path, value);
  };
  const parts = (key: string, list: unknown) => {
    if (!Array.isArray(list)) return;
    list.forEach((part: unknown, index) => {
      if (!isJsonObject(part)) return;
      put(`${key}[${index}].text`, part.text);
      put(`${key}[${index}].refusal`, part.refusal);
    });
  };
  switch (item.type) {
    case 'message':
      parts('content', item.content);
      break;
    case 'reasoning':
      parts('summary', item.summary);
      parts('content', item.content);
      break;
    case 'function_call':
    case 'mcp_call':
      put('arguments', item.arguments);
      break;
    case 'custom_tool_call':
      put('input', item.input);
      break;
    case 'code_interpreter_call':
      put('code', item.code);
      break;
    case 'apply_patch_call':
      if (isJsonObject(item.operation)) put('operation.diff', item.operation.diff);
      break;
    case 'shell_call': {
      const commands = isJsonObject(item.action) ? item.action.commands : undefined;
      if (Array.isArray(commands)) commands.forEach((command, index) => put(`action.commands[${index}]`, command));
      break;
    }
    case 'shell_call_output':
      if (Array.isArray(item.output)) {
        item.output.forEach((entry, index) => {
          if (!isJsonObject(entry)) return;
          put(`output[${index}].stdout`, entry.stdout);
          put(`output[${index}].stderr`, entry.stderr);
        });
      }
      break;
    default:
      break;
  }
  return values;
}

/**
 * The paths where `built` holds a non-empty streamed value that `final` does
 * not have exactly. An empty built value is not a disagreement: nothing was
 * streamed for it.
 */
export function disagreements(built: OutputItem, final: OutputItem): Array<{ path: string; built: string; final: string }> {
  const finalValues = streamedValues(final);
  const found: Array<{ path: string; built: string; final: string }> = [];
  for (const [path, value] of streamedValues(built)) {
    if (value === '') continue;
    const finalValue = finalValues.get(path) ?? '';
    if (finalValue !== value) found.push({ path, built: value, final: finalValue });
  }
  return found;
}

export function describeItem(item: OutputItem, outputIndex: number): string {
  const id: unknown = item.id;
  return `output[${outputIndex}] (${excerptOf(item.type)}${id === undefined || id === null || id === '' ? '' : ' ' + excerptOf(id)})`;
}

export function emptyPartLike(type: string): ContentPart {
  switch (type) {
    case 'refusal':
      return { type, refusal: '' };
    case 'output_text':
      return { type, text: '', annotations: [] };
    default:
      return { type, text: '' };
  }
}

/** A minimal item of the type an event family implies, for events about items never announced. */
export function placeholderItem(type: string, id: string | undefined): OutputItem {
  const item: OutputItem = { type, status: 'in_progress' };
  if (id !== undefined) item.id = id;
  switch (type) {
    case 'message':
      item.role = 'assistant';
      item.content = [];
      break;
    case 'reasoning':
      item.summary = [];
      break;
    case 'function_call':
    case 'mcp_call':
      item.arguments = '';
      break;
    case 'custom_tool_call':
      item.input = '';
      break;
    case 'code_interpreter_call':
      item.code = '';
      break;
    case 'shell_call':
      item.action = { commands: [] };
      break;
    case 'shell_call_output':
      item.output = [];
      break;
    case 'apply_patch_call':
      item.operation = { diff: '' };
      break;
    default:
      break;
  }
  return item;
}

export function asObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}
