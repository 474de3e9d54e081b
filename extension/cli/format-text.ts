import { priceTable } from '../prices/price-table.ts';
import {
  isJsonObject,
  formatUsd,
  RATE_LIMIT_KINDS,
  usedShare,
  formatShare,
  type RateLimits,
  responseCost,
  stringField,
  type ContentPart,
  type JsonObject,
  type OutputItem,
  type InspectedResponse,
  type ResponseSummary,
  stringifyJson,
} from '../core/index.ts';

/** A readable transcript of one response, for a terminal. */
export function formatResponseText({ summary, view: response }: InspectedResponse, position: number, count: number): string {
  const { usage, timing, warnings } = summary;
  const lines: string[] = [];
  const title = `Response ${position + 1} of ${count}: ${text(response.id, '(no id)')}`;
  lines.push(title, '='.repeat(title.length));
  lines.push(`model   ${text(response.model, '(unknown)')}`);
  lines.push(`status  ${text(response.status, 'unknown')}${reasonSuffix(response.incomplete_details)}`);
  if (isJsonObject(response.error)) {
    lines.push(`error   ${stringField(response.error, 'code') ?? ''} ${stringField(response.error, 'message') ?? ''}`.trimEnd());
  }
  if (summary.thread) lines.push(`thread  ${summary.thread.id}, turn ${summary.thread.turn}${summary.thread.previousMissing ? ' (the turn before was not captured)' : ''}`);
  if (summary.at) {
    const after = summary.at.ms === null ? '' : `, ${Math.round(summary.at.ms)} ms after the start`;
    lines.push(`at      event ${summary.at.events} of ${summary.at.of}${after}: the response as it stood then`);
  }
  lines.push(`events  ${summary.events}`, '');

  lines.push(`Output (${response.output.length} item${response.output.length === 1 ? '' : 's'})`);
  if (response.output.length === 0) lines.push('  (none)');
  response.output.forEach((item, index) => lines.push(...formatItem(item, index)));
  lines.push('');

  lines.push('Usage');
  if (usage) {
    const rows: Array<[string, number]> = [
      ['input', usage.input],
      ['  cached', usage.cached],
      ...(usage.cacheWrite === undefined ? [] : [['  cache write', usage.cacheWrite] as [string, number]]),
      ['output', usage.output],
      ['  reasoning', usage.reasoning],
      ['total', usage.total],
    ];
    const width = Math.max(...rows.map(([, value]) => text(value).length));
    for (const [label, value] of rows) lines.push(`  ${label.padEnd(14)}${text(value).padStart(width)}`);
  } else {
    lines.push('  (not reported)');
  }
  lines.push('');

  if (summary.cost !== undefined) lines.push(...formatCost(summary), '');
  if (summary.rateLimits !== undefined) lines.push(...formatRateLimits(summary.rateLimits), '');

  lines.push('Timing');
  if (timing.startedAt === null && timing.serverDurationMs === null) {
    lines.push('  (no receive times in this input)');
  } else {
    const ms = (value: number | null) => (value === null ? 'n/a' : `${Math.round(value)} ms`);
    if (timing.startedAt !== null) {
      lines.push(`  first byte      ${ms(timing.firstByteMs)}`);
      lines.push(`  first token     ${ms(timing.firstTokenMs)}`);
      lines.push(`  last event      ${ms(timing.lastEventMs)}`);
      lines.push(`  duration        ${ms(timing.durationMs)}`);
      if (timing.outputTokensPerSecond !== null) lines.push(`  output rate     ${timing.outputTokensPerSecond} tokens/s`);
    }
    if (timing.serverDurationMs !== null) lines.push(`  server time     ${timing.serverDurationMs / 1000} s (created_at to completed_at)`);
  }

  if (warnings.length > 0) {
    lines.push('', `Warnings (${warnings.length})`);
    for (const warning of warnings) {
      const where = warning.sequence_number === undefined ? '' : ` [seq ${warning.sequence_number}]`;
      lines.push(`  ! ${warning.code}${where}: ${warning.message}`);
    }
  }
  return escapeControlCharacters(lines.join('\n'));
}

/** The heading of a thread's responses in the text output. */
export function formatThreadHeading(id: string, responses: number, previousMissing: boolean): string {
  const title = `Thread ${id}: ${responses} response${responses === 1 ? '' : 's'}${previousMissing ? ', its first turns not captured' : ''}`;
  return escapeControlCharacters(`${title}\n${'#'.repeat(title.length)}`);
}

/** What the response cost, part by part, and where the prices come from; or why it has no cost. */
function formatCost(summary: ResponseSummary): string[] {
  const { cost } = summary;
  if (!cost) {
    const reading = responseCost(summary.response, summary.usage, priceTable);
    return ['Cost', `  – ${reading.cost === null ? reading.reason : 'not known'}`];
  }
  const rows: Array<[string, number]> = [
    ['input', cost.input],
    ['cached input', cost.cachedInput],
    ...(summary.usage?.cacheWrite === undefined ? [] : [['cache write', cost.cacheWrite] as [string, number]]),
    ['output', cost.output],
    ...(cost.tools === 0 ? [] : [['built-in tools', cost.tools] as [string, number]]),
    ['total', cost.total],
  ];
  const amounts = rows.map(([, value]) => formatUsd(value));
  const width = Math.max(...amounts.map((amount) => amount.length));
  return [`Cost (${cost.currency}, prices from ${cost.source})`, ...rows.map(([label], index) => `  ${label.padEnd(14)}${(amounts[index] as string).padStart(width)}`)];
}

