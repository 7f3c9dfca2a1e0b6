// Entry point of the extension-host test suite. VS Code (desktop through @vscode/test-electron,
// or code-server through test/vscode/run.mjs) loads the bundle of this file as
// `extensionTestsPath` and awaits `run()` inside the real extension host.
//
// esbuild bundles everything into dist/test/vscode/suite/index.js, so there is no file discovery:
// each test module is listed in TEST_MODULES below and loaded after mocha has put its
// `describe`/`it`/hooks on the global object. `mocha` and `vscode` stay external: `vscode` is
// provided by the extension host and `mocha` resolves from <repo>/node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/**
 * The test modules, in the order they run. Add a module here to have it run: each line must be a
 * literal `require('./name.test')` so that esbuild bundles the module.
 */
const TEST_MODULES: Array<() => unknown> = [
  () => require('./smoke.test'),
  () => require('./specServer.test'),
  () => require('./build.test'),
  () => require('./timeline.test'),
  () => require('./review.test'),
  () => require('./reviewBench.test'),
  () => require('./mcp.test'),
  () => require('./watch.test'),
  () => require('./metrics.test'),
  () => require('./restricted.test'),
];

export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
}

/**
 * Runs the suite. With MUNERO_TEST_RESULTS set, writes the results there as JSON and resolves
 * even when tests fail (the harness that set it decides); without it, rejects when any test
 * fails (how @vscode/test-electron expects a failing suite to report). Rejects if mocha itself
 * cannot run. MUNERO_TEST_GREP selects tests by title. MUNERO_TEST_HOLD_UNTIL names a file that
 * the harness creates once it has taken its screenshot: the extension host exits as soon as
 * `run()` resolves, taking the extension's views with it, so `run()` waits (at most a minute) for
 * that file after writing the results.
 */
export async function run(): Promise<void> {
  const resultsFile = process.env.MUNERO_TEST_RESULTS;
  const grep = process.env.MUNERO_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, ...(grep ? { grep } : {}) });

  // Puts describe/it/before/after/... on globalThis, as mocha does before loading a spec file.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  for (const load of TEST_MODULES) load();

  const results: TestResults = { passed: 0, failed: 0, pending: 0, tests: [] };
  const record = (test: Mocha.Runnable, state: TestResult['state'], err?: Error) => {
    results.tests.push({
      title: test.title,
      fullTitle: test.fullTitle(),
      state,
      ...(test.duration !== undefined ? { durationMs: test.duration } : {}),
      ...(err ? { error: { message: String(err.message ?? err), stack: err.stack } } : {}),
    });
  };

  await new Promise<void>((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => resolve());
    } catch (err) {
      reject(err);
      return;
    }
    runner.on('pass', (test) => {
      results.passed++;
      record(test, 'passed');
    });
    // Also fires for failing hooks, which count as failures.
    runner.on('fail', (test, err) => {
      results.failed++;
      record(test, 'failed', err);
    });
    runner.on('pending', (test) => {
      results.pending++;
      record(test, 'pending');
    });
  });

  if (resultsFile) {
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    const partial = `${resultsFile}.partial`;
    fs.writeFileSync(partial, JSON.stringify(results, null, 2) + '\n');
    fs.renameSync(partial, resultsFile); // the harness polls for the file: never let it see half of it
    await holdUntil(process.env.MUNERO_TEST_HOLD_UNTIL);
    return;
  }
  if (results.failed > 0) throw new Error(`${results.failed} of ${results.tests.length} tests failed`);
}

/** Waits until `file` exists (or a minute passes); returns at once when no file is named. */
async function holdUntil(file: string | undefined): Promise<void> {
  if (!file) return;
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
}
