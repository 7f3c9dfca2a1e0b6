// Pieces shared by the test runners in test/vscode/ and test/e2e/: building, the test
// workspace, the scripted Messages-API server, and reporting.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePackagedReadme } from '../../scripts/packagedReadme.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'vscode', 'fixtures');
export const workspaceFixture = path.join(fixturesDir, 'workspace');
export const sessionScript = path.join(fixturesDir, 'session.json');
export const testResultsDir = path.join(repoRoot, 'test-results');

/** The extension under test: the repository, unless MUNERO_EXTENSION_PATH names another folder. */
export function extensionPath() {
  const override = process.env.MUNERO_EXTENSION_PATH;
  if (!override) return repoRoot;
  const abs = path.resolve(override);
  if (!fs.existsSync(path.join(abs, 'package.json'))) {
    throw new Error(`MUNERO_EXTENSION_PATH=${override}: no package.json there`);
  }
  return abs;
}

export const log = (tag, msg) => console.log(`[${tag}] ${msg}`);
export const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a command to completion with inherited output; throws on failure. */
export function runStep(tag, label, cmd, args, options = {}) {
  const t = Date.now();
  log(tag, `${label}: ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new Error(`${label}: could not run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
  log(tag, `${label}: done in ${seconds(t)}`);
}

/** Installs code-server, Chromium and friends when missing (idempotent). */
export function ensureCodeServer(tag) {
  runStep(tag, 'install code-server', process.execPath, [path.join(repoRoot, 'scripts', 'vscode', 'install-code-server.mjs')]);
}

/** A fresh temporary folder for one run, with workspace/ copied from the fixture. */
export function makeRunDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(dir, 'workspace');
  fs.cpSync(workspaceFixture, workspace, { recursive: true });
  return {
    dir,
    workspace,
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: path.join(dir, 'extensions'),
    // The user's config folder of this run only (MUNERO_USER_CONFIG): MCP servers allowed in a test never reach the machine's.
    userConfig: path.join(dir, 'user-config', 'config.json'),
  };
}

/**
 * Starts `munero serve-script <script> --port 0` (the scripted Messages API, from dist/cli.js)
 * and resolves once it prints its URL.
 */
export async function startScriptedServer({ script = sessionScript, logFile, timeoutMs = 30_000 } = {}) {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: the build did not produce the CLI`);
  const child = spawn(process.execPath, [cli, 'serve-script', script, '--port', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
    logStream?.write(d);
  });
  child.stderr.on('data', (d) => {
    err += d;
    logStream?.write(d);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve-script printed no URL within ${timeoutMs} ms\n${out}${err}`)), timeoutMs);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve-script exited (${code}) before listening:\n${out}${err}`));
    });
  });
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      child.kill('SIGINT');
      const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
      await new Promise((resolve) => (logStream ? logStream.end(resolve) : resolve()));
    })());
  return { url, stop, stderr: () => err };
}

/**
 * Waits for a JSON file to appear. `failWhen()` is polled too: once it returns a reason (say, the
 * process that should write the file has ended), the file gets a short grace period and then the
 * wait fails with that reason.
 */
export async function waitForJsonFile(file, { timeoutMs, failWhen = () => undefined, label = file }) {
  const deadline = Date.now() + timeoutMs;
  let graceUntil;
  let reason;
  for (;;) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    if (reason === undefined) {
      reason = failWhen();
      if (reason !== undefined) graceUntil = Date.now() + 3_000;
    }
    if (graceUntil !== undefined && Date.now() > graceUntil) throw new Error(`no ${label}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`no ${label} after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(250);
  }
}

/** Prints mocha results as written by test/vscode/suite/index.ts; returns true when all passed. */
export function printResults(results) {
  const tests = results.tests ?? [];
  console.log('');
  for (const t of tests) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'pending' ? 'skip' : 'FAIL';
    console.log(`  ${mark} ${t.fullTitle}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  const failures = tests.filter((t) => t.state === 'failed');
  if (failures.length) {
    console.log('\nFailures:');
    failures.forEach((t, i) => {
      console.log(`\n  ${i + 1}) ${t.fullTitle}`);
      const text = t.error?.stack || t.error?.message || '(no message)';
      console.log(text.split('\n').map((l) => `     ${l}`).join('\n'));
    });
  }
  console.log(`\n${results.passed} passing, ${results.failed} failing${results.pending ? `, ${results.pending} pending` : ''}\n`);
  return results.failed === 0 && tests.length > 0;
}

/** The last lines of every extension-host log under a code-server user-data dir. */
export function extensionHostLogTails(userDataDir, lines = 40) {
  const found = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost.*\.log$/i.test(e.name)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.map((p) => {
    const text = fs.readFileSync(p, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return `--- ${p} ---\n${text}`;
  });
}

/**
 * Browser console lines worth showing after a failure: errors, less the workbench's known noise on a
 * machine without internet (the extension gallery lookup).
 */
export function consoleErrors(lines, max = 30) {
  const noise = /open-vsx\.org|ERR_NAME_NOT_RESOLVED|ENOTFOUND|Failed to load resource/;
  return lines.filter((l) => /^\[(error|pageerror)\]/.test(l) && !noise.test(l)).slice(-max);
}

/**
 * Builds the production bundles and packages them with the project's own vsce (called by path so
 * it also works where npx would reach for the network). The one way the .vsix is made: used by
 * `npm run package`, the e2e test and the benchmark.
 */
export function packageVsix(tag, outFile, extPath = repoRoot) {
  runStep(tag, 'production build', process.execPath, ['esbuild.js', '--production']);
  runStep(tag, 'package', vscePath, vscePackageArgs(outFile, extPath), { cwd: extPath });
  return outFile;
}

export const vscePath = path.join(repoRoot, 'node_modules', '.bin', 'vsce');

/** `vsce package` from extPath's bundles as they are, with the README written for the .vsix. */
export function vscePackageArgs(outFile, extPath = repoRoot) {
  return ['package', '--no-dependencies', '--out', outFile, ...writePackagedReadme(extPath)];
}

/** After a failure: the tails of code-server's output, the extension host's logs and the browser console. */
export function printFailureLogs({ codeServer, userDataDir, browser, maxConsole = 30 }) {
  if (codeServer) console.error(`\n--- code-server output (last lines) ---\n${codeServer.logTail().split('\n').slice(-30).join('\n')}`);
  for (const tail of extensionHostLogTails(userDataDir)) console.error(`\n${tail}`);
  const lines = browser ? consoleErrors(browser.consoleLines, maxConsole) : [];
  if (lines.length) console.error(`\n--- browser console (errors, last ${lines.length}) ---\n${lines.join('\n')}`);
}

/** Stops what a session started, and keeps its folder when it failed (or when asked). */
export async function endSession({ browser, codeServer, scripted, run, ok, keep, tag }) {
  await browser?.close();
  await codeServer?.stop();
  await scripted?.stop();
  if (scripted) log(tag, `scripted server: ${scripted.stderr().trim().split('\n').pop() || '(no summary)'}`);
  if (ok && !keep) fs.rmSync(run.dir, { recursive: true, force: true });
  else log(tag, `kept the run folder (logs, workspace, profile): ${run.dir}`);
}
