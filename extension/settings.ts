import { browser } from './browser-api.ts';
import { DEFAULT_SETTINGS, type CaptureSettings } from './core/protocol.ts';

/** Settings live in storage.local, so they outlast browser restarts; the background is their only writer. */
export const SETTINGS_KEY = 'settings';

export async function readSettings(): Promise<CaptureSettings> {
  const stored = (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY] as Partial<CaptureSettings> | undefined;
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function writeSettings(settings: CaptureSettings): Promise<void> {
  await browser.storage.local.set({ [SETTINGS_KEY]: settings });
}
