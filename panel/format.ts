import { stringifyJson } from '../extension/core/index.ts';

/** Plain digits, no separators: token counts are copied and searched as numbers. */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : String(value);
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10000 ? 2 : 1)} s`;
}

export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

export function shortUrl(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: parsed.pathname + parsed.search };
  } catch {
    return { host: '', path: url };
  }
}

export function prettyJson(text: string): { text: string; valid: boolean } {
  try {
    return { text: stringifyJson(JSON.parse(text), 2), valid: true };
  } catch {
    return { text, valid: false };
  }
}

/** One line describing an event, for the events list. */
export function summarizeEventData(type: string, data: string): string {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(data) as Record<string, unknown>;
  } catch {
    return data.slice(0, 200);
  }
  if (typeof event.delta === 'string') return JSON.stringify(event.delta.slice(0, 200)).slice(0, 200);
  if (typeof event.text === 'string') return JSON.stringify(event.text.slice(0, 200)).slice(0, 200);
  if (typeof event.arguments === 'string') return event.arguments.slice(0, 200);
  const item = event.item as { type?: string; id?: string } | undefined;
  if (item) return `${item.type ?? '?'} ${item.id ?? ''}`.trim();
  const response = event.response as { status?: string; id?: string } | undefined;
  if (response) return `${response.status ?? ''} ${response.id ?? ''}`.trim();
  const error = (event.error ?? event) as { code?: unknown; message?: unknown };
  if (type === 'error') return `${String(error.code ?? '')} ${String(error.message ?? '')}`.trim();
  const where = ['output_index', 'content_index', 'summary_index', 'annotation_index']
    .filter((key) => typeof event[key] === 'number')
    .map((key) => `${key.replace('_index', '')} ${String(event[key])}`);
  return where.join(', ');
}
