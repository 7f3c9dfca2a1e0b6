#!/usr/bin/env node
// `npm run bench:vscode`: figures for the packaged VS Code extension, printed and written to the
// "## VS Code extension (issue 3)" section of docs/benchmarks.md. A benchmark, not a test: it
// judges nothing; it exits non-zero only when it could measure nothing.
//
//   node scripts/bench-vscode.mjs [--runs 5] [--keep]
//
// 1. Activation time as the extension host measures it: a fresh code-server profile with the
//    .vsix installed opens a workspace holding SPEC.md (activation event
//    workspaceContains:**/SPEC.md); once Munero has logged "Munero activated in N ms",
//    "Developer: Show Running Extensions" runs from the command palette and the Munero row's
//    activation time is read from that editor. The extension's own log line is recorded too.
// 2. Build click → first Build-tree row: right-click SPEC.md → "Build from Spec" in headless
//    Chromium; the page records performance.now() at the mouse-up on the menu item (when VS Code
//    runs the command) and, through a MutationObserver and a requestAnimationFrame loop installed
//    beforehand, when the first "Build b-…" row appears in the munero.build view.
// 3. The .vsix (`node esbuild.js --production`, then `vsce package --no-dependencies`) and the
//    size of dist/extension.js inside it.
//
// Figures 1 and 2 come from the same sessions: one fresh code-server + profile + workspace copy +
// scripted Messages-API server per run. Screenshots go to test-results/bench-vscode-*.png.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBrowser, runPaletteCommand } from './vscode/browser.mjs';
import {
  codeServerCacheDir,
  installedCodeServerVersion,
  runCodeServerCli,
  startCodeServer,
  writeTestUserSettings,
} from './vscode/codeServer.mjs';
import {
  consoleErrors,
  ensureCodeServer,
  extensionHostLogTails,
  log as logAs,
  makeRunDir,
  repoRoot,
  runStep,
  seconds,
  sleep,
  startScriptedServer,
  testResultsDir,
  packageVsix,
} from '../test/vscode/harness.mjs';
import { writeSection } from './benchmarksPage.mjs';

const TAG = 'bench:vscode';
const log = (msg) => logAs(TAG, msg);
const HEADING = '## VS Code extension (issue 3)';
const BENCH_FILE = path.join(repoRoot, 'docs', 'benchmarks.md');
const GOAL_VSIX_MB = 2;

const TIMEOUT = {
  workbench: 120_000, // explorer rows drawn
  activation: 90_000, // "Munero activated in N ms" in the extension's log
  runtimeRow: 30_000, // the Munero row of Running Extensions shows a time
  menu: 90_000, // "Build from Spec" in the explorer context menu
  tree: 60_000, // the first row of the Build tree after the click
};

