#!/usr/bin/env node
// Two windows on one workspace, as a user has them: two browser tabs of the same code-server
// folder (each its own extension host process). Window 1 right-clicks watched.spec.md → Build from
// Spec; window 2 does the same while that build runs, is told which build runs where (the other
// window, its pid, the spec, since when) and offered Watch; after Watch, window 2's Build tree
// follows window 1's build to "verified". The model is test/vscode/fixtures/watched/session.json
// (every turn 8 s late, so the build is still running when window 2 asks).
//
//   node test/e2e/twoWindows.mjs [--keep]
//
// Screenshots go to test-results/e2e-windows-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixturesDir, log as logAs, repoRoot, testResultsDir } from '../vscode/harness.mjs';
import { exitWith, runSession } from './session.mjs';
import { StepFailure, buildFromExplorer, waitForVerified } from './workbench.mjs';

const TAG = 'test:e2e:windows';
const log = (msg) => logAs(TAG, msg);
const fixture = path.join(fixturesDir, 'watched');
const SPEC = 'watched.spec.md';
const TIMEOUT = { workbench: 120_000, menu: 90_000, lock: 60_000, notice: 30_000, follow: 60_000, finish: 3 * 60_000 };

const { values: opts } = parseArgs({ options: { keep: { type: 'boolean' } }, strict: true });
const keep = opts.keep || process.env.MUNERO_KEEP_TMP === '1';

/** The lock file's holder, once a build has taken it. */
function lockOf(workspace) {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'lock'), 'utf8'));
  } catch {
    return undefined;
  }
}

async function until(probe, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new StepFailure(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A screenshot of window 2 (the session's own `shot` takes window 1). */
async function shotOf(page, name) {
  const file = path.join(testResultsDir, `e2e-windows-${name}.png`);
  await page.screenshot({ path: file }).then(
    () => log(`screenshot: ${path.relative(repoRoot, file)}`),
    (err) => log(`screenshot ${name} failed: ${err.message}`),
  );
}

const scenario = async ({ page, step, shot, run }) => {
  let second;
  await step('two windows open the same folder', async () => {
    second = await page.context().newPage();
    await second.goto(page.url(), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    for (const p of [page, second]) await p.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
  });

  const holder = await step(`window 1: right-click ${SPEC} → Build from Spec`, async () => {
    await buildFromExplorer(page, SPEC, { timeoutMs: TIMEOUT.menu });
    const lock = await until(() => lockOf(run.workspace), 'window 1 to take the workspace lock', TIMEOUT.lock);
    if (!/window/.test(lock.program ?? '')) throw new StepFailure(`the lock names ${JSON.stringify(lock.program)}, not a window`);
    log(`lock: ${JSON.stringify(lock)}`);
    return lock;
  });

  await step(`window 2: Build from Spec is refused, naming window 1's build, with Watch`, async () => {
    await second.bringToFront();
    await buildFromExplorer(second, SPEC, { timeoutMs: TIMEOUT.menu });
    const toast = second.locator('.notification-toast').filter({ hasText: new RegExp(`build ${holder.buildId} of ${SPEC.replace('.', '\\.')} by ${holder.program} \\(pid ${holder.pid} on`) });
    await toast.first().waitFor({ state: 'visible', timeout: TIMEOUT.notice }).catch(async () => {
      const seen = await second.locator('.notification-toast').allInnerTexts().catch(() => []);
      throw new StepFailure(`no notification naming build ${holder.buildId} of window 1 (pid ${holder.pid}); notifications: ${seen.map((s) => s.replace(/\s+/g, ' ')).join(' | ') || 'none'}`);
    });
    const text = (await toast.first().innerText()).replace(/\s+/g, ' ');
    if (!/one build at a time/.test(text)) throw new StepFailure(`the notification does not say one build runs at a time: ${text}`);
    await shotOf(second, 'refused');
    await toast.first().locator('.monaco-button').filter({ hasText: /^\s*Watch\s*$/ }).first().click({ timeout: 10_000 });
  });

  await step("window 2: the Build tree follows window 1's build", async () => {
    const row = second.locator('.part.sidebar .monaco-list-row').filter({ hasText: new RegExp(`Build ${holder.buildId}.*running`) });
    await row.first().waitFor({ state: 'visible', timeout: TIMEOUT.follow }).catch(async () => {
      const seen = await second.locator('.part.sidebar .monaco-list-row').allInnerTexts().catch(() => []);
      throw new StepFailure(`window 2 shows no running build ${holder.buildId}; rows: ${seen.map((s) => s.replace(/\s+/g, ' ')).join(' | ') || 'none'}`);
    });
    await shotOf(second, 'watching');
  });

  await step('both windows end with the build verified', async () => {
    log(`window 2: ${await waitForVerified(second, TIMEOUT.finish)}`);
    // The status bar can be drawn a moment before the tree: both must end verified.
    const requirements = second.locator('.part.sidebar .monaco-list-row').filter({ hasText: /Requirements\s*1\/1 verified/ });
    await requirements.first().waitFor({ state: 'visible', timeout: TIMEOUT.follow }).catch(async () => {
      const seen = await second.locator('.part.sidebar .monaco-list-row').allInnerTexts().catch(() => []);
      throw new StepFailure(`window 2's Build tree does not end with the requirement verified; rows: ${seen.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
    });
    await shotOf(second, 'watched-verified');
    await shot('building-window');
    log(`window 1: ${await waitForVerified(page, TIMEOUT.finish)}`);
    const history = fs.readFileSync(path.join(run.workspace, '.munero', 'history.jsonl'), 'utf8').trim().split('\n');
    if (history.length !== 1) throw new StepFailure(`${history.length} builds ran; one was expected`);
  });
};

exitWith(
  runSession({
    tag: TAG,
    shots: 'e2e-windows',
    script: path.join(fixture, 'session.json'),
    prepare: (run) => fs.copyFileSync(path.join(fixture, SPEC), path.join(run.workspace, SPEC)),
    keep,
    scenario,
  }),
  TAG,
);
