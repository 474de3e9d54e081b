/**
 * Conversations: responses chained by `previous_response_id`, or made in one
 * `conversation`, form a thread. A thread is named by the first response id of
 * its chain (the earliest one known) or by its conversation's id.
 */
import { isJsonObject, type JsonValue, type ResponseObject } from './response-types.ts';

/** What ties a response to the turns before it: from its request, else from what the response echoes. */
export interface ThreadLinks {
  previousResponseId?: string;
  conversationId?: string;
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
  // Most requests name neither: a search of the text spares parsing a large body (an agent's whole history) for nothing.
  if (requestBody === undefined || !/previous_response_id|conversation|\\u/.test(requestBody)) return {};
  let body: unknown;
  try {
    body = JSON.parse(requestBody);
  } catch {
    return {};
  }
  return isJsonObject(body) ? linksOf(body.previous_response_id, body.conversation) : {};
}

/** The links a Response echoes (`previous_response_id`, `conversation`). */
export function responseThreadLinks(response: ResponseObject): ThreadLinks {
  return linksOf(response.previous_response_id, response.conversation);
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
  return links;
}

/**
 * Places responses in their threads, in the order they were made: a response
 * continues the one its `previous_response_id` names when that one came before
 * (a response can only continue a finished one); otherwise the one it continues
 * was not captured, and it is turn 2 of a thread named by that missing id.
 * Only ids are kept, so reading a large file stays light.
 */
export class ThreadTracker {
  private readonly placeOfResponse = new Map<string, ThreadPlace>();
  private readonly turnsOfConversation = new Map<string, number>();
  private unnamed = 0;

  place(responseId: string | undefined, links: ThreadLinks): ThreadPlace {
    // The same response seen again (captured twice, or a file read twice) keeps its place: it is no new turn.
    const known = responseId === undefined ? undefined : this.placeOfResponse.get(responseId);
    if (known) return known;
    const place = this.placeOf(responseId, links);
    if (responseId !== undefined) this.placeOfResponse.set(responseId, place);
    return place;
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
    return { id: responseId ?? `(response ${++this.unnamed} without an id)`, turn: 1 };
  }
}
