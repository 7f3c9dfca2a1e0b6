#!/usr/bin/env node
// The extension-host suite under desktop VS Code through @vscode/test-electron, for machines
// with internet: it downloads a VS Code build from Microsoft's update service, which the project's
// own machines cannot reach (there, use test/vscode/run.mjs, the same suite in code-server).
//
//   node test/vscode/electron.mjs [--grep PATTERN] [--version 1.100.3]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { writeTestUserSettings } from '../../scripts/vscode/codeServer.mjs';
import {
  extensionPath,
  log as logAs,
  makeRunDir,
  printResults,
  repoRoot,
  runStep,
  sessionScript,
  startScriptedServer,
  testResultsDir,
} from './harness.mjs';

const TAG = 'test:vscode:electron';
const log = (msg) => logAs(TAG, msg);

const { values: opts } = parseArgs({
  options: { grep: { type: 'string', short: 'g' }, version: { type: 'string' } },
  strict: true,
});

async function main() {
  runStep(TAG, 'build', process.execPath, ['esbuild.js']);
  const suiteFile = path.join(repoRoot, 'dist', 'test', 'vscode', 'suite', 'index.js');
  if (!fs.existsSync(suiteFile)) throw new Error(`the build did not produce ${suiteFile}`);

  const run = makeRunDir('munero-vscode-electron-');
  const resultsFile = path.join(run.dir, 'results.json');
  writeTestUserSettings(run.userDataDir);
  const scripted = await startScriptedServer({ script: sessionScript });
  log(`scripted Messages API: ${scripted.url}`);
  try {
    const exitCode = await runTests({
      version: opts.version ?? '1.100.3',
      extensionDevelopmentPath: extensionPath(),
      extensionTestsPath: suiteFile,
      launchArgs: [
        run.workspace,
        '--disable-extensions',
        '--user-data-dir', run.userDataDir,
        '--extensions-dir', run.extensionsDir,
        '--skip-welcome',
        '--skip-release-notes',
      ],
      extensionTestsEnv: {
        ANTHROPIC_BASE_URL: scripted.url,
        ANTHROPIC_API_KEY: 'test-key',
        MUNERO_TEST_RESULTS: resultsFile,
        MUNERO_TEST_WORKSPACE: run.workspace,
        MUNERO_USER_CONFIG: run.userConfig,
        ...(opts.grep ? { MUNERO_TEST_GREP: opts.grep } : {}),
      },
    });
    if (!fs.existsSync(resultsFile)) {
      log(`VS Code exited with ${exitCode} and wrote no results`);
      return false;
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    fs.mkdirSync(testResultsDir, { recursive: true });
    fs.writeFileSync(path.join(testResultsDir, 'vscode-results.json'), JSON.stringify(results, null, 2) + '\n');
    return printResults(results) && exitCode === 0;
  } finally {
    await scripted.stop();
    fs.rmSync(run.dir, { recursive: true, force: true });
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`[${TAG}] ERROR: ${err.message}`);
    process.exit(1);
  },
);