const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, keep: { type: 'boolean' } },
  strict: true,
});
const RUNS = Number(opts.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs ${opts.runs}: expected a positive integer`);
const keep = opts.keep || process.env.MUNERO_KEEP_TMP === '1';

async function main() {
  const started = Date.now();
  fs.mkdirSync(testResultsDir, { recursive: true });
  for (const f of fs.readdirSync(testResultsDir)) if (/^bench-vscode-.*\.png$/.test(f)) fs.rmSync(path.join(testResultsDir, f));

  ensureCodeServer(TAG);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-vscode-'));
  log(`work folder: ${base}`);
  const vsix = packageVsix(TAG, path.join(base, 'munero.vsix'));
  const pkg = packageFigures(vsix);
  log(`.vsix: ${fmtBytes(pkg.bytes)} B (${mb(pkg.bytes)} MB); dist/extension.js inside: ${fmtBytes(pkg.extensionJs.size)} B (${fmtBytes(pkg.extensionJs.compressed)} B compressed)`);

  // One installation, shared by every run's profile: installing is not what is measured.
  const extensionsDir = path.join(base, 'extensions');
  const installProfile = path.join(base, 'install-user-data');
  writeTestUserSettings(installProfile);
  const installOut = await runCodeServerCli(['--install-extension', vsix], { userDataDir: installProfile, extensionsDir });
  log(`installed: ${installOut.trim().split('\n').pop()}`);

  const runs = [];
  let chromiumVersion;
  for (let i = 1; i <= RUNS; i++) {
    log(`run ${i}/${RUNS}`);
    const r = await session(i, extensionsDir);
    chromiumVersion ??= r.chromiumVersion;
    runs.push(r);
    const parts = [
      r.hostMs !== undefined ? `host activation ${r.hostMs} ms (${r.hostLabel})` : 'host activation n/a',
      r.logMs !== undefined ? `activate() ${r.logMs} ms` : 'activate() log n/a',
      r.clickToDomMs !== undefined ? `click → tree row ${r.clickToDomMs.toFixed(1)} ms (frame ${r.clickToFrameMs?.toFixed(1) ?? 'n/a'} ms)` : 'click → tree row n/a',
      r.clickToContainerMs !== undefined ? `click → view container ${r.clickToContainerMs.toFixed(1)} ms` : '',
      r.clickToStartedMs !== undefined ? `click → build.started ${r.clickToStartedMs} ms, build.started → row ${r.startedToDomMs} ms` : '',
      r.rowBeforeReply !== undefined ? `row ${r.rowBeforeReply ? 'before' : 'after'} the first model reply` : '',
    ];
    log(`run ${i}/${RUNS}: ${parts.filter(Boolean).join('; ')}${r.error ? `; error: ${r.error}` : ''}`);
  }

  const machine = {
    when: new Date().toISOString().slice(0, 10),
    cpu: `${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}`,
    node: process.version,
    codeServer: installedCodeServerVersion() ?? '?',
    vscode: vscodeVersion(),
    chromium: chromiumVersion ?? '?',
  };
  const section = renderSection({ machine, pkg, runs });
  console.log(`\n${section}`);
  writeSection(BENCH_FILE, HEADING, section);
  log(`wrote "${HEADING}" to ${path.relative(repoRoot, BENCH_FILE)}`);

  if (!keep) fs.rmSync(base, { recursive: true, force: true });
  else log(`kept the work folder: ${base}`);
  const measured = runs.some((r) => r.hostMs !== undefined || r.clickToDomMs !== undefined);
  log(`done in ${seconds(started)}${measured ? '' : ' — no run measured anything'}`);
  return measured;
}

/** One fresh workbench session: the activation figures, then the build click. */
async function session(i, extensionsDir) {
  const result = { run: i };
  const run = makeRunDir(`munero-bench-vscode-run${i}-`);
  writeTestUserSettings(run.userDataDir);
  let scripted;
  let codeServer;
  let browser;
  let current = 'start';
  const shot = async (name) => {
    const file = path.join(testResultsDir, `bench-vscode-${name}.png`);
    await browser?.page.screenshot({ path: file }).then(
      () => log(`screenshot: ${path.relative(repoRoot, file)}`),
      (err) => log(`screenshot ${name} failed: ${err.message}`),
    );
  };
  try {
    current = 'start the scripted server, code-server and Chromium';
    scripted = await startScriptedServer({ logFile: path.join(run.dir, 'scripted-server.log') });
    codeServer = await startCodeServer({
      workspace: run.workspace,
      userDataDir: run.userDataDir,
      extensionsDir,
      logFile: path.join(run.dir, 'code-server.log'),
      env: { ANTHROPIC_BASE_URL: scripted.url, ANTHROPIC_API_KEY: 'test-key' },
    });
    browser = await openBrowser();
    result.chromiumVersion = browser.browser.version();
    const { page } = browser;
    await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(run.workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const rows = page.locator('.explorer-folders-view .monaco-list-row');
    current = 'the explorer lists the workspace';
    await rows.first().waitFor({ state: 'visible', timeout: TIMEOUT.workbench });

    // 1. Activation.
    current = 'Munero logs its activation';
    const logged = await waitForActivationLog(run.userDataDir, TIMEOUT.activation);
    result.logMs = logged.ms;
    current = 'Developer: Show Running Extensions';
    await runPaletteCommand(page, 'Developer: Show Running Extensions');
    const muneroRow = page.locator('.runtime-extensions-editor .monaco-list-row').filter({ has: page.locator('.name', { hasText: /^\s*Munero\s*$/ }) }).first();
    const timeCell = muneroRow.locator('.activation-time');
    const deadline = Date.now() + TIMEOUT.runtimeRow;
    for (;;) {
      const text = (await timeCell.innerText({ timeout: 1_000 }).catch(() => '')).trim();
      const m = /^(.*?Activation):\s*(\d+)\s*ms$/i.exec(text);
      if (m) {
        result.hostLabel = m[1];
        result.hostMs = Number(m[2]);
        break;
      }
      if (Date.now() > deadline) {
        const seen = await page.locator('.runtime-extensions-editor .monaco-list-row').allInnerTexts().catch(() => []);
        throw new Error(`no activation time in the Munero row of Running Extensions (rows: ${seen.map((s) => s.replace(/\s+/g, ' ').trim()).join(' | ') || 'none'})`);
      }
      await sleep(250);
    }
    if (i === 1) {
      await shot('running-extensions');
      // Its hover says which activation event fired.
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Activated/ }).first();
      for (let tries = 0; tries < 2 && result.reason === undefined; tries++) {
        await page.mouse.move(700, 850);
        await timeCell.hover().catch(() => {});
        result.reason = await hover.innerText({ timeout: 4_000 }).then((t) => t.trim(), () => undefined);
      }
      await page.mouse.move(700, 850);
    }
    current = 'View: Close All Editors';
    await runPaletteCommand(page, 'View: Close All Editors');

    // 2. Build click → first row of the Build tree.
    current = 'the explorer is shown';
    if (!(await rows.first().isVisible())) await runPaletteCommand(page, 'View: Show Explorer');
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.evaluate(installProbe);
    current = 'right-click SPEC.md';
    const specRow = rows.filter({ hasText: /^\s*SPEC\.md\s*$/ }).first();
    const item = page.locator('.context-view .action-label').filter({ hasText: /^\s*Build from Spec\s*$/ }).first();
    const menuDeadline = Date.now() + TIMEOUT.menu;
    for (;;) {
      await specRow.click({ button: 'right', timeout: 10_000 });
      if (await item.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) break;
      await page.keyboard.press('Escape');
      if (Date.now() > menuDeadline) throw new Error('no "Build from Spec" in the context menu of SPEC.md');
      await sleep(1_000);
    }
    // A menu ignores a click that comes too soon after it opened; let it settle, and click again
    // if the first one did not close it. The probe keeps the time of the last mouse-up.
    current = 'click "Build from Spec"';
    await sleep(300);
    for (let tries = 1; ; tries++) {
      await item.click({ timeout: 10_000 });
      if (await item.waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false)) break;
      if (tries >= 5) throw new Error('the context menu stayed open after 5 clicks on "Build from Spec"');
      log(`the menu ignored click ${tries}; clicking again`);
    }
    current = 'the first row of the Build tree';
    await page.waitForFunction(() => window.__muneroBench?.frameAt !== undefined, undefined, { timeout: TIMEOUT.tree, polling: 100 }).catch(async () => {
      const seen = await page.locator('.part.sidebar .monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`no "Build b-…" row in the munero.build view within ${TIMEOUT.tree / 1000} s (side bar rows: ${seen.join(' | ') || 'none'})`);
    });
    const probe = await page.evaluate(() => {
      const p = window.__muneroBench;
      p.stop();
      return { containerAt: p.containerAt, clickAt: p.mouseUps.at(-1), clickWall: p.clickWall, domAt: p.domAt, domWall: p.domWall, frameAt: p.frameAt, label: p.label, how: p.how };
    });
    if (probe.clickAt === undefined) throw new Error('the page saw no mouse-up on "Build from Spec"');
    result.clickToDomMs = probe.domAt - probe.clickAt;
    result.clickToFrameMs = probe.frameAt - probe.clickAt;
    if (probe.containerAt !== undefined) result.clickToContainerMs = probe.containerAt - probe.clickAt;
    result.rowLabel = probe.label;
    result.rowFoundBy = probe.how;
    // Where the time went, from the build's event log (wall clock, same machine): the click to
    // build.started, and whether the row came before the model's first reply.
    const events = buildEvents(run.workspace, /^Build (b-\S+)/.exec(probe.label ?? '')?.[1]);
    const startedAt = events.find((e) => e.type === 'build.started')?.at;
    const replyAt = events.find((e) => e.type === 'agent.text' || e.type === 'usage')?.at;
    if (startedAt !== undefined) {
      result.clickToStartedMs = startedAt - probe.clickWall;
      result.startedToDomMs = probe.domWall - startedAt;
    }
    // Read after the row appeared: no reply logged yet means the row came first.
    if (startedAt !== undefined) result.rowBeforeReply = replyAt === undefined || probe.domWall < replyAt;
    if (i === 1) await shot('build-tree');
  } catch (err) {
    result.error = `${current}: ${err.message.split('\n')[0]}`;
    console.error(`[${TAG}] run ${i} failed at "${current}": ${err.message}`);
    await shot(`failure-${i}`);
    if (codeServer) console.error(`--- code-server output (last lines) ---\n${codeServer.logTail().split('\n').slice(-15).join('\n')}`);
    for (const tail of extensionHostLogTails(run.userDataDir, 15)) console.error(tail);
    if (browser) {
      const lines = consoleErrors(browser.consoleLines, 10);
      if (lines.length) console.error(`--- browser console (errors) ---\n${lines.join('\n')}`);
    }
  } finally {
    await browser?.close();
    await codeServer?.stop();
    await scripted?.stop();
    if (keep || result.error) log(`kept run ${i}'s folder: ${run.dir}`);
    else fs.rmSync(run.dir, { recursive: true, force: true });
  }
  return result;
}

