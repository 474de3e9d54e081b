import { browser } from '../extension/browser-api.ts';

export const PANEL_TITLE = 'Responses';

void browser.devtools.panels.create(PANEL_TITLE, '/icons/icon-32.png', '/panel/panel.html');
