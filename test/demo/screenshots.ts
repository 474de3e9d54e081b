/**
 * `npm run screenshots`: the README's pictures of the panel, taken in the real
 * Chrome DevTools at a side dock's size (480 × 760), in DevTools' light theme
 * and then its dark one, on a recorded web-search response.
 */
import { writeFileSync } from 'node:fs';
import { ChromiumWithDevtools } from '../e2e/chromium-devtools.ts';
import { startTestSite } from '../server/test-site.ts';
import { DEMO_RECORDINGS, demoRequest } from '../server/test-site.ts';

const NAME = 'vercel-ai__web-search-gpt-5-mini';
const SIDE_DOCK = { width: 480, height: 760 };

const server = await startTestSite();
const browser = await ChromiumWithDevtools.launch();
try {
  const page = browser.firstPage();
  await page.goto(`${server.url}/`);
  const panel = await browser.openPanel();
  await panel.resizeDevtools(SIDE_DOCK);
  const input = DEMO_RECORDINGS.find((recording) => recording.name === NAME)?.input ?? '';
  for (const name of ['seed__hello-gpt-4.1-nano', NAME]) {
    const recording = DEMO_RECORDINGS.find((candidate) => candidate.name === name);
    await page.evaluate(([route, body]) => window.e2e.streamWithOpenAI({ route, extraBody: body }), [name, demoRequest(name, recording?.input ?? input)] as const);
  }
  await panel.waitFor('document.querySelectorAll("[data-testid=capture-row]").length === 2 && document.querySelector("[data-item-type=web_search_call]") !== null');
  // The answer in view: its Markdown, its citation markers and the start of its sources.
  await panel.evaluate('document.querySelector("[data-item-type=message]").scrollIntoView({ block: "start" })');
  await panel.setDevtoolsTheme('default');
  await panel.waitFor('document.documentElement.dataset.theme === "light"');
  writeFileSync('panel/screenshot-light.png', await panel.screenshot());
  await panel.setDevtoolsTheme('dark');
  await panel.waitFor('document.documentElement.dataset.theme === "dark"');
  writeFileSync('panel/screenshot-dark.png', await panel.screenshot());
  await panel.setDevtoolsTheme('default');
  console.log('wrote panel/screenshot-light.png and panel/screenshot-dark.png');
} finally {
  await browser.close();
  await server.stop();
}