/**
 * Runs in the page before the click: records every mouse-down/up on the "Build from Spec" menu
 * item, and when the first "Build b-…" row of the munero.build view appears, both in the DOM
 * (MutationObserver) and at the next animation frame (the frame that draws it).
 */
function installProbe() {
  const p = { mouseDowns: [], mouseUps: [], domAt: undefined, frameAt: undefined, label: undefined, how: undefined };
  const isBuildItem = (target) => {
    const el = target instanceof Element ? target : target?.parentElement;
    const action = el?.closest('.context-view .action-item');
    return action?.querySelector('.action-label')?.textContent.trim() === 'Build from Spec';
  };
  const onDown = (e) => isBuildItem(e.target) && p.mouseDowns.push(performance.now());
  const onUp = (e) => {
    if (!isBuildItem(e.target)) return;
    p.mouseUps.push(performance.now());
    p.clickWall = Date.now();
  };
  window.addEventListener('mousedown', onDown, true);
  window.addEventListener('mouseup', onUp, true);
  // The view's pane: its header carries the icon class VS Code derives from the view id
  // (view-munero-build); failing that, the list labelled "Build" in the Munero view container.
  const findRow = () => {
    let scopes = [...document.querySelectorAll('.pane-header .view-munero-build')].map((icon) => icon.closest('.pane')).filter(Boolean);
    let how = 'pane of view munero.build';
    if (!scopes.length) {
      const container = document.getElementById('workbench.view.extension.munero');
      scopes = container ? [...container.querySelectorAll('.monaco-list[aria-label="Build"]')] : [];
      how = 'list "Build" in workbench.view.extension.munero';
    }
    for (const scope of scopes) {
      for (const row of scope.querySelectorAll('.monaco-list-row')) {
        const label = row.getAttribute('aria-label') || row.textContent || '';
        if (/^\s*Build b-/.test(label)) return { label: label.trim(), how };
      }
    }
    return undefined;
  };
  const observer = new MutationObserver(() => {
    if (p.containerAt === undefined && document.getElementById('workbench.view.extension.munero')?.checkVisibility?.()) p.containerAt = performance.now();
    if (p.domAt !== undefined) return;
    const hit = findRow();
    if (hit) {
      p.domAt = performance.now();
      p.domWall = Date.now();
      p.label = hit.label;
      p.how = hit.how;
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-label'] });
  let raf = 0;
  const frame = () => {
    if (p.frameAt === undefined && findRow()) {
      p.frameAt = performance.now();
      return;
    }
    raf = requestAnimationFrame(frame);
  };
  raf = requestAnimationFrame(frame);
  p.stop = () => {
    observer.disconnect();
    cancelAnimationFrame(raf);
    window.removeEventListener('mousedown', onDown, true);
    window.removeEventListener('mouseup', onUp, true);
  };
  window.__muneroBench = p;
}

/** The build's events (events.jsonl) with `at` in epoch ms; [] when there are none. */
function buildEvents(workspace, buildId) {
  if (!buildId) return [];
  const file = path.join(workspace, '.munero', 'builds', buildId, 'events.jsonl');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line);
      events.push({ ...e, at: Date.parse(e.at) });
    } catch {
      /* a line being written */
    }
  }
  return events;
}

