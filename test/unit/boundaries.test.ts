import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { manifestFor } from '../../extension/build/manifest.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('extension/core stays browser-free', () => {
  const coreDir = join(root, 'extension', 'core');
  for (const file of readdirSync(coreDir).filter((name) => name.endsWith('.ts'))) {
    it(file, () => {
      const source = readFileSync(join(coreDir, file), 'utf8');
      const imports = [...source.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((match) => match[1]);
      for (const specifier of imports) assert.match(specifier ?? '', /^\.\/[\w.-]+\.ts$/, `${file} imports ${specifier}`);
      const code = source.replace(/\/\*[^]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\b(chrome|browser|window|document)\.\w/, `${file} uses a browser global`);
    });
  }
});

describe('manifest.json, one source for both browsers', () => {
  const source = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;

  it('gives Chrome a service worker and no Firefox settings', () => {
    const chrome = manifestFor('chrome', source, '1.2.3');
    assert.equal(chrome.version, '1.2.3');
    assert.deepEqual(chrome.background, { service_worker: 'background/background.js' });
    assert.equal(chrome.browser_specific_settings, undefined);
  });

  it('gives Firefox background scripts and its gecko settings', () => {
    const firefox = manifestFor('firefox', source);
    assert.deepEqual(firefox.background, { scripts: ['background/background.js'] });
    const gecko = (firefox.browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
    assert.equal(typeof gecko.id, 'string');
    assert.ok(gecko.data_collection_permissions);
  });

  it('leaves the source untouched', () => {
    const before = JSON.stringify(source);
    manifestFor('chrome', source);
    manifestFor('firefox', source);
    assert.equal(JSON.stringify(source), before);
  });
});
