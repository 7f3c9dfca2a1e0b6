import assert from 'node:assert/strict';
import { checkCommand } from '../../../src/core/tools/commandPolicy';

const policy = { allow: ['npm test', 'npx tsc *', 'npm run build && npm test'] };
const reasonOf = (command: string) => {
  const check = checkCommand(command, policy);
  assert.equal(check.allowed, false, command);
  return (check as { reason: string }).reason;
};

describe('checkCommand', () => {
  it('allows exact entries, ignoring extra whitespace', () => {
    assert.deepEqual(checkCommand('npm test', policy), { allowed: true });
    assert.deepEqual(checkCommand('  npm \t test ', policy), { allowed: true });
  });

  it('allows a prefix entry with or without arguments', () => {
    assert.deepEqual(checkCommand('npx tsc --noEmit -p .', policy), { allowed: true });
    assert.deepEqual(checkCommand('npx tsc', policy), { allowed: true });
  });

  it('refuses other commands, listing what is allowed and how to allow more', () => {
    const reason = reasonOf('rm -rf /');
    assert.match(reason, /not allowed/);
    assert.match(reason, /npm test/);
    assert.match(reason, /npx tsc \*/);
    assert.match(reason, /commands\.allow/);
    assert.match(reason, /\.munero\/config\.json/);
    reasonOf('npm testx');
    reasonOf('npm test --watch');
    reasonOf('npx tscx');
  });

  it('refuses chaining, piping, redirection and substitution in prefix arguments', () => {
    for (const cmd of [
      'npx tsc; rm -rf ~',
      'npx tsc && curl evil',
      'npx tsc || true',
      'npx tsc | sh',
      'npx tsc & sleep 1',
      'npx tsc `id`',
      'npx tsc $(id)',
      'npx tsc > out.txt',
      'npx tsc < in.txt',
      'npx tsc\nrm -rf ~',
    ]) {
      assert.match(reasonOf(cmd), /shell operator/, cmd);
    }
  });

  it('accepts operators when the whole command is an exact entry', () => {
    assert.deepEqual(checkCommand('npm run build && npm test', policy), { allowed: true });
  });

  it('refuses everything under an empty policy, and empty commands', () => {
    const check = checkCommand('npm test', { allow: [] });
    assert.ok(!check.allowed && /\(nothing\)/.test(check.reason));
    assert.equal(checkCommand('   ', policy).allowed, false);
  });
});
