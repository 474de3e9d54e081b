/**
 * A Response rebuilt around an observed body must behave as the native one it
 * stands for. What a constructed Response cannot carry by itself (the url,
 * redirected and type of a fetched one, immutable headers, the native errors of
 * an aborted body) comes from `Response.prototype`'s own getters and body
 * methods, disguised to read as native, which look the rebuilt Response up
 * here. Every other Response goes straight to the native.
 */
import { callNative, disguiseGetter, disguiseMethod, getVia, natives, PrivateMap } from './natives.ts';

export interface RebuiltState {
  /** The Response the network gave: its url, redirected, type and (immutable) headers are the rebuilt one's. */
  original: Response;
  /** The page aborted the request: a native body then rejects every read with the abort reason. */
  aborted: boolean;
  abortReason?: unknown;
  /** The error the network body failed with: a native body rejects reads with it. */
  bodyError?: unknown;
  hasBodyError: boolean;
}

const rebuilt = new PrivateMap<Response, RebuiltState>();

export function registerRebuilt(response: Response, state: RebuiltState): void {
  rebuilt.set(response, state);
}

const IDENTITY_GETTERS = ['url', 'redirected', 'type', 'headers'] as const;
const BODY_METHODS = ['text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData'] as const;

function untouched(response: Response): boolean {
  const body = getVia<ReadableStream | null>(natives.responseBody, response);
  return !getVia<boolean>(natives.responseBodyUsed, response) && !(body && getVia<boolean>(natives.streamLocked, body));
}

export function disguiseResponses(): void {
  const prototype = Response.prototype;
  for (const property of IDENTITY_GETTERS) {
    disguiseGetter(prototype, property, (native, thisArg) => {
      const state = rebuilt.get(thisArg);
      return callNative(native, state ? state.original : thisArg, []);
    });
  }
  disguiseMethod(
    prototype,
    'clone',
    (native, thisArg, args) => {
      const copy = callNative<Response>(native, thisArg, args);
      const state = rebuilt.get(thisArg);
      if (state) rebuilt.set(copy, state);
      return copy;
    },
    { settleOwnKeys: true },
  );
  for (const method of BODY_METHODS) {
    disguiseMethod(prototype, method, (native, thisArg, args) => {
      const state = rebuilt.get(thisArg);
      if (!state) return callNative(native, thisArg, args);
      // A native body aborted before it was read rejects with the abort reason and stays unused.
      const wasUntouched = untouched(thisArg as Response);
      if (state.aborted && wasUntouched) return natives.promiseReject(state.abortReason);
      const reading = callNative<Promise<unknown>>(native, thisArg, args);
      // Reading a constructed body that errored rejects with a generic TypeError; a native one, with the error itself.
      return natives.reflectApply(natives.promiseThen, reading, [
        undefined,
        (error: unknown) => {
          // A body already used or locked gets the native's own TypeError.
          if (!wasUntouched) return natives.promiseReject(error);
          if (state.aborted) return natives.promiseReject(state.abortReason);
          if (state.hasBodyError) return natives.promiseReject(state.bodyError);
          return natives.promiseReject(error);
        },
      ]);
    }, { settleOwnKeys: true });
  }
}
