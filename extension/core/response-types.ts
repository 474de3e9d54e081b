/**
 * The Response object and its parts, in the API's own shape.
 *
 * Only the fields the core reads or writes are typed; every object keeps the
 * rest of what the server sent (index signatures), so a Response that went
 * through the core serialises back to what the API returned.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export type ResponseStatus = 'in_progress' | 'queued' | 'completed' | 'incomplete' | 'failed' | 'cancelled';

export interface Usage {
  input_tokens?: number;
  input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number; [key: string]: JsonValue | undefined } | null;
  output_tokens?: number;
  output_tokens_details?: { reasoning_tokens?: number; [key: string]: JsonValue | undefined } | null;
  total_tokens?: number;
  [key: string]: JsonValue | undefined;
}

export interface ResponseError {
  code?: string | null;
  message?: string;
  type?: string;
  param?: string | null;
  [key: string]: JsonValue | undefined;
}

export interface ResponseObject {
  id?: string;
  object?: string;
  model?: string;
  status?: ResponseStatus | string;
  created_at?: number;
  completed_at?: number | null;
  output: OutputItem[];
  usage?: Usage | null;
  error?: ResponseError | null;
  incomplete_details?: { reason?: string; [key: string]: JsonValue | undefined } | null;
  [key: string]: JsonValue | undefined;
}

/** Any output item. Known item types are narrowed with the guards below. */
export interface OutputItem {
  type: string;
  id?: string;
  status?: string;
  [key: string]: JsonValue | undefined;
}

export interface Annotation {
  type: string;
  [key: string]: JsonValue | undefined;
}

/** A part of a message's `content` or of a reasoning item's `summary` / `content`. */
export interface ContentPart {
  type: string;
  text?: string;
  refusal?: string;
  annotations?: Annotation[];
  [key: string]: JsonValue | undefined;
}

export interface MessageItem extends OutputItem {
  type: 'message';
  role?: string;
  content: ContentPart[];
}

export interface ReasoningItem extends OutputItem {
  type: 'reasoning';
  summary: ContentPart[];
  content?: ContentPart[];
}

export interface ShellCommandOutput {
  stdout?: string;
  stderr?: string;
  outcome?: JsonObject;
  [key: string]: JsonValue | undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True for a JSON body that is a Response object (non-streaming call, or a snapshot). */
export function looksLikeResponseObject(value: unknown): value is ResponseObject {
  return isJsonObject(value) && Array.isArray(value.output) && (value.object === 'response' || typeof value.id === 'string');
}
