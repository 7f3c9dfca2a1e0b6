import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ChangeSet } from '../../../src/core/changes/changeSet';
import { rollbackTo } from '../../../src/core/changes/rollback';
import { readFileSafely, writeFileSafely } from '../../../src/core/changes/safeWrite';
import type { BuildRecord } from '../../../src/core/state/workspaceState';
import { agentWrites, changeSetFor, makeBuild, tempDir, writeTree } from './helpers';

/**
 * A tool writes `d/credentials`; a command then swaps `d` for a link to a folder outside
 * (`rm -r d; ln -s ~/.aws d`). Munero's own reads (checkpoints, rollback's saved copies, change
 * hashes) must not copy the outside secret into `.munero/`, where commands can read it.
 */
describe('reads of workspace files never go through a folder swapped for a link', () => {
  let base: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;
  let record: BuildRecord;
  let changes: ChangeSet;

  beforeEach(async () => {
    ({ dir: base, cleanup } = tempDir('munero-swapread-'));
    base = fs.realpathSync(base);
    root = path.join(base, 'ws');
    outside = path.join(base, 'aws');
    writeTree(root, { 'SPEC.md': '# Spec\n' });
    writeTree(outside, { credentials: '[default]\naws_secret_access_key=OUTSIDE-SECRET\n' });
    record = makeBuild(root);
    changes = changeSetFor(record, root);
    await agentWrites(changes, { 'd/credentials': 'harmless\n' });
    fs.rmSync(path.join(root, 'd'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'd'));
  });
  afterEach(() => {
    record.close();
    cleanup();
  });

  const secretCopiesInState = () => execFileSync('grep', ['-rl', 'OUTSIDE-SECRET', path.join(root, '.munero')], { encoding: 'utf8' }).trim();
  const noSecretInState = () => assert.throws(secretCopiesInState, (err: { status?: number }) => err.status === 1, 'the outside secret was copied into .munero');

  it('a checkpoint records the file as not there instead of copying the secret', () => {
    const manifest = record.checkpoints.create('task-T1-a1', { kind: 'task' });
    assert.deepEqual(manifest.files['d/credentials'], { existed: false });
    noSecretInState();
  });

  it('the safe read treats it as unreadable, and reads an ordinary file', () => {
    assert.equal(readFileSafely(root, 'd/credentials'), undefined);
    writeFileSafely(root, 'src/a.ts', Buffer.from('a'));
    assert.equal(readFileSafely(root, 'src/a.ts')?.data.toString(), 'a');
  });

  it('a forced rollback saves no copy of it, and an agent write there hashes nothing outside', async () => {
    const outcome = rollbackTo(record, changes, root, 'start', true);
    assert.ok(outcome.kept.some((k) => k.path === 'd/credentials'), JSON.stringify(outcome));
    await assert.rejects(changes.sinkFor({ agentId: 'coder-1', taskId: 'T1' }).propose({ path: 'd/credentials', content: 'x', tool: 'write_file' }), /leads outside the workspace/);
    noSecretInState();
    assert.equal(fs.readFileSync(path.join(outside, 'credentials'), 'utf8'), '[default]\naws_secret_access_key=OUTSIDE-SECRET\n');
  });
});
