import assert from 'node:assert/strict';
import { hasStackTrace, miscountedPhrases, saysWhatToDo } from './messageRules';

describe('the message rules the CLI test applies', () => {
  it('catch a count spelled for another number, and pass the right ones', () => {
    assert.deepEqual(miscountedPhrases('T1 done (1 attempts); served 1 requests; 1 of 1 test files by node'), ['1 attempts', '1 requests', '1 of 1 test files']);
    assert.deepEqual(miscountedPhrases('2 task; 0 requirement'), ['2 task', '0 requirement']);
    assert.deepEqual(miscountedPhrases('1 attempt, 2 attempts, 0 criteria, 1 criterion, 1 of 2 test files, line 3, exit 1, R1 done, $0.0229'), []);
  });

  it('catch a stack trace and a message with no next step', () => {
    assert.ok(hasStackTrace('munero status: unexpected error: Error: No build\n    at Foo.bar (/x/dist/cli.js:10:5)'));
    assert.ok(!hasStackTrace('munero status: --workspace /x: there is no folder /x.'));
    assert.ok(!saysWhatToDo('munero status: something went wrong.'));
    assert.ok(saysWhatToDo('Give the project folder, or leave --workspace out.'));
  });
});
