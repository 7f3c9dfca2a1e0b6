import assert from 'node:assert/strict';
import { isTestFile } from '../../../src/core/validation/testFiles';
import { compareTest, describeWeakening, measureTest } from '../../../src/core/validation/testIntegrity';

const measure = (rel: string, text: string) => measureTest(rel, Buffer.from(text));
const weakening = (rel: string, before: string, after: string) => describeWeakening(measure(rel, before), measure(rel, after));

const JS = [
  "const { test, describe, it } = require('node:test');",
  "const assert = require('node:assert');",
  "describe('add', () => {",
  "  it('adds', () => { assert.strictEqual(add(2, 3), 5); });",
  "  it('adds negatives', () => { assert.equal(add(-1, -1), -2); expect(add(0, 0)).toBe(0); });",
  '});',
  '',
].join('\n');

describe('test integrity', () => {
  it('recognises the common test layouts and nothing else', () => {
    for (const yes of ['add.test.js', 'src/a.spec.ts', 'test/helpers.js', 'pkg/__tests__/x.tsx', 'tests/test_api.py', 'api_test.py', 'test_api.py', 'server_test.go', 'spec/user_spec.rb']) {
      assert.ok(isTestFile(yes), yes);
    }
    for (const no of ['add.js', 'src/testing.ts', 'docs/test/README.md', 'contest.py', 'latest.go']) assert.ok(!isTestFile(no), no);
  });

  it('counts test cases and assertions, leaving comments out', () => {
    const m = measure('a.test.js', `${JS}// it('commented', () => assert.ok(false));\n/* test('block', () => {}) */\n`);
    assert.equal(m.cases, 2);
    assert.equal(m.assertions, 3);
    assert.deepEqual(m.markers, {});
  });

  it('calls a test weaker for fewer assertions, fewer cases, or a skip/only/todo it did not have', () => {
    assert.equal(weakening('a.test.js', JS, JS.replace(' expect(add(0, 0)).toBe(0);', '')), '1 assertion fewer');
    assert.equal(weakening('a.test.js', JS, JS.replace(/ {2}it\('adds negatives'.*\n/, '')), '1 test case fewer, 2 assertions fewer');
    assert.equal(weakening('a.test.js', JS, JS.replace("it('adds'", "it.skip('adds'")), '.skip added');
    assert.equal(weakening('a.test.js', JS, JS.replace("describe('add'", "describe.only('add'")), '.only added');
    assert.equal(weakening('a.test.js', JS, JS.replace("it('adds'", "xit('adds'")), 'xit/xtest/xdescribe added');
    assert.equal(weakening('a.test.js', JS, JS.replace("it('adds'", "it.todo('adds'")), '.todo added');
    assert.equal(weakening('a.test.js', JS, JS.replace("it('adds', () => {", "it('adds', (t) => { t.skip();")), '.skip added');
    assert.equal(weakening('a.test.js', JS, JS.replace("it('adds', ()", "it('adds', { skip: true }, ()")), '{ skip } added');
  });

  it('is not fooled into flagging a test that grew or was only reworded', () => {
    assert.equal(weakening('a.test.js', JS, JS + "test('more', () => assert.ok(true));\n"), undefined);
    assert.equal(weakening('a.test.js', JS, JS.replace('adds negatives', 'sums negatives')), undefined);
    assert.equal(weakening('a.test.js', JS, JS), undefined);
  });

  it('flags every change to a recorded test, including those no count sees, and says what changed', () => {
    const compare = (after: string) => compareTest(measure('a.test.js', JS), measure('a.test.js', after));
    const unseen = {
      'process.exit(0) at the top': `process.exit(0);\n${JS}`,
      'if (false) describe': JS.replace("describe('add'", "if (false) describe('add'"),
      'assertions made trivially true': JS.replace('add(2, 3), 5', '5, 5').replace('add(-1, -1), -2', '-2, -2'),
      'an assertion turned into a string': JS.replace('assert.strictEqual(add(2, 3), 5);', "'assert.strictEqual(add(2, 3), 5)';"),
    };
    for (const [attack, after] of Object.entries(unseen)) {
      assert.equal(describeWeakening(measure('a.test.js', JS), measure('a.test.js', after)), undefined, `${attack}: the counts alone miss it`);
      assert.deepEqual(compare(after), { kind: 'changed', change: 'content changed' }, attack);
    }
    assert.deepEqual(compare(JS.replace("it('adds'", "it.skip('adds'")), { kind: 'weakened', change: '.skip added' });
    assert.deepEqual(compare(`${JS}test('more', () => assert.ok(true));\n`), { kind: 'changed', change: 'content changed: 1 test case added, 1 assertion added' });
    assert.equal(compare(JS), undefined);
  });

  it('knows pytest and go test markers', () => {
    const py = 'import pytest\n\ndef test_add():\n    assert add(2, 3) == 5\n\ndef test_neg():\n    assert add(-1, -1) == -2\n';
    assert.equal(weakening('test_add.py', py, py.replace('def test_neg', '@pytest.mark.skip\ndef test_neg')), '@pytest.mark.skip added');
    assert.equal(weakening('test_add.py', py, py.replace('    assert add(-1, -1) == -2\n', '    pass\n')), '1 assertion fewer');
    const go = 'package add\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Errorf("bad")\n\t}\n}\n';
    assert.equal(weakening('add_test.go', go, go.replace('func TestAdd(t *testing.T) {', 'func TestAdd(t *testing.T) {\n\tt.Skip("later")')), 't.Skip() added');
    assert.equal(weakening('add_test.go', go, 'package add\n'), '1 test case fewer, 1 assertion fewer');
  });
});
