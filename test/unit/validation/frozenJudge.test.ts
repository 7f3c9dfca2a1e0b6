import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freezeCheck, runnableCommand, scriptOf } from '../../../src/core/validation/frozenJudge';
import { findTestChanges, freezeJudge, freezePending } from '../../../src/core/validation/judgeState';

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
