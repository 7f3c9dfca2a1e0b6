import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freezeCheck, runnableCommand, scriptOf } from '../../../src/core/validation/frozenJudge';
import { findTestChanges, freezeJudge, freezePending, rebaseline } from '../../../src/core/validation/judgeState';
import { programsOf } from '../../../src/core/validation/runnerFingerprint';
import { MAX_TEST_FILE_BYTES } from '../../../src/core/validation/testFiles';

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'munero-judge-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'x', scripts, ...extra });
const noStore = { put: () => '' };
const TWO_CASES = "const assert = require('node:assert');\ndescribe('x', () => {\n  it('a', () => assert.ok(1));\n  it('b', () => assert.ok(2));\n});\n";

describe('the frozen judge', () => {
  it('knows which package-manager commands run a script', () => {
    assert.deepEqual(scriptOf('npm test'), { name: 'test', args: undefined, prePost: true });
    assert.deepEqual(scriptOf('npm t'), { name: 'test', args: undefined, prePost: true });
    assert.deepEqual(scriptOf('npm run check -- --grep add'), { name: 'check', args: '--grep add', prePost: true });
    assert.deepEqual(scriptOf('yarn test'), { name: 'test', args: undefined, prePost: true });
    assert.deepEqual(scriptOf('pnpm run lint'), { name: 'lint', args: undefined, prePost: false });
    assert.equal(scriptOf('npm install'), undefined);
    assert.equal(scriptOf('npm check'), undefined, 'npm runs only test/start/stop/restart without `run`');
    assert.equal(scriptOf('node --test'), undefined);
  });

  it('records the script text with its pre and post scripts, as npm runs them', () => {
    const ws = workspace({ 'package.json': pkg({ pretest: 'echo pre', test: 'mocha', posttest: 'echo post', lint: 'eslint .' }) });
    assert.deepEqual(freezeCheck(ws, { name: 'test', command: 'npm test', source: 'x' }).run, '(echo pre) && (mocha) && (echo post)');
    assert.equal(freezeCheck(ws, { name: 'lint', command: 'pnpm run lint', source: 'x' }).run, 'eslint .');
    const direct = freezeCheck(ws, { name: 'test', command: 'node --test', source: 'the spec' });
    assert.deepEqual([direct.run, direct.pending], ['node --test', undefined]);
    const missing = freezeCheck(ws, { name: 'typecheck', command: 'npm run typecheck', source: 'x' });
    assert.equal(missing.pending, true, 'a script that does not exist yet is frozen later');
  });

  it('runs a recorded script with node_modules/.bin first on PATH, whatever package.json says later', () => {
    const ws = workspace({ 'package.json': pkg({ test: 'hello-bin' }), 'node_modules/.bin/hello-bin': '#!/bin/sh\necho frozen-ran\nexit 3\n' });
    fs.chmodSync(path.join(ws, 'node_modules/.bin/hello-bin'), 0o755);
    const frozen = freezeCheck(ws, { name: 'test', command: 'npm test', source: 'x' });
    fs.writeFileSync(path.join(ws, 'package.json'), pkg({ test: 'exit 0' }));
    const run = (cmd: string) => {
      try {
        return { out: execFileSync('/bin/sh', ['-c', cmd], { cwd: ws, encoding: 'utf8' }), code: 0 };
      } catch (err) {
        const e = err as { stdout: string; status: number };
        return { out: e.stdout, code: e.status };
      }
    };
    assert.deepEqual(run(runnableCommand(ws, frozen)), { out: 'frozen-ran\n', code: 3 });
  });

  it('flags changed runner configuration and a changed test script, not unrelated package.json edits', () => {
    const ws = workspace({ 'package.json': pkg({ test: 'mocha' }, { mocha: { spec: 'test' } }), '.mocharc.json': '{}', 'test/a.test.js': "it('a', () => assert.ok(1));\n" });
    const judge = freezeJudge(ws, [{ name: 'test', command: 'npm test', source: 'x' }], noStore);
    assert.deepEqual(Object.keys(judge.config).sort(), ['.mocharc.json', 'package.json#mocha', 'package.json#scripts.test']);
    assert.deepEqual(Object.keys(judge.testFiles), ['test/a.test.js']);
    fs.writeFileSync(path.join(ws, 'package.json'), pkg({ test: 'mocha', build: 'tsc' }, { mocha: { spec: 'test' }, dependencies: { x: '1' } }));
    assert.deepEqual(findTestChanges(judge, ws), []);
    fs.writeFileSync(path.join(ws, 'package.json'), pkg({ test: 'exit 0' }, { mocha: { spec: 'none' } }));
    fs.writeFileSync(path.join(ws, '.mocharc.yml'), 'spec: []\n');
    fs.rmSync(path.join(ws, 'test/a.test.js'));
    assert.deepEqual(
      findTestChanges(judge, ws).map((c) => `${c.kind} ${c.file}: ${c.change}`),
      ['deleted test/a.test.js: deleted', 'config .mocharc.yml: judge configuration added', 'config package.json#mocha: judge configuration changed', 'config package.json#scripts.test: judge configuration changed'],
    );
  });

  it('flags a recorded test padded past the size it is counted up to, and takes it as it is once approved', () => {
    const ws = workspace({ 'test/a.test.js': TWO_CASES });
    const judge = freezeJudge(ws, [{ name: 'test', command: 'node --test', source: 'x' }], noStore);
    const padded = TWO_CASES.replace(/ {2}it\('b'.*\n/, '') + `// ${'x'.repeat(MAX_TEST_FILE_BYTES)}\n`;
    fs.writeFileSync(path.join(ws, 'test/a.test.js'), padded);
    const [change] = findTestChanges(judge, ws);
    assert.deepEqual([change?.kind, change?.file], ['changed', 'test/a.test.js'], 'one case deleted and hidden behind a 1 MiB comment');
    assert.match(change.change, /^content changed; cannot be compared \(\d+ bytes, over the 1 MiB/);
    rebaseline(judge, ws, change);
    assert.deepEqual(findTestChanges(judge, ws), [], 'the approved file is what it is judged against now');
  });

  it('sees a same-length edit whose mtime was set back (`touch -r`)', () => {
    const ws = workspace({ 'test/a.test.js': TWO_CASES, 'ref': '' });
    const file = path.join(ws, 'test/a.test.js');
    const judge = freezeJudge(ws, [{ name: 'test', command: 'node --test', source: 'x' }], noStore);
    fs.utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1));
    fs.utimesSync(path.join(ws, 'ref'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    assert.deepEqual(findTestChanges(judge, ws), [], 'measured once, and cached');
    const skipped = TWO_CASES.replace("  it('b', () => assert.ok(2));", "it.skip('b',()=>assert.ok(2));");
    assert.equal(skipped.length, TWO_CASES.length);
    fs.writeFileSync(file, skipped);
    execFileSync('touch', ['-r', path.join(ws, 'ref'), file]);
    assert.deepEqual(findTestChanges(judge, ws).map((c) => c.change), ['.skip added']);
  });

  it('flags a test runner in node_modules/.bin swapped for `exit 0`, or one appearing where none was', () => {
    const ws = workspace({
      'package.json': pkg({ test: 'NODE_ENV=test mocha --exit && tsc' }),
      'node_modules/mocha/package.json': JSON.stringify({ name: 'mocha', version: '10.8.2' }),
      'node_modules/mocha/bin/mocha.js': '#!/usr/bin/env node\nrequire("../lib/cli").main();\n',
    });
    fs.mkdirSync(path.join(ws, 'node_modules/.bin'));
    fs.symlinkSync('../mocha/bin/mocha.js', path.join(ws, 'node_modules/.bin/mocha'));
    const judge = freezeJudge(ws, [{ name: 'test', command: 'npm test', source: 'x' }], noStore);
    assert.deepEqual(Object.keys(judge.config).sort(), ['node_modules/.bin/mocha', 'package.json#scripts.test']);
    fs.writeFileSync(path.join(ws, 'node_modules/mocha/bin/mocha.js'), '#!/bin/sh\nexit 0\n');
    fs.writeFileSync(path.join(ws, 'node_modules/.bin/tsc'), '#!/bin/sh\nexit 0\n');
    assert.deepEqual(findTestChanges(judge, ws).map((c) => `${c.kind} ${c.file}: ${c.change}`), [
      'config node_modules/.bin/mocha: test runner changed',
      'config node_modules/.bin/tsc: test runner added',
    ]);
    fs.writeFileSync(path.join(ws, 'node_modules/mocha/bin/mocha.js'), '#!/usr/bin/env node\nrequire("../lib/cli").main();\n');
    fs.rmSync(path.join(ws, 'node_modules/.bin/mocha'));
    fs.writeFileSync(path.join(ws, 'node_modules/.bin/mocha'), '#!/bin/sh\nexit 0\n');
    assert.deepEqual(findTestChanges(judge, ws).map((c) => c.file), ['node_modules/.bin/mocha', 'node_modules/.bin/tsc'], 'the link replaced by a script');
  });

  it('finds the programs a command starts', () => {
    assert.deepEqual(programsOf('NODE_ENV=test mocha --exit && (tsc -p .) | tee out; npx --yes jest; npm exec vitest run; ./run.sh; node --test'), ['mocha', 'tsc', 'tee', 'jest', 'vitest', 'node']);
  });

  it('watches tsconfig only for a tsc type check, and freezes a test command that appears later', () => {
    const ws = workspace({ 'tsconfig.json': '{"strict": true}' });
    const judge = freezeJudge(ws, [{ name: 'typecheck', command: 'npx tsc --noEmit', source: 'x' }], noStore);
    assert.deepEqual(Object.keys(judge.config), ['tsconfig.json']);
    assert.equal(judge.testPending, true);
    fs.writeFileSync(path.join(ws, 'package.json'), pkg({ test: 'node --test' }));
    const frozen = freezePending(judge, ws, [{ name: 'test', command: 'npm test', source: 'package.json' }, { name: 'typecheck', command: 'npx tsc', source: 'x' }], 'task T1');
    assert.deepEqual(frozen.map((c) => [c.run, c.frozenLater?.scope]), [['node --test', 'task T1']]);
    assert.equal(judge.testPending, undefined);
    assert.ok(judge.config['package.json#scripts.test'], 'the new script is fingerprinted from now on');
    assert.equal(judge.checks.find((c) => c.name === 'typecheck')!.command, 'npx tsc --noEmit', 'a check frozen at the start stays as it was');
  });
});
