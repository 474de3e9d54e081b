/**
 * How the page hook (MAIN world) hands the relay (ISOLATED world) one end of a
 * private MessageChannel. Both run at document_start, before any page script,
 * and the handshake is synchronous: `dispatchEvent` on the window calls the
 * listeners there and then, so it is over before the page's first script can
 * listen. (A `postMessage` would be delivered in a later task, which the
 * page's first script could see.) Whichever script runs second completes it:
 * the hook dispatches an event carrying the port; the relay dispatches one
 * without a port to ask for it.
 */
declare const __HANDSHAKE_EVENT__: string | undefined;

/** The event type on the window: made up at each build, so a page cannot know it in advance. */
export const HANDSHAKE_EVENT: string = typeof __HANDSHAKE_EVENT__ === 'string' ? __HANDSHAKE_EVENT__ : 'responses-devtools-handshake';
