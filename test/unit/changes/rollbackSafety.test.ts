import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BuildManager } from '../../../src/core/build/buildManager';
import type { ChangeRecord } from '../../../src/core/changes/changeSet';
import { sha256 } from '../../../src/core/state/blobs';
import { readJsonLines } from '../../../src/core/state/jsonLines';
import type { BuildRecord } from '../../../src/core/state/workspaceState';
import { agentWrites, changeSetFor, makeBuild, read, tempDir, writeTree } from './helpers';

describe('rollback restores only what Munero last wrote', () => {
  let base: string;
  let root: string;
  let outside: string;
  let cleanup: () => void;
  let record: BuildRecord;

  beforeEach(async () => {
    ({ dir: base, cleanup } = tempDir('munero-rollback-'));
    root = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    writeTree(root, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a0', 'src/b.ts': 'b0' });
    fs.mkdirSync(outside);
    record = makeBuild(root);
    await agentWrites(changeSetFor(record, root), { 'src/a.ts': 'a1', 'src/b.ts': 'b1', 'src/new/c.ts': 'c1' });
    record.close();
  });
  afterEach(() => cleanup());

  const manager = () => new BuildManager({ workspaceRoot: root });

  it('keeps and lists a file the user edited since, restores the rest, and can be undone', () => {
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'b-user');
    const result = manager().rollback();
    assert.deepEqual(result.restored.sort(), ['src/a.ts', 'src/new/c.ts']);
    assert.deepEqual(result.kept, [{ path: 'src/b.ts', reason: 'it was changed after Munero last wrote it' }]);
    assert.equal(result.undoCheckpoint, 'before-rollback-1');
    assert.equal(read(root, 'src/a.ts'), 'a0');
    assert.equal(read(root, 'src/b.ts'), 'b-user');
    assert.equal(fs.existsSync(path.join(root, 'src/new')), false, 'the folder the build made goes with its file');

    const log = manager().events().filter((e) => e.type === 'log').map((e) => (e as { message: string }).message);
    assert.match(log.at(-1)!, /Rolled back 2 files to checkpoint start; kept src\/b\.ts \(it was changed after Munero last wrote it\); undo with checkpoint before-rollback-1/);
    assert.ok(manager().status()!.checkpoints.includes('before-rollback-1'), 'the undo checkpoint is offered like any other');

    const undone = manager().rollback('before-rollback-1');
    assert.deepEqual(undone.restored.sort(), ['src/a.ts', 'src/new/c.ts']);
    assert.deepEqual(undone.kept, []);
    assert.equal(read(root, 'src/a.ts'), 'a1');
    assert.equal(read(root, 'src/new/c.ts'), 'c1');
    assert.equal(read(root, 'src/b.ts'), 'b-user');
    assert.equal(undone.undoCheckpoint, 'before-rollback-2');
  });

  it('with force rolls back the user edit too, after saving a copy, and that is undoable too', () => {
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'b-user');
    fs.rmSync(path.join(root, 'src/a.ts'));
    const result = manager().rollback('start', { force: true });
    assert.deepEqual(result.restored.sort(), ['src/a.ts', 'src/b.ts', 'src/new/c.ts']);
    assert.deepEqual(result.kept, []);
    assert.equal(read(root, 'src/a.ts'), 'a0');
    assert.equal(read(root, 'src/b.ts'), 'b0');
    assert.ok(result.savedDir!.startsWith(path.join(root, '.munero', 'builds', 'b-test', 'rollback-saved')));
    assert.equal(read(result.savedDir!, 'src/b.ts'), 'b-user');
    assert.equal(fs.existsSync(path.join(result.savedDir!, 'src/a.ts')), false, 'a deleted file has no version to save');

    manager().rollback(result.undoCheckpoint!);
    assert.equal(read(root, 'src/b.ts'), 'b-user');
    assert.equal(read(root, 'src/a.ts'), undefined);
  });

  it('logs each restored file as a rollback change, so the audit log shows it', () => {
    manager().rollback();
    const rollbacks = readJsonLines<ChangeRecord>(path.join(root, '.munero/builds/b-test/changes.jsonl')).filter((c) => c.tool === 'rollback');
    assert.deepEqual(
      rollbacks.map((c) => [c.path, c.label, c.beforeSha, c.afterSha]).sort(),
      [
        ['src/a.ts', 'start', sha256('a1'), sha256('a0')],
        ['src/b.ts', 'start', sha256('b1'), sha256('b0')],
        ['src/new/c.ts', 'start', sha256('c1'), null],
      ],
    );
  });

  it('does nothing and makes no undo checkpoint when every file is already there', () => {
    manager().rollback();
    const again = manager().rollback();
    assert.deepEqual(again, { buildId: 'b-test', checkpoint: 'start', restored: [], kept: [] });
    assert.ok(!manager().status()!.checkpoints.includes('before-rollback-2'));
  });

  it('never restores through a folder swapped for a link to outside, nor removes through it', () => {
    fs.renameSync(path.join(root, 'src'), path.join(outside, 'src'));
    fs.symlinkSync(path.join(outside, 'src'), path.join(root, 'src'));
    const result = manager().rollback('start', { force: true });
    assert.deepEqual(result.restored, []);
    assert.deepEqual(result.kept.map((k) => k.path).sort(), ['src/a.ts', 'src/b.ts', 'src/new/c.ts']);
    for (const k of result.kept) assert.match(k.reason, /could not be restored: .* leads outside the workspace through a symbolic link/);
    assert.equal(fs.readFileSync(path.join(outside, 'src/a.ts'), 'utf8'), 'a1');
    assert.equal(fs.readFileSync(path.join(outside, 'src/new/c.ts'), 'utf8'), 'c1');
  });

  it('keeps a file that became a symbolic link, even with force, and never writes through it', () => {
    fs.writeFileSync(path.join(outside, 'target.txt'), 'outside');
    fs.rmSync(path.join(root, 'src/a.ts'));
    fs.symlinkSync(path.join(outside, 'target.txt'), path.join(root, 'src/a.ts'));
    assert.deepEqual(manager().rollback().kept, [{ path: 'src/a.ts', reason: 'it is a symbolic link now' }]);
    const forced = manager().rollback('start', { force: true });
    assert.match(forced.kept[0].reason, /src\/a\.ts is a symbolic link; Munero does not write through links/);
    assert.equal(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8'), 'outside');
  });

  it("never restores over the build's spec", () => {
    // A change log claiming the spec was written (a tampered or very old log) still cannot overwrite it.
    const spec = path.join(root, 'SPEC.md');
    const cp = path.join(root, '.munero/builds/b-test/checkpoints/start.json');
    const manifest = JSON.parse(fs.readFileSync(cp, 'utf8'));
    manifest.files['SPEC.md'] = { existed: false };
    fs.writeFileSync(cp, JSON.stringify(manifest));
    fs.appendFileSync(path.join(root, '.munero/builds/b-test/changes.jsonl'), JSON.stringify({ id: 'c99', agentId: 'x', path: 'SPEC.md', tool: 'write_file', beforeSha: null, afterSha: sha256('# Spec\n'), status: 'applied', at: new Date().toISOString() }) + '\n');
    const result = manager().rollback();
    assert.deepEqual(result.kept, [{ path: 'SPEC.md', reason: "it could not be restored: SPEC.md is the build's spec; it stays as the build started from it" }]);
    assert.equal(fs.readFileSync(spec, 'utf8'), '# Spec\n');
  });
});

