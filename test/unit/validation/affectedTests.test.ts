import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { selectAffectedTests, type Selection } from '../../../src/core/validation/affectedTests';
import { ImportGraph } from '../../../src/core/validation/importGraph';
import { narrowTestCommand } from '../../../src/core/validation/relatedCommand';
import { findTestFiles } from '../../../src/core/validation/testFiles';
import { workspaceWith } from './helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

const workspace = (files: Record<string, string>) => workspaceWith(files, 'munero-affected-');

/** A node:test file that records its own name in ran.log when it runs, then passes. */
function recordingTest(name: string, imports: string[], extra = ''): string {
  return [
    "const test = require('node:test');",
    "const fs = require('node:fs');",
    ...imports.map((i) => `require(${JSON.stringify(i)});`),
    `fs.appendFileSync(require('node:path').join(__dirname, ${JSON.stringify('../'.repeat(name.split('/').length - 1) || './')}, 'ran.log'), ${JSON.stringify(name + '\n')});`,
    extra,
    `test(${JSON.stringify(`${name} runs`)}, () => {});`,
    '',
  ].join('\n');
}

const PROJECT = {
  'src/a.js': "const { b } = require('./b');\nexports.a = () => b() + 1;\n",
  'src/b.js': 'exports.b = () => 1;\n',
  'src/c.mjs': 'export const c = 3;\n',
  'src/d.ts': "export { c } from './c.mjs';\n",
  'test/a.test.js': recordingTest('test/a.test.js', ['../src/a']),
  'test/b.test.js': recordingTest('test/b.test.js', ['../src/b']),
  'test/c.test.js': recordingTest('test/c.test.js', []),
  'test/uses-a.test.js': recordingTest('test/uses-a.test.js', ['./helper']),
  'test/helper.js': "module.exports = require('../src/a');\n",
  'test/r7.test.js': recordingTest('test/r7.test.js', [], "// R7: covered here\n"),
};

function select(ws: string, changed: string[], requirements: string[] = []): Selection {
  return selectAffectedTests({ workspaceRoot: ws, graph: new ImportGraph(ws), changed, requirements, testFiles: findTestFiles(ws).files });
}

function affected(s: Selection): string[] {
  assert.equal(s.kind, 'affected', s.kind === 'full' ? s.reason : '');
  return s.kind === 'affected' ? s.tests : [];
}

function ranBy(ws: string, command: string): string[] {
  fs.rmSync(path.join(ws, 'ran.log'), { force: true });
  execFileSync('/bin/sh', ['-c', command], { cwd: ws, stdio: 'pipe', env: { ...process.env, NODE_TEST_CONTEXT: undefined, NODE_OPTIONS: undefined } });
  return fs.readFileSync(path.join(ws, 'ran.log'), 'utf8').trim().split('\n').sort();
}