/** Waits for "Munero activated in N ms" in the extension's LogOutputChannel file (…/munero.munero/Munero.log). */
async function waitForActivationLog(userDataDir, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const file of findFiles(path.join(userDataDir, 'logs'), (name) => name === 'Munero.log')) {
      const m = /Munero activated in (\d+) ms/.exec(fs.readFileSync(file, 'utf8'));
      if (m) return { ms: Number(m[1]), file };
    }
    if (Date.now() > deadline) throw new Error(`no "Munero activated in N ms" in ${userDataDir}/logs/**/Munero.log after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

function findFiles(dir, match, found = []) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, match, found);
    else if (match(e.name)) found.push(p);
  }
  return found;
}

/** Size of the .vsix and of each file in it, from the zip's central directory. */
function packageFigures(vsix) {
  const bytes = fs.statSync(vsix).size;
  const entries = zipEntries(fs.readFileSync(vsix));
  const extensionJs = entries.find((e) => e.name === 'extension/dist/extension.js');
  if (!extensionJs) throw new Error(`${vsix} holds no extension/dist/extension.js (it has: ${entries.map((e) => e.name).join(', ')})`);
  for (const e of entries) log(`  ${e.name}: ${fmtBytes(e.size)} B (${fmtBytes(e.compressed)} B compressed)`);
  return { bytes, entries, extensionJs };
}

/** The entries of a (non-zip64) zip archive: name, uncompressed and compressed size. */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end-of-central-directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at byte ${p}`);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size, compressed });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function vscodeVersion() {
  try {
    const file = path.join(codeServerCacheDir(), 'node_modules', 'code-server', 'lib', 'vscode', 'package.json');
    return JSON.parse(fs.readFileSync(file, 'utf8')).version;
  } catch {
    return '?';
  }
}