describe('rollback of a build logged before command and rollback changes existed', () => {
  it('works from an old change log (no label, only write_file and edit_file)', () => {
    const { dir, cleanup } = tempDir('munero-oldlog-');
    try {
      writeTree(dir, { 'SPEC.md': '# Spec\n', 'src/a.ts': 'a-agent', 'src/made.ts': 'made', 'src/user.ts': 'user edit' });
      const record = makeBuild(dir, 'b-old');
      const blob = (text: string) => record.blobs.put(Buffer.from(text));
      const old = [
        { id: 'c1', agentId: 'coder-1', taskId: 'T1', path: 'src/a.ts', tool: 'edit_file', beforeSha: blob('a-orig'), afterSha: blob('a-agent'), status: 'applied', at: '2024-01-01T00:00:00.000Z' },
        { id: 'c2', agentId: 'coder-1', taskId: 'T1', path: 'src/made.ts', tool: 'write_file', beforeSha: null, afterSha: blob('made'), status: 'applied', at: '2024-01-01T00:00:01.000Z' },
        { id: 'c3', agentId: 'coder-1', taskId: 'T1', path: 'src/user.ts', tool: 'write_file', beforeSha: blob('u-orig'), afterSha: blob('u-agent'), status: 'applied', at: '2024-01-01T00:00:02.000Z' },
      ];
      for (const line of old) record.changeLog.append(line);
      fs.mkdirSync(path.join(record.dir, 'checkpoints'), { recursive: true });
      fs.writeFileSync(
        path.join(record.dir, 'checkpoints/start.json'),
        JSON.stringify({
          name: 'start',
          createdAt: '2024-01-01T00:00:00.000Z',
          files: { 'src/a.ts': { existed: true, blob: blob('a-orig'), mode: 0o644 }, 'src/made.ts': { existed: false }, 'src/user.ts': { existed: true, blob: blob('u-orig'), mode: 0o644 } },
        }),
      );
      record.close();
      const result = new BuildManager({ workspaceRoot: dir }).rollback();
      assert.deepEqual(result.restored.sort(), ['src/a.ts', 'src/made.ts']);
      assert.deepEqual(result.kept.map((k) => k.path), ['src/user.ts']);
      assert.equal(read(dir, 'src/a.ts'), 'a-orig');
      assert.equal(read(dir, 'src/made.ts'), undefined);
      assert.equal(read(dir, 'src/user.ts'), 'user edit');
    } finally {
      cleanup();
    }
  });
});
