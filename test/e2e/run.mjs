#!/usr/bin/env node
// `npm run test:e2e`: uses the packaged extension the way a user does, offline.
// Packages Munero with vsce, installs the .vsix into a fresh code-server profile, opens the
// workbench in headless Chromium on a copy of test/vscode/fixtures/workspace/ with the extension
// pointed at the scripted Messages-API server (test/vscode/fixtures/session.json), right-clicks
// SPEC.md → "Build from Spec", and checks that the Munero view container, its Build tree, its
// Progress panel and the status bar show the build through to "verified", and that the panel
// draws the build's wall-time bar and a trend chart.
//
//   node test/e2e/run.mjs [--keep]
//
// Screenshots of every step go to test-results/e2e-*.png (e2e-failure.png on failure).
// MUNERO_EXTENSION_PATH packages another extension folder instead of the repository.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { log as logAs, sessionScript, sleep } from '../vscode/harness.mjs';
import { exitWith, runSession } from './session.mjs';
import { StepFailure, buildFromExplorer, waitForVerified } from './workbench.mjs';

const TAG = 'test:e2e';
const log = (msg) => logAs(TAG, msg);

const TIMEOUT = {
  workbench: 120_000, // explorer rows drawn
  menu: 90_000, // "Build from Spec" in the explorer context menu (extension registered)
  container: 30_000, // Munero view container shown
  tree: 120_000, // a task (T1) in the Build tree
  panel: 120_000, // T1 in the Progress webview
  finish: 5 * 60_000, // "verified"
};

const { values: opts } = parseArgs({ options: { keep: { type: 'boolean' } }, strict: true });
const keep = opts.keep || process.env.MUNERO_KEEP_TMP === '1';

const scenario = async ({ page, step, shot }) => {
  const rows = page.locator('.explorer-folders-view .monaco-list-row');
  await step('the explorer lists the workspace', async () => {
    await rows.first().waitFor({ state: 'visible', timeout: TIMEOUT.workbench });
    await shot('workbench');
  });

  await step('right-click SPEC.md → Build from Spec', async () => {
    const tries = await buildFromExplorer(page, 'SPEC.md', { timeoutMs: TIMEOUT.menu, beforeClick: () => shot('context-menu') });
    log(`menu item found after ${tries} right-click(s)`);
  });

  await step('the Munero view container opens', async () => {
    const activity = page.locator('.part.activitybar .action-item').filter({ has: page.locator('[aria-label^="Munero"]') });
    await activity.first().waitFor({ state: 'attached', timeout: TIMEOUT.container }).catch(() => {
      throw new StepFailure('no activity bar item labelled "Munero"');
    });
    const title = page.locator('.part.sidebar .composite.title').filter({ hasText: /munero/i });
    await title.first().waitFor({ state: 'visible', timeout: TIMEOUT.container }).catch(async () => {
      const seen = await page.locator('.part.sidebar .composite.title').allInnerTexts().catch(() => []);
      throw new StepFailure(`the side bar does not show the Munero container (side bar title: ${seen.join(' | ') || 'none'})`);
    });
  });

  await step('the Build tree shows task T1', async () => {
    const t1 = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /\bT1\b/ });
    await t1.first().waitFor({ state: 'visible', timeout: TIMEOUT.tree }).catch(async () => {
      const seen = await page.locator('.part.sidebar .monaco-list-row').allInnerTexts().catch(() => []);
      throw new StepFailure(`no row mentioning T1 in the side bar; rows: ${seen.join(' | ') || 'none'}`);
    });
  });

  await step('the Progress panel shows T1', async () => {
    const found = await pollWebviews(page, (text) => /\bT1\b/.test(text), TIMEOUT.panel);
    if (!found) throw new StepFailure(`no webview frame mentions T1 (frames: ${await describeWebviews(page)})`);
    await shot('build-in-progress');
    const finished = await page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Munero:\s*verified\b/i }).count();
    if (finished) log('note: the build had already finished when e2e-build-in-progress.png was taken (more latency in the session script would show it running)');
  });

  await step('the build finishes verified', async () => {
    log(await waitForVerified(page, TIMEOUT.finish));
    // The panel's state badge reads "verified" on a line of its own.
    const panel = await pollWebviews(page, (text) => /(^|\n)\s*verified\s*(\n|$)/i.test(text), 30_000);
    if (!panel) throw new StepFailure(`the build is verified but the Progress panel does not say so (frames: ${await describeWebviews(page)})`);
    await shot('build-verified');
  });

  await step('the Progress panel restores its content after being hidden', async () => {
    const header = page.locator('.part.sidebar .pane-header').filter({ hasText: /^\s*Progress/i });
    await header.first().click();
    // Collapsed, the webview goes away (the panel keeps no hidden context) ...
    const gone = await waitUntil(async () => !(await webviewTexts(page)).some((f) => /\bT1\b/.test(f.text)), 15_000);
    if (!gone) throw new StepFailure('the Progress panel still shows its content after being collapsed');
    await header.first().click();
    // ... and shown again, it asks the extension for the state and shows the whole build.
    const back = await pollWebviews(page, (text) => /\bT1\b/.test(text) && /\bT2\b/.test(text) && /(^|\n)\s*verified\s*(\n|$)/i.test(text), 30_000);
    if (!back) throw new StepFailure(`the Progress panel did not restore its content (frames: ${await describeWebviews(page)})`);
  });

  await step('the Progress panel draws where the time went and a trend chart', async () => {
    const drawn = await waitUntil(async () => (await panelCharts(page)).find((c) => c.segments.length > 0 && c.trends.length > 0), 30_000);
    if (!drawn) throw new StepFailure(`no breakdown bar with segments and trend chart in the Progress panel (saw ${JSON.stringify(await panelCharts(page))})`);
    log(`bar: ${drawn.label}; trends: ${drawn.trends.map((t) => `${t.metric} (${t.points} point${t.points === 1 ? '' : 's'})`).join(', ')}`);
    const drawnWidth = drawn.segments.reduce((n, s) => n + s.px, 0);
    if (Math.abs(drawnWidth - drawn.barPx) > Math.max(1, drawn.barPx * 0.01)) throw new StepFailure(`the bar's segments are ${drawnWidth} px wide together, the bar ${drawn.barPx} px`);
    const percent = drawn.segments.reduce((n, s) => n + s.percent, 0);
    if (Math.abs(percent - 100) > 0.5) throw new StepFailure(`the bar's segment widths add up to ${percent}%`);
    if (!drawn.segments.some((s) => s.part === 'checks')) throw new StepFailure(`no checks segment, though node --test ran: ${JSON.stringify(drawn.segments)}`);
    for (const t of drawn.trends) {
      if (!t.title || t.tabIndex !== 0) throw new StepFailure(`trend chart ${t.metric} lacks a text alternative or keyboard focus: ${JSON.stringify(t)}`);
    }
    // Two seeded earlier builds and this one: a line through three points.
    const cost = drawn.trends.find((t) => t.metric === 'costPerVerified');
    if (cost?.points !== 3 || cost.linePoints !== 3) throw new StepFailure(`the cost trend should draw 3 builds, it drew ${JSON.stringify(cost)}`);
    await shot('breakdown');
    for (const frame of page.frames()) await frame.evaluate(() => document.getElementById('trends')?.scrollIntoView()).catch(() => undefined);
    await shot('trends');
  });
};

