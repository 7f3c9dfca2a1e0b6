#!/usr/bin/env node
// `npm run test:vscode`: runs the extension-host suite (test/vscode/suite/) inside a real VS Code
// 1.100 extension host, offline: code-server (VS Code's server and workbench, from npm) opened
// in headless Chromium with the development payload (extensionDevelopmentPath,
// extensionTestsPath), the Munero extension pointed at the scripted Messages-API server.
//
//   node test/vscode/run.mjs [--grep PATTERN] [--keep] [--restricted]
// --restricted leaves workspace trust on, so the folder opens in Restricted Mode (test mode refuses
// the trust dialog), and runs only the tests whose titles mention Restricted Mode.
//
// Environment: MUNERO_EXTENSION_PATH runs another extension folder instead of the repository
// (for checking the harness itself); MUNERO_KEEP_TMP=1 is --keep (keep the temp folder).
// Writes test-results/vscode-final.png and test-results/vscode-results.json. Exit code 1 when
// any test fails or no results arrive.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBrowser } from '../../scripts/vscode/browser.mjs';
import { startCodeServer, writeTestUserSettings } from '../../scripts/vscode/codeServer.mjs';
import {
  endSession,
  ensureCodeServer,
  extensionPath,
  log as logAs,
  makeRunDir,
  printFailureLogs,
  printResults,
  repoRoot,
  runStep,
  seconds,
  sessionScript,
  startScriptedServer,
  testResultsDir,
  waitForJsonFile,
} from './harness.mjs';

const TAG = 'test:vscode';
const log = (msg) => logAs(TAG, msg);
const RESULTS_TIMEOUT_MS = 10 * 60_000;

const { values: opts } = parseArgs({
  options: { grep: { type: 'string', short: 'g' }, keep: { type: 'boolean' }, restricted: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (opts.help) {
  console.log('usage: node test/vscode/run.mjs [--grep PATTERN] [--keep] [--restricted]');
  process.exit(0);
}
const keep = opts.keep || process.env.MUNERO_KEEP_TMP === '1';

async function main() {
  const started = Date.now();
  ensureCodeServer(TAG);
  runStep(TAG, 'build', process.execPath, ['esbuild.js']);
  const suiteFile = path.join(repoRoot, 'dist', 'test', 'vscode', 'suite', 'index.js');
  if (!fs.existsSync(suiteFile)) throw new Error(`the build did not produce ${suiteFile}`);
  const extPath = extensionPath();
  if (extPath !== repoRoot) log(`extension under test: ${extPath} (MUNERO_EXTENSION_PATH)`);
  if (extPath === repoRoot && !fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    log('note: dist/extension.js was not built (no src/extension/extension.ts yet)');
  }

  const run = makeRunDir('munero-vscode-');
  const resultsFile = path.join(run.dir, 'results.json');
  const holdFile = path.join(run.dir, 'screenshot-taken');
  fs.mkdirSync(testResultsDir, { recursive: true });
  const savedResults = path.join(testResultsDir, 'vscode-results.json');
  const screenshot = path.join(testResultsDir, 'vscode-final.png');
  fs.rmSync(savedResults, { force: true });
  writeTestUserSettings(run.userDataDir, opts.restricted ? { 'security.workspace.trust.enabled': true } : {});
  if (opts.restricted) opts.grep ??= 'Restricted Mode';
  log(`run folder: ${run.dir}`);

  let scripted;
  let codeServer;
  let browser;
  let ok = false;
  try {
    scripted = await startScriptedServer({ script: sessionScript, logFile: path.join(run.dir, 'scripted-server.log') });
    log(`scripted Messages API: ${scripted.url} (${path.relative(repoRoot, sessionScript)})`);

    const t = Date.now();
    codeServer = await startCodeServer({
      workspace: run.workspace,
      userDataDir: run.userDataDir,
      extensionsDir: run.extensionsDir,
      logFile: path.join(run.dir, 'code-server.log'),
      env: {
        ANTHROPIC_BASE_URL: scripted.url,
        ANTHROPIC_API_KEY: 'test-key',
        MUNERO_TEST_RESULTS: resultsFile,
        MUNERO_TEST_WORKSPACE: run.workspace,
        MUNERO_TEST_HOLD_UNTIL: holdFile,
        MUNERO_USER_CONFIG: run.userConfig,
        ...(opts.grep ? { MUNERO_TEST_GREP: opts.grep } : {}),
        ...(process.env.MUNERO_REVIEW_BENCH ? { MUNERO_REVIEW_BENCH: process.env.MUNERO_REVIEW_BENCH } : {}),
      },
    });
    log(`code-server: ${codeServer.url} (pid ${codeServer.pid}, up in ${seconds(t)})`);

    const host = new URL(codeServer.url).host;
    const remote = (p) => `vscode-remote://${host}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extPath)],
      ['extensionTestsPath', remote(suiteFile)],
    ];
    const url = `${codeServer.url}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await openBrowser();
    log(`opening the workbench in headless Chromium${opts.grep ? ` (grep: ${opts.grep})` : ''}`);
    await browser.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const t2 = Date.now();
    let results;
    try {
      let serverExit;
      codeServer.exited.then((code) => (serverExit = code));
      results = await waitForJsonFile(resultsFile, {
        timeoutMs: RESULTS_TIMEOUT_MS,
        label: 'test results from the extension host',
        failWhen: () => {
          if (serverExit !== undefined) return `code-server exited (${serverExit})`;
          // In test mode the extension host exits once run() settles; without results, the
          // suite failed to load or run (its error is in the browser console below).
          const m = /Extension Host Process exited with code: (\S+?),? signal: (\S+?)\./.exec(codeServer.logTail());
          if (m) return `the extension host exited (code ${m[1]}, signal ${m[2]}) without writing results`;
          return undefined;
        },
      });
    } finally {
      await browser.page.screenshot({ path: screenshot }).catch((err) => log(`screenshot failed: ${err.message}`));
      log(`screenshot: ${path.relative(repoRoot, screenshot)}`);
      fs.writeFileSync(holdFile, ''); // lets run() return, ending the extension host
    }
    log(`suite finished in ${seconds(t2)}`);
    fs.writeFileSync(savedResults, JSON.stringify(results, null, 2) + '\n');
    ok = printResults(results);
    if (!results.tests?.length) log('no tests ran' + (opts.grep ? ` (nothing matched --grep ${opts.grep})` : ''));
  } catch (err) {
    console.error(`\n[${TAG}] ERROR: ${err.message}`);
    printFailureLogs({ codeServer, userDataDir: run.userDataDir, browser });
  } finally {
    await endSession({ browser, codeServer, scripted, run, ok, keep, tag: TAG });
  }
  log(`${ok ? 'PASSED' : 'FAILED'} in ${seconds(started)}`);
  return ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`[${TAG}] ERROR: ${err.message}`);
    process.exit(1);
  },
);
