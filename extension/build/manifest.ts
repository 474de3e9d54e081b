/**
 * One manifest.json source, two browsers. The source holds the union of what
 * both need; each build drops what the other browser's keys would break.
 */
export type TargetBrowser = 'chrome' | 'firefox';

export const TARGET_BROWSERS: readonly TargetBrowser[] = ['chrome', 'firefox'];

type Manifest = Record<string, unknown>;

/** What Firefox's stream filter needs; Chrome MV3 has no blocking webRequest for us and must not ask for it. */
export const FIREFOX_ONLY_PERMISSIONS = ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse'];

export function manifestFor(browser: TargetBrowser, source: Manifest, version?: string): Manifest {
  const manifest = structuredClone(source);
  if (version !== undefined) manifest.version = version;
  const background = manifest.background as { service_worker?: string; scripts?: string[] } | undefined;
  if (browser === 'chrome') {
    // Chrome runs MV3 backgrounds as service workers and rejects Firefox's settings block.
    delete manifest.browser_specific_settings;
    if (background) delete background.scripts;
  } else {
    // Firefox MV3 runs background scripts as an event page; it has no extension service workers.
    if (background) delete background.service_worker;
    manifest.permissions = [...((manifest.permissions as string[] | undefined) ?? []), ...FIREFOX_ONLY_PERMISSIONS];
  }
  return manifest;
}
