// What the browser tests do in the workbench as a user would: right-click a file in the explorer
// and pick Munero's menu item, and wait for a build to finish verified.
import { sleep } from '../vscode/harness.mjs';

/** A failure of a test step, reported by its message alone (no stack). */
export class StepFailure extends Error {}

/**
 * Right-clicks `fileName` in the explorer and clicks "Build from Spec". The item appears only once
 * the extension host has registered the extension, a few seconds after the workbench is drawn, so
 * the right-click is retried until it is there. Resolves with the number of tries.
 */
export async function buildFromExplorer(page, fileName, { timeoutMs, beforeClick = async () => {} }) {
  const rows = page.locator('.explorer-folders-view .monaco-list-row');
  const specRow = rows.filter({ hasText: new RegExp(`^\\s*${fileName.replace(/\./g, '\\.')}\\s*$`) }).first();
  await specRow.waitFor({ state: 'visible', timeout: timeoutMs });
  const item = page.locator('.context-view .action-label').filter({ hasText: /^\s*Build from Spec\s*$/ }).first();
  const deadline = Date.now() + timeoutMs;
  let tries = 0;
  for (;;) {
    tries++;
    await specRow.click({ button: 'right', timeout: 10_000 });
    const shown = await item.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
    if (shown) break;
    const labels = await page.locator('.context-view .action-label').allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) {
      throw new StepFailure(`no "Build from Spec" in the context menu of ${fileName} after ${tries} tries; the menu had: ${labels.filter(Boolean).join(' | ') || '(nothing)'}`);
    }
    await sleep(1_000);
  }
  await beforeClick();
  await item.click({ timeout: 10_000 });
  // Seen on a loaded machine: the click lands while the menu is still settling and the menu stays
  // open with the item highlighted. A menu that did not close is given the click again by keyboard.
  const closed = await item.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
  if (!closed) {
    await item.hover({ timeout: 5_000 }).catch(() => undefined);
    await page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {
      throw new StepFailure('the context menu stayed open after clicking "Build from Spec" twice');
    });
  }
  return tries;
}

/**
 * Waits until the status bar says "Munero: verified …" or the Build tree counts every requirement
 * verified ("Requirements 2/2 verified"; "0/2 verified" is still running). Resolves with what it saw.
 */
export async function waitForVerified(page, timeoutMs) {
  const status = page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Munero:\s*verified\b/i });
  const treeRow = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /\b(\d+)\/\1\s+verified\b/i });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await status.count()) > 0) return `status bar: ${(await status.first().innerText()).trim()}`;
    if ((await treeRow.count()) > 0) return `tree: ${(await treeRow.first().innerText()).replace(/\s+/g, ' ').trim()}`;
    if (Date.now() > deadline) {
      const items = await page.locator('.part.statusbar .statusbar-item').allInnerTexts().catch(() => []);
      throw new StepFailure(`the build did not finish verified: no "Munero: verified" in the status bar (it has: ${items.map((s) => s.trim()).filter(Boolean).join(' | ')}) and no "N/N verified" row in the Build tree`);
    }
    await sleep(1_000);
  }
}
