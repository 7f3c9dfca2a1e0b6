// npm run bench:vscode-long — the long build of issue 11 (scripts/longSession.ts) started from a
// VS Code window (code-server + headless Chromium, the packaged extension): while it runs, the
// extension host's RSS (the process holding the workspace lock: the window runs the engine), the
// Progress panel's JS heap and DOM size, and the workbench page's JS heap are sampled, and their
// peaks printed. Writes the "## Long builds in VS Code (issue 11)" section of docs/benchmarks.md.
// A benchmark, not a test: it judges nothing. Run with tsx (it imports the TypeScript generator):
//
//   node --import tsx scripts/bench-vscode-long.mjs [--tasks 200] [--turns-per-task 25]
//     [--latency-ms 50] [--parallel 4] [--samples 20] [--no-write] [--keep]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitWith, runSession } from '../test/e2e/session.mjs';
import { StepFailure, buildFromExplorer, waitForVerified } from '../test/e2e/workbench.mjs';
import { repoRoot, sleep } from '../test/vscode/harness.mjs';
import { writeSection } from './benchmarksPage.mjs';
import { longBuildArgs, rssOf, TurnCounter, writeLongBuild } from './longSession.ts';

const TAG = 'bench:vscode-long';
const HEADING = '## Long builds in VS Code (issue 11)';
const SPEC = 'long.spec.md';

const { build, samples: SAMPLES, write, keep } = longBuildArgs();
const sessionFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'munero-bench-vscode-long-')), 'session.json');

const mb = (n) => (n === undefined ? '–' : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** Runs in each webview frame: the Progress panel's size there, or null in other frames. */
function panelProbe() {
  const app = document.getElementById('app');
  if (!app || !app.textContent) return null;
  return { elements: document.getElementsByTagName('*').length, htmlChars: app.innerHTML.length };
}

async function panelFigures(page) {
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    const probe = await frame.evaluate(panelProbe).catch(() => null);
    if (probe) return probe;
  }
  return undefined;
}

/**
 * The renderer's JS heap after a garbage collection, through CDP. The webview frames are
 * same-site with the workbench, so they share its process and heap: this is workbench + panel.
 */
async function rendererHeap(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

function lockOf(workspace) {
  try {
    return JSON.parse(fs.readFileSync(path.join(workspace, '.munero', 'lock'), 'utf8'));
  } catch {
    return undefined;
  }
}

const samples = [];
let finish;

const scenario = async ({ page, step, shot, log, run }) => {
  const total = build.tasks * build.turnsPerTask + 1;
  const every = Math.max(1, Math.floor(total / SAMPLES));
  await step(`right-click ${SPEC} → Build from Spec`, async () => {
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 120_000 });
    await buildFromExplorer(page, SPEC, { timeoutMs: 90_000 });
  });
  const lock = await step('the window takes the workspace lock', async () => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
      const l = lockOf(run.workspace);
      if (l) return l;
    }
    throw new StepFailure('no build took the workspace lock within 60 s');
  });
  const cmdline = fs.readFileSync(`/proc/${lock.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  log(`the build runs in pid ${lock.pid} (${lock.program}): ${cmdline.slice(0, 160)}`);
  const eventsFile = path.join(run.workspace, '.munero', 'builds', lock.buildId, 'events.jsonl');
  const counter = new TurnCounter(eventsFile);
  const started = Date.now();
  await step(`sample every ${every} turns until the build ends`, async () => {
    let next = every;
    let shotTaken = false;
    for (;;) {
      await sleep(1_000);
      const turns = counter.read();
      const done = !lockOf(run.workspace);
      if (turns < next && !done) continue;
      next = (Math.floor(turns / every) + 1) * every;
      const panel = await panelFigures(page);
      const hostRss = (() => {
        try {
          return rssOf(lock.pid);
        } catch {
          return undefined;
        }
      })();
      const s = { turns, elapsedS: (Date.now() - started) / 1000, hostRss, panel, rendererHeap: await rendererHeap(page).catch(() => undefined) };
      samples.push(s);
      log(row(s));
      if (!shotTaken && turns > total / 2) {
        shotTaken = true;
        await shot('half-way');
      }
      if (done) break;
      if (Date.now() - started > 60 * 60_000) throw new StepFailure('the build ran over an hour');
    }
  });
  finish = await step('the build ends verified', async () => {
    const seen = await waitForVerified(page, 120_000);
    await shot('verified');
    return { seen, turns: counter.read(), wallS: (Date.now() - started) / 1000 };
  });
};

function row(s) {
  return `| ${s.turns} | ${s.elapsedS.toFixed(0)} s | ${mb(s.hostRss)} | ${mb(s.rendererHeap)} | ${s.panel?.elements ?? '–'} | ${s.panel ? `${(s.panel.htmlChars / 1024).toFixed(0)} K` : '–'} |`;
}

function render() {
  const peak = (f) => Math.max(0, ...samples.map(f).filter((x) => typeof x === 'number'));
  const flags = `--tasks ${build.tasks} --turns-per-task ${build.turnsPerTask} --latency-ms ${build.turnLatencyMs} --parallel ${build.parallel}`;
  return [
    HEADING,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model?.trim() ?? 'cpu'}, Node ${process.version}, with \`nice npm run bench:vscode-long -- ${flags}\` (load average ${os.loadavg()[0].toFixed(1)} at the end).`,
    '',
    `The long build of the section above (${build.tasks} tasks × ${build.turnsPerTask} coder turns, every turn answered ${build.turnLatencyMs} ms late), started by right-clicking the spec → Build from Spec in a code-server window in headless Chromium, with the packaged extension; the Progress panel open beside the Build tree. The window's extension host runs the engine, so its RSS (read from /proc for the pid in the workspace lock) includes the build's own memory. The page's JS heap is CDP \`Runtime.getHeapUsage\` right after \`HeapProfiler.collectGarbage\` (what stays reachable); the webview frames are same-site with the workbench, so they share its renderer and heap, and the figure is workbench + Progress panel together. The panel's own size: the elements of its document and the characters of its HTML.`,
    '',
    '| turns | elapsed | extension host RSS | page JS heap (workbench + panel) | panel DOM elements | panel HTML |',
    '| --- | --- | --- | --- | --- | --- |',
    ...samples.map(row),
    '',
    `${finish ? `Ended ${finish.seen} after ${finish.turns} turns in ${finish.wallS.toFixed(0)} s.` : 'The build did not end verified.'} Peaks: extension host RSS ${mb(peak((s) => s.hostRss))}, page JS heap ${mb(peak((s) => s.rendererHeap))}, panel ${peak((s) => s.panel?.elements)} DOM elements and ${(peak((s) => s.panel?.htmlChars) / 1024).toFixed(0)} K of HTML.`,
    '',
  ].join('\n');
}

exitWith(
  runSession({
    tag: TAG,
    shots: 'bench-vscode-long',
    script: sessionFile,
    // The window's default cost cap ($5) would stop the build part-way at the scripted server's
    // prices ($10 for 5,000 turns); null, "no cap", reads as unset, which is the default.
    settings: { 'munero.maxCostUsd': 1000 },
    prepare: (run) => writeLongBuild(build, run.workspace, SPEC, sessionFile),
    keep,
    scenario,
  }).then((ok) => {
    const section = render();
    console.log(`\n${section}`);
    if (samples.length && write) writeSection(path.join(repoRoot, 'docs', 'benchmarks.md'), HEADING, section);
    fs.rmSync(path.dirname(sessionFile), { recursive: true, force: true });
    return ok;
  }),
  TAG,
);
