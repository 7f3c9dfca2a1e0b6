import assert from 'node:assert/strict';
import { signatureText } from '../../../src/core/validation/signature';
import { failureSignature, parseTestOutput, type TestReport } from '../../../src/core/validation/testOutput';
import { fixture } from './helpers';

const sign = (output: string, exitCode: number | null = 1) => failureSignature(parseTestOutput(output), exitCode, output);

const report = (...failures: [string, string][]): TestReport => ({
  runner: 'mocha',
  failures: failures.map(([name, message]) => ({ name, message })),
});

describe('failureSignature', () => {
  it('is short and names the runner', () => {
    assert.match(sign(fixture('node-spec.txt')), /^node-test:[0-9a-f]{16}$/);
  });

  it('is the same for repeated real runs: other durations, another directory, colours', () => {
    const first = sign(fixture('node-spec.txt'));
    assert.equal(sign(fixture('node-spec-run2.txt')), first);
    assert.equal(sign(fixture('node-spec-otherdir.txt')), first);
    assert.equal(sign(fixture('node-spec-color.txt')), first);
    assert.equal(sign(fixture('mocha-spec-run2.txt'), 3), sign(fixture('mocha-spec.txt'), 3));
  });

  it('differs when a different test fails', () => {
    assert.notEqual(sign(fixture('node-spec-different.txt')), sign(fixture('node-spec.txt')));
    const base = report(['suite > a', 'Error: boom']);
    assert.notEqual(failureSignature(report(['suite > b', 'Error: boom']), 1, ''), failureSignature(base, 1, ''));
    assert.notEqual(failureSignature(report(['suite > a', 'TypeError: x is undefined']), 1, ''), failureSignature(base, 1, ''));
  });

  it('differs when the same test fails in another file', () => {
    const inFile = (file: string): TestReport => ({ runner: 'tsc', failures: [{ name: 'TS2322', message: 'Type mismatch.', file }] });
    assert.notEqual(failureSignature(inFile('src/a.ts'), 2, ''), failureSignature(inFile('src/b.ts'), 2, ''));
  });

  it('ignores the order of failures and everything after the first message line', () => {
    const a = report(['t1', 'Error: one\nat line 1'], ['t2', 'Error: two']);
    const b = report(['t2', 'Error: two\nmore detail'], ['t1', 'Error: one']);
    assert.equal(failureSignature(a, 1, 'x'), failureSignature(b, 1, 'y'));
  });

  it('normalises numbers, hex ids, durations, absolute paths and timestamps in messages', () => {
    const one = report(['loads > config', 'Error: missing /tmp/run-8812/app.json (id 7f3a9c21ff) after 1.52s at 2024-05-01T10:00:00.123Z, expected 3 got 4, 0xdeadbeef']);
    const two = report(['loads > config', 'Error: missing /var/folders/x/app.json (id 00aa11bb22) after 310ms at 2025-11-25T00:59:12Z, expected 4 got 5, 0x1f']);
    assert.equal(failureSignature(one, 1, ''), failureSignature(two, 1, ''));
    assert.equal(
      signatureText(one, 1, ''),
      'mocha exit=1\nloads > config |  | Error: missing app.json (id <hex>) after <duration> at <time>, expected N got N, <hex>',
    );
  });

  it('keeps numbers in test names, which tell tests apart', () => {
    assert.notEqual(failureSignature(report(['case 1', 'Error: x']), 1, ''), failureSignature(report(['case 2', 'Error: x']), 1, ''));
  });

  it('uses the normalised last lines of the output when the runner is unknown', () => {
    const run = (ms: number, dir: string, when: string) =>
      `building...\n[${when}] compiled in ${ms}ms\nerror: cannot open ${dir}/data/input.csv\nprocess exited with code 1\n\n`;
    const a = run(120, '/tmp/a1', '2025-01-01 10:00:00');
    const b = run(95, '/home/ci/work', '2025-01-02 11:30:05');
    assert.equal(sign(a), sign(b));
    assert.match(sign(a), /^unknown:/);
    assert.notEqual(sign(a), sign(a.replace('cannot open', 'permission denied for')));
  });

  it('falls back to the output when a known runner listed no failing test', () => {
    const crash = (path: string) => `\n  0 passing (2ms)\n\nError: Cannot find module '${path}/src/app.js'\n`;
    assert.equal(sign(crash('/tmp/x1')), sign(crash('/tmp/other')));
    assert.notEqual(sign(crash('/tmp/x1')), sign("\n  0 passing (2ms)\n\nSyntaxError: Unexpected token '}'\n"));
  });

  it('includes the exit code, so a crash and a timeout differ', () => {
    assert.notEqual(sign('killed\n', null), sign('killed\n', 137));
  });
});