describe('affected tests', () => {
  it('a change to src/a.js selects test files importing it, directly or through a helper, and no others', () => {
    const ws = workspace(PROJECT);
    const s = select(ws, ['src/a.js']);
    assert.deepEqual(affected(s), ['test/a.test.js', 'test/helper.js', 'test/uses-a.test.js']);
    assert.equal(s.kind === 'affected' && s.why['test/uses-a.test.js'], 'imports src/a.js');
  });

  it('a change to src/b.js reaches the tests of src/a.js too, since a.js imports b.js', () => {
    const ws = workspace(PROJECT);
    assert.deepEqual(affected(select(ws, ['src/b.js'])), ['test/a.test.js', 'test/b.test.js', 'test/helper.js', 'test/uses-a.test.js']);
  });

  it('adds test files the task wrote and tests naming its requirements', () => {
    const ws = workspace(PROJECT);
    const s = select(ws, ['test/c.test.js'], ['R7']);
    assert.deepEqual(affected(s), ['test/c.test.js', 'test/r7.test.js']);
    assert.equal(s.kind === 'affected' && s.why['test/r7.test.js'], 'names R7');
  });

  it('follows ES module and TypeScript imports (export … from, .js written for .ts)', () => {
    const ws = workspace({ ...PROJECT, 'test/d.test.ts': "import { c } from '../src/d.js';\nimport type { X } from '../src/x';\n" });
    assert.deepEqual(affected(select(ws, ['src/c.mjs'])), ['test/d.test.ts']);
  });

  it('always selects a test whose imports cannot all be followed', () => {
    const ws = workspace({ ...PROJECT, 'test/dynamic.test.js': "const name = 'b';\nrequire('../src/' + name);\n" });
    const s = select(ws, ['src/b.js']);
    assert.ok(affected(s).includes('test/dynamic.test.js'));
    assert.match(s.kind === 'affected' ? s.why['test/dynamic.test.js'] : '', /computed path/);
  });

  it('falls back to the whole suite for data, configuration, a deleted file, or nothing selected, saying why', () => {
    const ws = workspace({ ...PROJECT, 'src/lonely.js': 'exports.x = 1;\n' });
    const reasons = [['src/data.json'], ['jest.config.js'], ['src/gone.js'], ['src/lonely.js']].map((changed) => {
      const s = select(ws, changed);
      assert.equal(s.kind, 'full', changed.join());
      return s.kind === 'full' ? s.reason : '';
    });
    assert.match(reasons[0], /src\/data\.json is not a JS\/TS module/);
    assert.match(reasons[1], /jest\.config\.js is configuration/);
    assert.match(reasons[2], /src\/gone\.js was deleted/);
    assert.match(reasons[3], /no test file is written by, names or imports what changed \(src\/lonely\.js\)/);
  });

  it('node --test narrowed to the selection runs exactly those files', function () {
    this.timeout(30_000);
    const ws = workspace(PROJECT);
    assert.equal(ranBy(ws, 'node --test').length, 5, 'the whole suite runs every recording file');
    const tests = affected(select(ws, ['src/a.js']));
    const narrowed = narrowTestCommand('node --test', ws, { tests, changed: ['src/a.js'] });
    assert.ok('command' in narrowed, 'reason' in narrowed ? narrowed.reason : '');
    assert.deepEqual(ranBy(ws, narrowed.command), ['test/a.test.js', 'test/uses-a.test.js']);
  });

  it('mocha narrowed to the selection runs exactly those files; a mocha config file means the whole suite', function () {
    this.timeout(30_000);
    const mochaTest = (name: string, imports: string[]) => recordingTest(name, imports).replace("const test = require('node:test');", '').replace(/test\((.*), \(\) => \{\}\);/, 'it($1, () => {});');
    const ws = workspace({ 'src/a.js': 'exports.a = 1;\n', 'test/a.js': mochaTest('test/a.js', ['../src/a']), 'test/b.js': mochaTest('test/b.js', []) });
    const mocha = path.join(repoRoot, 'node_modules', '.bin', 'mocha');
    const narrowed = narrowTestCommand(`${mocha} --reporter dot`, ws, { tests: affected(select(ws, ['src/a.js'])), changed: ['src/a.js'] });
    assert.ok('command' in narrowed, 'reason' in narrowed ? narrowed.reason : '');
    assert.deepEqual(ranBy(ws, narrowed.command), ['test/a.js']);
    fs.writeFileSync(path.join(ws, '.mocharc.json'), '{"spec": ["test/*.js"]}');
    const withConfig = narrowTestCommand(`${mocha}`, ws, { tests: ['test/a.js'], changed: ['src/a.js'] });
    assert.match('reason' in withConfig ? withConfig.reason : '', /mocha reads \.mocharc\.json/);
  });

  it('uses jest --findRelatedTests and vitest related; refuses what it cannot narrow safely', () => {
    const ws = workspace(PROJECT);
    const sel = { tests: ['test/a.test.js'], changed: ['src/a.js'] };
    assert.deepEqual(narrowTestCommand('npx jest --ci', ws, sel), { command: 'npx jest --ci --findRelatedTests src/a.js test/a.test.js', runner: 'jest --findRelatedTests', tests: ['src/a.js', 'test/a.test.js'] });
    assert.deepEqual(narrowTestCommand('vitest run --reporter verbose', ws, sel), { command: 'vitest related --run --reporter verbose src/a.js test/a.test.js', runner: 'vitest related', tests: ['src/a.js', 'test/a.test.js'] });
    assert.deepEqual(narrowTestCommand('node --test test/', ws, sel), { command: 'node --test test/a.test.js', runner: 'node --test', tests: ['test/a.test.js'] }, 'a folder argument keeps the files inside it');
    assert.deepEqual(narrowTestCommand('node --import tsx --test', ws, { tests: ['test/d.test.ts', 'src/x.spec.js'], changed: [] }), { command: 'node --import tsx --test test/d.test.ts', runner: 'node --test', tests: ['test/d.test.ts'] }, 'only files node --test would find itself');
    const reason = (cmd: string) => {
      const n = narrowTestCommand(cmd, ws, sel);
      return 'reason' in n ? n.reason : `narrowed to ${n.command}`;
    };
    assert.match(reason('npm run build && node --test'), /more than one plain command/);
    assert.match(reason('ava'), /`ava` is not a test runner Munero can narrow/);
    assert.match(reason("node --test 'test/**/*.test.js'"), /quoted arguments/);
    assert.match(reason('node --test test/**/*.test.js'), /not a folder or file in the workspace/);
    assert.match(reason('jest src'), /names test paths of its own/);
  });
});
