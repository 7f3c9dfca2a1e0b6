import assert from 'node:assert/strict';
import { parseTestOutput, type FailingTest } from '../../../src/core/validation/testOutput';
import { fixture } from './helpers';

const brief = (failures: FailingTest[]) => failures.map((f) => [f.name, f.file, f.line, f.column, f.message.split('\n')[0]]);

describe('parseTestOutput', () => {
  describe('node --test, spec reporter (real output)', () => {
    it('lists failing tests with suite paths, locations and messages', () => {
      const report = parseTestOutput(fixture('node-spec.txt'));
      assert.equal(report.runner, 'node-test');
      assert.equal(report.passed, 2);
      assert.equal(report.failed, 3);
      assert.deepEqual(brief(report.failures), [
        ['math > adds negative numbers', 'math.test.mjs', 10, 3, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:'],
        ['math > nested > multiplies', 'math.test.mjs', 14, 5, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:'],
        ['parses config', 'math.test.mjs', 20, 1, 'Error: config file missing at /tmp/mfx/app.json (id 7f3a9c21)'],
      ]);
      assert.equal(report.failures[0]!.message, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n-3 !== -4');
      assert.doesNotMatch(report.failures[1]!.message, /at TestContext|generatedMessage/);
    });

    it('reads coloured output the same', () => {
      assert.match(fixture('node-spec-color.txt'), /\u001b\[/);
      assert.deepEqual(parseTestOutput(fixture('node-spec-color.txt')), parseTestOutput(fixture('node-spec.txt')));
    });

    it('reports why a test file failed to load', () => {
      const report = parseTestOutput(fixture('node-spec-load-error.txt'));
      assert.equal(report.failures.length, 1);
      assert.match(report.failures[0]!.message, /^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module '\/tmp\/mfx\/broken\/nope\.mjs'/);
    });

    it('works from the tree alone (older Node without the "failing tests" list)', () => {
      const text = fixture('node-spec.txt');
      const report = parseTestOutput(text.slice(0, text.indexOf('✖ failing tests:')));
      assert.deepEqual(brief(report.failures).map(([name, file, line]) => [name, file, line]), [
        ['math > adds negative numbers', '/tmp/mfx/math.test.mjs', 11],
        ['math > nested > multiplies', '/tmp/mfx/math.test.mjs', 15],
        ['parses config', '/tmp/mfx/math.test.mjs', 21],
      ]);
    });
  });

  describe('node --test, TAP reporter (real output)', () => {
    it('lists failing tests from the YAML diagnostics, skipping suite roll-ups', () => {
      const report = parseTestOutput(fixture('node-tap.txt'));
      assert.equal(report.runner, 'node-test');
      assert.equal(report.passed, 2);
      assert.equal(report.failed, 3);
      assert.deepEqual(brief(report.failures), [
        ['math > adds negative numbers', '/tmp/mfx/math.test.mjs', 10, 3, 'AssertionError: Expected values to be strictly equal:'],
        ['math > nested > multiplies', '/tmp/mfx/math.test.mjs', 14, 5, 'AssertionError: Expected values to be strictly deep-equal:'],
        ['parses config', '/tmp/mfx/math.test.mjs', 20, 1, 'config file missing at /tmp/mfx/app.json (id 7f3a9c21)'],
      ]);
    });

    it('reports why a test file failed to load', () => {
      const report = parseTestOutput(fixture('node-tap-load-error.txt'));
      assert.match(report.failures[0]!.message, /^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module/);
    });
  });

  describe('other TAP producers', () => {
    it('names tests by their comment, takes the location from `at`, and shows expected/actual', () => {
      const tap = [
        'TAP version 13',
        '# adds numbers',
        'ok 1 should be equal',
        'not ok 2 should be equal',
        '  ---',
        '    operator: equal',
        '    expected: 5',
        '    actual:   4',
        '    at: Test.<anonymous> (/home/dev/calc/test/add.js:9:5)',
        '  ...',
        'not ok 3 later # TODO not written yet',
        'ok 4 skipped # SKIP no network',
        '',
        '1..4',
        '# tests 4',
        '# pass  2',
        '# fail  1',
      ].join('\n');
      const report = parseTestOutput(tap);
      assert.equal(report.runner, 'tap');
      assert.equal(report.passed, 2);
      assert.equal(report.failed, 1);
      assert.deepEqual(report.failures, [
        { name: 'adds numbers > should be equal', message: 'expected: 5, actual: 4', file: '/home/dev/calc/test/add.js', line: 9, column: 5 },
      ]);
    });

    it('reports a bail out', () => {
      const report = parseTestOutput('TAP version 13\n1..3\nok 1 a\nBail out! database unreachable\n');
      assert.deepEqual(report.failures, [{ name: 'Bail out!', message: 'database unreachable' }]);
    });
  });

  describe('mocha (real output)', () => {
    it('lists failures with full titles, messages without the diff, and the first own stack frame', () => {
      const report = parseTestOutput(fixture('mocha-spec.txt'));
      assert.equal(report.runner, 'mocha');
      assert.equal(report.passed, 2);
      assert.equal(report.failed, 3);
      assert.deepEqual(brief(report.failures), [
        ['calculator > adds negative numbers', '/tmp/mfx/calc.spec.mjs', 10, 12, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:'],
        ['calculator > objects > merges totals', '/tmp/mfx/calc.spec.mjs', 14, 14, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:'],
        ['config > loads the config file', '/tmp/mfx/calc.spec.mjs', 21, 11, 'Error: config file missing at /tmp/mfx/app.json (id 7f3a9c21)'],
      ]);
      assert.equal(report.failures[0]!.message, 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n-3 !== -4');
    });

    it('reads coloured output the same', () => {
      assert.deepEqual(parseTestOutput(fixture('mocha-spec-color.txt')), parseTestOutput(fixture('mocha-spec.txt')));
    });

    it('handles the dot reporter, top-level tests and timeouts', () => {
      const report = parseTestOutput(fixture('mocha-dot.txt'));
      assert.equal(report.runner, 'mocha');
      assert.equal(report.passed, 0);
      assert.deepEqual(brief(report.failures), [
        ['top-level check', '/tmp/mfx/dot/top.spec.mjs', 3, 10, 'AssertionError [ERR_ASSERTION]: list should contain 4'],
        ['timers > finishes quickly', undefined, undefined, undefined, report.failures[1]!.message.split('\n')[0]],
      ]);
      assert.match(report.failures[1]!.message, /^Error: Timeout of 50ms exceeded/);
    });
  });

  describe('jest (documented format)', () => {
    it('lists ● blocks once each, ignoring console output', () => {
      const report = parseTestOutput(fixture('jest.txt'));
      assert.equal(report.runner, 'jest');
      assert.equal(report.passed, 5);
      assert.equal(report.failed, 2);
      assert.deepEqual(brief(report.failures), [
        ['sum > adds 2 + 2 to equal 5', 'src/sum.test.js', 12, 23, 'expect(received).toBe(expected) // Object.is equality'],
        ['parse > rejects empty input', 'src/sum.test.js', 21, 29, 'expect(received).toThrow(expected)'],
        ['src/broken.test.js > Test suite failed to run', 'src/broken.test.js', 1, 17, "Cannot find module './missing' from 'src/broken.test.js'"],
      ]);
      assert.equal(report.failures[0]!.message, 'expect(received).toBe(expected) // Object.is equality\nExpected: 5\nReceived: 4');
    });

    it('does not repeat failures listed again in the summary, and falls back to the code frame line', () => {
      const block = ['  ● cart › totals', '', '    expect(received).toBe(expected)', '', '    > 7 |     expect(total).toBe(3);', '        |                   ^', ''];
      const text = [' FAIL  test/cart.test.js', ...block, 'Summary of all failing tests', ' FAIL  test/cart.test.js', ...block, 'Tests:       1 failed, 1 total'].join('\n');
      const report = parseTestOutput(text);
      assert.deepEqual(brief(report.failures), [['cart > totals', 'test/cart.test.js', 7, undefined, 'expect(received).toBe(expected)']]);
    });
  });

  describe('vitest (documented format)', () => {
    it('lists FAIL blocks with the ❯ location', () => {
      const report = parseTestOutput(fixture('vitest.txt'));
      assert.equal(report.runner, 'vitest');
      assert.equal(report.passed, 5);
      assert.equal(report.failed, 2);
      assert.deepEqual(brief(report.failures), [
        ['cart > adds an item', 'src/cart.test.ts', 14, 32, 'AssertionError: expected 2 to be 1 // Object.is equality'],
        ['totals > applies the discount', 'src/cart.test.ts', 31, 24, 'AssertionError: expected { total: 90 } to deeply equal { total: 85 }'],
      ]);
      assert.doesNotMatch(report.failures[0]!.message, /❯|\d+\|/);
    });

    it('falls back to the × lines', () => {
      const text = fixture('vitest.txt');
      const report = parseTestOutput(text.slice(0, text.indexOf('⎯')) + ' Test Files  1 failed | 1 passed (2)\n      Tests  2 failed | 5 passed (7)\n');
      assert.deepEqual(brief(report.failures), [
        ['cart > adds an item', 'src/cart.test.ts', undefined, undefined, 'expected 2 to be 1 // Object.is equality'],
        ['totals > applies the discount', 'src/cart.test.ts', undefined, undefined, 'expected { total: 90 } to deeply equal { total: 85 }'],
      ]);
    });
  });

  describe('tsc (real output)', () => {
    const expected = [
      ['TS2322', 'src/a.ts', 2, 9, "Type 'number' is not assignable to type 'string'."],
      ['TS2322', 'src/a.ts', 5, 14, "Type 'string' is not assignable to type 'number'."],
      ['TS2305', 'src/b.ts', 1, 10, `Module '"./a"' has no exported member 'missing'.`],
      ['TS2552', 'src/b.ts', 2, 28, "Cannot find name 'undefinedName'. Did you mean 'undefined'?"],
    ];

    it('reads the plain form', () => {
      const report = parseTestOutput(fixture('tsc-plain.txt'));
      assert.equal(report.runner, 'tsc');
      assert.equal(report.failed, 4);
      assert.deepEqual(brief(report.failures), expected);
    });

    it('reads the --pretty form, colours and code frames included', () => {
      const report = parseTestOutput(fixture('tsc-pretty.txt'));
      assert.equal(report.failed, 4);
      assert.deepEqual(brief(report.failures), expected);
      assert.deepEqual(report.failures.map((f) => f.message), expected.map((e) => e[4]));
    });

    it('keeps continuation lines and reports errors without a file', () => {
      const text = [
        "src/c.ts(3,7): error TS2741: Property 'id' is missing in type '{}' but required in type 'User'.",
        "  src/user.ts(2,3): 'id' is declared here.",
        "error TS6053: File '/repo/tsconfig.base.json' not found.",
      ].join('\n');
      assert.deepEqual(parseTestOutput(text).failures, [
        {
          name: 'TS2741',
          message: "Property 'id' is missing in type '{}' but required in type 'User'.\nsrc/user.ts(2,3): 'id' is declared here.",
          file: 'src/c.ts',
          line: 3,
          column: 7,
        },
        { name: 'TS6053', message: "File '/repo/tsconfig.base.json' not found." },
      ]);
    });
  });

  describe('eslint stylish (documented format)', () => {
    it('lists errors with file, position and rule; warnings are not failures', () => {
      const report = parseTestOutput(fixture('eslint-stylish.txt'));
      assert.equal(report.runner, 'eslint');
      assert.equal(report.failed, 3);
      assert.deepEqual(brief(report.failures), [
        ['no-unused-vars', '/home/dev/shop/src/cart.js', 3, 10, "'unused' is defined but never used"],
        ['semi', '/home/dev/shop/src/cart.js', 12, 22, 'Missing semicolon'],
        ['error', '/home/dev/shop/src/price.js', 2, 7, 'Parsing error: Unexpected token =>'],
      ]);
    });
  });

  describe('anything else', () => {
    it('is unknown, with no failures', () => {
      assert.deepEqual(parseTestOutput('Segmentation fault (core dumped)\n'), { runner: 'unknown', failures: [] });
      assert.deepEqual(parseTestOutput(''), { runner: 'unknown', failures: [] });
    });

    it('sees through npm script banners and CRLF line ends', () => {
      const text = '\r\n> todo@1.0.0 test\r\n> tsc --noEmit\r\n\r\n' + fixture('tsc-plain.txt').replace(/\n/g, '\r\n');
      const report = parseTestOutput(text);
      assert.equal(report.runner, 'tsc');
      assert.equal(report.failures.length, 4);
      assert.equal(report.failures[0]!.message, "Type 'number' is not assignable to type 'string'.");
    });
  });

  describe('limits', () => {
    it('keeps at most 50 failures but the full count', () => {
      const text = Array.from({ length: 120 }, (_, i) => `src/f${i}.ts(1,1): error TS2304: Cannot find name 'x${i}'.`).join('\n');
      const report = parseTestOutput(text);
      assert.equal(report.failures.length, 50);
      assert.equal(report.failed, 120);
    });

    it('keeps messages to their first lines and 500 characters', () => {
      const long = 'x'.repeat(2000);
      const lines = Array.from({ length: 20 }, (_, i) => `    line ${i}`);
      const text = ['✖ big (1ms)', `  Error: ${long}`, '', '✖ tall (1ms)', '  Error: tall', ...lines, '', 'ℹ fail 2'].join('\n');
      const [big, tall] = parseTestOutput(text).failures;
      assert.ok(big!.message.length <= 500);
      assert.ok(tall!.message.split('\n').length <= 6);
      assert.ok(tall!.message.startsWith('Error: tall\n  line 0'));
    });
  });
});
