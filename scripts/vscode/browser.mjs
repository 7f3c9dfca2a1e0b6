// Headless Chromium (Debian's /usr/bin/chromium, installed by install-code-server.mjs) driven by
// playwright-core, for tests that open the code-server workbench.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const chromiumPath = () => process.env.MUNERO_CHROMIUM || '/usr/bin/chromium';

/**
 * Flags for a machine without internet: without the networking ones Chromium keeps trying hosts
 * it cannot reach. As root Chromium needs --no-sandbox.
 */
export function chromiumArgs() {
  return [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ];
}

/**
 * Launches headless Chromium and opens one page of the given size. Console messages and page
 * errors are kept (`consoleLines`) for failure reports.
 */
export async function openBrowser({ width = 1440, height = 900 } = {}) {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}; run: node scripts/vscode/install-code-server.mjs`);
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: chromiumArgs(), timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const consoleLines = [];
  const keep = (line) => {
    consoleLines.push(line);
    if (consoleLines.length > 2_000) consoleLines.shift();
  };
  page.on('console', (msg) => keep(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => keep(`[pageerror] ${err.message}`));
  let closed = false;
  // Recorded so that a failure report can tell why the page went away.
  page.on('crash', () => keep('[pageerror] the page crashed'));
  page.on('close', () => !closed && keep('[pageerror] the page was closed'));
  browser.on('disconnected', () => !closed && keep('[pageerror] Chromium exited or disconnected'));
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser.close().catch(() => {});
  };
  return { browser, page, consoleLines, close };
}

/**
 * Runs a workbench command the way a user does: F1, type its title (e.g. "Developer: Show Running
 * Extensions"), wait until the palette lists it, Enter. Throws when the palette does not offer it.
 */
export async function runPaletteCommand(page, title, { timeoutMs = 15_000 } = {}) {
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('F1');
  await widget.locator('input').first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.type(title);
  const row = widget.locator('.monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
    const seen = await widget.locator('.monaco-list-row').allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`the command palette does not offer "${title}" (it lists: ${seen.map((s) => s.replace(/\s+/g, ' ').trim()).join(' | ') || 'nothing'})`);
  });
  // Enter runs the highlighted (first) entry; make sure that is ours.
  const first = widget.locator('.monaco-list-row').first();
  if (!((await first.innerText()).includes(title))) await row.click();
  else await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {});
}