/** Each limit the call's headers reported: what was left, how much of it was used, when it resets. */
function formatRateLimits(limits: RateLimits | null): string[] {
  if (!limits) return ['Rate limits', '  (none reported)'];
  const lines = ['Rate limits'];
  for (const kind of RATE_LIMIT_KINDS) {
    const limit = limits[kind];
    if (!limit) continue;
    const share = usedShare(limit);
    const left = `${text(limit.remaining, '?')} of ${text(limit.limit, '?')} left${share === undefined ? '' : ` (${formatShare(share)} used)`}`;
    lines.push(`  ${kind.padEnd(14)}${left}${limit.reset === null ? '' : `, resets in ${limit.reset}`}`);
  }
  return lines;
}


/** Model output is text: a control character must not drive the terminal (escape sequences). */
export function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value of the response as text: a string as it is, anything else as compact JSON; `fallback` when absent. */
function text(value: unknown, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'string' ? value : stringifyJson(value);
}

function reasonSuffix(details: unknown): string {
  return isJsonObject(details) && typeof details.reason === 'string' ? ` (${details.reason})` : '';
}

function indent(lines: string, prefix: string): string[] {
  return lines.split('\n').map((line) => prefix + line);
}

function prettyJson(text: string): string {
  try {
    return stringifyJson(JSON.parse(text), 2);
  } catch {
    return text;
  }
}

function parts(value: unknown): ContentPart[] {
  return Array.isArray(value) ? value.filter(isJsonObject).map((part) => part as ContentPart) : [];
}