function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { n: v.length, median, min: v[0], max: v[v.length - 1] };
}

const fmtBytes = (n) => n.toLocaleString('en-US');
/** MB as vsce prints sizes: 2^20 bytes. */
const mb = (n) => (n / 1024 / 1024).toFixed(2);

function renderSection({ machine, pkg, runs }) {
  const ms = (x, digits) => (x === undefined ? 'n/a' : `${x.toFixed(digits)} ms`);
  const row = (label, values, digits) => {
    const s = stats(values);
    const all = values.map((x) => (x === undefined ? '–' : x.toFixed(digits))).join(', ');
    return s
      ? `| ${label} | ${ms(s.median, digits)} | ${ms(s.min, digits)} | ${ms(s.max, digits)} | ${s.n}/${runs.length} | ${all} |`
      : `| ${label} | n/a | n/a | n/a | 0/${runs.length} | ${all} |`;
  };
  const header = ['| measure | median | min | max | runs measured | each run (ms) |', '| --- | --- | --- | --- | --- | --- |'];
  const hostLabels = [...new Set(runs.map((r) => r.hostLabel).filter(Boolean))];
  const reason = runs.find((r) => r.reason)?.reason;
  const rowLabel = runs.find((r) => r.rowLabel)?.rowLabel;
  const failures = runs.filter((r) => r.error);
  const others = pkg.entries.filter((e) => e.name !== pkg.extensionJs.name);
  const othersSize = others.reduce((a, e) => a + e.size, 0);
  const othersCompressed = others.reduce((a, e) => a + e.compressed, 0);
  const maps = pkg.entries.filter((e) => e.name.endsWith('.map'));
  const within = pkg.bytes <= GOAL_VSIX_MB * 1024 * 1024;

  return [
    HEADING,
    '',
    `Measured ${machine.when} on ${machine.cpu}, Node ${machine.node} with \`npm run bench:vscode\`: code-server ${machine.codeServer} (VS Code ${machine.vscode}) on 127.0.0.1, headless Chromium ${machine.chromium}, the production .vsix installed in a fresh profile. ${runs.length} run${runs.length === 1 ? "" : "s"}, each a fresh code-server, profile and copy of test/vscode/fixtures/workspace/; figures vary with the machine's load.`,
    '',
    `**Activation time** as the extension host measures it (code loading plus the \`activate()\` call), read from the Munero row of "Developer: Show Running Extensions" (${hostLabels.length ? hostLabels.map((l) => `"${l}"`).join(', ') : 'no reading'}${reason ? `; its hover: \`${reason.replace(/\s+/g, ' ')}\`` : ''}); next to it, the time the extension logs for the body of \`activate()\` ("Munero activated in N ms" in its Munero log channel).`,
    '',
    ...header,
    row('extension host: code loading + activate()', runs.map((r) => r.hostMs), 0),
    row('Munero log: activate() body', runs.map((r) => r.logMs), 0),
    '',
    `**Build command → first tree update**: from the mouse-up on "Build from Spec" in the Explorer context menu of SPEC.md (when VS Code runs the command) to the first row of the munero.build view${rowLabel ? ` ("${/^Build b-\S+/.exec(rowLabel)?.[0] ?? rowLabel} …")` : ''}, both timed with \`performance.now()\` in the page. The path: VS Code runs the command in the extension host, Munero starts the build (spec read, checkpoint, state write, \`build.started\`), the Munero view container opens, the tree refreshes (changes are coalesced for 80 ms) and the workbench draws the row. The split uses the \`at\` times of the build's events.jsonl against \`Date.now()\` in the page (same machine, millisecond resolution). The scripted model answers each turn 400 ms after the request, so a row drawn before its first reply owes nothing to the model.`,
    '',
    ...header,
    row('click → row in the DOM (MutationObserver)', runs.map((r) => r.clickToDomMs), 1),
    row('click → first frame with the row (requestAnimationFrame)', runs.map((r) => r.clickToFrameMs), 1),
    row('meanwhile: click → Munero view container shown', runs.map((r) => r.clickToContainerMs), 1),
    row('of which: click → build.started (event log, wall clock)', runs.map((r) => r.clickToStartedMs), 0),
    row('of which: build.started → row in the DOM (wall clock)', runs.map((r) => r.startedToDomMs), 0),
    '',
    beforeReply(runs),
    '',
    `**Package size**: the .vsix from \`node esbuild.js --production\` and \`vsce package --no-dependencies\`, and the bundled extension inside it (MB = 2^20 bytes, as vsce prints). Goal: at most ${GOAL_VSIX_MB} MB (Cline's is 7.3 MB); this one is ${within ? 'within' : 'over'} it.`,
    '',
    '| file | size | in the .vsix (compressed) |',
    '| --- | --- | --- |',
    `| munero.vsix (${pkg.entries.length} files) | ${fmtBytes(pkg.bytes)} B (${mb(pkg.bytes)} MB) | – |`,
    `| dist/extension.js | ${fmtBytes(pkg.extensionJs.size)} B (${mb(pkg.extensionJs.size)} MB) | ${fmtBytes(pkg.extensionJs.compressed)} B (${mb(pkg.extensionJs.compressed)} MB) |`,
    `| the other ${others.length} files${maps.length ? ` (incl. ${maps.length} source map${maps.length > 1 ? 's' : ''}: ${maps.map((e) => e.name.replace(/^extension\//, '')).join(', ')})` : ''} | ${fmtBytes(othersSize)} B | ${fmtBytes(othersCompressed)} B |`,
    ...(failures.length ? ['', `Runs that failed part-way (their missing figures are "–"): ${failures.map((r) => `run ${r.run} at ${r.error}`).join('; ')}.`] : []),
    '',
  ].join('\n');
}

/** Whether the first tree row came before the model's first reply, as a sentence. */
function beforeReply(runs) {
  const known = runs.filter((r) => r.rowBeforeReply !== undefined);
  if (!known.length) return 'The build\'s event log gave no time for the model\'s first reply, so whether the row preceded it is unknown.';
  const before = known.filter((r) => r.rowBeforeReply).length;
  return `The row appeared before the first model reply (the first agent.text or usage event of the build) in ${before} of ${known.length} runs.`;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`[${TAG}] ERROR: ${err.stack || err.message}`);
    process.exit(1);
  },
);
