import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { agentWrites, changeSetFor, makeBuild, read, tempDir, writeTree } from './helpers';

const repoRoot = path.resolve(__dirname, '../../..');

/** The real `munero` command line (its TypeScript entry point), in its own process. */
function munero(args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 60_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('munero rollback (the real CLI on a real workspace)', function () {
  this.timeout(60_000);
  let root: string;
  let cleanup: () => void;

  before(async () => {
    ({ dir: root, cleanup } = tempDir('munero-rollback-cli-'));
    writeTree(root, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a0', 'src/b.ts': 'b0' });
    const record = makeBuild(root);
    await agentWrites(changeSetFor(record, root), { 'src/a.ts': 'a1', 'src/b.ts': 'b1', 'src/c.ts': 'c1' });
    record.close();
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'b edited by the user');
  });
  after(() => cleanup());

  it('keeps and lists the file the user edited, says how to undo, and undoes', () => {
    const rolled = munero(['rollback', '--workspace', root]);
    assert.equal(rolled.code, 0, rolled.err);
    assert.equal(
      rolled.out,
      [
        'Restored 2 files of build b-test to checkpoint "start".',
        '  src/a.ts',
        '  src/c.ts',
        'Kept 1 file as it is:',
        '  src/b.ts: it was changed after Munero last wrote it',
        'Roll those back too with --force (your versions are saved first).',
        'Undo this rollback with `munero rollback before-rollback-1`.',
        '',
      ].join('\n'),
    );
    assert.equal(read(root, 'src/a.ts'), 'a0');
    assert.equal(read(root, 'src/c.ts'), undefined);
    assert.equal(read(root, 'src/b.ts'), 'b edited by the user');

    const undone = munero(['rollback', 'before-rollback-1', '--workspace', root]);
    assert.equal(undone.code, 0, undone.err);
    assert.match(undone.out, /^Restored 2 files of build b-test to checkpoint "before-rollback-1"\./);
    assert.equal(read(root, 'src/a.ts'), 'a1');
    assert.equal(read(root, 'src/c.ts'), 'c1');
  });

  it('--force rolls back the edited file too, after saving the user’s version where it says', () => {
    const forced = munero(['rollback', '--force', '--workspace', root]);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /^Restored 3 files/);
    const saved = /saved in (\S+)/.exec(forced.out)?.[1];
    assert.ok(saved && saved.startsWith(path.join(root, '.munero', 'builds', 'b-test', 'rollback-saved')), forced.out);
    assert.equal(read(saved, 'src/b.ts'), 'b edited by the user');
    assert.equal(read(root, 'src/b.ts'), 'b0');
    assert.match(forced.out, /Undo this rollback with `munero rollback before-rollback-3`\./);
  });

  it('documents --force and refuses an unknown checkpoint with exit 2', () => {
    assert.match(munero(['rollback', '--help']).out, /--force\s+roll back files you edited since too/);
    const unknown = munero(['rollback', 'iter-9', '--workspace', root]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no checkpoint "iter-9"/);
  });
});
