/**
 * The one door to the WebExtension API: every extension context imports
 * `browser` from here, never from the global, so Chrome and Firefox differ
 * in one place. (Page-world scripts have no extension API and must not import this.)
 */
import browser from 'webextension-polyfill';

export { browser };
export type { Runtime, WebRequest, Devtools, Tabs } from 'webextension-polyfill';
