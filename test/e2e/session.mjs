// One browser test session as a user has it, offline: the extension packaged with vsce and
// installed into a fresh code-server profile, a copy of test/vscode/fixtures/workspace/, the
// scripted Messages-API server, and the workbench in headless Chromium. The scenario drives the
// page in named steps; every failure says which step and shows the logs.
import fs from 'node:fs';
import path from 'node:path';
import { openBrowser } from '../../scripts/vscode/browser.mjs';
import { runCodeServerCli, startCodeServer, writeTestUserSettings } from '../../scripts/vscode/codeServer.mjs';
import {
  endSession,
  ensureCodeServer,
  extensionPath,
  log as logAs,
  makeRunDir,
  printFailureLogs,
  packageVsix,
  repoRoot,
  seconds,
  startScriptedServer,
  testResultsDir,
} from '../vscode/harness.mjs';
import { StepFailure } from './workbench.mjs';

/**
 * Runs `scenario({ page, step, shot, log, run })` in a fresh session. `shots` names the screenshot
 * prefix (test-results/<shots>-*.png); `settings` go into the user settings; `prepare(run)` may add
 * files to the workspace copy; `script` is the session file the scripted server plays. Resolves to
 * true when every step passed.
 */
export async function runSession({ tag, shots: prefix, script, settings = {}, prepare = () => {}, keep = false, scenario }) {
  const log = (msg) => logAs(tag, msg);
  const started = Date.now();
  fs.mkdirSync(testResultsDir, { recursive: true });
  for (const f of fs.readdirSync(testResultsDir)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) fs.rmSync(path.join(testResultsDir, f));

  ensureCodeServer(tag);
  const extPath = extensionPath();
  if (extPath !== repoRoot) log(`extension under test: ${extPath} (MUNERO_EXTENSION_PATH)`);
  const run = makeRunDir(`munero-${prefix}-`);
  log(`run folder: ${run.dir}`);
  prepare(run);
  const vsix = packageVsix(tag, path.join(run.dir, 'munero.vsix'), extPath);
  writeTestUserSettings(run.userDataDir, settings);
  const t = Date.now();
  const installOut = await runCodeServerCli(['--install-extension', vsix], { userDataDir: run.userDataDir, extensionsDir: run.extensionsDir });
  log(`installed the .vsix in ${seconds(t)}: ${installOut.trim().split('\n').pop()}`);

  let scripted;
  let codeServer;
  let browser;
  let shots = 0;
  const shot = async (name, file = path.join(testResultsDir, `${prefix}-${name}.png`)) => {
    if (!browser) return;
    await browser.page.screenshot({ path: file }).then(
      () => {
        shots++;
        log(`screenshot: ${path.relative(repoRoot, file)}`);
      },
      (err) => log(`screenshot ${name} failed: ${err.message}`),
    );
  };
  let current = 'start';
  const step = async (name, fn) => {
    current = name;
    const t0 = Date.now();
    log(`step: ${name}`);
    const value = await fn();
    log(`step: ${name}: ok (${seconds(t0)})`);
    return value;
  };

  let ok = false;
  try {
    scripted = await startScriptedServer({ script, logFile: path.join(run.dir, 'scripted-server.log') });
    log(`scripted Messages API: ${scripted.url}`);
    codeServer = await startCodeServer({
      workspace: run.workspace,
      userDataDir: run.userDataDir,
      extensionsDir: run.extensionsDir,
      logFile: path.join(run.dir, 'code-server.log'),
      env: { ANTHROPIC_BASE_URL: scripted.url, ANTHROPIC_API_KEY: 'test-key' },
    });
    log(`code-server: ${codeServer.url}`);
    browser = await openBrowser();
    await browser.page.goto(`${codeServer.url}/?folder=${encodeURIComponent(run.workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await scenario({ page: browser.page, step, shot, log, run });
    ok = true;
  } catch (err) {
    console.error(`\n[${tag}] FAILED at "${current}": ${err.message}`);
    await shot('failure');
    if (!(err instanceof StepFailure) && err.stack) console.error(err.stack);
    printFailureLogs({ codeServer, userDataDir: run.userDataDir, browser, maxConsole: 20 });
  } finally {
    await endSession({ browser, codeServer, scripted, run, ok, keep, tag });
  }
  log(`${ok ? 'PASSED' : 'FAILED'} in ${seconds(started)} (${shots} ${shots === 1 ? "screenshot" : "screenshots"} in ${path.relative(repoRoot, testResultsDir)}/)`);
  return ok;
}

/** Runs a session as a script's main: exit code 0 when it passed. */
export function exitWith(promise, tag) {
  promise.then(
    (ok) => process.exit(ok ? 0 : 1),
    (err) => {
      console.error(`[${tag}] ERROR: ${err.message}`);
      process.exit(1);
    },
  );
}
