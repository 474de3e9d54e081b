/**
 * Puts text on the clipboard from the panel. A DevTools panel is a frame whose
 * embedder may not grant the asynchronous clipboard (Chrome's DevTools does
 * not): the copy command on a selected, unseen text area comes first, and the
 * asynchronous clipboard (the standalone viewer, a browser that refuses the
 * command) after.
 */
export async function copyText(text: string): Promise<boolean> {
  const focused = document.activeElement as HTMLElement | null;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  focused?.focus();
  if (copied) return true;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Copies `text` and tells the user, through `notify`, what was copied (`what`) or that the browser refused. */
export async function copyAndSay(text: string, what: string, notify: (message: string) => void): Promise<void> {
  notify((await copyText(text)) ? `Copied: ${what}` : 'The browser refused the clipboard.');
}
