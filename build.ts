/**
 * Builds the command (dist/cli) and the extension for each browser
 * (dist/chrome, dist/firefox) from the one manifest.json.
 *
 *   tsx build.ts [--browser chrome|firefox] [--cli-only] [--test-key]
 */
import { build, type BuildOptions } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestFor, TARGET_BROWSERS, type TargetBrowser } from './extension/build/manifest.ts';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

/** One bundle per extension context: output path (without .js) → source. */
const EXTENSION_ENTRIES: Record<string, string> = {
  'background/background': 'background/background.ts',
  'panel/devtools': 'panel/devtools.ts',
  'panel/panel': 'panel/panel.tsx',
  'content/page-hook': 'extension/content/page-hook.ts',
  'content/relay': 'extension/content/relay.ts',
};

/** Files copied as they are: destination → source. */
const STATIC_FILES: Record<string, string> = {
  'panel/devtools.html': 'panel/devtools.html',
  'panel/panel.html': 'panel/panel.html',
  // The viewer is the panel page opened in a tab: the same document, told apart by its context.
  'panel/viewer.html': 'panel/panel.html',
  'panel/panel.css': 'panel/panel.css',
  'icons/icon-16.png': 'extension/icons/icon-16.png',
  'icons/icon-32.png': 'extension/icons/icon-32.png',
  'icons/icon-48.png': 'extension/icons/icon-48.png',
  'icons/icon-128.png': 'extension/icons/icon-128.png',
};

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function buildCli(): Promise<void> {
  const outfile = join(dist, 'cli', 'responses-devtools.js');
  await build({
    entryPoints: [join(root, 'extension/cli/responses-devtools.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

async function buildExtension(browser: TargetBrowser): Promise<void> {
  const outdir = join(dist, browser);
  rmSync(outdir, { recursive: true, force: true });
  const common: BuildOptions = {
    bundle: true,
    format: 'iife',
    target: browser === 'chrome' ? 'chrome120' : 'firefox128',
    sourcemap: 'linked',
    logLevel: 'warning',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: {
      __TARGET_BROWSER__: JSON.stringify(browser),
      // The page hook and the relay meet on the window under a name no page can know in advance.
      __HANDSHAKE_EVENT__: JSON.stringify(`rdt-${randomBytes(8).toString('hex')}`),
    },
  };
  const entryPoints = Object.entries(EXTENSION_ENTRIES)
    .filter(([, source]) => existsSync(join(root, source)))
    .map(([out, source]) => ({ out, in: join(root, source) }));
  await build({ ...common, entryPoints, outdir });
  for (const [destination, source] of Object.entries(STATIC_FILES)) {
    if (!existsSync(join(root, source))) continue;
    mkdirSync(dirname(join(outdir, destination)), { recursive: true });
    copyFileSync(join(root, source), join(outdir, destination));
  }
  const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const source = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const manifest = manifestFor(browser, source, packageVersion);
  const testKey = process.argv.includes('--test-key') ? readTestKey() : undefined;
  if (testKey && browser === 'chrome') manifest.key = testKey;
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** A fixed public key gives the unpacked test build a known extension id. */
function readTestKey(): string | undefined {
  const path = join(root, 'test', 'e2e', 'extension-test-key.txt');
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

async function main(): Promise<void> {
  mkdirSync(dist, { recursive: true });
  await buildCli();
  if (process.argv.includes('--cli-only')) return;
  const requested = option('--browser');
  if (requested !== undefined && !TARGET_BROWSERS.includes(requested as TargetBrowser)) {
    throw new Error(`--browser must be one of ${TARGET_BROWSERS.join(', ')}`);
  }
  const browsers = requested ? [requested as TargetBrowser] : TARGET_BROWSERS;
  for (const browser of browsers) await buildExtension(browser);
  const built = browsers.map((browser) => `dist/${browser} (${readdirSync(join(dist, browser)).length} entries)`);
  console.log(`built dist/cli, ${built.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
