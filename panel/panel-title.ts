export const PANEL_TITLE = 'Responses';
