/**
 * Conversations: responses chained by `previous_response_id`, made in one
 * `conversation`, or whose request re-sends an earlier response's output items
 * (an agent's loop that keeps its own history: matched by item ids and call
 * ids) form a thread. A thread is named by the first response id of its chain
 * (the earliest one known) or by its conversation's id.
 */
import { isJsonObject, type JsonValue, type ResponseObject } from './response-types.ts';

/** What ties a response to the turns before it: from its request, else from what the response echoes. */
export interface ThreadLinks {
  previousResponseId?: string;
  conversationId?: string;
  /** The last item ids and call ids the request's input repeats (`requestItemRefs`). */
  inputRefs?: string[];
  /** The ids and call ids of the response's output items, which a later request may repeat. */
  outputRefs?: string[];
}

/** Ids kept of one side of a call: enough for the items a next request repeats last, small in a summary. */
const MAX_REFS = 64;
/** The end of a request body searched first for the ids it repeats (an agent's latest steps are at its end). */
const REF_WINDOW = 64 * 1024;
/** An item's id or a tool call's id, as JSON text names it in any of the APIs' inputs. */
const REF_PATTERN = /"(?:id|call_id|tool_call_id|tool_use_id|approval_request_id)"\s*:\s*"([^"\\]{1,200})"/g;

/**
 * The last item ids and call ids a request body names: an agent that re-sends its history ends its input with the
 * previous response's items and the answers to its tool calls. A search of the text, not a parse: bodies grow
 * with every step of a loop.
 */
/**
 * An id that names one item: not a counter such as `msg_0` or `call_0_1`, which the readers of other APIs make up
 * for items the stream left unnamed, and which every response has alike.
 */
function isDistinctiveId(id: string): boolean {
  return /[A-Za-z0-9]{8}/.test(id);
}

export function requestItemRefs(requestBody: string | undefined): string[] {
  if (requestBody === undefined) return [];
  // From the end, in a window that grows until it holds enough ids: the history before it is not read at all.
  for (let window = REF_WINDOW; ; window *= 4) {
    const from = Math.max(0, requestBody.length - window);
    const found: string[] = [];
    for (const match of requestBody.slice(from).matchAll(REF_PATTERN)) if (isDistinctiveId(match[1] as string)) found.push(match[1] as string);
    if (found.length >= MAX_REFS || from === 0) return [...new Set(found.slice(-MAX_REFS))];
  }
}

/** The ids and call ids of a response's output items. */
export function outputItemRefs(output: JsonValue | undefined): string[] {
  if (!Array.isArray(output)) return [];
  const refs = new Set<string>();
  for (const item of output) {
    if (refs.size >= MAX_REFS) break;
    if (!isJsonObject(item)) continue;
    for (const key of ['id', 'call_id']) {
      const value = item[key];
      if (typeof value === 'string' && isDistinctiveId(value)) refs.add(value);
    }
  }
  return [...refs];
}

export interface ThreadPlace {
  /** The first response id of the chain, or the conversation id. */
  id: string;
  /** 1-based. */
  turn: number;
  /** The response this one continues was not seen: turns before this one are missing (the thread's id is that response's). */
  previousMissing?: true;
}

function conversationIdOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (isJsonObject(value) && typeof value.id === 'string' && value.id !== '') return value.id;
  return undefined;
}

/** The links a request body (JSON text) names; none when it is absent or not JSON. */
export function requestThreadLinks(requestBody: string | undefined): ThreadLinks {
  const refs = requestItemRefs(requestBody);
  const links = namedLinks(requestBody);
  if (refs.length > 0) links.inputRefs = refs;
  return links;
}

function namedLinks(requestBody: string | undefined): ThreadLinks {
  // Most requests name neither: a search of the text spares parsing a large body (an agent's whole history) for nothing.
  // One alternation of the two keys is a fast search; a body that escapes characters (a key could be written so) is parsed.
  if (requestBody === undefined || !(/previous_response_id|conversation/.test(requestBody) || requestBody.includes('\\u'))) return {};
  let body: unknown;
  try {
    body = JSON.parse(requestBody);
  } catch {
    return {};
  }
  return isJsonObject(body) ? linksOf(body.previous_response_id, body.conversation) : {};
}

