import assert from 'node:assert/strict';
import { parseSpec } from '../../../src/core/spec';
import { lines, specError } from './helpers';

const REQ = '## R1: Something';

describe('spec: front matter', () => {
  it('reads every setting', () => {
    const spec = parseSpec(
      lines(
        '---',
        'test_command: npm test',
        'typecheck_command: npx tsc --noEmit',
        'lint_command: npx eslint .',
        'max_iterations: 4',
        'model: claude-sonnet-4-5',
        'max_cost_usd: 1.25',
        'allow_commands: [npm test, "npx tsc *"]',
        '---',
        REQ,
      ),
      'spec.md',
    );
    assert.deepEqual(spec.settings, {
      test_command: 'npm test',
      typecheck_command: 'npx tsc --noEmit',
      lint_command: 'npx eslint .',
      max_iterations: 4,
      model: 'claude-sonnet-4-5',
      max_cost_usd: 1.25,
      allow_commands: ['npm test', 'npx tsc *'],
    });
    assert.deepEqual(spec.warnings, []);
    assert.deepEqual(spec.requirements[0]!.range, { startLine: 10, endLine: 10 });
  });

  it('is optional, and may be empty', () => {
    assert.deepEqual(parseSpec(lines(REQ), 'spec.md').settings, {});
    assert.deepEqual(parseSpec(lines('---', '---', REQ), 'spec.md').settings, {});
  });

  it('ignores unknown keys, warning only about a near miss of a known one', () => {
    const spec = parseSpec(lines('---', 'model: m', 'max_iteration: 3', 'owner: me', 'status: draft', 'stepsCompleted: [1, 2]', '---', REQ), 'spec.md');
    assert.deepEqual(spec.settings, { model: 'm' });
    assert.equal(spec.warnings.length, 1, 'other tools\' keys are not warnings');
    assert.match(spec.warnings[0]!, /^spec\.md:3: unknown front matter key `max_iteration`.*did you mean `max_iterations`/);
  });

  it('ignores keys without a value, with a warning', () => {
    const spec = parseSpec(lines('---', 'lint_command:', '---', REQ), 'spec.md');
    assert.deepEqual(spec.settings, {});
    assert.match(spec.warnings[0]!, /^spec\.md:2: .*`lint_command` has no value/);
  });

  const wrongTypes: [string, RegExp][] = [
    ['max_iterations: "five"', /`max_iterations` must be a whole number above 0.*not "five"/],
    ['max_iterations: 2.5', /`max_iterations` must be a whole number/],
    ['max_iterations: 0', /`max_iterations` must be a whole number/],
    ['max_cost_usd: -1', /`max_cost_usd` must be a number of dollars above 0/],
    ['test_command: 42', /`test_command` must be a command/],
    ['model: [a, b]', /`model` must be a model name/],
    ['allow_commands: npm test', /`allow_commands` must be a list of commands/],
    ['allow_commands: [npm test, 3]', /`allow_commands` must be a list/],
  ];
  for (const [line, message] of wrongTypes) {
    it(`rejects ${line} with its line`, () => {
      const err = specError(() => parseSpec(lines('---', 'lint_command: ok', line, '---', REQ), 'spec.md'), 'bad_front_matter');
      assert.equal(err.line, 3);
      assert.match(err.message, /^spec\.md:3: front matter /);
      assert.match(err.message, message);
    });
  }

  it('rejects invalid YAML with the line of the problem', () => {
    const err = specError(() => parseSpec(lines('---', 'model: m', 'test_command: "npm test', 'lint_command: x', '---', REQ), 'spec.md'), 'bad_front_matter');
    assert.ok(err.line! >= 3 && err.line! <= 5, `line ${err.line}`);
    assert.match(err.message, /not valid YAML/);
  });

  it('rejects a repeated key', () => {
    const err = specError(() => parseSpec(lines('---', 'model: a', 'model: b', '---', REQ), 'spec.md'), 'bad_front_matter');
    assert.equal(err.line, 3);
  });

  it('rejects front matter that is not key: value lines', () => {
    const err = specError(() => parseSpec(lines('---', '- a', '- b', '---', REQ), 'spec.md'), 'bad_front_matter');
    assert.equal(err.line, 2);
  });

  it('rejects front matter that is never closed', () => {
    const err = specError(() => parseSpec(lines('---', 'model: m', '', REQ), 'spec.md'), 'bad_front_matter');
    assert.equal(err.line, 1);
    assert.match(err.message, /never closed/);
  });

  it('leaves a leading thematic break alone', () => {
    assert.equal(parseSpec(lines('---', '', REQ), 'spec.md').requirements.length, 1);
  });
});