/** What every webview frame draws of the breakdown bar and the trend charts (none where it has none). */
async function panelCharts(page) {
  const seen = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const charts = await frame
      .evaluate(() => {
        const bar = document.getElementById('breakdown-bar');
        if (!bar) return undefined;
        bar.scrollIntoView();
        return {
          label: bar.getAttribute('aria-label'),
          barPx: bar.getBoundingClientRect().width,
          segments: [...bar.querySelectorAll('.segment')].map((s) => ({ part: s.dataset.part, percent: parseFloat(s.style.width), px: s.getBoundingClientRect().width })),
          trends: [...document.querySelectorAll('#trends .trend')].map((t) => ({
            metric: t.dataset.metric,
            points: t.querySelectorAll('svg.sparkline circle').length,
            linePoints: (t.querySelector('svg.sparkline polyline')?.getAttribute('points') ?? '').split(' ').filter(Boolean).length,
            title: t.querySelector('svg.sparkline > title')?.textContent ?? '',
            tabIndex: t.tabIndex,
          })),
        };
      })
      .catch(() => undefined);
    if (charts) seen.push(charts);
  }
  return seen;
}

/** Polls `condition` until it returns something truthy, and returns that; false after `timeoutMs`. */
async function waitUntil(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await condition();
    if (value) return value;
    await sleep(250);
  }
  return false;
}

/** The visible text of every frame but the workbench itself (webviews are nested iframes). */
async function webviewTexts(page) {
  const texts = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    texts.push({ url: frame.url(), text });
  }
  return texts;
}

async function pollWebviews(page, match, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await webviewTexts(page)).find((f) => match(f.text));
    if (hit) return hit;
    if (Date.now() > deadline) return undefined;
    await sleep(1_000);
  }
}

async function describeWebviews(page) {
  const texts = await webviewTexts(page);
  if (!texts.length) return 'none';
  return texts.map((f) => `${f.url.split('?')[0].split('/').pop() || f.url}: "${f.text.replace(/\s+/g, ' ').trim().slice(0, 80)}"`).join('; ');
}

/**
 * Two earlier builds of SPEC.md in the workspace's performance history, so the trend charts have
 * a line to draw (three points once the test's build is added) without spending two more builds.
 */
function seedHistory(run) {
  const earlier = (n, costUsd, iterations, firstAttemptPasses) => ({
    buildId: `b-earlier-${n}`,
    specPath: 'SPEC.md',
    outcome: 'verified',
    iterations,
    usage: { inputTokens: 9000, outputTokens: 900, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd, requests: 9 },
    durationMs: 20_000,
    requirements: [{ id: 'R1', verdict: 'verified' }, { id: 'R2', verdict: 'verified' }],
    at: `2026-01-0${n}T10:00:00.000Z`,
    tasks: 2,
    firstAttemptPasses,
    checkMs: 3000 * n,
  });
  const dir = path.join(run.workspace, '.munero', 'learning');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'performance.jsonl'), [earlier(1, 0.06, 3, 0), earlier(2, 0.045, 2, 1)].map((e) => JSON.stringify(e)).join('\n') + '\n');
}

exitWith(runSession({ tag: TAG, shots: 'e2e', script: sessionScript, keep, prepare: seedHistory, scenario }), TAG);