/** The lines of one output item, indented under its `[index]`; control characters left for `escapeControlCharacters`. */
export function formatItem(item: OutputItem, index: number): string[] {
  const status = item.status ? ` [${text(item.status)}]` : '';
  const head = (label: string) => `  [${index}] ${label}${status}`;
  const body = '      ';
  const lines: string[] = [];
  switch (item.type) {
    case 'message': {
      const phase = typeof item.phase === 'string' ? `, ${item.phase}` : '';
      lines.push(head(`message (${text(item.role, 'assistant')}${phase})`));
      for (const part of parts(item.content)) {
        if (part.type === 'refusal') {
          lines.push(`${body}REFUSAL:`, ...indent(text(part.refusal), body + '  '));
          continue;
        }
        lines.push(...indent(text(part.text), body));
        const annotations = Array.isArray(part.annotations) ? part.annotations : [];
        if (annotations.length > 0) {
          lines.push(`${body}citations:`);
          annotations.forEach((annotation, number) => lines.push(`${body}  [${number + 1}] ${formatAnnotation(annotation)}`));
        }
      }
      break;
    }
    case 'reasoning': {
      lines.push(head('reasoning'));
      const summary = parts(item.summary);
      if (summary.length > 0) lines.push(`${body}summary:`);
      for (const part of summary) lines.push(...indent(text(part.text), body + '  '));
      for (const part of parts(item.content)) lines.push(`${body}reasoning text:`, ...indent(text(part.text), body + '  '));
      if (typeof item.encrypted_content === 'string') lines.push(`${body}(encrypted content, ${item.encrypted_content.length} chars)`);
      if (summary.length === 0 && parts(item.content).length === 0) lines.push(`${body}(no summary)`);
      break;
    }
    case 'function_call':
      lines.push(head(`function_call ${text(item.name, '?')} (call_id ${text(item.call_id, '?')})`));
      lines.push(`${body}arguments:`, ...indent(prettyJson(text(item.arguments, '')), body + '  '));
      break;
    case 'function_call_output':
    case 'custom_tool_call_output': {
      lines.push(head(`${item.type} (call_id ${text(item.call_id)})`));
      const output = item.output;
      if (typeof output === 'string') lines.push(`${body}output:`, ...indent(prettyJson(output), body + '  '));
      else if (output !== undefined && output !== null) lines.push(`${body}output:`, ...indent(stringifyJson(output, 2), body + '  '));
      break;
    }
    case 'custom_tool_call':
      lines.push(head(`custom_tool_call ${text(item.name, '?')} (call_id ${text(item.call_id, '?')})`));
      lines.push(`${body}input:`, ...indent(text(item.input, ''), body + '  '));
      break;
    case 'mcp_call':
      lines.push(head(`mcp_call ${text(item.server_label, '?')}.${text(item.name, '?')}`));
      lines.push(`${body}arguments:`, ...indent(prettyJson(text(item.arguments, '')), body + '  '));
      if (typeof item.output === 'string') lines.push(`${body}output:`, ...indent(truncate(item.output, 600), body + '  '));
      if (item.error) lines.push(`${body}error: ${stringifyJson(item.error)}`);
      break;
    case 'mcp_list_tools': {
      const tools = Array.isArray(item.tools) ? item.tools.filter(isJsonObject) : [];
      lines.push(head(`mcp_list_tools ${text(item.server_label, '?')}`));
      lines.push(`${body}${tools.length} tool(s): ${tools.map((tool) => stringField(tool, 'name') ?? '?').join(', ')}`);
      break;
    }
    case 'web_search_call': {
      lines.push(head('web_search_call'));
      const action = isJsonObject(item.action) ? item.action : undefined;
      if (action) lines.push(`${body}${formatWebSearchAction(action)}`);
      break;
    }
    case 'file_search_call': {
      lines.push(head('file_search_call'));
      const queries = Array.isArray(item.queries) ? item.queries : [];
      if (queries.length > 0) lines.push(`${body}queries: ${queries.map((query) => stringifyJson(query)).join(', ')}`);
      if (Array.isArray(item.results)) lines.push(`${body}${item.results.length} result(s)`);
      break;
    }
    case 'code_interpreter_call': {
      lines.push(head('code_interpreter_call'));
      lines.push(`${body}code:`, ...indent(text(item.code, ''), body + '  '));
      const outputs = Array.isArray(item.outputs) ? item.outputs.filter(isJsonObject) : [];
      for (const output of outputs) {
        if (output.type === 'logs') lines.push(`${body}logs:`, ...indent(truncate(text(output.logs, ''), 600), body + '  '));
        else lines.push(`${body}${text(output.type)} output${typeof output.url === 'string' ? ` ${output.url}` : ''}`);
      }
      break;
    }
    case 'image_generation_call': {
      lines.push(head('image_generation_call'));
      if (typeof item.revised_prompt === 'string') lines.push(`${body}prompt: ${item.revised_prompt}`);
      if (typeof item.result === 'string') lines.push(`${body}image: ${item.result.length} base64 chars${typeof item.output_format === 'string' ? ` (${item.output_format})` : ''}`);
      break;
    }
    case 'shell_call': {
      lines.push(head(`shell_call (call_id ${text(item.call_id, '?')})`));
      const commands = isJsonObject(item.action) && Array.isArray(item.action.commands) ? item.action.commands : [];
      for (const command of commands) lines.push(`${body}$ ${text(command)}`);
      break;
    }
    case 'shell_call_output': {
      lines.push(head(`shell_call_output (call_id ${text(item.call_id, '?')})`));
      const outputs = Array.isArray(item.output) ? item.output.filter(isJsonObject) : [];
      outputs.forEach((output, number) => {
        lines.push(`${body}command ${number}:${formatOutcome(output.outcome)}`);
        if (output.stdout) lines.push(...indent(truncate(text(output.stdout), 600), body + '  '));
        if (output.stderr) lines.push(...indent(truncate(text(output.stderr), 600), body + '  stderr: '));
      });
      break;
    }
    case 'apply_patch_call': {
      const operation = isJsonObject(item.operation) ? item.operation : {};
      lines.push(head(`apply_patch_call ${text(operation.type, '')} ${text(operation.path, '')}`.trimEnd()));
      if (typeof operation.diff === 'string') lines.push(...indent(operation.diff, body));
      break;
    }
    default: {
      const name = typeof item.name === 'string' ? ` ${item.name}` : '';
      lines.push(head(`${item.type}${name}`));
      if (typeof item.arguments === 'string') lines.push(`${body}arguments:`, ...indent(prettyJson(item.arguments), body + '  '));
      else if (isJsonObject(item.arguments)) lines.push(`${body}arguments:`, ...indent(stringifyJson(item.arguments, 2), body + '  '));
      break;
    }
  }
  return lines;
}

function formatAnnotation(annotation: JsonObject): string {
  const range =
    typeof annotation.start_index === 'number' && typeof annotation.end_index === 'number'
      ? ` (chars ${annotation.start_index}–${annotation.end_index})`
      : '';
  switch (annotation.type) {
    case 'url_citation':
      return `${text(annotation.title, '')} <${text(annotation.url, '')}>${range}`.trim();
    case 'file_citation':
    case 'container_file_citation':
      return `file ${text(annotation.filename ?? annotation.file_id, '?')}${range}`;
    case 'file_path':
      return `file path ${text(annotation.file_id, '?')}`;
    default:
      return `${text(annotation.type)} ${stringifyJson(annotation)}`;
  }
}

function formatWebSearchAction(action: JsonObject): string {
  switch (action.type) {
    case 'search': {
      const sources = Array.isArray(action.sources) ? `, ${action.sources.length} source(s)` : '';
      return `search ${stringifyJson(action.query ?? '')}${sources}`;
    }
    case 'open_page':
      return `open page ${text(action.url, '')}`;
    case 'find':
    case 'find_in_page':
      return `find ${stringifyJson(action.pattern ?? '')} in ${text(action.url, '')}`;
    default:
      return stringifyJson(action);
  }
}

function formatOutcome(outcome: unknown): string {
  if (!isJsonObject(outcome)) return '';
  if (outcome.type === 'exit') return ` exit ${text(outcome.exit_code, '?')}`;
  return ` ${text(outcome.type)}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