/** The links a Response echoes (`previous_response_id`, `conversation`), and the ids of its output items once it finished. */
export function responseThreadLinks(response: ResponseObject): ThreadLinks {
  const links = linksOf(response.previous_response_id, response.conversation);
  // Only a finished response is continued: an app re-sends what it received in full.
  const finished = response.status === 'completed' || response.status === 'incomplete';
  const refs = finished ? outputItemRefs(response.output as JsonValue | undefined) : [];
  if (refs.length > 0) links.outputRefs = refs;
  return links;
}

function linksOf(previous: JsonValue | undefined, conversation: JsonValue | undefined): ThreadLinks {
  const links: ThreadLinks = {};
  if (typeof previous === 'string' && previous !== '') links.previousResponseId = previous;
  const conversationId = conversationIdOf(conversation);
  if (conversationId !== undefined) links.conversationId = conversationId;
  return links;
}

/** The request's links, each completed from the response's echo of it. */
export function mergeThreadLinks(request: ThreadLinks, response: ThreadLinks): ThreadLinks {
  const links: ThreadLinks = {};
  const previous = request.previousResponseId ?? response.previousResponseId;
  const conversation = request.conversationId ?? response.conversationId;
  if (previous !== undefined) links.previousResponseId = previous;
  if (conversation !== undefined) links.conversationId = conversation;
  if (request.inputRefs !== undefined) links.inputRefs = request.inputRefs;
  if (response.outputRefs !== undefined) links.outputRefs = response.outputRefs;
  return links;
}

/**
 * Places responses in their threads, in the order they were made: a response
 * continues the one its `previous_response_id` names when that one came before
 * (a response can only continue a finished one); otherwise the one it continues
 * was not captured, and it is turn 2 of a thread named by that missing id.
 * A request with neither link continues the latest response whose output items
 * its input repeats. Only ids are kept, so reading a large file stays light.
 */
export class ThreadTracker {
  private readonly placeOfResponse = new Map<string, ThreadPlace>();
  private readonly turnsOfConversation = new Map<string, number>();
  /** Each output item's (and tool call's) id: the place of the response that made it, and when it was placed. */
  private readonly placeOfItem = new Map<string, { place: ThreadPlace; order: number }>();
  private placed = 0;
  private unnamed = 0;

  place(responseId: string | undefined, links: ThreadLinks): ThreadPlace {
    // The same response seen again (captured twice, or a file read twice) keeps its place: it is no new turn.
    const known = responseId === undefined ? undefined : this.placeOfResponse.get(responseId);
    if (known) return known;
    const place = this.placeOf(responseId, links);
    if (responseId !== undefined) this.placeOfResponse.set(responseId, place);
    const order = ++this.placed;
    for (const ref of links.outputRefs ?? []) this.placeOfItem.set(ref, { place, order });
    return place;
  }

  /** The latest placed response whose output items these ids name. */
  private repeatedPlace(refs: readonly string[] | undefined): ThreadPlace | undefined {
    let latest: { place: ThreadPlace; order: number } | undefined;
    for (const ref of refs ?? []) {
      const made = this.placeOfItem.get(ref);
      if (made && (!latest || made.order > latest.order)) latest = made;
    }
    return latest?.place;
  }

  private placeOf(responseId: string | undefined, links: ThreadLinks): ThreadPlace {
    if (links.conversationId !== undefined) {
      const turn = (this.turnsOfConversation.get(links.conversationId) ?? 0) + 1;
      this.turnsOfConversation.set(links.conversationId, turn);
      return { id: links.conversationId, turn };
    }
    const previous = links.previousResponseId;
    if (previous !== undefined && previous !== responseId) {
      const before = this.placeOfResponse.get(previous);
      if (before) return { id: before.id, turn: before.turn + 1 };
      return { id: previous, turn: 2, previousMissing: true };
    }
    const repeated = this.repeatedPlace(links.inputRefs);
    if (repeated) return { id: repeated.id, turn: repeated.turn + 1 };
    return { id: responseId ?? `(response ${++this.unnamed} without an id)`, turn: 1 };
  }
}
