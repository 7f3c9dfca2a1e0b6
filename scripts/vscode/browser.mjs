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
