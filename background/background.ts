import { browser } from '../extension/browser-api.ts';

// Capture and routing arrive with the Chrome and Firefox capture layers.
browser.runtime.onInstalled.addListener(() => undefined);
